"""A whole round played through the web chat's HTTP endpoints, as three colleagues."""

from __future__ import annotations

import asyncio

import aiohttp

from bot.config import Settings
from bot.engine.vocabulary import Action
from bot.runtime import build_runtime
from tests.conftest import incident_steps
from tests.fakes.clock import ManualClock
from tests.fakes.server import running
from tests.web.conftest import ANN, BOB, CAS, WebChat, buttons, card_of, texts
from tests.web.flows import collecting, filled, started

XSS = "<img src=x onerror=alert(1)>"


async def do_my_part(web: WebChat, who: str, name: str, round_id: str) -> int:
    """Open this colleague's form for the step and send every form in it."""
    card = card_of(await web.timeline(who))["message"]
    opener = [b for b in buttons(card) if b["action"] == "open_form" and b["value"] != "report"]
    if not opener:
        return 0
    reply = await web.click(who, "open_form", opener[0]["value"], round_id=round_id)
    if reply["form"] is None:
        return 0
    sent = 0
    for block in reply["form"]["blocks"]:
        if block["kind"] != "form":
            continue
        fields = filled(block, lambda: f"Wat deed {name} precies op dat moment?")
        answer = await web.click(who, block["action"], block["value"], fields, round_id=round_id)
        assert answer["accepted"], answer["messages"]
        sent += 1
    return sent


async def test_three_colleagues_play_a_whole_incident_round_to_its_summary(web: WebChat) -> None:
    started = await web.say(ANN, "/dialoog start incident")
    assert started["accepted"] and started["round_id"]
    round_id = started["round_id"]

    # Bob and Cas join with the card's button; Ann starts the first step.
    for who in (BOB, CAS):
        assert (await web.click(who, "join", round_id=round_id))["accepted"]
    first = await web.timeline(ANN)
    assert first["round"] == {"id": round_id, "status": "gathering"}
    card = card_of(first)
    assert card["round_id"] == round_id and not card["private"]
    advance = next(b for b in buttons(card["message"]) if b["action"] == "advance")
    assert (await web.click(ANN, "advance", advance["value"], round_id=round_id))["accepted"]

    # Ann proposes an incident that is also an attempt at markup.
    proposed = False
    forms_sent = 0
    steps_seen = []
    for _ in range(40):
        timeline = await web.timeline(ANN)
        if timeline["round"] is None:
            break
        card = card_of(timeline)["message"]
        steps_seen.append(card["text"])
        if not proposed and "Incidenten inbrengen" in card["text"]:
            opened = await web.click(ANN, "open_form", "propose", round_id=round_id)
            form = next(b for b in opened["form"]["blocks"] if b["kind"] == "form")
            sent = await web.click(
                ANN, form["action"], form["value"], {"text": XSS}, round_id=round_id
            )
            assert sent["accepted"] and sent["messages"][0]["text"] == "Opgeslagen."
            proposed = True
        # Bob does his own part by hand; the simulated colleagues do the rest.
        forms_sent += await do_my_part(web, BOB, "Bob", round_id)
        filled_in = await web.fill_in(CAS, round_id)
        assert filled_in["accepted"]
        advance = next(b for b in buttons(card) if b["action"] == "advance")
        moved = await web.click(ANN, "advance", advance["value"], round_id=round_id)
        assert moved["accepted"], moved["messages"]
    else:
        raise AssertionError("the round did not finish")

    assert forms_sent >= 5, "Bob filled in forms of several steps"
    assert len(steps_seen) == incident_steps(), steps_seen
    everyone = await web.timeline(CAS)
    shown = texts(everyone)
    assert "Incidentmethode · Afgerond" in shown, "the card was updated in place to its end"
    assert sum(1 for m in everyone["messages"] if m["message"]["slot"] == "card") == 1
    summary = next(t for t in shown if t.startswith("Samenvatting: Incidentmethode"))
    assert "Gekozen casus (" in summary
    assert "Wat deed Bob precies op dat moment?" in summary
    assert XSS in summary, "the text is kept as typed; the page shows it as text"
    # The card is the first message and stayed there; the notices follow it.
    assert everyone["messages"][0]["message"]["slot"] == "card"
    assert any(t.startswith("*Stap 2: Incidenten inbrengen*") for t in shown)
    assert everyone["round"] is None


async def test_private_messages_show_only_in_their_colleagues_view(
    web: WebChat, clock: ManualClock
) -> None:
    round_id = await started(web, BOB, CAS)
    await web.click(ANN, "advance", "", round_id=round_id)
    # A live step's time runs out: the facilitator (Ann) alone is told.
    clock.advance(minutes=3)
    for _ in range(100):
        await web.settled()
        mine = await web.timeline(ANN)
        if any(m["private"] for m in mine["messages"]):
            break
        await asyncio.sleep(0.05)
    private = [m for m in mine["messages"] if m["private"]]
    assert private and all(m["round_id"] == round_id for m in private)
    others = await web.timeline(BOB)
    assert not any(m["private"] for m in others["messages"])
    assert {m["id"] for m in private}.isdisjoint({m["id"] for m in others["messages"]})


async def test_a_plain_message_appears_in_the_channel_as_chat(web: WebChat) -> None:
    answer = await web.say(BOB, "Goedemorgen allemaal")
    assert answer["posted"] is True and answer["messages"] == []
    line = (await web.timeline(ANN))["messages"][-1]
    assert line["author"] == {"id": BOB, "name": "Bob"}
    assert line["message"]["text"] == "Goedemorgen allemaal" and line["message"]["blocks"] == []


async def test_a_reply_while_a_round_runs_becomes_the_contribution_it_may_be(
    web: WebChat,
) -> None:
    round_id = await collecting(web, CAS)
    # The propose step takes open contributions: a line in the thread counts.
    answer = await web.say(BOB, "Een leerling liep weg uit mijn les.")
    assert answer["posted"] is True and answer["accepted"]
    state = web.runtime.service.round(round_id)
    assert state is not None
    bobs = [i.text for i in state.items if i.author == BOB]
    assert bobs == ["Een leerling liep weg uit mijn les."]


async def test_a_hidden_step_keeps_a_typed_reply_out_of_the_channel(web: WebChat) -> None:
    round_id = await started(web, BOB, CAS)
    await web.click(ANN, "advance", "", round_id=round_id)
    for _ in range(4):  # rules, propose, choose, sketch: on to the hidden questions
        await web.fill_in(ANN, round_id)
        step = web.runtime.service.round(round_id).step  # type: ignore[union-attr]
        await web.click(ANN, "advance", step.id if step else "", round_id=round_id)
    state = web.runtime.service.round(round_id)
    assert state is not None and state.step is not None and state.step.id == "questions"
    asker = next(u for u in (ANN, BOB, CAS) if u != state.case_owner)
    before = await web.timeline(CAS)
    answer = await web.say(asker, "Wat wist je van die leerling?")
    assert answer["posted"] is False
    assert "verborgen" in answer["messages"][0]["text"]
    after = await web.timeline(CAS)
    assert after["messages"] == before["messages"]


async def test_help_and_unknown_commands_answer_privately(web: WebChat) -> None:
    helped = await web.say(ANN, "/dialoog help")
    assert helped["accepted"] and "`/dialoog start incident`" in helped["messages"][0]["text"]
    unknown = await web.say(ANN, "/dialoog strat")
    assert not unknown["accepted"] and unknown["error_code"] == "unknown_command"
    other = await web.say(ANN, "/dialog help")
    assert other["error_code"] == "not_a_command" and other["posted"] is False
    assert (await web.timeline(ANN))["messages"] == []


async def test_switching_the_language_switches_the_page_texts(web: WebChat) -> None:
    assert (await web.timeline(ANN))["texts"]["send"] == "Verstuur"
    answer = await web.say(ANN, "/dialoog taal en")
    assert answer["messages"][0]["text"] == "This channel now speaks English."
    page = await web.timeline(BOB)
    assert page["language"] == "en" and page["texts"]["send"] == "Send"


async def test_the_page_is_told_every_action_by_its_name(web: WebChat) -> None:
    page = await web.timeline(ANN)
    assert page["actions"] == {action.name: action.value for action in Action}


async def test_after_a_restart_the_channel_shows_the_same_timeline(
    web: WebChat, database_url: str
) -> None:
    round_id = (await web.say(ANN, "/dialoog start incident"))["round_id"]
    await web.click(BOB, "join", round_id=round_id)
    await web.say(CAS, "Ik kom iets later")
    before = await web.timeline(ANN)
    assert len(before["messages"]) >= 3

    settings = Settings(DIALOOG_DATABASE_URL=database_url, DIALOOG_WEB_CHAT="on")
    again = build_runtime(settings, clock=ManualClock(), migrate=False)
    try:
        async with running(again) as url, aiohttp.ClientSession() as http:
            restarted = WebChat(http, url, again)
            after = await restarted.timeline(ANN)
            # The round goes on where it was, and the card still updates in place.
            await restarted.click(CAS, "join", round_id=round_id)
            later = await restarted.timeline(ANN)
    finally:
        again.engine.dispose()
    assert after["messages"] == before["messages"]
    assert after["revision"] == before["revision"]
    assert [m["id"] for m in later["messages"]][: len(before["messages"])] == [
        m["id"] for m in before["messages"]
    ]
    assert "Cas" in str(card_of(later)["message"]["blocks"])
