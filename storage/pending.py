"""Contributions held back until their author chooses what to do with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import PendingContribution

__all__ = ["get_pending", "hold_pending", "take_pending"]


def hold_pending(
    session: Session,
    *,
    pending_id: str,
    round_id: str,
    user_id: str,
    step_id: str | None,
    text: str,
    now: datetime,
    command: dict[str, Any] | None = None,
) -> PendingContribution:
    row = PendingContribution(
        id=pending_id,
        round_id=round_id,
        user_id=user_id,
        step_id=step_id,
        text=text,
        command=command,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def take_pending(session: Session, pending_id: str, user_id: str) -> PendingContribution | None:
    """The author's held contribution, removed in this transaction; None when it is not
    (or no longer) theirs. Two choices at once: the second waits for the row lock and
    then finds nothing (on SQLite the database lock serialises them)."""
    row = session.scalars(
        select(PendingContribution)
        .where(PendingContribution.id == pending_id, PendingContribution.user_id == user_id)
        .with_for_update()
    ).one_or_none()
    if row is not None:
        session.delete(row)
        session.flush()
    return row


def get_pending(session: Session, pending_id: str, user_id: str) -> PendingContribution | None:
    row = session.get(PendingContribution, pending_id)
    return row if row is not None and row.user_id == user_id else None
