"""Races between transactions, each thread on a connection of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage import (
    AlreadyProcessed,
    Member,
    NewEvent,
    OutgoingMessage,
    RoundSnapshot,
    VersionConflict,
    append_events,
    claim_outbox,
    enqueue,
    get_or_create_member,
    get_round_for_update,
    load_events,
    record_processed,
)

THREADS = 10
RUNNING = RoundSnapshot(status="running", current_step=None, deadline=None)
T = TypeVar("T")


def race(work: Callable[[int], T], threads: int = THREADS) -> list[T | Exception]:
    """Run work(i) in parallel threads released together; results or exceptions."""
    start = threading.Barrier(threads)

    def run(i: int) -> T | Exception:
        start.wait()
        try:
            return work(i)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(run, range(threads)))


def test_ten_appends_at_the_same_version_one_wins_nine_conflict(
    session_factory: sessionmaker[Session], round_id: str, now: datetime
) -> None:
    def append(i: int) -> int:
        with session_factory.begin() as session:
            append_events(
                session,
                round_id,
                0,
                [NewEvent(kind="Contributed", payload={"by": i}, occurred_at=now)],
                snapshot=RUNNING,
                now=now,
            )
            return i

    results = race(append)

    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1
    conflicts = [r for r in results if isinstance(r, Exception)]
    assert len(conflicts) == THREADS - 1
    assert all(isinstance(c, VersionConflict) for c in conflicts), conflicts
    with session_factory() as session:
        assert [(e.seq, e.payload["by"]) for e in load_events(session, round_id)] == [
            (1, winners[0])
        ]


def test_racing_deciders_that_reread_after_a_conflict_all_land_without_gaps(
    session_factory: sessionmaker[Session], round_id: str, now: datetime
) -> None:
    def decide_until_it_lands(i: int) -> int:
        for _ in range(100):
            try:
                with session_factory.begin() as session:
                    round_ = get_round_for_update(session, round_id)
                    assert round_ is not None
                    append_events(
                        session,
                        round_id,
                        round_.version,
                        [NewEvent(kind="Contributed", payload={"by": i}, occurred_at=now)],
                        snapshot=RUNNING,
                        now=now,
                    )
                    return i
            except VersionConflict:
                continue
        raise AssertionError("never landed")

    results = race(decide_until_it_lands)

    assert sorted(r for r in results if isinstance(r, int)) == list(range(THREADS))
    with session_factory() as session:
        events = load_events(session, round_id)
        assert [e.seq for e in events] == list(range(1, THREADS + 1))
        assert sorted(e.payload["by"] for e in events) == list(range(THREADS))


def test_a_command_recorded_by_racing_transactions_is_recorded_once(
    session_factory: sessionmaker[Session],
) -> None:
    def record(i: int) -> int:
        with session_factory.begin() as session:
            record_processed(session, "slack:trigger:42", round_id=None, outcome={"by": i})
            return i

    results = race(record)

    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1
    assert all(isinstance(r, AlreadyProcessed) for r in results if isinstance(r, Exception))


def test_get_or_create_member_raced_from_several_threads_ends_with_one_row(
    session_factory: sessionmaker[Session], team_id: int
) -> None:
    def join(i: int) -> int:
        with session_factory.begin() as session:
            return get_or_create_member(session, team_id, "U0042", display_name="Anneke").id

    results = race(join)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    with session_factory() as session:
        count = session.scalar(select(func.count()).select_from(Member))
        assert count == 1


def test_two_outbox_claimers_never_claim_the_same_message(
    session_factory: sessionmaker[Session], team_id: int, now: datetime
) -> None:
    total = 60
    with session_factory.begin() as session:
        enqueue(
            session,
            [
                OutgoingMessage(
                    team_id=team_id,
                    platform="slack",
                    destination={"channel": "C0001"},
                    payload={"n": n},
                )
                for n in range(total)
            ],
            now=now,
        )

    def claim_all(i: int) -> list[int]:
        mine: list[int] = []
        while True:
            with session_factory.begin() as session:
                claimed = claim_outbox(session, now=now + timedelta(seconds=1), limit=3)
                if not claimed:
                    return mine
                mine.extend(message.id for message in claimed)

    results = race(claim_all, threads=4)

    assert not [r for r in results if isinstance(r, Exception)], results
    claimed = [message_id for r in results if isinstance(r, list) for message_id in r]
    assert len(claimed) == total
    assert len(set(claimed)) == total
