"""Answer the platform only once what the person wrote is in the database.

Slack and Teams never send a delivery again after a 2xx, so a crash between the
answer and the commit would lose a contribution without anyone knowing. The
channel starts the work, waits for its `Stored` signal (the commit, a refusal,
or the work ending early), and only then answers. The wait has a budget below
the platform's time limit: a database that is slow that once gets the answer
out anyway (the work goes on and commits; the platform may retry, and the
idempotency key keeps that from doubling anything).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

log = logging.getLogger(__name__)

# Slack waits 3 s for its answer and Teams about as long; the work takes milliseconds.
ANSWER_BUDGET = 2.0


class Stored:
    """Set once by the work, awaited once by the channel's answer."""

    def __init__(self) -> None:
        self._future: asyncio.Future[Mapping[str, str] | None] = (
            asyncio.get_running_loop().create_future()
        )
        self._answered_without = False

    def mark(self, errors: Mapping[str, str] | None = None) -> bool:
        """The work is stored (or there is nothing to store). `errors` go back with the
        answer where the platform can show them (a Slack modal). False when the answer
        went out before, without waiting: then the work must tell the person itself."""
        if not self._future.done():
            self._future.set_result(errors)
        return not self._answered_without

    async def wait(
        self, *, channel: str, budget: float = ANSWER_BUDGET
    ) -> Mapping[str, str] | None:
        """The errors to answer with, once the work is stored or the budget is spent."""
        try:
            return await asyncio.wait_for(asyncio.shield(self._future), budget)
        except TimeoutError:
            self._answered_without = True
            log.warning("%s: answered before the work was stored (over %.1f s)", channel, budget)
            return None
