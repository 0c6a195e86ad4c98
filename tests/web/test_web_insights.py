"""The overview, the naming opt-out and the dossier in the web chat."""

from __future__ import annotations

import asyncio
import base64

from bot.service import Place
from tests.fakes.clock import ManualClock
from tests.history import seed
from tests.web.conftest import ANN, CHANNEL, WebChat

PLACE = Place("web", "local", CHANNEL, CHANNEL)


def _files(timeline: dict[str, object]) -> list[dict[str, str]]:
    messages = timeline["messages"]
    assert isinstance(messages, list)
    return [b for m in messages for b in m["message"]["blocks"] if b["kind"] == "file"]


async def test_the_overview_shows_its_chart_and_numbers_to_everyone_in_the_channel(
    web: WebChat, clock: ManualClock
) -> None:
    await asyncio.to_thread(seed, web.runtime.service, clock, PLACE)
    await web.settled()
    reply = await web.say(ANN, "/dialoog overview")
    assert reply["accepted"]
    assert "in het kanaal" in reply["messages"][0]["text"]
    # Someone else sees it too: it is the channel's message, not Ann's.
    seen = await web.timeline("web:bob")
    (chart,) = _files(seen)
    assert chart["media_type"] == "image/png"
    assert base64.b64decode(chart["data"]).startswith(b"\x89PNG")
    overview = next(m for m in seen["messages"] if m["message"]["blocks"][1:2] == [chart])
    assert overview["message"]["audience"] is None
    assert "Rondes gehouden: 3" in str(overview["message"]["blocks"])


async def test_a_person_who_opts_out_is_counted_but_not_named(web: WebChat) -> None:
    answer = await web.say("web:dee", "/dialoog naam uit")
    assert "niet meer in het overzicht" in answer["messages"][0]["text"]
    answer = await web.say("web:dee", "/dialoog naam")
    assert "`/dialoog naam uit`" in answer["messages"][0]["text"]
    answer = await web.say("web:dee", "/dialoog name on")
    assert "weer in het overzicht" in answer["messages"][0]["text"]


async def test_an_unknown_school_year_says_how_to_write_one(web: WebChat) -> None:
    answer = await web.say(ANN, "/dialoog overzicht vorig-jaar")
    assert not answer["accepted"]
    assert "`/dialoog overzicht 2025-2026`" in answer["messages"][0]["text"]
