"""In the web chat, through its HTTP endpoints: each step's card carries what it builds
on (the page folds all but the latest), the countdown moves each minute by itself, and
time up reaches everyone, with the facilitator's choice in her own view."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.fakes.clock import ManualClock
from tests.playing import play_to_step
from tests.web.conftest import ANN, BOB, CAS, WebChat, buttons, card_of
from tests.web.flows import started


def _recalls(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in card["message"]["blocks"] if b["kind"] == "recall"]


def _timer(card: dict[str, Any]) -> str:
    return next(
        b["text"]
        for b in card["message"]["blocks"]
        if b["kind"] == "context" and (b["text"].startswith("Nog ") or b["text"] == "De tijd is om")
    )


async def test_the_card_carries_what_the_discussion_builds_on(web: WebChat) -> None:
    round_id = await started(web, BOB, CAS)
    await asyncio.to_thread(play_to_step, web.runtime.service, round_id, ANN, "discussion")
    await web.settled()
    shown = _recalls(card_of(await web.timeline(CAS)))
    assert [(r["step_id"], r["folded"]) for r in shown] == [
        ("sketch", True),
        ("information", True),
        ("positions", True),
        ("outcome", False),
    ]
    state = web.runtime.service.round(round_id)
    assert state is not None
    answers = {i["text"]: i["note"] for i in shown[1]["items"]}
    for question in state.items_of("questions"):
        assert answers[question.text] == state.responses[question.id].text


async def test_the_countdown_moves_by_itself_and_time_up_reaches_everyone(
    web: WebChat, clock: ManualClock
) -> None:
    round_id = await started(web, BOB, CAS)
    for _ in range(2):
        card = card_of(await web.timeline(ANN))["message"]
        advance = next(b for b in buttons(card) if b["action"] == "advance")
        assert (await web.click(ANN, "advance", advance["value"], round_id=round_id))["accepted"]
    await web.settled()
    assert _timer(card_of(await web.timeline(CAS))).startswith("Nog 4 min")

    clock.advance(seconds=61)
    for _ in range(200):
        await web.settled()
        if _timer(card_of(await web.timeline(CAS))).startswith("Nog 3 min"):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("the card did not count down")

    clock.advance(minutes=4)
    for _ in range(200):
        await web.settled()
        if _timer(card_of(await web.timeline(CAS))) == "De tijd is om":
            break
        await asyncio.sleep(0.02)
    cas = [m["message"]["text"] for m in (await web.timeline(CAS))["messages"]]
    assert any("Maak rustig af waar je mee bezig bent" in t for t in cas)
    assert not any("Gaan jullie verder" in t for t in cas), "the choice is the facilitator's"
    ann = (await web.timeline(ANN))["messages"]
    choice = next(m for m in ann if "Gaan jullie verder" in m["message"]["text"])
    assert choice["private"]
    more = next(b for b in buttons(choice["message"]) if b["label"] == "5 minuten erbij")
    assert (await web.click(ANN, more["action"], more["value"], round_id=round_id))["accepted"]
    await web.settled()
    assert _timer(card_of(await web.timeline(CAS))).startswith("Nog 5 min")
