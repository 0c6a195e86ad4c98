"""How the cost of one command grows with the length of a round's log.

The service folds a round's whole log for every command. This measures one
command on a long round (about 400 events: a big team, a long async round)
against the same command on a fresh round, in the same run, on the same
database, and checks the ratio against the goal. Machines here are noisy, so
only ratios count, never seconds.

    .venv/bin/python bench/bench_rounds.py
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import storage
from bot.engine import DomainError
from bot.engine import commands as cmd
from bot.service import Person, Place, RoundService, SystemClock
from protocols.loader import load_library

# A command on a 400-event round may cost at most this many times one on a fresh round.
GOAL = 8.0
RUNS = 30


def _service(folder: Path) -> RoundService:
    engine = storage.make_engine(f"sqlite:///{folder / 'bench.db'}")
    storage.upgrade(engine)
    return RoundService(storage.make_session_factory(engine), load_library(), SystemClock())


def _round(service: RoundService, channel: str, people: int) -> str:
    place = Place("web", "local", channel)
    outcome = service.start(place, Person("p0", "P0"), "incident", mode="async")
    assert outcome.round_id
    for n in range(1, people):
        service.handle(outcome.round_id, cmd.Join(user=f"p{n}", name=f"P{n}"))
    return outcome.round_id


def _grow(service: RoundService, round_id: str, people: int) -> int:
    """Play the round on until its log is long; returns the number of events."""
    service.handle(round_id, cmd.Advance(user="p0"))
    for n in range(people):
        service.handle(round_id, cmd.Acknowledge(user=f"p{n}"))
    for n in range(people):
        service.handle(round_id, cmd.Contribute(user=f"p{n}", text=f"Casus {n}"))
    state = service.round(round_id)
    assert state is not None
    return state.version


def _time(action: Callable[[], object]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with contextlib.suppress(DomainError):
            action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        service = _service(Path(folder))
        fresh = _round(service, "fresh", 3)
        long = _round(service, "long", 200)
        events = _grow(service, long, 200)

        def status(round_id: str) -> Callable[[], object]:
            # A refused command still loads and folds the whole log: the cost we measure.
            return lambda: service.handle(round_id, cmd.Pause(user="nobody"))

        base = _time(status(fresh))
        heavy = _time(status(long))
    ratio = heavy / base
    verdict = "ok" if ratio <= GOAL else "TOO SLOW"
    print(
        f"command on a {events}-event round costs {ratio:.1f}x a fresh round's "
        f"(goal <= {GOAL}x): {verdict}"
    )
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
