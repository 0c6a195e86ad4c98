"""Playing a round through the service, for tests about what comes after it.

Simulated colleagues (bot.engine.simulate) do every part; the facilitator moves
the round on. The channel tests use it to reach the last step quickly and then
do the final click through the real endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import commands as cmd
from bot.engine.simulate import fill_in
from bot.service import Person, RoundService


def fill(service: RoundService, round_id: str) -> None:
    """Everyone does their part of the current step."""
    state = service.round(round_id)
    assert state is not None
    for command in fill_in(state):
        service.handle(round_id, command)


def play_to_last_step(service: RoundService, round_id: str, facilitator: str) -> None:
    """Fill in and advance until the round stands at its last step, filled in."""
    for _ in range(100):
        state = service.round(round_id)
        assert state is not None and state.active, "the round ended early"
        last = state.step is not None and state.step_index == len(state.protocol.steps) - 1
        fill(service, round_id)
        if last:
            return
        outcome = service.handle(round_id, cmd.Advance(user=facilitator))
        assert outcome.accepted, outcome.error_code
    raise AssertionError("the round did not reach its last step")


def play_to_step(service: RoundService, round_id: str, facilitator: str, step_id: str) -> None:
    """Fill in and advance until the round stands at the given step (not filled in)."""
    for _ in range(100):
        state = service.round(round_id)
        assert state is not None and state.active, "the round ended early"
        if state.step is not None and state.step.id == step_id:
            return
        fill(service, round_id)
        outcome = service.handle(round_id, cmd.Advance(user=facilitator))
        assert outcome.accepted, outcome.error_code
    raise AssertionError(f"the round did not reach step {step_id}")


def play_to_the_end(service: RoundService, round_id: str, facilitator: str) -> None:
    play_to_last_step(service, round_id, facilitator)
    outcome = service.handle(round_id, cmd.Advance(user=facilitator))
    assert outcome.accepted, outcome.error_code


@dataclass(frozen=True)
class OwnersPart:
    """What the case owner picked and took on in a finished round: their copy must hold it."""

    owner: str
    picked: list[str]
    actions: list[str]


def owners_part(service: RoundService, round_id: str) -> OwnersPart:
    state = service.round(round_id)
    assert state is not None and state.status == "finished"
    owner = state.case_owner
    assert owner is not None
    picked = [state.item(i) for chosen in state.picks.values() for i in chosen.get(owner, [])]
    part = OwnersPart(
        owner,
        [item.text for item in picked if item is not None],
        [a.text for a in state.actions if a.owner == owner],
    )
    assert part.picked and part.actions, "the simulated case owner picks advice and takes an action"
    return part


def gossip_at_the_answers(
    service: RoundService, round_id: str, facilitator: str, owner: Person, asker: Person
) -> None:
    """A gossip round its facilitator just started, played to its answers step: the
    owner and the asker join, the owner's case is the one, and the asker and the
    facilitator have each asked a question (in that order)."""

    def do(command: cmd.Command) -> None:
        assert service.handle(round_id, command).accepted, command

    for who in (owner, asker):
        do(cmd.Join(user=who.user_id, name=who.name))
    for _ in range(2):
        do(cmd.Advance(user=facilitator))
    do(cmd.Contribute(user=owner.user_id, text="Mijn klas luistert niet na de pauze."))
    for _ in range(3):
        do(cmd.Advance(user=facilitator))
    do(cmd.Contribute(user=asker.user_id, text="Wat gebeurt er direct na de pauze?"))
    do(cmd.Contribute(user=facilitator, text="Wie zijn er dan het onrustigst?"))
    do(cmd.Advance(user=facilitator))
