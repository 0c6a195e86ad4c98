"""The outbox: messages written with the events, sent by a dispatcher after commit.

pending --claim--> sending --> sent
                           --> pending again (retryable error, at retry_at)
                           --> failed (permanent error)
                           --> uncertain (may or may not have arrived; never retried blindly)

Only error codes are stored, never message content.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from storage._sql import dialect_insert, rowcount, run, table_of
from storage.models import OutboxMessage, PostedMessage

__all__ = [
    "OutgoingMessage",
    "any_due",
    "claim_outbox",
    "claim_queued",
    "enqueue",
    "mark_failed",
    "mark_sent",
    "mark_uncertain",
    "newer_pending",
    "posted_message",
    "posted_parts",
    "posted_slots",
    "queue_depth",
    "record_posted",
    "refresh_pending",
    "release_claimed",
    "reset_stale_sending",
    "round_for_posted",
    "slot_uncertain",
    "undelivered",
]

# A code like "ratelimited", "slack:channel_not_found" or "http_503": short and
# free of spaces, so that no sentence of a message can end up in it.
_ERROR_CODE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


@dataclass(frozen=True)
class OutgoingMessage:
    """A message to send. `slot` names a message updated in place (e.g. "card")."""

    team_id: int
    platform: str
    destination: dict[str, Any]
    payload: dict[str, Any]
    round_id: str | None = None
    slot: str | None = None


def enqueue(
    session: Session, messages: Sequence[OutgoingMessage], *, now: datetime
) -> list[OutboxMessage]:
    """Add messages to the outbox, ready to send from `now`, in the given order.

    The rows handed back are copies for reading (their ids are the send order);
    they are not in the session, so changing them changes nothing stored."""
    if not messages:
        return []
    rows = [
        {
            "round_id": message.round_id,
            "team_id": message.team_id,
            "platform": message.platform,
            "destination": message.destination,
            "slot": message.slot,
            "payload": message.payload,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for message in messages
    ]
    # What the session holds goes first (the rows these may refer to).
    session.flush()
    ids = run(session, _ENQUEUE, rows).scalars().all()
    return [OutboxMessage(id=id_, **row) for id_, row in zip(ids, rows, strict=True)]


# The statements a click runs are built once, here, with their values bound at
# execution: building a statement (and its cache key) costs SQLAlchemy far more
# than running it, ten times more for the claim below.
_OUTBOX = table_of(OutboxMessage)
_EARLIER = _OUTBOX.alias("earlier")


def _unsettled(status: ColumnElement[str]) -> ColumnElement[bool]:
    # Not `status.in_((...))`: SQLAlchemy renders a literal IN list as an expanding
    # parameter, rewritten into the SQL text on every execution (half a millisecond
    # of CPU per claim on this machine). Both databases use the index for the OR.
    return or_(status == "pending", status == "sending")


# Whether an earlier message of the same round is still pending or being sent.
_WAITS_FOR_EARLIER = exists().where(
    _EARLIER.c.round_id == _OUTBOX.c.round_id,
    _EARLIER.c.id < _OUTBOX.c.id,
    _unsettled(_EARLIER.c.status),
)
_ENQUEUE = insert(_OUTBOX).returning(_OUTBOX.c.id, sort_by_parameter_order=True)


# The status test again: SQLite has no row locks, so this is what stops a second
# process from claiming the same row there. Core RETURNING: no ORM identity map
# for rows that are handed out as copies anyway.
def _claim_where(*where: ColumnElement[bool], returning: Sequence[Any] = tuple(_OUTBOX.c)) -> Any:
    claim = (
        _OUTBOX.update()
        .where(*where, _OUTBOX.c.status == "pending")
        .values(status="sending", attempts=_OUTBOX.c.attempts + 1, claimed_at=bindparam("now"))
    )
    return claim.returning(*returning) if returning else claim


_CLAIM_QUEUED = _claim_where(
    _OUTBOX.c.id == bindparam("message_id"), ~_WAITS_FOR_EARLIER, returning=()
)
_CLAIM_ALL_QUEUED = _claim_where(
    _OUTBOX.c.id.in_(bindparam("ids", expanding=True)),
    ~_WAITS_FOR_EARLIER,
    returning=(_OUTBOX.c.id,),
)


def claim_queued(session: Session, message_id: int, *, now: datetime) -> bool:
    """Claim one message just queued in this transaction, for sending after commit,
    unless an earlier one of its round comes first. True when claimed."""
    result = run(session, _CLAIM_QUEUED, {"message_id": message_id, "now": now})
    return result.rowcount == 1


def claim_all_queued(session: Session, message_ids: Collection[int], *, now: datetime) -> set[int]:
    """`claim_queued` for several messages (of different rounds) in one statement:
    the ids of those claimed."""
    if len(message_ids) <= 1:
        return {i for i in message_ids if claim_queued(session, i, now=now)}
    return set(run(session, _CLAIM_ALL_QUEUED, {"ids": list(message_ids), "now": now}).scalars())


def _due(*of_rounds: ColumnElement[bool]) -> Any:
    return (
        select(_OUTBOX.c.id)
        .where(
            _OUTBOX.c.status == "pending",
            _OUTBOX.c.next_attempt_at <= bindparam("now"),
            ~_WAITS_FOR_EARLIER,
            *of_rounds,
        )
        .order_by(_OUTBOX.c.id)
        .limit(bindparam("limit"))
        .with_for_update(skip_locked=True)
    )


_DUE = _due()
_ANY_DUE = (
    select(_OUTBOX.c.id)
    .where(
        _OUTBOX.c.status == "pending",
        _OUTBOX.c.next_attempt_at <= bindparam("now"),
        ~_WAITS_FOR_EARLIER,
    )
    .limit(1)
)


def any_due(session: Session, *, now: datetime) -> bool:
    """Whether a claim would find anything: a read, so that a look that finds
    nothing takes no write lock (SQLite's one writer)."""
    return run(session, _ANY_DUE, {"now": now}).scalar() is not None


_DUE_OF_ROUND = _due(_OUTBOX.c.round_id == bindparam("round_id"))
_DUE_OF_ROUNDS = _due(_OUTBOX.c.round_id.in_(bindparam("round_ids", expanding=True)))


_CLAIM = _claim_where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
# A round's next message, the common case: one id, no expanding parameter.
_CLAIM_ONE = _claim_where(_OUTBOX.c.id == bindparam("message_id"))


def claim_outbox(
    session: Session,
    *,
    now: datetime,
    limit: int,
    round_ids: Collection[str] = (),
) -> list[OutboxMessage]:
    """Claim up to `limit` due messages for sending: status "sending", attempts + 1.

    Messages of one round go out in order: a message is not claimed while an
    earlier one of its round is still pending or being sent, so one claim holds
    at most one message per round and the claimed ones can be sent at once.
    `round_ids` claims only those rounds' next messages (at most one each). On
    PostgreSQL rows
    another dispatcher is claiming are skipped, never claimed twice.
    Commit right after, then send.
    """
    # Two statements on purpose: PostgreSQL may rescan an `IN (SELECT ... LIMIT
    # ... SKIP LOCKED)` subquery of an UPDATE, skip the rows it just updated and
    # hand out more than `limit`. Here the rows are locked first, then updated.
    params: dict[str, Any] = {"now": now, "limit": limit}
    if len(round_ids) == 1:
        (round_id,) = round_ids
        ids = list(run(session, _DUE_OF_ROUND, {**params, "round_id": round_id}).scalars())
    elif round_ids:
        ids = list(run(session, _DUE_OF_ROUNDS, {**params, "round_ids": list(round_ids)}).scalars())
    else:
        ids = list(run(session, _DUE, params).scalars())
    if not ids:
        return []
    if len(ids) == 1:
        rows = run(session, _CLAIM_ONE, {"message_id": ids[0], "now": now}).all()
    else:
        rows = run(session, _CLAIM, {"ids": ids, "now": now}).all()
    # Copies for reading, as `enqueue` hands out: not in the session.
    claimed = [OutboxMessage(**row._mapping) for row in rows]
    return sorted(claimed, key=lambda row: row.id)


_MARK_SENT = (
    _OUTBOX.update()
    .where(_OUTBOX.c.id == bindparam("message_id"))
    .values(
        status="sent",
        sent_at=bindparam("now"),
        external_id=bindparam("external_id"),
        last_error=None,
    )
)


def mark_sent(session: Session, message_id: int, *, external_id: str | None, now: datetime) -> None:
    """Record a delivered message, whatever state it was in: delivery is a fact."""
    mark_all_sent(session, [(message_id, external_id)], now=now)


def mark_all_sent(
    session: Session, sent: Sequence[tuple[int, str | None]], *, now: datetime
) -> None:
    """`mark_sent` for several messages, (id, external id) each: one statement sent
    once for all (psycopg pipelines an executemany: one round trip)."""
    if sent:
        params = [{"message_id": m, "now": now, "external_id": e} for m, e in sent]
        run(session, _MARK_SENT, params[0] if len(params) == 1 else params)


def mark_failed(
    session: Session,
    message_id: int,
    *,
    error_code: str,
    retry_at: datetime | None,
    external_id: str | None = None,
) -> bool:
    """A send failed: retry at `retry_at`, or give up for good when it is None.
    `external_id`: the parts a message sent in parts got out before it failed.

    Returns False when the message was not being sent (e.g. reset meanwhile).
    """
    values: dict[str, Any] = {"last_error": _checked(error_code), "claimed_at": None}
    if external_id is not None:
        values["external_id"] = external_id
    if retry_at is None:
        values["status"] = "failed"
    else:
        values.update(status="pending", next_attempt_at=retry_at)
    return _from_sending(session, message_id, values)


def mark_uncertain(session: Session, message_id: int, *, error_code: str) -> bool:
    """The send may or may not have arrived (e.g. a timeout after the request went out)."""
    return _from_sending(
        session, message_id, {"status": "uncertain", "last_error": _checked(error_code)}
    )


def release_claimed(session: Session, message_ids: Collection[int]) -> int:
    """Hand back claimed messages whose send never began (a dispatcher stopping):
    pending again, as if never claimed. Returns how many."""
    if not message_ids:
        return 0
    return rowcount(
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(message_ids)), OutboxMessage.status == "sending")
            .values(status="pending", claimed_at=None, attempts=OutboxMessage.attempts - 1)
            .execution_options(synchronize_session=False)
        )
    )


def reset_stale_sending(session: Session, *, claimed_before: datetime) -> int:
    """Messages claimed before `claimed_before` and never settled.

    Their dispatcher died mid-send, so nobody knows whether they arrived. An
    update of a message already posted (the card) is harmless to repeat: it is
    sent again. Anything else becomes "uncertain" rather than being sent twice.
    Returns how many were uncertain.
    """
    stale = and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < claimed_before)
    in_place = exists().where(
        PostedMessage.round_id == OutboxMessage.round_id, PostedMessage.slot == OutboxMessage.slot
    )
    session.execute(
        update(OutboxMessage)
        .where(stale, OutboxMessage.slot.is_not(None), in_place)
        .values(status="pending", claimed_at=None, last_error="dispatcher_lost")
        .execution_options(synchronize_session=False)
    )
    return rowcount(
        session.execute(
            update(OutboxMessage)
            .where(stale)
            .values(status="uncertain", last_error="dispatcher_lost")
            .execution_options(synchronize_session=False)
        )
    )


def queue_depth(session: Session) -> tuple[int, datetime | None]:
    """How many messages wait to be sent (or are being sent), and since when the oldest."""
    count, oldest = session.execute(
        select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(
            _unsettled(_OUTBOX.c.status)
        )
    ).one()
    return int(count), oldest


def posted_message(session: Session, round_id: str, slot: str) -> PostedMessage | None:
    """The platform message that holds a round's slot (e.g. its card), if posted."""
    return session.scalars(
        select(PostedMessage).where(PostedMessage.round_id == round_id, PostedMessage.slot == slot)
    ).one_or_none()


_POSTED = table_of(PostedMessage)
_POSTED_SLOTS = select(_POSTED.c.slot, _POSTED.c.external_id, _POSTED.c.parts).where(
    _POSTED.c.round_id == bindparam("round_id")
)


def posted_slots(session: Session, round_id: str) -> dict[str, str]:
    """Every posted slot message of a round (the card, a question's own, ...) by slot:
    its platform id (the first part of one posted in parts)."""
    return {slot: parts[0] for slot, parts in posted_parts(session, round_id).items()}


def posted_parts(session: Session, round_id: str) -> dict[str, tuple[str, ...]]:
    """Every posted slot message of a round by slot: the ids of its parts, first to last
    (one for a message that fits in one platform message)."""
    rows = run(session, _POSTED_SLOTS, {"round_id": round_id})
    return {slot: tuple(parts) if parts else (first,) for slot, first, parts in rows}


def record_posted(
    session: Session,
    *,
    round_id: str,
    slot: str,
    platform: str,
    channel: str,
    external_id: str,
    now: datetime,
    parts: Sequence[str] = (),
) -> None:
    """Remember where a slot's message lives; a repost replaces the old one. `parts`:
    the ids of all its parts when it was posted in more than one, `external_id` first."""
    if parts and parts[0] != external_id:
        raise ValueError("a message's first part is the message itself")
    values = {
        "platform": platform,
        "channel": channel,
        "external_id": external_id,
        "parts": list(parts) if len(parts) > 1 else None,
    }
    session.execute(
        dialect_insert(session, PostedMessage)
        .values(round_id=round_id, slot=slot, updated_at=now, **values)
        .on_conflict_do_update(
            index_elements=["round_id", "slot"], set_={**values, "updated_at": now}
        )
    )


def _checked(error_code: str) -> str:
    if not _ERROR_CODE.fullmatch(error_code):
        raise ValueError("error_code must be a short code without spaces, not a message")
    return error_code


def _from_sending(session: Session, message_id: int, values: dict[str, Any]) -> bool:
    matched = rowcount(
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == "sending")
            .values(**values)
        )
    )
    return matched == 1


def refresh_pending(session: Session, round_id: str, slot: str, payload: dict[str, Any]) -> int:
    """Give the slot's messages that still wait to be sent this newer `payload`, in
    place. A redraw of the card that finds one waiting (a slow or rate-limited
    platform) adds no row: the slot keeps at most the one it had. Returns how many."""
    return rowcount(
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.round_id == round_id,
                OutboxMessage.slot == slot,
                OutboxMessage.status == "pending",
            )
            .values(payload=payload)
            .execution_options(synchronize_session=False)
        )
    )


_NEWER_PENDING = (
    select(_OUTBOX.c.id)
    .where(
        _OUTBOX.c.round_id == bindparam("round_id"),
        _OUTBOX.c.slot == bindparam("slot"),
        _OUTBOX.c.id > bindparam("after_id"),
        _OUTBOX.c.status == "pending",
    )
    .limit(1)
)


def newer_pending(session: Session, round_id: str, slot: str, after_id: int) -> bool:
    """Whether a later message for the same slot waits in the outbox (so this
    one is outdated before it is sent)."""
    params = {"round_id": round_id, "slot": slot, "after_id": after_id}
    return session.scalar(_NEWER_PENDING, params) is not None


def undelivered(session: Session, round_id: str) -> int:
    """How many of a round's messages failed for good or may not have arrived."""
    return len(
        session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.round_id == round_id,
                OutboxMessage.status.in_(("failed", "uncertain")),
            )
        ).all()
    )


def slot_uncertain(session: Session, round_id: str, slot: str) -> bool:
    """Whether a post of this slot (the card) may have arrived without our knowing:
    a crash during the send left it uncertain, and it was never recorded as posted."""
    found = session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.round_id == round_id,
            OutboxMessage.slot == slot,
            OutboxMessage.status == "uncertain",
        )
        .limit(1)
    ).first()
    return found is not None


def slot_of_posted(session: Session, round_id: str, external_id: str) -> str | None:
    """Which of a round's slot messages this platform message is, or one of its parts."""
    return next(
        (slot for slot, parts in posted_parts(session, round_id).items() if external_id in parts),
        None,
    )


def round_for_posted(
    session: Session, platform: str, channel: str, external_id: str, *, slot: str = "card"
) -> str | None:
    """The round whose slot message (by default its card) is this platform message:
    how a reply in a thread finds the round the thread hangs under."""
    return session.scalars(
        select(PostedMessage.round_id).where(
            PostedMessage.platform == platform,
            PostedMessage.channel == channel,
            PostedMessage.external_id == external_id,
            PostedMessage.slot == slot,
        )
    ).first()
