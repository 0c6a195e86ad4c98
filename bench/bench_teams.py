"""A click end to end in Microsoft Teams: from the activity posted to /api/messages
until the Bot Connector has the card's update (update_activity).

The same closed loop as bench_clicks.py (see bench/harness.py): N channels, each
facilitator clicking "+5 min" on a live round's card (an Action.Submit, which
Teams sends as a message activity with a `value`) as soon as the last click's
update has arrived. The fake Bot Connector (tests/fakes/bot_connector.py)
answers each call after `--latency` ms. The baseline is a bare botbuilder bot
(CloudAdapter and an ActivityHandler) that answers each click with one
update_activity of the card it came from.

    .venv/bin/python bench/bench_teams.py                    # the whole matrix
    .venv/bin/python bench/bench_teams.py --db sqlite --channels 8 --latency 100

Exit status 1 when a goal is missed (the goals are Slack's, in issue 14).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp import web
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bench import harness
from bench.harness import BENCH_SECRET, Target, until
from bot.config import Settings
from tests.fakes.bot_connector import (
    FakeConnector,
    Posted,
    Updated,
    buttons_of,
    running_connector,
    texts_of,
)
from tests.fakes.server import serving
from tests.teams.traffic import ANN, BOB, Colleague, Teams

Json = dict[str, Any]


class WatchedConnector(FakeConnector):
    """The fake Bot Connector, telling waiters the moment a card's update arrives,
    and keeping only the latest version of each card (not every update)."""

    def __init__(self) -> None:
        super().__init__()
        self.updates: dict[str, asyncio.Event] = {}
        self.latest: dict[str, Json] = {}

    @property
    def latency(self) -> float:
        return self.delay

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.delay = seconds

    async def _update(self, request: web.Request) -> web.Response:
        # Answered once the delay has passed: Teams has the update.
        response = await super()._update(request)
        if self.updated:
            update: Updated = self.updated.pop()
            channel = update.conversation.split(";")[0]
            self.latest[update.id] = update.activity
            self.updates.setdefault(channel, asyncio.Event()).set()
        self.requests.clear()
        return response

    def post_card(self, conversation: str) -> str:
        """A card in a channel, as if a bot had posted it (for the bare bot to update)."""
        activity_id = str(next(self._ids))
        self.posted.append(Posted(conversation, activity_id, {"type": "message", "text": "+"}))
        return activity_id

    def card(self, activity_id: str) -> Json:
        return self.latest.get(activity_id) or next(
            p.activity for p in self.posted if p.id == activity_id
        )


# -- the two apps under test ---------------------------------------------------------


class BareBot(ActivityHandler):  # type: ignore[misc]
    """Answers a card's click with one update of that card."""

    def __init__(self) -> None:
        super().__init__()
        self.clicks = 0

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        self.clicks += 1
        update = MessageFactory.text(f"click {self.clicks}")
        update.id = turn_context.activity.reply_to_id
        await turn_context.update_activity(update)


@contextlib.asynccontextmanager
async def bare_botbuilder() -> AsyncIterator[str]:
    """A bare botbuilder bot, without authentication (no app id), as dialoog's local mode."""
    configuration = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(configuration))
    bot = BareBot()

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=202)

    server = web.Application()
    server.router.add_post("/api/messages", messages)
    async with harness.listening(server) as url:
        yield url


@contextlib.asynccontextmanager
async def dialoog(database_url: str) -> AsyncIterator[str]:
    settings = Settings(
        DIALOOG_DATABASE_URL=database_url,
        DIALOOG_TEAMS_LOCAL="on",
        DIALOOG_WEB_CHAT="off",
        DIALOOG_SECRET_KEY=BENCH_SECRET,
        MICROSOFT_APP_ID=None,
        MICROSOFT_APP_PASSWORD=None,
    )
    async with serving(settings, migrate=True, sweep_seconds=5.0) as (url, _runtime):
        yield url


# -- Teams' side -----------------------------------------------------------------------


async def send(teams: Teams, activity: Json) -> None:
    async with teams.http.post(f"{teams.server}/api/messages", json=activity) as response:
        await response.read()
        if response.status >= 300:
            raise RuntimeError(f"{teams.server} answered {response.status}")


def cards(fake: WatchedConnector, channel: str) -> list[Posted]:
    """The cards posted at the channel's top level (the bare bot's stand-ins have none)."""
    return [p for p in fake.in_conversation(channel) if p.activity.get("attachments")]


def button(card: Json, title: str) -> Json | None:
    return next((b for b in buttons_of(card) if b["title"] == title), None)


async def live_rounds(
    teams: Teams, fake: WatchedConnector, channels: list[str]
) -> dict[str, tuple[str, Json]]:
    """A live incident round in each channel, at its first step: each card's id and
    its "+5 min" button."""
    roots: dict[str, str] = {}
    for channel in channels:
        await send(teams, teams.channel_message(ANN, "start incident", channel=channel))
        await until(lambda c=channel: bool(cards(fake, c)), f"a card in {channel}")
        roots[channel] = cards(fake, channel)[0].id
    extend: dict[str, tuple[str, Json]] = {}
    for channel, root in roots.items():
        thread = f"{channel};messageid={root}"

        async def press(who: Colleague, title: str, root: str = root, thread: str = thread) -> None:
            pressed = button(fake.card(root), title)
            assert pressed is not None, f"no {title} on the card"
            await send(teams, teams.click(who, pressed, on=root, conversation=thread))

        await press(BOB, "Meedoen")
        await until(lambda r=root: BOB.name in " ".join(texts_of(fake.card(r))), "Bob joined")
        await press(ANN, "Start de eerste stap")
        await until(lambda r=root: button(fake.card(r), "+5 min") is not None, "a live step")
        found = button(fake.card(root), "+5 min")
        assert found is not None
        extend[channel] = (root, found)
    return extend


# -- the benchmark --------------------------------------------------------------------


class MicrosoftTeams(harness.Platform):
    script = __file__

    fake: WatchedConnector

    def bare_args(self) -> list[str]:
        return ["bare"]

    def ours_args(self, database_url: str) -> list[str]:
        return ["dialoog", database_url]

    async def ours(self, url: str, pid: int, channels: list[str]) -> Target:
        teams = Teams(self.http, url, self.fake)
        extend = await live_rounds(teams, self.fake, channels)

        async def click(channel: str) -> None:
            root, pressed = extend[channel]
            thread = f"{channel};messageid={root}"
            await send(teams, teams.click(ANN, pressed, on=root, conversation=thread))

        return Target("dialoog", pid, channels, click, self.fake.updates)

    def bare(self, url: str, pid: int, channels: list[str]) -> Target:
        teams = Teams(self.http, url, self.fake)
        # One card per channel for the bare bot to update, posted here (as if it had).
        roots: dict[str, str] = {}
        for channel in channels:
            roots[channel] = self.fake.post_card(channel)
        plus = {"title": "+", "data": {"bare": True}, "inputs": []}

        async def click(channel: str) -> None:
            thread = f"{channel};messageid={roots[channel]}"
            await send(teams, teams.click(ANN, plus, on=roots[channel], conversation=thread))

        return Target("bare", pid, channels, click, self.fake.updates)


async def main_async() -> int:
    args = harness.arguments(__doc__.split("\n\n")[0])
    if args.floor:
        raise SystemExit("--floor: only bench_clicks.py (Slack) has a floor app")
    logging.basicConfig(level=logging.ERROR)
    async with (
        running_connector(WatchedConnector()) as fake,
        aiohttp.ClientSession() as http,
    ):
        assert isinstance(fake, WatchedConnector)
        return await harness.matrix(MicrosoftTeams(fake, http), args)


def main() -> int:
    if sys.argv[1:2] == ["--serve"]:
        app, *database_url = sys.argv[2:]
        logging.basicConfig(level=logging.ERROR)
        context = bare_botbuilder() if app == "bare" else dialoog(database_url[0])
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(harness.serve(app, context))
        return 0
    return asyncio.run(main_async())


if __name__ == "__main__":
    sys.exit(main())
