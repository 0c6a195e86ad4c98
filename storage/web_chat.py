"""The local web chat's timeline: what each channel shows, kept across restarts.

Every post and every update takes the channel's next revision while holding
the channel's row, so revisions commit in order and a browser that asks for
"everything after N" never misses a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage._sql import dialect_insert
from storage.models import WebChannel, WebMessage

__all__ = [
    "WebPost",
    "delete_web_message",
    "find_web_message",
    "post_web_message",
    "update_web_message",
    "web_revision",
    "web_timeline",
]


@dataclass(frozen=True)
class WebPost:
    """A message to add to a channel. audience None: everyone sees it."""

    channel: str
    payload: dict[str, Any]
    round_id: str | None = None
    audience: str | None = None
    author: str | None = None
    author_name: str = ""
    outbox_id: int | None = None


def _next_revision(session: Session, channel: str) -> int:
    session.execute(
        dialect_insert(session, WebChannel)
        .values(id=channel, revision=0)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    # An UPDATE, not a read: it holds the row (PostgreSQL) or the database
    # (SQLite) until commit, so two writers never take the same number.
    revision = session.execute(
        update(WebChannel)
        .where(WebChannel.id == channel)
        .values(revision=WebChannel.revision + 1)
        .returning(WebChannel.revision)
    ).scalar_one()
    return int(revision)


def post_web_message(session: Session, post: WebPost, *, now: datetime) -> WebMessage:
    """Add a message; a second post for the same outbox message returns the first."""
    if post.outbox_id is not None:
        found = session.scalars(
            select(WebMessage).where(WebMessage.outbox_id == post.outbox_id)
        ).one_or_none()
        if found is not None:
            return found
    message = WebMessage(
        channel_id=post.channel,
        revision=_next_revision(session, post.channel),
        round_id=post.round_id,
        audience=post.audience,
        author=post.author,
        author_name=post.author_name,
        outbox_id=post.outbox_id,
        payload=post.payload,
        created_at=now,
        updated_at=now,
    )
    session.add(message)
    session.flush()
    return message


def update_web_message(
    session: Session, message_id: int, payload: dict[str, Any], *, now: datetime
) -> WebMessage | None:
    """Replace a message's content in place; None when there is no such message."""
    message = session.get(WebMessage, message_id)
    if message is None:
        return None
    message.revision = _next_revision(session, message.channel_id)
    message.payload = payload
    message.updated_at = now
    session.flush()
    return message


def delete_web_message(session: Session, message_id: int) -> bool:
    """Remove a message (the bot takes it back); False when it was gone already."""
    message = session.get(WebMessage, message_id)
    if message is None:
        return False
    session.delete(message)
    session.flush()
    return True


def find_web_message(session: Session, message_id: int) -> WebMessage | None:
    return session.get(WebMessage, message_id)


def web_revision(session: Session, channel: str) -> int:
    """The channel's latest revision (0 for a channel that has none yet)."""
    revision = session.scalar(select(WebChannel.revision).where(WebChannel.id == channel))
    return int(revision or 0)


def web_timeline(
    session: Session, channel: str, *, viewer: str, after: int = 0, limit: int = 500
) -> list[WebMessage]:
    """What `viewer` sees of a channel, oldest first: messages for everyone and
    those for them alone, changed after revision `after` (the newest `limit`)."""
    newest = (
        select(WebMessage)
        .where(
            WebMessage.channel_id == channel,
            WebMessage.revision > after,
            or_(WebMessage.audience.is_(None), WebMessage.audience == viewer),
        )
        .order_by(WebMessage.id.desc())
        .limit(limit)
    )
    return sorted(session.scalars(newest), key=lambda m: m.id)
