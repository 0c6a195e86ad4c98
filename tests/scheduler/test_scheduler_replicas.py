"""Two server processes on one PostgreSQL database: each occurrence starts one round."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.scheduler.firing import FireReport, Firing
from tests.fakes.clock import ManualClock
from tests.scheduler.conftest import GRACE, claims, fields, finish_all, local, planned, rounds

pytestmark = pytest.mark.postgres


@pytest.fixture
def replicas(postgres_url: str) -> Iterator[list[Runtime]]:
    """Two independent runtimes (engine, service, scheduler core, clock) on one database."""
    built = [
        build_runtime(
            Settings(DIALOOG_DATABASE_URL=postgres_url), clock=ManualClock(), migrate=False
        )
        for _ in range(2)
    ]
    yield built
    for runtime in built:
        runtime.engine.dispose()


def fire_together(replicas: list[Runtime], moment: str) -> list[FireReport]:
    """Both replicas run what is due at the same moment, released at once."""
    firings = [Firing(r.service, grace=GRACE) for r in replicas]
    for runtime in replicas:
        clock = runtime.clock
        assert isinstance(clock, ManualClock)
        clock.set(local(moment))
    gate = threading.Barrier(len(firings))
    reports: list[FireReport] = []
    errors: list[BaseException] = []

    def replica(firing: Firing) -> None:
        gate.wait()
        try:
            reports.append(firing.run_due())
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=replica, args=(f,)) for f in firings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return reports


def test_two_schedulers_firing_the_same_occurrence_start_one_round(
    replicas: list[Runtime],
) -> None:
    first, _ = replicas
    planned(first, fields(weekdays=["2"], reminders=["15"]))
    for attempt in range(5):
        # A fresh occurrence each time, so the race is run more than once.
        day = 25 + 7 * attempt
        moment = f"2026-11-{day} 15:30" if day <= 30 else f"2026-12-{day - 30:02d} 15:30"
        fire_together(replicas, moment.replace(" 15:30", " 15:15"))
        reports = fire_together(replicas, moment)
        assert sum(len(r.started) for r in reports) == 1, attempt
        finish_all(first)
    assert len(rounds(first)) == 5
    assert len(claims(first)) == 5
    notices = [c for c in claims(first, "notice:15")]
    assert len(notices) == 5, "each reminder once, too"
    with first.sessions() as session:
        from sqlalchemy import func, select

        import storage

        channel_notes = session.scalar(
            select(func.count())
            .select_from(storage.OutboxMessage)
            .where(storage.OutboxMessage.round_id.is_(None))
        )
    assert channel_notes == 5
