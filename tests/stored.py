"""What the database holds, for tests that a text never reached it (the guard's)."""

from __future__ import annotations

from sqlalchemy import select

from bot.runtime import Runtime
from storage.models import OutboxMessage, PendingContribution, RoundEvent


def stored(runtime: Runtime) -> str:
    """Every event's and outbox message's payload, as one text."""
    with runtime.sessions() as session:
        payloads = [str(e.payload) for e in session.scalars(select(RoundEvent))]
        payloads += [str(m.payload) for m in session.scalars(select(OutboxMessage))]
    return "\n".join(payloads)


def held(runtime: Runtime) -> int:
    """How many contributions the guard holds back, waiting for their writer."""
    with runtime.sessions() as session:
        return len(list(session.scalars(select(PendingContribution))))
