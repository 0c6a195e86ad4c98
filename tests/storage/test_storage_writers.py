"""SQLite's one writer at a time: writers of this process queue, readers go on.

Every explicit transaction (`with session.begin():`) on a SQLite file takes the
process's writer lock and then BEGIN IMMEDIATE; a second writer waits on the lock
and starts as soon as the first is done, instead of polling SQLite's busy handler.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage import make_engine, make_session_factory

SECRET = "writers-test-content-key-of-32-characters"


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", secret_key=SECRET)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    yield make_session_factory(engine)
    engine.dispose()


def test_a_second_writer_waits_for_the_first_and_reads_what_it_committed(
    sessions: sessionmaker[Session],
) -> None:
    first_holds = threading.Event()
    seen: list[int] = []

    def first() -> None:
        with sessions() as session, session.begin():
            session.execute(text("UPDATE counter SET n = n + 1"))
            first_holds.set()
            time.sleep(0.3)

    def second() -> None:
        first_holds.wait()
        with sessions() as session, session.begin():
            # Read, then write: with BEGIN IMMEDIATE the read is already the writer's.
            seen.append(session.execute(text("SELECT n FROM counter")).scalar_one())
            session.execute(text("UPDATE counter SET n = n + 1"))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen == [1]
    with sessions() as session:
        assert session.execute(text("SELECT n FROM counter")).scalar_one() == 2


def test_many_racing_writers_all_land_without_database_is_locked(
    sessions: sessionmaker[Session],
) -> None:
    errors: list[Exception] = []
    start = threading.Barrier(8)

    def writer() -> None:
        start.wait()
        for _ in range(25):
            try:
                with sessions() as session, session.begin():
                    n = session.execute(text("SELECT n FROM counter")).scalar_one()
                    session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
            except OperationalError as error:
                errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Read-modify-write without a lost update: every transaction saw the last one's commit.
    assert errors == []
    with sessions() as session:
        assert session.execute(text("SELECT n FROM counter")).scalar_one() == 200


def test_a_reader_goes_on_while_a_writer_holds_the_lock(sessions: sessionmaker[Session]) -> None:
    holds, done = threading.Event(), threading.Event()

    def writer() -> None:
        with sessions() as session, session.begin():
            session.execute(text("UPDATE counter SET n = 5"))
            holds.set()
            done.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    holds.wait()
    try:
        with sessions() as session:
            # WAL: the last committed value while the writer still holds its lock
            # (a read that queued for it would wait for `done`, which comes after).
            assert session.execute(text("SELECT n FROM counter")).scalar_one() == 0
    finally:
        done.set()
        thread.join()


def test_a_failed_transaction_lets_the_next_writer_in(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(ZeroDivisionError), sessions() as session, session.begin():
        session.execute(text("UPDATE counter SET n = 7"))
        raise ZeroDivisionError

    # Rolled back, and the lock was not left behind: a lock left would make this
    # writer wait out the busy timeout and fail with "database is locked".
    with sessions() as session, session.begin():
        session.execute(text("UPDATE counter SET n = n + 1"))
    with sessions() as session:
        assert session.execute(text("SELECT n FROM counter")).scalar_one() == 1
