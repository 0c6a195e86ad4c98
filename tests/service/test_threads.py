"""Where the database work of commands and of the dispatcher runs."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.service.threads import database_threads, in_database_thread, thread_count
from storage import make_engine, make_session_factory


async def test_on_sqlite_database_work_runs_on_one_thread_one_piece_after_the_other(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'one.db'}")
    sessions = make_session_factory(engine)
    spans: list[tuple[str, float, float]] = []

    def work() -> None:
        began = time.monotonic()
        time.sleep(0.02)
        spans.append((threading.current_thread().name, began, time.monotonic()))

    await asyncio.gather(*(in_database_thread(sessions, work) for _ in range(3)))
    engine.dispose()
    assert len({name for name, _, _ in spans}) == 1
    assert spans[0][0].startswith("dialoog-db")
    ordered = sorted(spans, key=lambda span: span[1])
    assert all(a[2] <= b[1] for a, b in itertools.pairwise(ordered))


@pytest.mark.postgres
def test_postgresql_gets_several_database_threads(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert thread_count(engine) > 1
        assert database_threads(make_session_factory(engine)) is database_threads(
            make_session_factory(engine)
        )
    finally:
        engine.dispose()


async def test_what_the_work_raises_reaches_the_caller(
    session_factory: sessionmaker[Session],
) -> None:
    def failing() -> None:
        raise LookupError("gone")

    with pytest.raises(LookupError, match="gone"):
        await in_database_thread(session_factory, failing)
