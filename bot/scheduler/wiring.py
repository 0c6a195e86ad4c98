"""The scheduler's place in the server: the calendar feed route and the runner."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web

from bot.scheduler.feed import feed_route
from bot.scheduler.firing import Firing
from bot.scheduler.runner import ScheduleRunner

if TYPE_CHECKING:
    from bot.runtime import Runtime


def install(runtime: Runtime, app: web.Application) -> ScheduleRunner:
    """Add GET /calendar/{token}.ics; return the runner to start with the server."""
    feed_route(app, runtime.sessions, runtime.library, runtime.clock)
    grace = timedelta(minutes=runtime.settings.schedule_grace_minutes)
    purger = runtime.purger()
    started: list[bool] = []

    async def purge() -> object:
        if not started:
            await asyncio.to_thread(purger.start)
            started.append(True)
        return await purger.run_once()

    return ScheduleRunner(Firing(runtime.service, grace=grace), runtime.chat.planner, purge=purge)
