"""Work done after the platform has had its answer: kept track of, finished at shutdown.

Slack and Teams are answered as soon as what the person sent is stored (`Stored`);
the rest of the work (answering the person) runs on as a task. The loop keeps only
a weak reference to a task, so this keeps each one until it ends, logs a failure
(its type and place, never its message: bot.failures) and lets running work
finish when the server stops.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from aiohttp import web

from bot.chat.stored import Stored
from bot.failures import log_failure

log = logging.getLogger(__name__)


class Background:
    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(
        self, work: Coroutine[Any, Any, None], *, kind: str, stored: Stored | None = None
    ) -> asyncio.Task[None]:
        """Run the work; `stored` is marked when it ends, whichever way it ends."""
        task = asyncio.get_running_loop().create_task(
            _marking(work, stored), name=f"{self.channel}:{kind}"
        )
        # The loop keeps only a weak reference to a task; this set keeps it alive.
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log_failure(log, f"{task.get_name()} failed after the answer", error)

    async def drain(self, timeout: float = 10.0) -> None:
        """Let work under way finish (a click being handled), then cancel the rest."""
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def lifetime(self, _app: web.Application) -> AsyncIterator[None]:
        """An aiohttp cleanup context: drain when the server stops."""
        yield
        await self.drain()


async def _marking(work: Coroutine[Any, Any, None], stored: Stored | None) -> None:
    try:
        await work
    finally:
        if stored is not None:
            stored.mark()
