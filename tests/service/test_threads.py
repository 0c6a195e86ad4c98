"""Where the database work of commands and of the dispatcher runs."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.service.threads import command_threads, in_thread, outbox_thread, thread_count
from storage import make_engine, make_session_factory


def _sessions(tmp_path: Path) -> sessionmaker[Session]:
    return make_session_factory(make_engine(f"sqlite:///{tmp_path / 'one.db'}"))


async def test_on_sqlite_commands_run_on_one_thread_one_after_the_other(tmp_path: Path) -> None:
    sessions = _sessions(tmp_path)
    spans: list[tuple[str, float, float]] = []

    def work() -> None:
        began = time.monotonic()
        time.sleep(0.02)
        spans.append((threading.current_thread().name, began, time.monotonic()))

    await asyncio.gather(*(in_thread(command_threads(sessions), work) for _ in range(3)))
    assert len({name for name, _, _ in spans}) == 1
    assert spans[0][0].startswith("dialoog-db")
    ordered = sorted(spans, key=lambda span: span[1])
    assert all(a[2] <= b[1] for a, b in itertools.pairwise(ordered))


async def test_on_sqlite_the_dispatcher_shares_the_commands_thread(tmp_path: Path) -> None:
    sessions = _sessions(tmp_path)
    assert outbox_thread(sessions) is command_threads(sessions)


@pytest.mark.postgres
async def test_on_postgresql_the_dispatcher_does_not_wait_behind_the_commands(
    postgres_url: str,
) -> None:
    engine = make_engine(postgres_url)
    sessions = make_session_factory(engine)
    release = threading.Event()
    busy = [
        asyncio.ensure_future(in_thread(command_threads(sessions), release.wait, 5))
        for _ in range(thread_count(engine))
    ]
    try:
        name = await asyncio.wait_for(
            in_thread(outbox_thread(sessions), lambda: threading.current_thread().name), 2
        )
        assert name.startswith("dialoog-outbox")
    finally:
        release.set()
        await asyncio.gather(*busy)
        engine.dispose()


@pytest.mark.postgres
def test_postgresql_commands_get_several_threads_one_set_per_engine(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        assert thread_count(engine) > 1
        assert command_threads(make_session_factory(engine)) is command_threads(
            make_session_factory(engine)
        )
    finally:
        engine.dispose()


async def test_what_the_work_raises_reaches_the_caller(tmp_path: Path) -> None:
    def failing() -> None:
        raise LookupError("gone")

    with pytest.raises(LookupError, match="gone"):
        await in_thread(command_threads(_sessions(tmp_path)), failing)
