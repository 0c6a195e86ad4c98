"""Wiring: the Teams channel on the shared aiohttp server."""

from __future__ import annotations

import logging

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

from bot.channels.teams import auth
from bot.channels.teams.connector import Connector
from bot.channels.teams.endpoint import Endpoint
from bot.channels.teams.handler import DialoogBot
from bot.channels.teams.records import Records
from bot.channels.teams.sender import TeamsSender
from bot.channels.teams.settings import TeamsConfig
from bot.chat import Chat
from bot.runtime import Runtime
from bot.scheduler.planner import Planner

log = logging.getLogger(__name__)

PATH = "/api/messages"
COMMAND = "@dialoog"


def start(runtime: Runtime, app: web.Application, config: TeamsConfig) -> TeamsSender | None:
    try:
        authentication = auth.authentication(config)
    except Exception as error:
        # botbuilder says which setting is missing (e.g. MICROSOFT_APP_TENANT_ID for a
        # SingleTenant app); the message names settings, never their values.
        log.error("Teams: off: the Microsoft app settings are incomplete (%s)", error)
        return None
    if config.authenticated:
        # Process-wide in botbuilder: one authenticated bot per process.
        auth.install_signing_keys(
            auth.SigningKeys(config.openid_metadata_url or auth.MICROSOFT_METADATA_URL)
        )
    service = runtime.service
    records = Records(
        runtime.sessions, language=service.default_language, timezone=service.default_timezone
    )
    sender = TeamsSender(Connector(authentication, config.app_id), records, service)
    bot = DialoogBot(_chat(runtime), service, records, sender, runtime.uninstalls)
    endpoint = Endpoint(config, CloudAdapter(authentication), bot, authentication, bot.inbound)
    runtime.backgrounds.append(endpoint.background)
    app.router.add_post(PATH, endpoint.handle)

    async def close(_app: web.Application) -> None:
        await endpoint.close()

    app.on_shutdown.append(close)
    if config.authenticated:
        log.info("Teams: on at POST %s for app id %s", PATH, config.app_id)
    else:
        log.warning(
            "Teams: on WITHOUT authentication (DIALOOG_TEAMS_LOCAL=on and no "
            "MICROSOFT_APP_ID): POST %s accepts requests from this machine only",
            PATH,
        )
    return sender


def _chat(runtime: Runtime) -> Chat:
    """The chat layer with Teams' command name in what it says ("@dialoog start").

    Planning goes through a planner of its own (for the name), which tells the
    server's scheduler about changes just as the shared one does.
    """
    shared = runtime.chat.planner
    planner = Planner(
        runtime.service,
        feed_base=shared.feed_base,
        command_name=COMMAND,
        new_token=shared.new_token,
    )

    def changed() -> None:
        # Set by the scheduler after the channels are set up, so looked up late.
        if shared.changed is not None:
            shared.changed()

    planner.changed = changed
    return Chat(
        runtime.service, command_name=COMMAND, planner=planner, insights=runtime.chat.insights
    )
