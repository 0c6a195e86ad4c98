"""A team's seeded history of rounds, played through the real service, with the
numbers its insights must show. Shared by the insights, page and dossier tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import storage
from bot.engine import commands as cmd
from bot.engine.simulate import fill_in
from bot.service import Person, Place, RoundService
from protocols.schema import ActionsStep, ReflectStep
from storage import insights as repo
from tests.fakes.clock import ManualClock

ANN, BOB, CAS, DEE = (Person(u, u.title()) for u in ("ann", "bob", "cas", "dee"))


@dataclass
class Played:
    """One round to play: who joins, what they reflect, which actions they agree,
    and reports on earlier actions (by action text) made once everyone joined."""

    protocol: str
    at: datetime
    people: tuple[Person, ...]
    sources: dict[str, list[str]] = field(default_factory=dict)
    takeaways: dict[str, str] = field(default_factory=dict)
    actions: list[tuple[str, str]] = field(default_factory=list)
    reports: dict[str, str] = field(default_factory=dict)
    cancel: bool = False


def play(service: RoundService, clock: ManualClock, place: Place, round_: Played) -> str:
    """Play one round to its end (or stop it), as its people would; its id."""
    clock.set(round_.at)
    starter, *others = round_.people
    outcome = service.start(place, starter, round_.protocol)
    assert outcome.accepted, outcome.errors
    round_id = outcome.round_id
    assert round_id is not None

    def do(command: cmd.Command) -> None:
        clock.advance(seconds=5)
        result = service.handle(round_id, command)
        assert result.accepted, (command, result.errors)

    for person in others:
        do(cmd.Join(user=person.user_id, name=person.name))
    state = service.round(round_id)
    assert state is not None
    for text, status in round_.reports.items():
        action = next(a for a in state.open_actions if a.text == text)
        do(cmd.ReportAction(user=action.owner, action_id=action.action_id, status=status))  # type: ignore[arg-type]
    if round_.cancel:
        do(cmd.Cancel(user=starter.user_id))
        return round_id
    do(cmd.Advance(user=starter.user_id))
    while (state := service.round(round_id)) is not None and state.active:
        step = state.step
        assert step is not None
        if isinstance(step, ReflectStep):
            for person in round_.people:
                do(
                    cmd.Reflect(
                        user=person.user_id,
                        rating=4,
                        text=round_.takeaways.get(person.user_id, ""),
                        sources=round_.sources.get(person.user_id, []),  # type: ignore[arg-type]
                    )
                )
        elif isinstance(step, ActionsStep):
            # Whoever records actions in this step writes them down, for their owners.
            scribe = state.actors(step)[0]
            for owner, text in round_.actions:
                do(cmd.AddAction(user=scribe, text=text, owner=owner))
        else:
            for command in fill_in(state):
                if not isinstance(command, cmd.AddAction | cmd.ReportAction | cmd.Reflect):
                    do(command)
        # The step may have closed itself (all done); advance only the one we filled in.
        after = service.round(round_id)
        if after is not None and after.active and after.step_index == state.step_index:
            do(cmd.Advance(user=starter.user_id, step_id=step.id))
    return round_id


SCHOOL_YEAR = [
    # Last school year: not in this year's numbers.
    Played("five_step", datetime(2026, 6, 10, 13, tzinfo=UTC), (ANN, BOB)),
    Played(
        "five_step",
        datetime(2026, 9, 8, 13, tzinfo=UTC),
        (ANN, BOB, CAS),
        sources={"ann": ["practice", "colleagues"], "bob": ["theory"]},
        takeaways={"ann": "Ann neemt mee: eerst vragen.", "bob": "Bob neemt mee: rustig blijven."},
        actions=[("ann", "Ann belt de ouders van groep 5."), ("bob", "Bob plant een lesbezoek.")],
    ),
    Played(
        "incident",
        datetime(2026, 10, 6, 13, tzinfo=UTC),
        (ANN, BOB, DEE),
        sources={"ann": ["practice"], "bob": ["practice"], "dee": ["colleagues"]},
        actions=[("bob", "Bob probeert de stilteregel.")],
        reports={"Ann belt de ouders van groep 5.": "done", "Bob plant een lesbezoek.": "partly"},
    ),
    # Stopped halfway: not held.
    Played("five_step", datetime(2026, 11, 3, 13, tzinfo=UTC), (ANN, CAS), cancel=True),
    Played(
        "five_step",
        datetime(2026, 11, 17, 13, tzinfo=UTC),
        (ANN, BOB, CAS, DEE),
        actions=[("dee", "Dee leest het artikel over feedback.")],
        reports={"Bob probeert de stilteregel.": "not_yet"},
    ),
]


def seed(service: RoundService, clock: ManualClock, place: Place) -> list[str]:
    """Play the school year; Dee asks not to be named and drops her action
    (as the lead's follow-up will let her; until then the projection is set)."""
    ids = [play(service, clock, place, r) for r in SCHOOL_YEAR]
    with service.sessions() as session, session.begin():
        team = storage.find_team(session, place.platform, place.workspace, place.channel)
        assert team is not None
        repo.set_insights_named(session, team.id, "dee", named=False)
        dees = [a for a in repo.actions_of_rounds(session, ids) if a.owner_user_id == "dee"]
        for action in dees:
            storage.update_action(session, action.id, status="dropped", now=clock.now())
    clock.set(datetime(2026, 12, 1, 9, tzinfo=UTC))
    return ids
