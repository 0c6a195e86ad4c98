"""The real server on a free loopback port, for tests that speak HTTP to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.runtime import Runtime
from bot.server import build_app


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
