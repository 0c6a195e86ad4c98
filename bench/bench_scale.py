"""A school board's worth of rounds: the sweep's cost and the server's memory.

* sweep: one pass of the deadline sweep with 100 and with 1,000 open rounds
  (live, running, none due) and 10,000 schedules in the database. Goal: the pass
  costs the same (within 1.5x) at ten times the open rounds: it finds the due
  rounds through an index, not by reading them all. The same for the scheduler's
  pass, with 1,000 and with 10,000 schedules of which the same 10 are due: it
  reads the due schedules only (within 1.5x). The runner's minute poll (its
  table revision, and the full read of every row it does when that moved) and
  the first pass after a start (every schedule looked at) are timed for the record.
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

from sqlalchemy import select, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import storage
from bench.harness import BENCH_SECRET, database
from bot.engine import commands as cmd
from bot.scheduler.firing import Firing
from bot.scheduler.runner import ScheduleRunner
from bot.service import Delivery, Dispatcher, Person, Place, RoundService
from protocols.loader import load_library
from storage.models import Schedule
from tests.fakes.clock import ManualClock
from tests.scheduler.conftest import store_schedules
from tests.service.conftest import play_through

SWEEP_GOAL = 1.5
SCHEDULER_GOAL = 1.5
MEMORY_GOAL = 1.10
# Schedules due in each timed scheduler pass, at 1,000 and at 10,000.
DUE = 10


def _service(url: str, clock: ManualClock) -> RoundService:
    # The benchmarks' own content key: PostgreSQL refuses to store content without one.
    engine = storage.make_engine(url, secret_key=BENCH_SECRET)
    storage.upgrade(engine)
    return RoundService(storage.make_session_factory(engine), load_library(), clock)


def _timed(
    action: Callable[[], object],
    runs: int = 15,
    pick: Callable[[list[float]], float] = statistics.median,
) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return pick(samples)


# -- the sweep ---------------------------------------------------------------------------


def _open_rounds(service: RoundService, first: int, count: int) -> None:
    for n in range(first, first + count):
        place = Place("web", "board", f"team-{n:05d}")
        outcome = service.start(place, Person("ann", "Ann"), "incident")
        assert outcome.round_id
        service.handle(outcome.round_id, cmd.Join(user="bob", name="Bob"))
        service.handle(outcome.round_id, cmd.Advance(user="ann"))


def _schedules(service: RoundService, count: int, clock: ManualClock, prefix: str) -> None:
    # Not begun yet: a pass reckons them and starts none.
    first_date = clock.now().date() + timedelta(days=60)
    store_schedules(service.sessions, count, now=clock.now(), first_date=first_date, prefix=prefix)


def _scheduler(firing: Firing) -> dict[str, float]:
    """The scheduler's costs with the schedules stored now (seconds)."""
    began = time.perf_counter()
    first = firing.run_due()
    costs = {"first": time.perf_counter() - began}
    with firing.sessions() as session:
        due = list(session.scalars(select(Schedule.id).order_by(Schedule.id).limit(DUE)))

    def due_pass() -> None:
        # The same schedules come due each run (one small UPDATE, timed with it).
        with firing.sessions() as session, session.begin():
            session.execute(update(Schedule).where(Schedule.id.in_(due)).values(next_look_at=None))
        report = firing.run_due()
        assert report.looked == len(due), report

    # The fastest of many: a pass of a few milliseconds is what the machine's other
    # load makes of it, and the least disturbed run is the one that shows its cost.
    costs["pass"] = _timed(due_pass, runs=31, pick=min)
    runner = ScheduleRunner(firing)
    costs["revision"] = _timed(runner._revision)
    costs["read"] = _timed(runner._read, runs=3)
    assert first.looked >= 1_000, first
    return costs


def sweep(url: str) -> bool:
    clock = ManualClock()
    service = _service(url, clock)
    firing = Firing(service)
    _schedules(service, 1_000, clock, "planned-a")
    _open_rounds(service, 0, 100)
    small = _timed(service.sweep)
    small_firing = _scheduler(firing)
    _schedules(service, 9_000, clock, "planned-b")
    _open_rounds(service, 100, 900)
    large = _timed(service.sweep)
    large_firing = _scheduler(firing)
    ratio = large / small
    print(
        f"sweep pass: {1000 * small:.2f} ms with 100 open rounds, {1000 * large:.2f} ms with "
        f"1,000 (and 10,000 schedules): {ratio:.2f}x (goal <= {SWEEP_GOAL}x)"
    )
    scheduler_ratio = large_firing["pass"] / small_firing["pass"]
    print(
        f"scheduler pass, {DUE} due: {1000 * small_firing['pass']:.1f} ms with 1,000 schedules, "
        f"{1000 * large_firing['pass']:.1f} ms with 10,000: {scheduler_ratio:.2f}x "
        f"(goal <= {SCHEDULER_GOAL}x)"
    )
    for key, what in (
        ("first", "first pass after a start, every schedule looked at"),
        ("revision", "runner's minute poll, the table's revision"),
        ("read", "runner's full read of every schedule, when the revision moved"),
    ):
        print(
            f"  {what}: {1000 * small_firing[key]:.1f} ms (1,000), "
            f"{1000 * large_firing[key]:.1f} ms (10,000)"
        )
    return ratio <= SWEEP_GOAL and scheduler_ratio <= SCHEDULER_GOAL


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
    senders = {"web": NullSender()}

    def dispatch() -> None:
        # A dispatcher belongs to one event loop (its tasks do): one per asyncio.run.
        asyncio.run(Dispatcher(service.sessions, senders, clock).run_once())

    def rounds(first: int, count: int) -> int:
        for n in range(first, first + count):
            _play(service, clock, n)
            if n % 10 == 9:
                dispatch()
        dispatch()
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
