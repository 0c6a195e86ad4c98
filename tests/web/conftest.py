"""The web chat's tests speak HTTP to the real server, as the browser does."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.channels.web.guard import SAME_ORIGIN_HEADER, SAME_ORIGIN_VALUE
from bot.config import Settings
from bot.runtime import Runtime
from storage.models import OutboxMessage, RoundEvent, WebMessage
from tests.conftest import protocol_settings
from tests.fakes.clock import ManualClock
from tests.fakes.server import wired

CHANNEL = "team"
# What app.js sends with every POST.
PAGE_HEADERS = {"Content-Type": "application/json", SAME_ORIGIN_HEADER: SAME_ORIGIN_VALUE}
ANN, BOB, CAS = "web:ann", "web:bob", "web:cas"


@pytest.fixture
def runtime(database_url: str, clock: ManualClock, protocols_dir: str | None) -> Iterator[Runtime]:
    """The server's wiring with the web chat switched on, whatever the environment says."""
    settings = Settings(
        DIALOOG_DATABASE_URL=database_url,
        DIALOOG_WEB_CHAT="on",
        **protocol_settings(protocols_dir),
    )
    with wired(settings, clock) as built:
        yield built


@dataclass
class Answer:
    status: int
    data: dict[str, Any]


class WebChat:
    """What the page does, as plain HTTP calls."""

    def __init__(self, http: aiohttp.ClientSession, base: str, runtime: Runtime) -> None:
        self.http = http
        self.base = base
        self.runtime = runtime

    def api(self, channel: str = CHANNEL) -> str:
        return f"{self.base}/web/api/channels/{channel}"

    async def post(self, path: str, body: Any, *, channel: str = CHANNEL) -> Answer:
        url = f"{self.api(channel)}/{path}"
        async with self.http.post(url, json=body, headers=PAGE_HEADERS) as response:
            return Answer(response.status, await response.json())

    async def post_raw(self, path: str, raw: bytes, *, channel: str = CHANNEL) -> Answer:
        async with self.http.post(
            f"{self.api(channel)}/{path}", data=raw, headers=PAGE_HEADERS
        ) as response:
            return Answer(response.status, await response.json())

    async def say(self, who: str, text: str) -> dict[str, Any]:
        answer = await self.post("say", {"as": who, "text": text})
        assert answer.status == 200, answer.data
        await self.settled()
        return answer.data

    async def click(
        self,
        who: str,
        action: str,
        value: str = "",
        fields: dict[str, Any] | None = None,
        round_id: str | None = None,
    ) -> dict[str, Any]:
        body = {
            "as": who,
            "action": action,
            "value": value,
            "fields": fields or {},
            "round_id": round_id,
        }
        answer = await self.post("click", body)
        assert answer.status == 200, answer.data
        await self.settled()
        return answer.data

    async def fill_in(self, who: str, round_id: str) -> dict[str, Any]:
        answer = await self.post("fill-in", {"as": who, "round_id": round_id})
        assert answer.status == 200, answer.data
        await self.settled()
        return answer.data

    async def timeline(self, who: str, after: int = 0) -> dict[str, Any]:
        url = f"{self.api()}?as={who}&after={after}"
        async with self.http.get(url) as response:
            assert response.status == 200
            data: dict[str, Any] = await response.json()
            return data

    async def settled(self, timeout: float = 10.0) -> None:
        """Wait until the dispatcher has delivered everything queued."""
        deadline = time.monotonic() + timeout
        while await asyncio.to_thread(self._pending):
            if time.monotonic() > deadline:
                raise AssertionError("the outbox did not empty")
            await asyncio.sleep(0.02)

    def _pending(self) -> int:
        with self.runtime.sessions() as session:
            query = select(func.count()).where(OutboxMessage.status.in_(("pending", "sending")))
            return int(session.scalar(query.select_from(OutboxMessage)) or 0)

    def counts(self) -> tuple[int, int]:
        """How many events and web messages exist: "nothing changed" keeps both."""
        with self.runtime.sessions() as session:
            events = session.scalar(select(func.count()).select_from(RoundEvent)) or 0
            messages = session.scalar(select(func.count()).select_from(WebMessage)) or 0
            return int(events), int(messages)


@pytest.fixture
async def web(server_url: str, runtime: Runtime) -> AsyncIterator[WebChat]:
    async with aiohttp.ClientSession() as http:
        yield WebChat(http, server_url, runtime)


def card_of(timeline: dict[str, Any]) -> dict[str, Any]:
    """The newest round card in a timeline."""
    cards = [m for m in timeline["messages"] if m["message"]["slot"] == "card"]
    assert cards, "no round card"
    return cards[-1]


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = [block for block in message["blocks"] if block["kind"] == "buttons"]
    return [button for block in blocks for button in block["buttons"]]


def texts(timeline: dict[str, Any]) -> list[str]:
    return [m["message"]["text"] for m in timeline["messages"]]
