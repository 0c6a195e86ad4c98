"""A click end to end in Slack: from the HTTP request until Slack has made its chat.update.

N channels click at once, each person clicking again as soon as their card has
changed (a closed loop, like people who wait to see their click land). The
click is "+5 min" on a live round: the facilitator extends the step, the
service stores the event and queues the card, the dispatcher updates it. The
baseline is a bare slack-bolt AsyncApp on the same fake Slack and the same
machine that acks and does one chat.update per click. Each app runs in a
process of its own, in alternating runs, so whatever else the machine does
falls on both; only the ratios count (see bench/harness.py).

    .venv/bin/python bench/bench_clicks.py                   # the whole matrix
    .venv/bin/python bench/bench_clicks.py --db sqlite --channels 8 --latency 100
    .venv/bin/python bench/bench_clicks.py --floor ...   # the floor app in dialoog's place

PostgreSQL: DIALOOG_BENCH_POSTGRES_URL (default the CI server on 127.0.0.1).
Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import sys
import urllib.parse
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import JSON, Boolean, Column, Integer, MetaData, Table

from bench import harness
from bench.harness import BENCH_SECRET, Target, until
from bot.config import Settings
from storage.db import make_engine
from tests.fakes.server import serving
from tests.fakes.slack_api import TEAM, Call, FakeSlack
from tests.slack.driver import (
    ANN,
    BOB,
    SIGNING_SECRET,
    User,
    block_actions,
    find_button,
    signature_headers,
)

Json = dict[str, Any]
TOKEN = "xoxb-bench-token"
_ids = itertools.count(1)


class WatchedSlack(FakeSlack):
    """The fake Slack, telling waiters the moment a card update arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.updates: dict[str, asyncio.Event] = {}
        # The latest update of each channel's card (its buttons, for the next click).
        self.latest: dict[str, Call] = {}

    def _record(self, call: Call) -> None:
        # Only what the benchmark needs: a recorded call list would grow for ever.
        if call.method == "chat.postMessage" and not call.args.get("thread_ts"):
            self.calls.append(call)  # the cards' first posts: how we find their buttons

    def _answer(self, method: str, args: Json, token: str | None) -> Json:
        # Called once the call's latency has passed: Slack has the update and answers.
        if method == "chat.update":
            channel = str(args.get("channel"))
            self.latest[channel] = Call(method, args, token)
            self.updates.setdefault(channel, asyncio.Event()).set()
        return super()._answer(method, args, token)


# -- the two apps under test ---------------------------------------------------------


@contextlib.asynccontextmanager
async def bare_bolt(api_url: str) -> AsyncIterator[str]:
    """A bare Bolt app: ack, then one chat.update per click."""
    client = AsyncWebClient(token=TOKEN, base_url=api_url)
    app = AsyncApp(token=TOKEN, signing_secret=SIGNING_SECRET, client=client)
    counter = itertools.count(1)

    @app.action(re.compile(".*"))
    async def clicked(ack: Any, body: Json, client: AsyncWebClient) -> None:
        await ack()
        n = next(counter)
        await client.chat_update(
            channel=body["channel"]["id"],
            ts=body["message"]["ts"],
            text=f"click {n}",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": f"click {n}"}}],
        )

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    server = web.Application()
    server.router.add_post("/slack/events", handle)
    async with harness.listening(server) as url:
        yield url


# What dialoog's card looks like in the "+5 min" click's chat.update (incident, first step).
CARD = json.loads((Path(__file__).parent / "slack_card.json").read_text())


@contextlib.asynccontextmanager
async def floor_bolt(api_url: str, database_url: str) -> AsyncIterator[str]:
    """The least an app can do that keeps dialoog's rule "stored before answered":
    the bare Bolt app, that per click first commits the click and the card it will
    send (one transaction), then acks, updates the card
    (dialoog's card, on kept-alive connections) and records it sent. No folding,
    no rendering, no checks: the floor under dialoog's click on this machine."""
    engine = make_engine(database_url, secret_key=BENCH_SECRET)
    tables = MetaData()
    clicks = Table(
        "floor_clicks", tables, Column("id", Integer, primary_key=True), Column("body", JSON)
    )
    outbox = Table(
        "floor_outbox",
        tables,
        Column("id", Integer, primary_key=True),
        Column("payload", JSON),
        Column("sent", Boolean, default=False),
    )
    tables.drop_all(engine)
    tables.create_all(engine)
    # SQLite: one writer anyway. PostgreSQL: the commits wait on the disk, in
    # parallel; of 1, 4 and 8 threads, 8 did best at 0 ms x8 (1 December 2026).
    database = ThreadPoolExecutor(1 if engine.dialect.name == "sqlite" else 8)
    session = aiohttp.ClientSession()
    client = AsyncWebClient(token=TOKEN, base_url=api_url, session=session)
    app = AsyncApp(token=TOKEN, signing_secret=SIGNING_SECRET, client=client)

    def stored(body: Json, card: Json) -> int:
        with engine.begin() as connection:
            connection.execute(clicks.insert(), {"body": body["actions"]})
            return int(
                connection.execute(
                    outbox.insert().returning(outbox.c.id), {"payload": card}
                ).scalar_one()
            )

    def sent(message_id: int) -> None:
        with engine.begin() as connection:
            connection.execute(outbox.update().where(outbox.c.id == message_id).values(sent=True))

    @app.action(re.compile(".*"))
    async def clicked(ack: Any, body: Json, client: AsyncWebClient) -> None:
        loop = asyncio.get_running_loop()
        card = {"channel": body["channel"]["id"], "ts": body["message"]["ts"], **CARD}
        message_id = await loop.run_in_executor(database, stored, body, card)
        await ack()
        await client.api_call("chat.update", json=card)
        await loop.run_in_executor(database, sent, message_id)

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    server = web.Application()
    server.router.add_post("/slack/events", handle)
    try:
        async with harness.listening(server) as url:
            yield url
    finally:
        await session.close()
        database.shutdown()
        engine.dispose()


@contextlib.asynccontextmanager
async def dialoog(api_url: str, database_url: str) -> AsyncIterator[str]:
    settings = Settings(
        DIALOOG_DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        DIALOOG_WEB_CHAT="off",
        DIALOOG_SECRET_KEY=BENCH_SECRET,
    )
    async with serving(settings, migrate=True, sweep_seconds=5.0) as (url, _runtime):
        yield url


# -- Slack's side ----------------------------------------------------------------------


async def post(http: aiohttp.ClientSession, url: str, fields: Json) -> None:
    body = urllib.parse.urlencode(fields)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signature_headers(body)}
    async with http.post(f"{url}/slack/events", data=body.encode(), headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def click_fields(channel: str, button: Json, block_id: str, ts: str, *, user: User = ANN) -> Json:
    n = next(_ids)
    payload = block_actions(
        user,
        button,
        block_id,
        message_ts=ts,
        channel=channel,
        channel_name=channel.lower(),
        response_url="http://127.0.0.1:9/unused",
        n=n,
    )
    return {"payload": json.dumps(payload)}


def command_fields(channel: str, user: User, text_: str) -> Json:
    n = next(_ids)
    return {
        "team_id": TEAM,
        "channel_id": channel,
        "channel_name": channel.lower(),
        "user_id": user.id,
        "user_name": user.name,
        "command": "/dialoog",
        "text": text_,
        "response_url": "http://127.0.0.1:9/unused",
        "trigger_id": f"8{n}.4242.bench",
    }


async def live_rounds(
    http: aiohttp.ClientSession, url: str, api: WatchedSlack, channels: list[str]
) -> dict[str, tuple[Json, str, str]]:
    """A live incident round in each channel, at its first step; the "+5 min" button."""
    cards: dict[str, Call] = {}

    def card(channel: str) -> Call | None:
        for call in api.calls:
            if call.args.get("channel") == channel and not call.args.get("thread_ts"):
                return call
        return None

    for channel in channels:
        await post(http, url, command_fields(channel, ANN, "start incident"))
        await until(lambda c=channel: card(c) is not None, f"a card in {channel}")
        found = card(channel)
        assert found is not None and found.response is not None
        cards[channel] = found
    buttons = {}
    for channel, call in cards.items():
        ts = str(call.response["ts"]) if call.response else ""
        join, join_block = find_button(call, "Meedoen")
        await post(http, url, click_fields(channel, join, join_block, ts, user=BOB))
        await until(lambda c=channel: BOB.name in card_text(api, c), f"Bob joined in {channel}")
        start, start_block = find_button(api.latest[channel], "Start de eerste stap")
        await post(http, url, click_fields(channel, start, start_block, ts))
        await until(lambda c=channel: has_button(api, c, "+5 min"), f"a live step in {channel}")
        extend, extend_block = find_button(api.latest[channel], "+5 min")
        buttons[channel] = (extend, extend_block, ts)
    return buttons


def card_text(api: WatchedSlack, channel: str) -> str:
    latest = api.latest.get(channel)
    return latest.text_of_blocks() if latest else ""


def has_button(api: WatchedSlack, channel: str, label: str) -> bool:
    latest = api.latest.get(channel)
    try:
        return latest is not None and bool(find_button(latest, label))
    except AssertionError:
        return False


# -- the benchmark --------------------------------------------------------------------


class Slack(harness.Platform):
    script = __file__

    fake: WatchedSlack

    def bare_args(self) -> list[str]:
        return ["bare", self.fake.api_url]

    def ours_args(self, database_url: str) -> list[str]:
        return ["dialoog", self.fake.api_url, database_url]

    async def ours(self, url: str, pid: int, channels: list[str]) -> Target:
        buttons = await live_rounds(self.http, url, self.fake, channels)

        async def click(channel: str) -> None:
            button, block_id, ts = buttons[channel]
            await post(self.http, url, click_fields(channel, button, block_id, ts))

        return Target("dialoog", pid, channels, click, self.fake.updates)

    def bare(self, url: str, pid: int, channels: list[str]) -> Target:
        button = {"action_id": "bare", "text": {"type": "plain_text", "text": "+"}, "value": "x"}

        async def click(channel: str) -> None:
            await post(self.http, url, click_fields(channel, button, "b", "1764000000.000001"))

        return Target("bare", pid, channels, click, self.fake.updates)


class Floor(Slack):
    """The floor app (`floor_bolt`) in dialoog's place."""

    ours_name = "floor"

    def ours_args(self, database_url: str) -> list[str]:
        return ["floor", self.fake.api_url, database_url]

    async def ours(self, url: str, pid: int, channels: list[str]) -> Target:
        bare = self.bare(url, pid, channels)
        return Target("floor", pid, channels, bare.click, self.fake.updates)


async def main_async() -> int:
    args = harness.arguments(__doc__.split("\n\n")[0])
    logging.basicConfig(level=logging.ERROR)
    api = WatchedSlack()
    await api.start()
    try:
        async with aiohttp.ClientSession() as http:
            return await harness.matrix((Floor if args.floor else Slack)(api, http), args)
    finally:
        await api.stop()


def main() -> int:
    if sys.argv[1:2] == ["--serve"]:
        app, api_url, *database_url = sys.argv[2:]
        logging.basicConfig(level=logging.ERROR)
        if app == "bare":
            context = bare_bolt(api_url)
        elif app == "floor":
            context = floor_bolt(api_url, database_url[0])
        else:
            context = dialoog(api_url, database_url[0])
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(harness.serve(app, context))
        return 0
    return asyncio.run(main_async())


if __name__ == "__main__":
    sys.exit(main())
