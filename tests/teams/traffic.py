"""Activities shaped like the ones Microsoft Teams sends a bot, and a client that
posts them to the running server's /api/messages.

The shapes follow real Teams traffic: a channel message carries the channel in
`channelData` (teamsChannelId, team, tenant), the thread in the conversation id
(";messageid=<root post>") and the bot's @mention as an entity; a card's
Action.Submit comes back as a message whose `value` holds the button's data and
the inputs; a personal chat's conversation id starts with "a:".
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bot.runtime import Runtime
from storage import OutboxMessage
from tests.fakes.bot_connector import FakeConnector, buttons_of

TENANT = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
TEAM = "19:Q2Vjb2xsZWdlLUdlbmVyYWw@thread.tacv2"  # a team's id is its General channel's
CHANNEL = "19:aW50ZXJ2aXNpZS1kb25kZXJkYWc@thread.tacv2"
BOT_ID = "28:0b9d4e6a-2f11-4c55-9a0e-7d3c1b2a4f60"
BOT = {"id": BOT_ID, "name": "dialoog"}


@dataclass(frozen=True)
class Colleague:
    teams_id: str  # "29:...", what the connector knows
    aad: str  # the Entra object id, what the engine knows
    name: str


ANN = Colleague("29:1ann-Tq3pA8bF0", "0e8f6c2a-1111-4a1b-9c1d-2e3f4a5b6c7d", "Ann de Vries")
BOB = Colleague("29:1bob-Xk9mQ2sL4", "0e8f6c2a-2222-4a1b-9c1d-2e3f4a5b6c7d", "Bob Jansen")
CAS = Colleague("29:1cas-Pz7wR5vN1", "0e8f6c2a-3333-4a1b-9c1d-2e3f4a5b6c7d", "Cas Bakker")
DEE = Colleague("29:1dee-Lm4nB6cV8", "0e8f6c2a-4444-4a1b-9c1d-2e3f4a5b6c7d", "Dee Visser")

_ids = itertools.count(1_763_900_000_000)


def next_id() -> str:
    return str(next(_ids))


class Teams:
    """Talks to the bot the way Teams does."""

    def __init__(self, http: aiohttp.ClientSession, server: str, connector: FakeConnector) -> None:
        self.http = http
        self.server = server
        self.connector = connector

    async def send(
        self, activity: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        async with self.http.post(
            f"{self.server}/api/messages", json=activity, headers=headers or {}
        ) as response:
            await response.read()
            return response

    # -- shapes -------------------------------------------------------------------------

    def _base(
        self, who: Colleague, conversation: dict[str, Any], channel_data: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "type": "message",
            "id": next_id(),
            "timestamp": "2026-11-24T14:30:00.000Z",
            "localTimestamp": "2026-11-24T15:30:00.000+01:00",
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "from": {"id": who.teams_id, "name": who.name, "aadObjectId": who.aad},
            "conversation": conversation,
            "recipient": dict(BOT),
            "channelData": channel_data,
            "locale": "nl-NL",
            "localTimezone": "Europe/Amsterdam",
        }

    def channel_message(
        self,
        who: Colleague,
        text: str,
        *,
        thread: str | None = None,
        mention: bool = True,
        channel: str = CHANNEL,
    ) -> dict[str, Any]:
        """A post in a channel (a new one, or a reply in the thread of post `thread`)."""
        activity = self._base(who, {}, _channel_data(channel))
        root = thread or activity["id"]
        activity["conversation"] = {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": f"{channel};messageid={root}",
        }
        if thread:
            activity["replyToId"] = thread
        activity["textFormat"] = "plain"
        entities: list[dict[str, Any]] = [
            {"type": "clientInfo", "locale": "nl-NL", "country": "NL", "platform": "Web"}
        ]
        if mention:
            text = f"<at>dialoog</at> {text}"
            entities.insert(
                0, {"type": "mention", "text": "<at>dialoog</at>", "mentioned": dict(BOT)}
            )
        activity["text"] = text
        activity["entities"] = entities
        return activity

    def personal_message(self, who: Colleague, text: str) -> dict[str, Any]:
        activity = self._base(who, self.personal_conversation(who), {"tenant": {"id": TENANT}})
        activity["text"] = text
        activity["textFormat"] = "plain"
        return activity

    def group_message(self, who: Colleague, text: str, *, chat: str) -> dict[str, Any]:
        conversation = {
            "isGroup": True,
            "conversationType": "groupChat",
            "tenantId": TENANT,
            "id": chat,
        }
        activity = self._base(who, conversation, {"tenant": {"id": TENANT}})
        activity["text"] = f"<at>dialoog</at> {text}"
        activity["entities"] = [
            {"type": "mention", "text": "<at>dialoog</at>", "mentioned": dict(BOT)}
        ]
        return activity

    def personal_conversation(self, who: Colleague) -> dict[str, Any]:
        chat = self.connector.personal_chat_of(who.teams_id) or f"a:own-{who.teams_id[3:]}"
        return {"conversationType": "personal", "tenantId": TENANT, "id": chat}

    def click(
        self,
        who: Colleague,
        button: dict[str, Any],
        *,
        on: str,
        conversation: str,
        inputs: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """An Action.Submit: the button's data merged with the card's inputs, as a
        message activity with a `value` and no text."""
        if conversation.startswith("a:"):
            activity = self._base(
                who,
                {"conversationType": "personal", "tenantId": TENANT, "id": conversation},
                {"tenant": {"id": TENANT}},
            )
        else:
            channel = conversation.split(";")[0]
            activity = self._base(
                who,
                {
                    "isGroup": True,
                    "conversationType": "channel",
                    "tenantId": TENANT,
                    "id": conversation,
                },
                {
                    **_channel_data(channel),
                    "source": {"name": "message"},
                    "legacy": {"replyToId": on},
                },
            )
        activity["replyToId"] = on
        activity["value"] = {**button["data"], **(inputs or {})}
        return activity

    def conversation_update(
        self,
        *,
        added: list[dict[str, Any]] | None = None,
        removed: list[dict[str, Any]] | None = None,
        event: str,
        by: Colleague = ANN,
    ) -> dict[str, Any]:
        data = {
            "team": {"id": TEAM, "name": "Sectie Nederlands", "aadGroupId": TENANT},
            "eventType": event,
            "tenant": {"id": TENANT},
        }
        activity = self._base(
            by,
            {"isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": TEAM},
            data,
        )
        activity["type"] = "conversationUpdate"
        activity["id"] = f"f:{next_id()}"
        if added is not None:
            activity["membersAdded"] = added
        if removed is not None:
            activity["membersRemoved"] = removed
        return activity


async def press(teams: Teams, runtime: Runtime, who: Colleague, action: str, root: str) -> None:
    """Click the round card's (first) button of this action, and wait for the bot."""
    card = teams.connector.current(root)
    [button, *_] = [b for b in buttons_of(card) if b["data"]["dialoog"]["action"] == action]
    click = teams.click(who, button, on=root, conversation=f"{CHANNEL};messageid={root}")
    assert (await teams.send(click)).status == 202
    await settled(runtime, teams.connector)


def member(who: Colleague) -> dict[str, Any]:
    return {"id": who.teams_id, "aadObjectId": who.aad}


def _channel_data(channel: str) -> dict[str, Any]:
    return {
        "teamsChannelId": channel,
        "teamsTeamId": TEAM,
        "channel": {"id": channel},
        "team": {"id": TEAM},
        "tenant": {"id": TENANT},
    }


async def delivered(teams: Teams, runtime: Runtime, activity: dict[str, Any]) -> int:
    """Send an activity and wait until the bot is done with it; the status Teams got."""
    status = (await teams.send(activity)).status
    await settled(runtime, teams.connector)
    return status


async def settled(runtime: Runtime, connector: FakeConnector, *, timeout: float = 15.0) -> None:
    """Wait until the bot is done: nothing left in the outbox, and the connector quiet."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet, seen = 0, -1
    while loop.time() < deadline:
        pending = await asyncio.to_thread(_pending, runtime)
        count = len(connector.requests)
        # A turn answered early (its work took over 2 s to store) is still running.
        idle = pending == 0 and count == seen and connector.in_flight == 0 and not runtime.busy
        quiet = quiet + 1 if idle else 0
        if quiet >= 3:
            return
        seen = count
        await asyncio.sleep(0.05)
    raise AssertionError("the bot did not settle")


def _pending(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        count = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(("pending", "sending")))
        )
        return int(count or 0)
