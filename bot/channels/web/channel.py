"""Switching the web chat on: its routes, its sender, and the one log line."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.channels.web.chatroom import ChatRoom
from bot.channels.web.hub import Hub
from bot.channels.web.routes import WebRoutes
from bot.channels.web.sender import WebSender
from bot.channels.web.switch import decide
from bot.runtime import Runtime
from bot.service import Sender

log = logging.getLogger(__name__)

HUB = web.AppKey("web_chat_hub", Hub)


def setup(runtime: Runtime, app: web.Application) -> Sender | None:
    """Add the web chat to the server when it is on; None when it is off."""
    settings = runtime.settings
    switch = decide(settings)
    if not switch.on:
        if switch.exposed:
            log.warning("web chat off: %s", switch.reason)
        else:
            log.info("web chat off: %s", switch.reason)
        return None
    hub = Hub()
    app[HUB] = hub
    WebRoutes(ChatRoom(runtime), hub).add_to(app)

    async def close_streams(_app: web.Application) -> None:
        hub.close()

    app.on_shutdown.append(close_streams)
    address = f"http://{settings.host}:{settings.port}/"
    if switch.exposed:
        log.warning(
            "web chat ON at %s (%s), and DIALOOG_HOST=%s is not a loopback address: the web "
            "chat has no login, so anyone who reaches this port can act as any colleague. "
            "Listen on 127.0.0.1 or set DIALOOG_WEB_CHAT=off",
            address,
            switch.reason,
            settings.host,
        )
    else:
        log.info("web chat on at %s (%s)", address, switch.reason)
    return WebSender(runtime.sessions, runtime.clock, hub)
