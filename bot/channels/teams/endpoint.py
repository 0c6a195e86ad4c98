"""POST /api/messages: Teams' requests, answered by our own aiohttp handler.

Not CloudAdapter.process(): botbuilder 4.17.1 answers HTTP 500 to every invoke
that returns a body (it serialises the body twice), and it runs the whole turn
before answering, while Teams wants an answer within seconds and sends the
request again when it is slow. So this handler checks the request, starts the
turn through CloudAdapter.process_activity with the authentication result it
already has, and answers (202; an invoke with its own body) as soon as the turn
has stored what the person sent (`Stored`, marked by the handler): Teams does
not send an activity again after a 202, so the answer must not come before the
commit. Replies to the person go out after the answer. An activity Teams sends
again (it was slow) runs like the first: the chat layer's idempotency key makes
it change nothing and answer nothing (`Reply.replayed`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Coroutine
from typing import Any

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import BotFrameworkAuthentication

from bot.channels.teams import inbound, payload
from bot.channels.teams.auth import KeysUnavailable, precheck
from bot.channels.teams.handler import ADAPTIVE_CARD_ACTION, STORED, DialoogBot
from bot.channels.teams.settings import TeamsConfig
from bot.channels.teams.texts import TEXTS
from bot.chat import edge
from bot.chat.background import Background
from bot.chat.inbound import Inbound
from bot.chat.stored import Stored
from bot.i18n import translate

log = logging.getLogger(__name__)

# The activity types the bot acts on; Teams sends others (typing, reactions) too.
_HANDLED = {
    ActivityTypes.message,
    ActivityTypes.conversation_update,
    ActivityTypes.installation_update,
    ActivityTypes.invoke,
}
# How long the token check may take (it may fetch Microsoft's signing keys).
_AUTH_TIMEOUT = 20.0
_FORWARDED = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


class Endpoint:
    def __init__(
        self,
        config: TeamsConfig,
        adapter: CloudAdapter,
        bot: DialoogBot,
        authentication: BotFrameworkAuthentication,
        inbound_: Inbound,
    ) -> None:
        self.config = config
        self.adapter = adapter
        self.bot = bot
        self.authentication = authentication
        self.inbound = inbound_
        self.background = Background(inbound.PLATFORM)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not self.config.authenticated and not _from_this_machine(request):
            log.warning(
                "teams: refused a request from %s%s: without an app id only this machine may call",
                request.remote,
                " (relayed by a proxy)" if _relayed(request) else "",
            )
            return web.Response(status=401)
        if request.content_type != "application/json":
            return web.Response(status=415)
        try:
            body = edge.loads(await request.text())
        except (edge.BadJson, UnicodeDecodeError) as error:
            log.warning("teams: a request whose body is not JSON we read (%s)", error)
            return web.Response(status=400)
        reason = payload.refusal(body)
        if reason is not None:
            log.warning("teams: a malformed activity (%s)", reason)
            return web.json_response({"error": "malformed activity", "reason": reason}, status=400)
        activity = _activity(body)
        if activity is None:
            log.warning("teams: a malformed activity")
            return web.Response(status=400)
        header = request.headers.get("Authorization", "")
        outcome = await self._authenticate(activity, header)
        if isinstance(outcome, web.Response):
            return outcome
        if activity.type not in _HANDLED:
            return web.Response(status=202)
        conversation = inbound.conversation_of(activity)
        if activity.type == ActivityTypes.invoke and activity.name != ADAPTIVE_CARD_ACTION:
            log.info("teams: an invoke the bot does not offer")
            return web.Response(status=501)
        stored = Stored()

        async def turn(context: TurnContext) -> None:
            context.turn_state[STORED] = stored
            await self.bot.on_turn(context)

        work = _skipping_malformed(self.adapter.process_activity(outcome, activity, turn))
        self.background.spawn(work, kind="turn", stored=stored)
        await stored.wait(channel=inbound.PLATFORM)
        if activity.type == ActivityTypes.invoke:
            return await self._invoke_answer(conversation)
        return web.Response(status=202)

    async def close(self) -> None:
        """Let running turns end (they are short), cancel those that do not."""
        await self.background.drain(timeout=5)

    # -- pieces -------------------------------------------------------------------------------

    async def _authenticate(self, activity: Activity, header: str) -> Any:
        if self.config.authenticated:
            reason = precheck(header, self.config.app_id or "")
            if reason is not None:
                log.warning("teams: refused a request: %s", reason)
                return web.Response(status=401)
        else:
            # Local mode: whatever a local tool sends as a token is not checked.
            header = ""
        try:
            async with asyncio.timeout(_AUTH_TIMEOUT):
                return await self.authentication.authenticate_request(activity, header)
        except (KeysUnavailable, TimeoutError) as error:
            log.error(
                "teams: cannot check tokens now (%s); Teams will send again", type(error).__name__
            )
            return web.Response(status=503)
        except Exception as error:
            log.warning("teams: refused a request: token not valid (%s)", type(error).__name__)
            return web.Response(status=401)

    async def _invoke_answer(self, conversation: inbound.Conversation) -> web.Response:
        """The answer to Action.Execute: a short confirmation Teams shows by the button;
        the card itself changes when the round does."""
        language = await self.inbound.language(inbound.place_of(conversation))
        return web.json_response(
            {
                "statusCode": 200,
                "type": "application/vnd.microsoft.activity.message",
                "value": translate(TEXTS, "received", language),
            }
        )


async def _skipping_malformed(work: Coroutine[Any, Any, Any]) -> None:
    """A turn; one whose activity lacks what its type carries is skipped with a line."""
    try:
        await work
    except inbound.MalformedActivity as error:
        log.warning("teams: turn skipped: %s", error)


def _activity(body: object) -> Activity | None:
    """The activity in a request body, if it is one the bot can act on (else None: 400)."""
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return None
    try:
        activity = Activity().deserialize(body)
    except Exception:
        return None
    if activity.type not in _HANDLED:
        return activity
    if not isinstance(activity.service_url, str) or not activity.service_url.startswith(
        ("https://", "http://")
    ):
        return None
    try:
        inbound.conversation_of(activity)
        if activity.type in (ActivityTypes.message, ActivityTypes.invoke):
            inbound.person_of(activity)
    except inbound.MalformedActivity:
        return None
    if activity.recipient is None or not activity.recipient.id:
        return None
    if activity.type == ActivityTypes.conversation_update and not isinstance(
        activity.channel_data, dict
    ):
        # Teams always sends it; botbuilder's Teams handler fails without it.
        return None
    return activity


def _from_this_machine(request: web.Request) -> bool:
    """Loopback, and not relayed by a proxy on this machine (that would make anyone local)."""
    if _relayed(request):
        return False
    try:
        return request.remote is not None and ipaddress.ip_address(request.remote).is_loopback
    except ValueError:
        return False


def _relayed(request: web.Request) -> bool:
    return any(name in request.headers for name in _FORWARDED)
