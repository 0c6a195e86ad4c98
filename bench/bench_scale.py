"""A school board's worth of rounds: the sweep's cost and the server's memory.

* sweep: one pass of the deadline sweep with 100 and with 1,000 open rounds
  (live, running, none due) and 10,000 schedules in the database. Goal: the pass
  costs the same (within 1.5x) at ten times the open rounds: it finds the due
  rounds through an index, not by reading them all. The scheduler's own pass over
  the schedules is timed too, for the record (it reads every active schedule).
* memory: the process's resident memory after 100 and after 1,000 rounds played
  to the end and sent through the dispatcher. Goal: within 10 %.

    .venv/bin/python bench/bench_scale.py            # both, on SQLite
    .venv/bin/python bench/bench_scale.py sweep --db postgres

PostgreSQL: DIALOOG_BENCH_POSTGRES_URL (default the CI server on 127.0.0.1).
Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import storage
from bench.harness import database
from bot.engine import commands as cmd
from bot.scheduler.firing import Firing
from bot.scheduler.recurrence import weekday_text
from bot.service import Delivery, Dispatcher, Person, Place, RoundService
from protocols.loader import load_library
from tests.fakes.clock import ManualClock
from tests.service.conftest import play_through

SWEEP_GOAL = 1.5
MEMORY_GOAL = 1.10


def _service(url: str, clock: ManualClock) -> RoundService:
    engine = storage.make_engine(url)
    storage.upgrade(engine)
    return RoundService(storage.make_session_factory(engine), load_library(), clock)


def _timed(action: Callable[[], object], runs: int = 15) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


# -- the sweep ---------------------------------------------------------------------------


def _open_rounds(service: RoundService, first: int, count: int) -> None:
    for n in range(first, first + count):
        place = Place("web", "board", f"team-{n:05d}")
        outcome = service.start(place, Person("ann", "Ann"), "incident")
        assert outcome.round_id
        service.handle(outcome.round_id, cmd.Join(user="bob", name="Bob"))
        service.handle(outcome.round_id, cmd.Advance(user="ann"))


def _schedules(service: RoundService, count: int, clock: ManualClock) -> None:
    with service.sessions() as session, session.begin():
        for n in range(count):
            team = storage.team_at(
                session,
                "web",
                "board",
                f"planned-{n:05d}",
                language="nl",
                timezone="Europe/Amsterdam",
            )
            storage.schedules.create_schedule(
                session,
                team_id=team.id,
                protocol_id="incident",
                mode="live",
                weekdays=weekday_text((1,)),
                time_of_day="15:30",
                interval="weekly",
                week_of_month=None,
                # Not begun yet: the pass reads and reckons every schedule, starts none.
                first_date=clock.now().date() + timedelta(days=60),
                lead_days=0,
                reminders=[],
                created_by="ann",
                created_by_name="Ann",
                now=clock.now(),
            )


def sweep(url: str) -> bool:
    clock = ManualClock()
    service = _service(url, clock)
    firing = Firing(service)
    _schedules(service, 1_000, clock)
    _open_rounds(service, 0, 100)
    small = _timed(service.sweep)
    small_firing = _timed(firing.run_due, runs=3)
    _schedules(service, 9_000, clock)
    _open_rounds(service, 100, 900)
    large = _timed(service.sweep)
    large_firing = _timed(firing.run_due, runs=3)
    ratio = large / small
    print(
        f"sweep pass: {1000 * small:.2f} ms with 100 open rounds, {1000 * large:.2f} ms with "
        f"1,000 (and 10,000 schedules): {ratio:.2f}x (goal <= {SWEEP_GOAL}x)"
    )
    print(
        f"scheduler pass: {1000 * small_firing:.0f} ms over 1,000 schedules, "
        f"{1000 * large_firing:.0f} ms over 10,000 ({large_firing / small_firing:.1f}x)"
    )
    return ratio <= SWEEP_GOAL


# -- memory --------------------------------------------------------------------------------


class NullSender:
    """A platform that takes everything at once."""

    def __init__(self) -> None:
        self.ids = 0

    async def deliver(self, delivery: Delivery) -> str | None:
        if delivery.existing is not None:
            return delivery.existing
        self.ids += 1
        return f"m{self.ids}"


def _play(service: RoundService, clock: ManualClock, n: int) -> None:
    """One board session with three colleagues, played to its end."""
    place = Place("web", "board", f"memory-{n:05d}")
    outcome = service.start(place, Person("ann", "Ann"), "board_session")
    assert outcome.round_id
    for user in ("bob", "cas"):
        service.handle(outcome.round_id, cmd.Join(user=user, name=user.title()))
    play_through(service, outcome.round_id, clock)


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def memory(url: str) -> bool:
    clock = ManualClock()
    service = _service(url, clock)
    dispatcher = Dispatcher(service.sessions, {"web": NullSender()}, clock)

    def rounds(first: int, count: int) -> int:
        for n in range(first, first + count):
            _play(service, clock, n)
            if n % 10 == 9:
                asyncio.run(dispatcher.run_once())
        asyncio.run(dispatcher.run_once())
        gc.collect()
        return _rss_kib()

    began = time.perf_counter()
    at_100 = rounds(0, 100)
    at_1000 = rounds(100, 900)
    ratio = at_1000 / at_100
    with service.sessions() as session:
        active = storage.count_rounds(session, statuses=("gathering", "running", "paused"))
    assert active == 0, "every round finished"
    print(
        f"resident memory: {at_100 / 1024:.1f} MiB after 100 finished rounds, "
        f"{at_1000 / 1024:.1f} MiB after 1,000: {ratio:.3f}x (goal <= {MEMORY_GOAL}x; "
        f"{time.perf_counter() - began:.0f} s)"
    )
    return ratio <= MEMORY_GOAL


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="*", default=["sweep", "memory"])
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    ok = True
    for what in args.what:
        with tempfile.TemporaryDirectory() as folder, database(args.db, Path(folder)) as url:
            ok = (sweep if what == "sweep" else memory)(url) and ok
    print("goals: " + ("all met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
