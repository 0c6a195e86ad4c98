"""Every open tab hears of a change at once (server-sent events) and catches up after a gap."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest

from bot.runtime import Runtime
from tests.fakes.server import running
from tests.web.conftest import ANN, BOB, WebChat


class Stream:
    """One tab's event stream, read event by event."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response

    async def next_change(self, timeout: float = 5.0) -> int:
        event: dict[str, str] = {}
        async with asyncio.timeout(timeout):
            while True:
                raw = await self.response.content.readline()
                if not raw:
                    raise EOFError("the stream ended")
                line = raw.decode().rstrip("\n")
                if not line:
                    if event.get("event") == "changed":
                        revision = json.loads(event["data"])["revision"]
                        assert event["id"] == str(revision)
                        return int(revision)
                    event = {}
                    continue
                if line.startswith(":"):
                    continue
                name, _, value = line.partition(":")
                event[name] = value.strip()


@asynccontextmanager
async def stream(http: aiohttp.ClientSession, url: str) -> AsyncIterator[Stream]:
    async with http.get(url, timeout=aiohttp.ClientTimeout(total=None)) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        yield Stream(response)


async def test_a_second_tab_hears_of_a_message_at_once(web: WebChat) -> None:
    await web.say(ANN, "Eerste bericht")
    async with (
        stream(web.http, f"{web.api()}/events") as one,
        stream(web.http, f"{web.api()}/events") as two,
    ):
        start = await two.next_change()
        assert await one.next_change() == start
        await web.say(BOB, "Tweede bericht")
        changed = await two.next_change()
        assert changed > start
        fresh = await web.timeline(ANN, after=start)
        assert [m["message"]["text"] for m in fresh["messages"]] == ["Tweede bericht"]
        assert fresh["revision"] == changed


async def test_the_dispatchers_card_updates_reach_an_open_tab(web: WebChat) -> None:
    round_id = (await web.say(ANN, "/dialoog start incident"))["round_id"]
    before = await web.timeline(BOB)
    async with stream(web.http, f"{web.api()}/events") as tab:
        seen = await tab.next_change()
        await web.click(BOB, "join", round_id=round_id)
        changed = await tab.next_change()
        while changed <= seen:
            changed = await tab.next_change()
    update = await web.timeline(BOB, after=before["revision"])
    card = next(m for m in update["messages"] if m["message"]["slot"] == "card")
    assert card["id"] == next(m["id"] for m in before["messages"] if m["message"]["slot"])
    assert card["revision"] > before["revision"]


async def test_a_tab_that_was_away_catches_up_with_its_cursor(web: WebChat) -> None:
    await web.say(ANN, "Een")
    cursor = (await web.timeline(ANN))["revision"]
    await web.say(BOB, "Twee")
    await web.say(BOB, "Drie")
    async with stream(web.http, f"{web.api()}/events") as tab:
        # On connecting, the stream names the newest revision straight away.
        assert await tab.next_change() > cursor
    missed = await web.timeline(ANN, after=cursor)
    assert [m["message"]["text"] for m in missed["messages"]] == ["Twee", "Drie"]


async def test_an_open_stream_does_not_hold_up_the_server_stopping(runtime: Runtime) -> None:
    server = running(runtime)
    url = await server.__aenter__()
    async with aiohttp.ClientSession() as http:
        response = await http.get(
            f"{url}/web/api/channels/team/events", timeout=aiohttp.ClientTimeout(total=None)
        )
        tab = Stream(response)
        await tab.next_change()
        # Without closing the streams, aiohttp would wait a minute for the tab: the
        # guard is a hang's, far above what stopping takes.
        await asyncio.wait_for(server.__aexit__(None, None, None), timeout=30)
        with pytest.raises((EOFError, aiohttp.ClientError)):
            await tab.next_change(timeout=5)
        response.release()


async def test_a_burst_of_tabs_gets_no_more_streams_than_the_hub_serves(web: WebChat) -> None:
    # All at once: every request passes the "full?" check before the first one is
    # counted, unless a stream counts from the moment it passes.
    burst = 260
    served = 200  # the hub's limit (Hub.max_listeners)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        url = f"{web.api()}/events"
        timeout = aiohttp.ClientTimeout(total=None)
        responses = await asyncio.gather(*(http.get(url, timeout=timeout) for _ in range(burst)))
        try:
            statuses = sorted(r.status for r in responses)
            assert statuses.count(200) == served
            assert statuses.count(503) == burst - served
            refused = next(r for r in responses if r.status == 503)
            assert (await refused.json())["error"] == "busy"
        finally:
            for response in responses:
                response.close()
