"""Erasing a person: none of their texts remain anywhere, the others' rounds replay."""

from __future__ import annotations

from bot.engine import events as ev
from bot.engine.state import fold
from bot.engine.summary import summary
from bot.runtime import Runtime
from storage import list_audit, load_events
from storage.audit import AUDIT_ERASURE
from tests.fakes.clock import ManualClock
from tests.privacy.cli import run_privacy
from tests.privacy.dumps import full_dump
from tests.privacy.played import everything_stored, play_round
from tests.web.conftest import ANN, BOB, CAS, WebChat, card_of
from tests.web.test_web_guard import at_the_proposals


async def test_after_erasure_none_of_their_texts_remain_and_the_rounds_replay(
    web: WebChat, runtime: Runtime, clock: ManualClock, database_env: None
) -> None:
    first = await play_round(web, "een")
    second = await play_round(web, "twee")
    bobs = first.written[BOB] + second.written[BOB]
    anns = first.written[ANN] + second.written[ANN]
    assert len(bobs) >= 6 and len(anns) >= 4
    stored = everything_stored(runtime.engine)
    assert all(text in stored for text in bobs + anns)
    before_ann = [summary(_replay(runtime, r.round_id), ANN) for r in (first, second)]

    code, _out, err = run_privacy(clock, "erase", "--user", BOB)
    assert code == 1 and "--yes" in err, "without --yes nothing is erased"
    assert all(text in everything_stored(runtime.engine) for text in bobs)

    code, out, _err = run_privacy(clock, "erase", "--user", BOB, "--yes")
    assert code == 0, out
    assert "2 round(s)" in out
    with runtime.sessions() as session:
        entries = list_audit(session, action=AUDIT_ERASURE)
    assert [(e.target, e.detail["rounds"]) for e in entries] == [("web:local", 2)]
    assert entries[0].actor.startswith("cli") and BOB not in str(entries[0].detail)

    # Nothing of Bob's remains: not his texts, not his id, not his name.
    stored = everything_stored(runtime.engine)
    assert [text for text in bobs if text in stored] == []
    assert BOB not in stored
    assert "'Bob'" not in stored and "Bob " not in stored
    dump = full_dump(runtime.engine)
    assert BOB not in dump
    # The others' texts are all still there, and their rounds replay.
    assert all(text in stored for text in anns)
    for played in (first, second):
        state = _replay(runtime, played.round_id)
        assert state.status == "finished"
        assert BOB not in state.participants
        assert "Verwijderde deelnemer" in state.participants.values()
        assert ANN in state.participants and CAS in state.participants
    after_ann = [summary(_replay(runtime, r.round_id), ANN) for r in (first, second)]
    assert len(after_ann) == len(before_ann)
    for text in anns:
        assert any(text in str(s) for s in after_ann), "Ann's summary keeps her own words"
    assert all("[verwijderd]" in str(s) for s in after_ann)


async def test_after_erasure_the_card_the_others_see_is_updated_in_place(
    web: WebChat, runtime: Runtime, clock: ManualClock, database_env: None
) -> None:
    played = await play_round(web, "kaart")
    card_before = card_of(await web.timeline(ANN))
    code, _out, _err = run_privacy(clock, "erase", "--user", BOB, "--yes")
    assert code == 0
    await web.settled()
    timeline = await web.timeline(ANN)
    card_after = card_of(timeline)
    assert card_after["id"] == card_before["id"], "the same message, updated"
    shown = str(timeline["messages"])
    assert [t for t in played.written[BOB] if t in shown] == []
    assert "Bob" not in shown
    # Bob's own (private) view is gone with him.
    assert all(m["message"]["text"] for m in (await web.timeline(BOB))["messages"])
    assert not any(m["private"] for m in (await web.timeline(BOB))["messages"])


async def test_a_round_that_goes_on_after_an_erasure_shows_none_of_their_words(
    web: WebChat, clock: ManualClock, database_env: None
) -> None:
    started = await web.say(ANN, "/dialoog start incident")
    round_id = started["round_id"]
    for who in (BOB, CAS):
        await web.click(who, "join", round_id=round_id)
    await web.click(ANN, "advance", "", round_id=round_id)
    card = card_of(await web.timeline(ANN))["message"]
    await web.click(ANN, "advance", _advance_value(card), round_id=round_id)
    opened = await web.click(BOB, "open_form", "propose", round_id=round_id)
    form = next(b for b in opened["form"]["blocks"] if b["kind"] == "form")
    secret = "Bob vertelt over een ruzie in de aula na de pauze"
    sent = await web.click(BOB, form["action"], form["value"], {"text": secret}, round_id=round_id)
    assert sent["accepted"], sent["messages"]
    assert secret in str(card_of(await web.timeline(ANN))["message"])

    # Erased by the administrator, while the server (and its cached fold) runs on.
    assert run_privacy(clock, "erase", "--user", BOB, "--yes")[0] == 0
    answer = await web.fill_in(CAS, round_id)
    assert answer["accepted"]
    shown = str((await web.timeline(ANN))["messages"])
    assert secret not in shown and "[verwijderd]" in shown


def _advance_value(card: dict[str, object]) -> str:
    from tests.web.conftest import buttons

    return str(next(b for b in buttons(card) if b["action"] == "advance")["value"])


async def test_an_erased_person_can_no_longer_be_found_and_a_second_erasure_says_so(
    web: WebChat, clock: ManualClock, database_env: None
) -> None:
    await play_round(web, "twee-keer")
    assert run_privacy(clock, "erase", "--user", BOB, "--yes")[0] == 0
    code, _out, err = run_privacy(clock, "erase", "--user", BOB, "--yes")
    assert code == 1 and "nothing is stored about user" in err


def _replay(runtime: Runtime, round_id: str):  # type: ignore[no-untyped-def]
    """The round folded from its log alone, as after a restart."""
    with runtime.sessions() as session:
        return fold(ev.event_from_payload(row.payload) for row in load_events(session, round_id))


async def test_a_text_the_guard_holds_back_is_exported_and_then_erased(
    web: WebChat, runtime: Runtime, clock: ManualClock, database_env: None
) -> None:
    round_id = await at_the_proposals(web)
    held = "Daan de Vries gooide een stoel om in de aula"
    reply = await web.click(BOB, "contribute", "propose", {"text": held}, round_id=round_id)
    assert reply["accepted"] and reply["messages"][0]["audience"] == BOB
    assert held in everything_stored(runtime.engine), "it waits for Bob's choice"

    code, out, _err = run_privacy(clock, "export", "--user", BOB)
    assert code == 0 and held in out

    assert run_privacy(clock, "erase", "--user", BOB, "--yes")[0] == 0
    assert held not in everything_stored(runtime.engine)
    assert "Daan de Vries" not in full_dump(runtime.engine)
