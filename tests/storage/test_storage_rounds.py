"""Rounds and their event log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session, sessionmaker

from storage import (
    NewEvent,
    NotFound,
    RoundSnapshot,
    VersionConflict,
    active_rounds,
    append_events,
    create_round,
    due_rounds,
    get_round,
    get_round_for_update,
    load_events,
)

RUNNING = RoundSnapshot(status="running", current_step="vragenronde", deadline=None)


def event(kind: str, now: datetime, **payload: object) -> NewEvent:
    return NewEvent(kind=kind, payload=dict(payload), occurred_at=now, actor="U0001")


def test_a_new_round_is_at_version_zero_with_its_protocol_snapshot(
    session_factory: sessionmaker[Session], round_id: str
) -> None:
    with session_factory() as session:
        round_ = get_round(session, round_id)
        assert round_ is not None
        assert round_.version == 0
        assert round_.protocol_snapshot == {"id": "incident", "steps": [{"id": "kies-casus"}]}
        assert load_events(session, round_id) == []


def test_creating_a_round_with_an_existing_id_raises_conflict(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    with session_factory() as session, pytest.raises(VersionConflict):
        create_round(
            session,
            round_id=round_id,
            team_id=team_id,
            protocol_id="balint",
            protocol_version="1",
            protocol_snapshot={},
            mode="async",
            status="running",
            started_by="U0002",
            now=now,
        )


def test_appended_events_get_consecutive_seqs_after_the_expected_version(
    session_factory: sessionmaker[Session], round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        append_events(session, round_id, 0, [event("RoundStarted", now)], snapshot=RUNNING, now=now)
    with session_factory.begin() as session:
        append_events(
            session,
            round_id,
            1,
            [event("ParticipantJoined", now, user="U2"), event("StepStarted", now, step="s1")],
            snapshot=RUNNING,
            now=now,
        )
    with session_factory() as session:
        assert [e.seq for e in load_events(session, round_id)] == [1, 2, 3]
        assert [e.kind for e in load_events(session, round_id)] == [
            "RoundStarted",
            "ParticipantJoined",
            "StepStarted",
        ]
        assert [e.seq for e in load_events(session, round_id, after_seq=1)] == [2, 3]


def test_appending_updates_the_round_snapshot_and_version(
    session_factory: sessionmaker[Session], round_id: str, now: datetime
) -> None:
    deadline = now + timedelta(minutes=10)
    later = now + timedelta(seconds=5)
    snapshot = RoundSnapshot(status="running", current_step="vragenronde", deadline=deadline)
    with session_factory.begin() as session:
        loaded = get_round(session, round_id)
        append_events(
            session,
            round_id,
            0,
            [event("RoundStarted", now), event("StepStarted", now)],
            snapshot=snapshot,
            now=later,
        )
        assert loaded is not None
        assert loaded.version == 2  # the object in the session follows the update
    with session_factory() as session:
        round_ = get_round(session, round_id)
        assert round_ is not None
        assert (round_.version, round_.status, round_.current_step) == (2, "running", "vragenronde")
        assert round_.deadline == deadline
        assert round_.updated_at == later


def test_second_append_at_the_same_version_raises_conflict(
    session_factory: sessionmaker[Session], round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        append_events(session, round_id, 0, [event("RoundStarted", now)], snapshot=RUNNING, now=now)
    with session_factory() as session:
        with pytest.raises(VersionConflict):
            append_events(
                session, round_id, 0, [event("RoundStarted", now)], snapshot=RUNNING, now=now
            )
        session.rollback()
    with session_factory() as session:
        assert [e.seq for e in load_events(session, round_id)] == [1]


def test_append_when_the_log_ran_ahead_of_the_version_raises_conflict(
    session_factory: sessionmaker[Session], round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        append_events(session, round_id, 0, [event("RoundStarted", now)], snapshot=RUNNING, now=now)
    with session_factory.begin() as session:
        round_ = get_round(session, round_id)
        assert round_ is not None
        round_.version = 0  # a snapshot out of step with its log
    with session_factory() as session, pytest.raises(VersionConflict):
        append_events(session, round_id, 0, [event("RoundStarted", now)], snapshot=RUNNING, now=now)


def test_appending_to_an_unknown_round_raises_not_found(
    session_factory: sessionmaker[Session], now: datetime
) -> None:
    with session_factory() as session, pytest.raises(NotFound):
        append_events(session, "no-such-round", 0, [event("X", now)], snapshot=RUNNING, now=now)


def test_appending_nothing_is_refused(
    session_factory: sessionmaker[Session], round_id: str, now: datetime
) -> None:
    with session_factory() as session, pytest.raises(ValueError):
        append_events(session, round_id, 0, [], snapshot=RUNNING, now=now)


def test_payloads_round_trip_with_dutch_text(
    session_factory: sessionmaker[Session], round_id: str, now: datetime
) -> None:
    payload = {
        "text": "Hoe reageerde de leerling op jouw vraag? Ideeën: één gesprek, café-overleg",
        "items": [1, 2.5, None, True, {"geneste": "ë"}],
    }
    with session_factory.begin() as session:
        append_events(
            session,
            round_id,
            0,
            [NewEvent(kind="ContributionAdded", payload=payload, occurred_at=now)],
            snapshot=RUNNING,
            now=now,
        )
    with session_factory() as session:
        (stored,) = load_events(session, round_id)
        assert stored.payload == payload
        assert stored.actor is None


def test_datetimes_come_back_timezone_aware_utc(
    session_factory: sessionmaker[Session], round_id: str
) -> None:
    amsterdam_summer = timezone(timedelta(hours=2))
    occurred = datetime(2025, 6, 30, 23, 30, 15, 123456, tzinfo=amsterdam_summer)
    deadline = datetime(2025, 7, 1, 9, 0, tzinfo=amsterdam_summer)
    snapshot = RoundSnapshot(status="running", current_step=None, deadline=deadline)
    with session_factory.begin() as session:
        append_events(
            session,
            round_id,
            0,
            [NewEvent(kind="RoundStarted", payload={}, occurred_at=occurred)],
            snapshot=snapshot,
            now=occurred,
        )
    with session_factory() as session:
        (stored,) = load_events(session, round_id)
        round_ = get_round(session, round_id)
        assert round_ is not None and round_.deadline is not None
        for value, expected in [(stored.occurred_at, occurred), (round_.deadline, deadline)]:
            assert value.tzinfo is not None
            assert value.utcoffset() == timedelta(0)
            assert value == expected
        assert stored.occurred_at == datetime(2025, 6, 30, 21, 30, 15, 123456, tzinfo=UTC)


def test_a_naive_datetime_is_refused(session_factory: sessionmaker[Session], round_id: str) -> None:
    naive = datetime(2025, 3, 4, 15, 30)
    with session_factory() as session, pytest.raises(StatementError, match="naive datetime"):
        append_events(
            session,
            round_id,
            0,
            [NewEvent(kind="RoundStarted", payload={}, occurred_at=naive)],
            snapshot=RUNNING,
            now=naive,
        )


def test_get_round_for_update_reads_the_round(
    session_factory: sessionmaker[Session], round_id: str
) -> None:
    with session_factory.begin() as session:
        round_ = get_round_for_update(session, round_id)
        assert round_ is not None and round_.id == round_id
        assert get_round_for_update(session, "no-such-round") is None


def test_active_rounds_are_those_of_the_team_in_the_given_statuses(
    session_factory: sessionmaker[Session], team_id: int, make_round: Callable[..., str]
) -> None:
    running = make_round(status="running")
    paused = make_round(status="paused")
    make_round(status="finished")
    with session_factory() as session:
        found = active_rounds(session, team_id, statuses={"running", "paused"})
        assert sorted(r.id for r in found) == sorted([running, paused])
        assert active_rounds(session, team_id + 1, statuses={"running"}) == []


def test_due_rounds_are_active_rounds_whose_deadline_passed_oldest_first(
    session_factory: sessionmaker[Session], make_round: Callable[..., str], now: datetime
) -> None:
    late = make_round(deadline=now - timedelta(minutes=5))
    later = make_round(deadline=now - timedelta(minutes=1))
    just_now = make_round(deadline=now)
    make_round(deadline=now + timedelta(seconds=1))
    make_round(deadline=None)
    make_round(status="finished", deadline=now - timedelta(hours=1))
    with session_factory.begin() as session:
        due = due_rounds(session, now, statuses={"running"}, limit=10)
        assert [r.id for r in due] == [late, later, just_now]
    with session_factory.begin() as session:
        assert [r.id for r in due_rounds(session, now, statuses={"running"}, limit=2)] == [
            late,
            later,
        ]
