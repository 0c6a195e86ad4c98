"""Rounds: the snapshot row, the append-only event log, and processed commands.

The service handles a command in one transaction:

    find_processed(key)                 -> stored outcome? return it, done
    get_round_for_update(id), load_events(id)
    decide ...
    append_events(id, expected_version=round.version, events, snapshot=..., now=...)
    record_processed(key, round_id=id, outcome=...)
    projections, outbox ...
    commit

When another transaction got there first, append_events or record_processed
raise VersionConflict (AlreadyProcessed is one); roll back and start over.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from storage._sql import dialect_insert, is_unique_violation, run, table_of
from storage.errors import AlreadyProcessed, NotFound, VersionConflict
from storage.models import ProcessedCommand, Round, RoundEvent, Team, Tenant
from storage.teams import TEAM_PLACE_COLUMNS, TeamPlace

__all__ = [
    "NewEvent",
    "RoundHead",
    "RoundSnapshot",
    "active_rounds",
    "append_events",
    "create_round",
    "due_rounds",
    "find_processed",
    "get_round",
    "get_round_for_update",
    "load_events",
    "record_processed",
    "round_head",
]

# What a command runs on every click is built once, here, with its values bound at
# execution: building a statement costs SQLAlchemy more than running it.
_ROUNDS = table_of(Round)
_EVENTS = table_of(RoundEvent)
_PROCESSED = table_of(ProcessedCommand)
_TEAMS = table_of(Team)
_TENANTS = table_of(Tenant)


class RoundHead(NamedTuple):
    """The few columns of a round a command needs (not its protocol document), and
    where its team lives."""

    id: str
    team_id: int
    version: int
    status: str
    purged: bool
    # When the clock next has something to do for the round (the sweep's column).
    deadline: datetime | None
    # Its team's language now (what an answer to the command is told in).
    language: str
    place: TeamPlace


def _head(*, for_update: bool) -> Any:
    query = (
        select(
            _ROUNDS.c.id,
            _ROUNDS.c.team_id,
            _ROUNDS.c.version,
            _ROUNDS.c.status,
            _ROUNDS.c.purged_at.is_not(None),
            _ROUNDS.c.deadline,
            _TEAMS.c.language,
            *TEAM_PLACE_COLUMNS,
        )
        .select_from(_ROUNDS)
        .join(_TEAMS, _TEAMS.c.id == _ROUNDS.c.team_id)
        .join(_TENANTS, _TENANTS.c.id == _TEAMS.c.tenant_id)
        .where(_ROUNDS.c.id == bindparam("round_id"))
    )
    # Only the round's row: its team's and workspace's are shared by other rounds.
    return query.with_for_update(of=_ROUNDS) if for_update else query


_HEAD = _head(for_update=False)
_HEAD_FOR_UPDATE = _head(for_update=True)


def round_head(session: Session, round_id: str, *, for_update: bool = False) -> RoundHead | None:
    """A round's id, team, version, status, whether it was purged, and its team's
    language and place, in one query; `for_update` locks the round until the transaction ends, as
    `get_round_for_update` does."""
    query = _HEAD_FOR_UPDATE if for_update else _HEAD
    row = run(session, query, {"round_id": round_id}).one_or_none()
    if row is None:
        return None
    return RoundHead(
        row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6], TeamPlace(*row[7:])
    )


@dataclass(frozen=True)
class NewEvent:
    """An event to append; its seq is given by its place after the expected version."""

    kind: str
    payload: dict[str, Any]
    occurred_at: datetime
    actor: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class RoundSnapshot:
    """The query fields of a round after the new events."""

    status: str
    current_step: str | None
    deadline: datetime | None
    # Given once, with the events that end the round: when its content is purged.
    purge_at: datetime | None = None


def create_round(
    session: Session,
    *,
    round_id: str,
    team_id: int,
    protocol_id: str,
    protocol_version: str,
    protocol_snapshot: dict[str, Any],
    mode: str,
    status: str,
    started_by: str,
    now: datetime,
    current_step: str | None = None,
    deadline: datetime | None = None,
) -> Round:
    """Insert a round at version 0 (no events yet).

    Raises VersionConflict when a round with this id exists already.
    """
    inserted = session.execute(
        dialect_insert(session, Round)
        .values(
            id=round_id,
            team_id=team_id,
            protocol_id=protocol_id,
            protocol_version=protocol_version,
            protocol_snapshot=protocol_snapshot,
            mode=mode,
            status=status,
            current_step=current_step,
            deadline=deadline,
            version=0,
            started_by=started_by,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(Round.id)
    ).scalar_one_or_none()
    if inserted is None:
        raise VersionConflict(f"round {round_id} exists already")
    created = get_round(session, round_id)
    assert created is not None  # inserted in this very transaction
    return created


def get_round(session: Session, round_id: str) -> Round | None:
    return session.scalars(
        select(Round).where(Round.id == round_id).execution_options(populate_existing=True)
    ).one_or_none()


def get_round_for_update(session: Session, round_id: str) -> Round | None:
    """The round, locked until the transaction ends (PostgreSQL; SQLite has no row locks).

    A second transaction that asks for the same round waits here, then reads
    the winner's version, so it decides on fresh state instead of conflicting.
    """
    return session.scalars(
        select(Round)
        .where(Round.id == round_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def load_events(session: Session, round_id: str, after_seq: int = 0) -> list[RoundEvent]:
    """The round's events with seq > after_seq, in order."""
    return list(
        session.scalars(
            select(RoundEvent)
            .where(RoundEvent.round_id == round_id, RoundEvent.seq > after_seq)
            .order_by(RoundEvent.seq)
        )
    )


def append_events(
    session: Session,
    round_id: str,
    expected_version: int,
    events: Sequence[NewEvent],
    *,
    snapshot: RoundSnapshot,
    now: datetime,
) -> None:
    """Append events at seq expected_version+1... and update the round's snapshot.

    Raises VersionConflict when the round is no longer at expected_version;
    the transaction must then be rolled back. Raises NotFound for an unknown round.
    """
    if not events:
        raise ValueError("append_events needs at least one event")
    new_version = expected_version + len(events)
    values = {
        "round_id": round_id,
        "expected": expected_version,
        "version": new_version,
        "status": snapshot.status,
        "current_step": snapshot.current_step,
        "deadline": snapshot.deadline,
        "now": now,
    }
    # The guarded update comes first: on PostgreSQL the loser of a race waits
    # on the row lock here and then matches no row, without a failed INSERT.
    if snapshot.purge_at is not None:
        result = run(session, _ADVANCE_AND_END, {**values, "purge_at": snapshot.purge_at})
    else:
        result = run(session, _ADVANCE, values)
    matched = result.rowcount
    # A Round this session loaded shows its old version: let it read the new one.
    loaded = session.identity_map.get(identity_key(Round, round_id))
    if loaded is not None:
        session.expire(loaded)
    if matched == 0:
        if session.get(Round, round_id) is None:
            raise NotFound(f"round {round_id}")
        raise VersionConflict(f"round {round_id} is no longer at version {expected_version}")
    rows = [
        {
            "round_id": round_id,
            "seq": expected_version + offset,
            "kind": event.kind,
            "payload": event.payload,
            "actor": event.actor,
            "idempotency_key": event.idempotency_key,
            "occurred_at": event.occurred_at,
        }
        for offset, event in enumerate(events, start=1)
    ]
    # The caller's own pending changes go first, so their errors are not
    # mistaken for a conflict below.
    session.flush()
    try:
        run(session, _APPEND, rows)
    except IntegrityError as exc:
        # Only reachable when the log ran ahead of the version; treat it the same.
        if is_unique_violation(exc):
            raise VersionConflict(
                f"round {round_id} already has event {expected_version + 1}"
            ) from exc
        raise


def _advance(*, ending: bool) -> Any:
    values: dict[str, Any] = {
        "version": bindparam("version"),
        "status": bindparam("status"),
        "current_step": bindparam("current_step"),
        "deadline": bindparam("deadline"),
        "updated_at": bindparam("now"),
    }
    if ending:
        values.update(ended_at=bindparam("now"), purge_at=bindparam("purge_at"))
    return (
        _ROUNDS.update()
        .where(_ROUNDS.c.id == bindparam("round_id"), _ROUNDS.c.version == bindparam("expected"))
        .values(**values)
    )


_ADVANCE = _advance(ending=False)
_ADVANCE_AND_END = _advance(ending=True)
_APPEND = insert(_EVENTS)


def active_rounds(session: Session, team_id: int, *, statuses: Collection[str]) -> list[Round]:
    """The team's rounds whose status is one of `statuses` (the engine names them)."""
    return list(
        session.scalars(
            select(Round)
            .where(Round.team_id == team_id, Round.status.in_(statuses))
            .order_by(Round.created_at, Round.id)
        )
    )


def count_rounds(session: Session, *, statuses: Collection[str]) -> int:
    """How many rounds are in one of `statuses` (for the metrics)."""
    return int(session.scalar(select(func.count(Round.id)).where(Round.status.in_(statuses))) or 0)


def due_rounds(
    session: Session, now: datetime, *, statuses: Collection[str], limit: int
) -> list[Round]:
    """Rounds in one of `statuses` whose deadline has passed, oldest deadline first.

    On PostgreSQL the rows are locked until the transaction ends and rows that
    another sweeper holds are skipped, so two replicas never sweep one round;
    handle them in the same transaction.
    """
    return list(
        session.scalars(
            select(Round)
            .where(Round.status.in_(statuses), Round.deadline <= now)
            .order_by(Round.deadline, Round.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
    )


def set_wake_up(session: Session, round_id: str, at: datetime | None) -> None:
    """Move the round's wake-up moment (its `deadline` column, which the sweep reads)
    without new events: the clock only redrew the round's card."""
    session.execute(
        update(Round)
        .where(Round.id == round_id)
        .values(deadline=at)
        .execution_options(synchronize_session=False)
    )


_FIND_PROCESSED = select(
    _PROCESSED.c.round_id, _PROCESSED.c.outcome, _PROCESSED.c.created_at
).where(_PROCESSED.c.idempotency_key == bindparam("key"))


def find_processed(session: Session, idempotency_key: str) -> ProcessedCommand | None:
    """The record of a command handled before (read only: not added to the session)."""
    row = run(session, _FIND_PROCESSED, {"key": idempotency_key}).one_or_none()
    if row is None:
        return None
    return ProcessedCommand(
        idempotency_key=idempotency_key, round_id=row[0], outcome=row[1], created_at=row[2]
    )


def record_processed(
    session: Session,
    idempotency_key: str,
    *,
    round_id: str | None,
    outcome: dict[str, Any],
) -> None:
    """Remember that a command was handled and what the caller answered.

    Raises AlreadyProcessed (a VersionConflict) when another transaction
    recorded the key first; the transaction stays usable but must be rolled
    back, since its work duplicates the winner's.
    """
    connection = session.connection()
    inserted = connection.execute(
        _RECORD_PROCESSED[connection.dialect.name],
        {"key": idempotency_key, "round_id": round_id, "outcome": outcome},
    ).scalar_one_or_none()
    if inserted is None:
        raise AlreadyProcessed(f"command {idempotency_key!r} was processed already")


def _record_processed(dialect: Any) -> Any:
    return (
        dialect.insert(_PROCESSED)
        .values(
            idempotency_key=bindparam("key"),
            round_id=bindparam("round_id"),
            outcome=bindparam("outcome"),
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(_PROCESSED.c.idempotency_key)
    )


_RECORD_PROCESSED = {
    "postgresql": _record_processed(postgresql),
    "sqlite": _record_processed(sqlite),
}
