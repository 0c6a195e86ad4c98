"""The guard reads every free text a person adds to a round: the case owner's
answers and action points too, not only contributions. A changed text stays with
the question or action it was written for."""

from __future__ import annotations

import contextlib

from bot.chat import Chat
from bot.engine import commands as cmd
from bot.engine.errors import DomainError
from bot.engine.messages import Buttons
from bot.engine.simulate import fill_in
from bot.engine.vocabulary import Action
from bot.service import Outcome, Person, Place, RoundService

PLACE = Place("web", "local", "team-guard")
ANN, BOB, CAS = Person("ann", "Ann"), Person("bob", "Bob"), Person("cas", "Cas")


def _round_at(service: RoundService, step_id: str) -> str:
    chat = Chat(service)
    reply = chat.command(PLACE, ANN, "start incident")
    assert reply.round_id
    round_id = reply.round_id
    for person in (BOB, CAS):
        chat.click(PLACE, person, "join", "", {}, round_id=round_id)
    for _ in range(20):
        state = service.round(round_id)
        assert state is not None
        if state.step is not None and state.step.id == step_id:
            return round_id
        for command in fill_in(state):
            with contextlib.suppress(DomainError):
                service.handle(round_id, command)
        service.handle(round_id, cmd.Advance(user=ANN.user_id))
    raise AssertionError(f"never reached {step_id}")


def _choices(reply: object) -> dict[str, str]:
    (message,) = reply.messages  # type: ignore[attr-defined]
    buttons = next(b for b in message.blocks if isinstance(b, Buttons)).buttons
    return {b.action: b.value for b in buttons}


def _person(service: RoundService, round_id: str, user: str) -> Person:
    state = service.round(round_id)
    assert state is not None
    return Person(user, state.name(user))


def test_the_case_owners_answer_naming_a_pupil_is_held_and_becomes_leerling_a(
    service: RoundService,
) -> None:
    chat = Chat(service)
    round_id = _round_at(service, "information")
    state = service.round(round_id)
    assert state is not None and state.case_owner is not None
    owner = _person(service, round_id, state.case_owner)
    (answer,) = [c for c in fill_in(state) if isinstance(c, cmd.Respond)][:1]
    value = f"information:{answer.item_id}"

    reply = chat.click(
        PLACE,
        owner,
        "respond",
        value,
        {"text": "Sem Bakker was die dag al boos."},
        round_id=round_id,
    )
    choices = _choices(reply)
    state = service.round(round_id)
    assert state is not None and answer.item_id not in state.responses

    # Changed, but the name is still in it: asked again, for the same question.
    again = chat.click(
        PLACE,
        owner,
        Action.GUARD_REWRITE,
        choices[Action.GUARD_REPLACE],
        {"text": "Sem was die dag boos."},
        round_id=round_id,
    )
    done = chat.click(
        PLACE,
        owner,
        Action.GUARD_REPLACE,
        _choices(again)[Action.GUARD_REPLACE],
        {},
        round_id=round_id,
    )
    assert done.accepted
    state = service.round(round_id)
    assert state is not None
    assert state.responses[answer.item_id].text == "leerling A was die dag boos."


def test_an_action_point_naming_a_pupil_is_held_until_posted_anyway(
    service: RoundService,
) -> None:
    chat = Chat(service)
    round_id = _round_at(service, "next_step")
    state = service.round(round_id)
    assert state is not None and state.case_owner is not None
    owner = _person(service, round_id, state.case_owner)
    fields = {"text": "Met de moeder van Emma bellen.", "owner": owner.user_id, "due": "2026-12-15"}
    reply = chat.click(PLACE, owner, "add_action", "", fields, round_id=round_id)
    state = service.round(round_id)
    assert state is not None and state.actions == []
    posted = chat.click(
        PLACE, owner, Action.GUARD_POST, _choices(reply)[Action.GUARD_POST], {}, round_id=round_id
    )
    assert posted.accepted
    state = service.round(round_id)
    assert state is not None
    assert [(a.text, a.owner, str(a.due)) for a in state.actions] == [
        ("Met de moeder van Emma bellen.", owner.user_id, "2026-12-15")
    ]


def test_the_question_speaks_the_teams_language(service: RoundService) -> None:
    chat = Chat(service)
    place = Place("web", "local", "team-english")
    chat.command(place, ANN, "language en")
    round_id = chat.command(place, ANN, "start incident").round_id
    assert round_id is not None
    chat.click(place, BOB, "join", "", {}, round_id=round_id)
    service.handle(round_id, cmd.Advance(user=ANN.user_id))
    service.handle(round_id, cmd.Advance(user=ANN.user_id))
    reply = chat.click(
        place, BOB, "contribute", "propose", {"text": "Liam threw a chair."}, round_id=round_id
    )
    (question,) = reply.messages
    assert question.text.startswith("Your contribution seems to hold a name of a pupil.")
    assert "pupil A threw a chair." in question.text
    assert set(_choices(reply)) == {Action.GUARD_REPLACE, Action.GUARD_EDIT, Action.GUARD_POST}
    assert reply.private and question.audience == BOB.user_id


def test_the_question_still_reads_when_the_name_turns_out_to_be_a_participants(
    service: RoundService,
) -> None:
    chat = Chat(service)
    round_id = _round_at(service, "propose")
    reply = chat.click(
        PLACE, BOB, "contribute", "propose", {"text": "Noor zat stil."}, round_id=round_id
    )
    pending = _choices(reply)[Action.GUARD_REPLACE]
    # Noor joins the round after Bob wrote: asked again (a retried delivery), the
    # question still stands and names what it is about.
    assert service.handle(round_id, cmd.Join(user="noor", name="Noor")).accepted
    question = chat.guard.question(Outcome(round_id, True, held=pending), BOB.user_id, "nl")
    assert question is not None and question.text.startswith("Je bijdrage lijkt een naam")
    # On this second look nothing is found: the proposal is the text as written.
    assert question.text.endswith("Noor zat stil.")
