"""The Slack channel switched on: a Bolt AsyncApp on our aiohttp server.

Three ways to run, chosen from the environment:
* one workspace: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET;
* many workspaces: SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET,
  with /slack/install and /slack/oauth_redirect, installations in our database
  and their tokens encrypted with DIALOOG_SECRET_KEY;
* either of these over Socket Mode when SLACK_APP_TOKEN is set: Slack is then
  reached from here, and the server needs no public address for Slack.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.channels.slack import payloads
from bot.channels.slack.clients import WebClients
from bot.channels.slack.installations import (
    DatabaseInstallationStore,
    DatabaseStateStore,
    rotate_tokens,
    stored_installations,
)
from bot.channels.slack.listeners import SlackListeners
from bot.channels.slack.quiet import library_logger
from bot.channels.slack.sender import PLATFORM, SlackSender
from bot.channels.slack.tokens import SecretKeyError, TokenCipher
from bot.chat.background import Background
from bot.config import ConfigError, Settings, secret
from bot.runtime import Runtime
from bot.service import Sender

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# What the bot asks for when a workspace installs it; see slack/manifest.yaml.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "channels:history",
    "groups:history",
    "files:write",
)
# Seconds between attempts to open the Socket Mode connection when it fails.
SOCKET_RETRY = 30.0

SOCKET = web.AppKey("slack_socket_mode", object)


class SlackConfigError(ConfigError):
    """Slack is configured in a way that cannot run safely; the message says how to fix it."""


@dataclass(frozen=True)
class Mode:
    """How Slack runs, or why it is off."""

    on: bool
    auth: Literal["token", "oauth", "none"] = "none"
    socket: bool = False
    reason: str = ""

    def describe(self) -> str:
        auth = "one workspace (SLACK_BOT_TOKEN)" if self.auth == "token" else "OAuth installs"
        transport = "Socket Mode" if self.socket else f"HTTP at {EVENTS_PATH}"
        return f"{auth}, {transport}"


def choose_mode(settings: Settings) -> Mode:
    """Which Slack setup the environment asks for; off with the reason when incomplete."""
    client_secret = secret(settings.slack_client_secret)
    oauth = bool(settings.slack_client_id and client_secret)
    token = bool(secret(settings.slack_bot_token))
    socket = bool(secret(settings.slack_app_token))
    if not oauth and not token:
        if settings.slack_client_id or client_secret:
            return Mode(False, reason="set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
        return Mode(
            False,
            reason="no SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET (OAuth installs) set",
        )
    if not secret(settings.slack_signing_secret) and (oauth or not socket):
        return Mode(False, reason="SLACK_SIGNING_SECRET is not set")
    return Mode(True, auth="oauth" if oauth else "token", socket=socket)


def setup(runtime: Runtime, app: web.Application) -> Sender | None:
    """Add Slack's routes to the server and return its sender; None when Slack is off."""
    settings = runtime.settings
    mode = choose_mode(settings)
    if not mode.on:
        log.info("Slack is off: %s", mode.reason)
        return None
    cipher = _cipher(runtime, mode)
    lib_logger = library_logger()
    store: DatabaseInstallationStore | None = None
    oauth_settings: AsyncOAuthSettings | None = None
    if mode.auth == "oauth":
        client_secret = secret(settings.slack_client_secret)
        assert cipher is not None and settings.slack_client_id and client_secret
        store = DatabaseInstallationStore(
            runtime.sessions,
            cipher,
            client_id=settings.slack_client_id,
            logger=lib_logger,
            reinstalled=lambda team: runtime.uninstalls.returned(PLATFORM, team),
        )
        oauth_settings = AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=client_secret,
            scopes=list(BOT_SCOPES),
            user_scopes=[],
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_PATH,
            installation_store=store,
            installation_store_bot_only=True,
            state_store=DatabaseStateStore(runtime.sessions, runtime.clock, logger=lib_logger),
            logger=lib_logger,
        )
    token = secret(settings.slack_bot_token) if mode.auth == "token" else None
    clients = WebClients(
        base_url=settings.slack_api_url, logger=lib_logger, token=token, store=store
    )
    bolt = AsyncApp(
        name="dialoog-slack",
        logger=lib_logger,
        signing_secret=secret(settings.slack_signing_secret) or "",
        client=clients.new(token),
        oauth_settings=oauth_settings,
        installation_store_bot_only=True if store else None,
        # Bolt's request verification, URL verification and ignoring of our own
        # messages stay on (the defaults).
        request_verification_enabled=True,
        ignoring_self_events_enabled=True,
        # Slack gets its answer when a listener returns, not at its ack(): Bolt acks
        # events itself before their listener runs, and a thread reply must be
        # committed before the answer. Our listeners return as soon as the work is
        # stored (bot.chat.stored) and answer the person after, in the background.
        process_before_response=True,
    )
    background = Background(PLATFORM)
    runtime.backgrounds.append(background)
    # Bolt tries its listeners in the order they were added, one matcher each, and
    # the kinds they take are apart: a click (the most frequent) is matched first.
    SlackListeners(runtime.chat, background).register(bolt)
    _uninstall_listeners(bolt, runtime, stored=store is not None)
    app.cleanup_ctx.append(background.lifetime)
    app.cleanup_ctx.append(clients.lifetime)
    if mode.socket:
        app.cleanup_ctx.append(
            _socket_mode(bolt, secret(settings.slack_app_token) or "", lib_logger)
        )
    else:
        verifier = SignatureVerifier(secret(settings.slack_signing_secret) or "")
        app.router.add_post(EVENTS_PATH, _events_endpoint(bolt, verifier))
    if oauth_settings is not None:
        app.router.add_get(INSTALL_PATH, _oauth_endpoint(bolt))
        app.router.add_get(REDIRECT_PATH, _oauth_endpoint(bolt))
    log.info("Slack is on: %s", mode.describe())
    return SlackSender(clients, runtime.sessions, runtime.service, runtime.clock)


def _uninstall_listeners(bolt: AsyncApp, runtime: Runtime, *, stored: bool) -> None:
    """app_uninstalled, and tokens_revoked for the bot's token: forget the workspace's
    token (when installed through OAuth) and erase its data after the school's grace
    period. Revoked user tokens alone leave the bot working: nothing to erase."""
    forget_all = bolt.default_app_uninstalled_event_listener() if stored else None
    forget_revoked = bolt.default_tokens_revoked_event_listener() if stored else None

    async def uninstalled(
        ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        # Stored before the answer (Bolt answers once the listener returns).
        if forget_all is not None:
            await forget_all(context=context)
        await _erase_later(runtime, body, "app_uninstalled")
        await ack()

    async def revoked(
        ack: Callable[[], Awaitable[None]],
        body: dict[str, Any],
        event: dict[str, Any],
        context: AsyncBoltContext,
    ) -> None:
        if forget_revoked is not None:
            await forget_revoked(event=event, context=context)
        if (event.get("tokens") or {}).get("bot"):
            await _erase_later(runtime, body, "tokens_revoked")
        await ack()

    bolt.event("app_uninstalled")(uninstalled)
    bolt.event("tokens_revoked")(revoked)


async def _erase_later(runtime: Runtime, body: dict[str, Any], kind: str) -> None:
    workspace = body.get("team_id")
    if not isinstance(workspace, str) or not workspace:
        log.warning("slack: %s without a team id; nothing to erase", kind)
        return
    log.warning("slack: %s for team %s; the bot can no longer work there", kind, workspace)
    await asyncio.to_thread(runtime.uninstalls.removed, PLATFORM, workspace)


def _cipher(runtime: Runtime, mode: Mode) -> TokenCipher | None:
    """The token cipher; a clear error when tokens are (or will be) stored without a key."""
    try:
        cipher = TokenCipher.from_setting(secret(runtime.settings.secret_key))
    except SecretKeyError as error:
        raise SlackConfigError(f"DIALOOG_SECRET_KEY: {error}") from None
    if cipher is None:
        if mode.auth == "oauth":
            raise SlackConfigError(
                "Slack OAuth stores each workspace's bot token encrypted, and "
                "DIALOOG_SECRET_KEY is not set. Set it to a random secret of at least "
                "32 characters (for example the output of `openssl rand -base64 32`)."
            )
        stored = stored_installations(runtime.sessions)
        if stored:
            raise SlackConfigError(
                f"the database holds {stored} Slack installation(s) with encrypted tokens "
                "and DIALOOG_SECRET_KEY is not set; set it to the key they were stored with."
            )
        return None
    try:
        rotated = rotate_tokens(runtime.sessions, cipher)
    except SecretKeyError as error:
        raise SlackConfigError(f"DIALOOG_SECRET_KEY: {error}") from None
    if rotated:
        log.info("slack: re-encrypted %d installation(s) with the current key", rotated)
    return cipher


def _events_endpoint(
    bolt: AsyncApp, verifier: SignatureVerifier
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def events(request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            log.warning("slack: request refused: body is not UTF-8")
            return web.json_response({"error": "malformed request"}, status=400)
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        # Checked here first, so a forged request never reaches a code path
        # that might log its body; Bolt checks again (its middleware stays on).
        if not _signed(verifier, body, timestamp, signature):
            log.warning("slack: request refused: bad signature or stale timestamp")
            return web.json_response({"error": "invalid request"}, status=401)
        read = payloads.read(body, request.content_type)
        if read.reason is not None:
            log.warning("slack: request refused: malformed body (%s)", read.reason)
            return web.json_response(
                {"error": "malformed request", "reason": read.reason}, status=400
            )
        try:
            bolt_request = _bolt_request(body, read.body, request)
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            log.warning("slack: request refused: malformed body (%s)", type(error).__name__)
            return web.json_response({"error": "malformed request"}, status=400)
        retry = request.headers.get("X-Slack-Retry-Num")
        if retry:
            log.info(
                "slack: delivery retried by Slack (attempt %s, reason %s)",
                retry,
                request.headers.get("X-Slack-Retry-Reason", "-"),
            )
        try:
            response = await bolt.async_dispatch(bolt_request)
        except Exception as error:
            log.error("slack: request failed: %s", type(error).__name__)
            return web.json_response({"error": "internal error"}, status=500)
        return await to_aiohttp_response(response)

    return events


def _bolt_request(raw: str, body: dict[str, Any], request: web.Request) -> AsyncBoltRequest:
    """Bolt's request for a body read once, by us (`payloads.read`): given the raw
    text, Bolt would parse it all again. Bolt takes a parsed body only in its Socket
    Mode; the request is then an HTTP one again, with the raw text its own signature
    check reads."""
    bolt_request = AsyncBoltRequest(
        body=body,
        query=request.query_string,
        headers=request.headers,  # type: ignore[arg-type]
        mode="socket_mode",
    )
    bolt_request.mode = "http"
    bolt_request.raw_body = raw
    return bolt_request


def _signed(verifier: SignatureVerifier, body: str, timestamp: str, signature: str) -> bool:
    if not timestamp.isdigit() or not signature:
        return False
    return verifier.is_valid(body, timestamp, signature)


def _oauth_endpoint(bolt: AsyncApp) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    flow = bolt.oauth_flow
    assert flow is not None

    async def oauth(request: web.Request) -> web.StreamResponse:
        bolt_request = await to_bolt_request(request)
        if request.path == flow.install_path:
            response = await flow.handle_installation(bolt_request)
        else:
            response = await flow.handle_callback(bolt_request)
        return await to_aiohttp_response(response)

    return oauth


def _socket_mode(
    bolt: AsyncApp, app_token: str, logger: logging.Logger
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        # Made here, inside the running loop: the handler opens an aiohttp session.
        handler = AsyncSocketModeHandler(bolt, app_token=app_token, logger=logger)
        app[SOCKET] = handler
        task = asyncio.create_task(_connect(handler), name="slack:socket-mode")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await handler.close_async()  # type: ignore[no-untyped-call]

    return lifetime


async def _connect(handler: AsyncSocketModeHandler) -> None:
    while True:
        try:
            await handler.connect_async()  # type: ignore[no-untyped-call]
            log.info("slack: Socket Mode connected")
            return
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning(
                "slack: Socket Mode could not connect (%s); trying again in %.0f s",
                type(error).__name__,
                SOCKET_RETRY,
            )
            await asyncio.sleep(SOCKET_RETRY)
