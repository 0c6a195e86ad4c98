"""Several rounds in one channel, and the typed commands that act on one of them."""

from __future__ import annotations

import pytest

from bot.chat import Chat, Reply
from bot.engine.messages import Button, Buttons
from bot.engine.vocabulary import Action
from bot.service import Person, Place, RoundService
from tests.fakes.clock import ManualClock

PLACE = Place("web", "local", "team-a")
ANN, BOB, CAS = Person("ann", "Ann"), Person("bob", "Bob"), Person("cas", "Cas")


@pytest.fixture
def chat(service: RoundService) -> Chat:
    return Chat(service)


def _text(reply: Reply) -> str:
    return " ".join(m.text for m in reply.messages)


def _buttons(reply: Reply) -> list[Button]:
    return [
        b
        for m in reply.messages
        for block in m.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
    ]


def _two_rounds(chat: Chat, clock: ManualClock) -> tuple[str, str]:
    """Ann runs a gossip round over days; a day later Bob starts a live incident round
    beside it (rounds are listed in the order they started)."""
    spread = chat.command(PLACE, ANN, "start gossip async")
    clock.advance(days=1)
    live = chat.command(PLACE, BOB, "start incident")
    assert spread.accepted and live.accepted, (_text(spread), _text(live))
    assert spread.round_id and live.round_id
    return spread.round_id, live.round_id


def test_a_live_round_starts_beside_one_spread_over_days_each_with_its_own_card(
    chat: Chat, clock: ManualClock
) -> None:
    _two_rounds(chat, clock)
    status = chat.command(PLACE, CAS, "status")
    titles = [m.text.split(" · ")[0] for m in status.messages]
    assert titles == ["Roddelmethode", "Incidentmethode"]


def test_stop_asks_which_round_when_the_words_fit_several_and_the_choice_stops_it(
    chat: Chat, clock: ManualClock
) -> None:
    spread, live = _two_rounds(chat, clock)
    for round_id in (spread, live):
        chat.click(PLACE, CAS, Action.JOIN, "", {}, round_id=round_id)
    # Cas leads neither: both rounds fit her `stop`, so she is asked which.
    asked = chat.command(PLACE, CAS, "stop")
    assert "Welke bedoel je?" in _text(asked)
    labels = [b.label for b in _buttons(asked)]
    assert labels[0].startswith("Roddelmethode (verspreid over dagen, sinds ")
    assert labels[1] == "Incidentmethode (live)"
    # Ann leads one of them: her `stop` means that one.
    assert chat.command(PLACE, ANN, "stop").accepted
    assert chat.service.round(spread) is not None
    state = chat.service.round(spread)
    assert state is not None and state.status == "cancelled"
    live_state = chat.service.round(live)
    assert live_state is not None and live_state.active


def test_the_choice_of_a_round_acts_on_the_round_it_names(chat: Chat, clock: ManualClock) -> None:
    spread, live = _two_rounds(chat, clock)
    for round_id in (spread, live):
        chat.click(PLACE, CAS, Action.JOIN, "", {}, round_id=round_id)
    asked = chat.command(PLACE, CAS, "verlaat")
    choice = next(b for b in _buttons(asked) if b.value.endswith(live))
    left = chat.click(PLACE, CAS, choice.action, choice.value, {}, round_id=None)
    assert left.accepted
    after_live, after_spread = chat.service.round(live), chat.service.round(spread)
    assert after_live is not None and "cas" not in after_live.participants
    assert after_spread is not None and "cas" in after_spread.participants


def test_a_choice_of_a_round_elsewhere_or_made_up_is_refused(
    chat: Chat, clock: ManualClock
) -> None:
    _, live = _two_rounds(chat, clock)
    elsewhere = Place("web", "local", "team-b")
    refused = chat.click(elsewhere, CAS, Action.CHOOSE_ROUND, f"stop:{live}", {}, round_id=None)
    assert not refused.accepted
    made_up = chat.click(PLACE, CAS, Action.CHOOSE_ROUND, "dance:x", {}, round_id=None)
    assert made_up.error_code == "malformed"


def test_leave_with_one_round_leaves_it_and_says_so_when_there_is_none(chat: Chat) -> None:
    started = chat.command(PLACE, ANN, "start incident")
    assert started.round_id
    chat.click(PLACE, BOB, Action.JOIN, "", {}, round_id=started.round_id)
    assert chat.command(PLACE, BOB, "verlaat").accepted
    state = chat.service.round(started.round_id)
    assert state is not None and "bob" not in state.participants
    assert _text(chat.command(PLACE, BOB, "leave")) == "Je doet hier aan geen ronde mee."


def test_take_over_by_command_when_the_facilitator_became_the_case_owner(chat: Chat) -> None:
    started = chat.command(PLACE, ANN, "start incident")
    rid = started.round_id
    assert rid
    assert _text(chat.command(PLACE, BOB, "overnemen")).startswith("Geen ronde hier zoekt")
    for person in (BOB, CAS):
        chat.click(PLACE, person, Action.JOIN, "", {}, round_id=rid)
    for step in ("", "rules"):
        assert chat.click(PLACE, ANN, Action.ADVANCE, step, {}, round_id=rid).accepted
    fields = {"text": "Een ouder belde boos op zondag."}
    assert chat.click(PLACE, ANN, Action.CONTRIBUTE, "propose", fields, round_id=rid).accepted
    chat.click(PLACE, ANN, Action.ADVANCE, "propose", {}, round_id=rid)
    chat.click(PLACE, ANN, Action.ADVANCE, "choose", {}, round_id=rid)
    state = chat.service.round(rid)
    assert state is not None and state.case_owner == "ann" and state.leader_wanted
    assert chat.command(PLACE, BOB, "overnemen").accepted
    state = chat.service.round(rid)
    assert state is not None and state.holders("facilitator") == ["bob"]


def test_the_language_changes_while_a_round_runs_which_keeps_its_own(chat: Chat) -> None:
    started = chat.command(PLACE, ANN, "start incident async")
    assert started.round_id
    reply = chat.command(PLACE, ANN, "taal en")
    assert _text(reply) == (
        "This channel now speaks English. "
        "Rounds that are running keep their own language; new rounds speak the new one."
    )
    state = chat.service.round(started.round_id)
    assert state is not None and state.language == "nl"
    live = chat.command(PLACE, BOB, "start incident")
    assert live.round_id
    new = chat.service.round(live.round_id)
    assert new is not None and new.language == "en"


def test_the_sector_changes_while_a_round_runs(chat: Chat) -> None:
    assert chat.command(PLACE, ANN, "start incident async").accepted
    reply = chat.command(PLACE, ANN, "sector po")
    assert "Rondes die al lopen, houden hun woorden" in _text(reply)
