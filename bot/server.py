"""The one aiohttp server that hosts every channel, health checks and the background work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

import storage
from bot.channels import slack, teams
from bot.channels import web as web_chat
from bot.config import ConfigError
from bot.failures import log_failure
from bot.insights.page import InsightsPages
from bot.runtime import Runtime
from bot.scheduler import wiring as scheduler_wiring
from bot.service import Delivery, Sender
from bot.service.metrics import CONTENT_TYPE

log = logging.getLogger(__name__)

RUNTIME = web.AppKey("runtime", Runtime)
# A channel adds its routes to the app and returns its sender, or None when it
# is switched off (it logs one line saying which, and why).
ChannelSetup = Callable[[Runtime, web.Application], Sender | None]

# How often the clock looks for rounds whose time has come.
SWEEP_SECONDS = 5.0


def channel_setups() -> list[tuple[str, ChannelSetup]]:
    """Every channel the server knows, by platform name."""
    return [("web", web_chat.setup), ("slack", slack.setup), ("teams", teams.setup)]


def build_app(runtime: Runtime, *, sweep_seconds: float = SWEEP_SECONDS) -> web.Application:
    # Chat payloads are small; a larger body is an attack or a mistake.
    app = web.Application(client_max_size=1024 * 1024)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_get("/metrics", _metrics)
    for platform, setup in channel_setups():
        sender = setup(runtime, app)
        if sender is not None:
            runtime.senders[platform] = sender
    if not storage.has_cipher(runtime.engine):
        raise ConfigError(
            "DIALOOG_SECRET_KEY is not set, and what people write is stored encrypted: "
            "set it to a random secret of at least 32 characters (for example the output "
            "of `openssl rand -base64 32`), the same on every replica; or name a key file "
            "with DIALOOG_KEY_FILE"
        )
    dispatcher = runtime.start_dispatcher()
    scheduler = scheduler_wiring.install(runtime, app)
    InsightsPages(
        runtime.sessions,
        runtime.library,
        runtime.clock,
        language=runtime.settings.language,
        timezone=runtime.settings.timezone.key,
    ).add_to(app)

    async def background(app: web.Application) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()

        def wake_dispatcher() -> None:
            loop.call_soon_threadsafe(dispatcher.wake.set)

        def hand_over(deliveries: list[Delivery]) -> None:
            loop.call_soon_threadsafe(dispatcher.adopt, deliveries)

        runtime.service.after_commit = wake_dispatcher
        runtime.service.handoff = hand_over
        try:
            await asyncio.to_thread(dispatcher.recover)
        except Exception as error:
            # The server still starts: /readyz says the database is not there.
            log_failure(log, "outbox recovery failed at start-up", error)
        tasks = [
            asyncio.create_task(dispatcher.run_forever(), name="dispatcher"),
            asyncio.create_task(_sweep_forever(runtime, sweep_seconds), name="sweeper"),
        ]
        await scheduler.start()
        yield
        await scheduler.stop()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app.cleanup_ctx.append(background)
    return app


async def _sweep_forever(runtime: Runtime, every: float) -> None:
    while True:
        try:
            await asyncio.to_thread(runtime.service.sweep)
        except Exception as error:
            log_failure(log, "deadline sweep failed; trying again", error)
        await asyncio.sleep(every)


async def _healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _readyz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    if await asyncio.to_thread(storage.ping, runtime.engine):
        return web.json_response({"status": "ready"})
    return web.json_response({"status": "database unreachable"}, status=503)


async def _metrics(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    try:
        body = await asyncio.to_thread(runtime.service.metrics.exposition)
    except Exception as error:
        # The gauges read the database; without it there is nothing honest to show.
        log.warning("metrics: could not be read: %s", type(error).__name__)
        return web.json_response({"status": "database unreachable"}, status=503)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})
