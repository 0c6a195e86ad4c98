"""What a person gets back when they type, click or reply in a thread."""

from __future__ import annotations

import logging
from importlib.resources import files

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.chat import Chat
from bot.engine.messages import Buttons, Form, ItemList
from bot.service import Person, Place, RoundService
from protocols.loader import Library, builtin_files, parse_protocol
from tests.fakes.clock import ManualClock

PLACE = Place("web", "local", "team-a")
ANN, BOB, CAS = Person("ann", "Ann"), Person("bob", "Bob"), Person("cas", "Cas")


@pytest.fixture
def chat(service: RoundService) -> Chat:
    return Chat(service)


def _text(reply: object) -> str:
    return " ".join(m.text for m in reply.messages)  # type: ignore[attr-defined]


def _start(chat: Chat, *people: Person, protocol: str = "incident") -> str:
    reply = chat.command(PLACE, ANN, f"start {protocol}")
    assert reply.accepted and reply.round_id
    for person in people:
        assert chat.click(PLACE, person, "join", "", {}, round_id=reply.round_id).accepted
    return reply.round_id


def test_help_lists_what_works_in_the_teams_language(chat: Chat) -> None:
    assert "`/dialoog start incident`" in _text(chat.command(PLACE, ANN, ""))
    chat.command(PLACE, ANN, "taal en")
    assert "starts a round of the incident method" in _text(chat.command(PLACE, ANN, "help"))


def test_a_wrong_command_says_what_would_work(chat: Chat) -> None:
    reply = chat.command(PLACE, ANN, "strat incident")
    assert not reply.accepted
    assert _text(reply).startswith(
        "Ik ken `strat` niet. Bedoel je `start`? Probeer `/dialoog start`"
    )


def test_start_without_a_protocol_offers_a_choice_that_starts_it(chat: Chat) -> None:
    reply = chat.command(PLACE, ANN, "start async")
    buttons = next(b for m in reply.messages for b in m.blocks if isinstance(b, Buttons)).buttons
    lesson_study = next(b for b in buttons if b.value.startswith("lesson_study"))
    assert lesson_study.value == "lesson_study:async"
    started = chat.click(PLACE, ANN, lesson_study.action, lesson_study.value, {}, round_id=None)
    assert started.accepted
    info = chat.service.active_round(PLACE)
    assert info is not None and info.state.mode == "async"


def test_the_protocol_list_names_how_to_start_each(chat: Chat) -> None:
    reply = chat.command(PLACE, ANN, "protocollen")
    listing = next(b for m in reply.messages for b in m.blocks if isinstance(b, ItemList))
    incident = next(i for i in listing.items if i.text == "Incidentmethode")
    assert incident.note is not None and "`/dialoog start incident`" in incident.note


def test_status_shows_the_card_and_stop_ends_the_round(chat: Chat) -> None:
    assert _text(chat.command(PLACE, ANN, "status")).startswith("Er loopt hier geen ronde.")
    _start(chat, BOB)
    assert _text(chat.command(PLACE, BOB, "status")).startswith("Incidentmethode")
    refused = chat.command(PLACE, BOB, "stop")
    assert refused.error_code == "only_facilitator"
    assert chat.command(PLACE, ANN, "stop").accepted
    assert chat.service.active_round(PLACE) is None


def test_the_language_changes_during_a_round_which_keeps_its_own(chat: Chat) -> None:
    round_id = _start(chat)
    assert _text(chat.command(PLACE, ANN, "taal en")).startswith("This channel now speaks")
    state = chat.service.round(round_id)
    assert state is not None and state.language == "nl"
    assert _text(chat.command(PLACE, ANN, "taal fr")).startswith("Choose `nl`")


def test_a_form_opens_for_the_current_step_and_its_submission_is_saved(chat: Chat) -> None:
    round_id = _start(chat, BOB, CAS)
    chat.click(PLACE, ANN, "advance", "", {}, round_id=round_id)  # ground rules
    chat.click(PLACE, ANN, "advance", "rules", {}, round_id=round_id)  # propose a case
    opened = chat.click(PLACE, BOB, "open_form", "propose", {}, round_id=round_id)
    assert opened.form is not None
    form = next(b for b in opened.form.blocks if isinstance(b, Form))
    saved = chat.click(
        PLACE, BOB, form.action, form.value, {"text": "Een leerling liep weg."}, round_id=round_id
    )
    assert saved.accepted and _text(saved) == "Opgeslagen."


def test_a_tampered_click_is_refused_clearly_and_changes_nothing(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    round_id = _start(chat, BOB)
    before = chat.service.round(round_id)
    reply = chat.click(
        PLACE, BOB, "reflect", "", {"rating": "vijf", "text": "GEHEIM"}, round_id=round_id
    )
    assert (reply.accepted, reply.error_code) == (False, "malformed")
    assert _text(reply).startswith("Die knop of dat formulier begrijp ik niet")
    assert chat.click(PLACE, BOB, "launch", "", {}, round_id=round_id).error_code == "malformed"
    assert chat.service.round(round_id) == before
    assert "GEHEIM" not in caplog.text


def test_a_thread_reply_counts_as_a_contribution_in_an_open_step(chat: Chat) -> None:
    round_id = _start(chat, BOB, CAS)
    chat.click(PLACE, ANN, "advance", "", {}, round_id=round_id)
    assert chat.thread_message(PLACE, BOB, "Gewoon een praatje", round_id=round_id) is None
    chat.click(PLACE, ANN, "advance", "rules", {}, round_id=round_id)
    assert chat.thread_message(PLACE, BOB, "Mijn casus", round_id=round_id) is not None
    state = chat.service.round(round_id)
    assert state is not None and [i.text for i in state.items] == ["Mijn casus"]


def test_a_thread_reply_in_a_hidden_step_is_sent_to_the_form_instead(chat: Chat) -> None:
    round_id = _start(chat, BOB, CAS)
    chat.click(PLACE, ANN, "assign", "", {"role": "case_owner", "user": "bob"}, round_id=round_id)
    state = chat.service.round(round_id)
    for _ in range(10):  # the card's "next step" carries the step it was clicked on
        assert state is not None
        if state.step is not None and state.step.id == "questions":
            break
        seen = state.step.id if state.step else ""
        assert chat.click(PLACE, ANN, "advance", seen, {}, round_id=round_id).accepted
        state = chat.service.round(round_id)
    reply = chat.thread_message(PLACE, CAS, "Wat zei de leerling?", round_id=round_id)
    assert reply is not None and "verborgen" in _text(reply)
    state = chat.service.round(round_id)
    assert state is not None and not state.items_of("questions")


def test_opening_a_form_before_joining_says_to_join_first(chat: Chat) -> None:
    round_id = _start(chat, BOB)
    chat.click(PLACE, ANN, "advance", "", {}, round_id=round_id)
    reply = chat.click(PLACE, CAS, "open_form", "rules", {}, round_id=round_id)
    assert (reply.accepted, reply.error_code) == (False, "not_joined")
    assert "Meedoen" in _text(reply)


def test_refusals_name_the_command_as_this_channel_types_it(service: RoundService) -> None:
    teams = Chat(service, command_name="@dialoog")
    _start(teams)
    reply = teams.command(PLACE, BOB, "start gossip")
    assert "`@dialoog stop`" in _text(reply)
    assert "/dialoog" not in _text(reply)


def test_a_thread_reply_in_an_anonymous_step_is_not_stored_and_the_writer_is_told(
    session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    # A school's incident method whose incidents are put forward anonymously.
    source = (files("protocols") / "library" / "incident.yaml").read_text(encoding="utf-8")
    anonymous = source.replace("  - id: propose\n    kind: collect\n", ANONYMOUS_PROPOSE, 1)
    assert anonymous != source
    school = parse_protocol(anonymous, "incident.yaml")
    library = Library.assemble(builtin_files(), [school])
    chat = Chat(RoundService(session_factory, library, clock))
    round_id = _start(chat, BOB, CAS)
    chat.click(PLACE, ANN, "advance", "", {}, round_id=round_id)
    chat.click(PLACE, ANN, "advance", "rules", {}, round_id=round_id)

    reply = chat.thread_message(PLACE, BOB, "Mijn casus", round_id=round_id)
    assert reply is not None and reply.messages
    assert _text(reply).startswith("Deze stap is anoniem, maar in de draad staat je naam")
    state = chat.service.round(round_id)
    assert state is not None and state.step is not None and state.step.id == "propose"
    assert state.items == []


ANONYMOUS_PROPOSE = "  - id: propose\n    kind: collect\n    anonymous: true\n"
