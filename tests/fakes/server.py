"""The real server on a free loopback port, for tests that speak HTTP to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from aiohttp import web

from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.server import build_app
from bot.service import Clock


@contextmanager
def wired(
    settings: Settings, clock: Clock | None = None, *, migrate: bool = False
) -> Iterator[Runtime]:
    """The server's wiring for these settings (on a database already migrated, unless
    it is to `migrate` it); its connections closed afterwards."""
    runtime = build_runtime(settings, clock=clock, migrate=migrate)
    try:
        yield runtime
    finally:
        runtime.engine.dispose()


@asynccontextmanager
async def running(runtime: Runtime, *, sweep_seconds: float = 0.05) -> AsyncIterator[str]:
    """Start the app on 127.0.0.1 at a free port; yield its base URL."""
    app = build_app(runtime, sweep_seconds=sweep_seconds)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    sockets = site._server.sockets if site._server else []
    port = sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def serving(
    settings: Settings,
    clock: Clock | None = None,
    *,
    migrate: bool = False,
    sweep_seconds: float = 0.05,
) -> AsyncIterator[tuple[str, Runtime]]:
    """The server for these settings running on a free loopback port: its URL and wiring."""
    with wired(settings, clock, migrate=migrate) as runtime:
        async with running(runtime, sweep_seconds=sweep_seconds) as url:
            yield url, runtime
