"""What the click benchmarks share: the apps in processes of their own, the closed
loop of clickers, the runs, their ratios and the goals of issue 14.

A platform's benchmark (bench_clicks.py for Slack, bench_teams.py for Teams)
brings the fake platform, how one click is sent, and the two apps.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.scratch import scratch_postgres_database

# The content key of the benchmarks' throw-away databases (PostgreSQL has no key
# file beside it, and content at rest is always sealed).
BENCH_SECRET = "bench-only-content-key-of-32-characters-or-more"
POSTGRES = os.environ.get(
    "DIALOOG_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Goals from issue 14: throughput ratio (dialoog / bare) at least, p99 ratio at most.
THROUGHPUT_GOAL = {
    ("sqlite", 100): 0.5,
    ("postgres", 100): 0.5,
    ("sqlite", 0): 0.5,
    ("postgres", 0): 0.4,
}
P99_GOAL_AT_LATENCY = 2.0
# A folder for CPU profiles of both apps (--profile), passed on to their processes.
PROFILE_ENV = "DIALOOG_BENCH_PROFILE"

HEADER = (
    "| db | latency ms | channels | dialoog clicks/s | bare clicks/s "
    "| throughput ratio (range) | dialoog p50 ms | dialoog p99 ms | bare p99 ms "
    "| p99 ratio (range) | dialoog CPU ms/click | bare CPU ms/click "
    "| machine busy, dialoog / bare |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all cores of the machine spent on anything but idling so far."""
    first = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ticks = [int(value) for value in first]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def profile_on_signals(to: Path) -> None:
    """--profile: yappi (CPU time, every thread) runs between SIGUSR1 and SIGUSR2,
    which the benchmark sends around each measured run; each stop writes the
    figures so far to `to`.pstats (for pstats or snakeviz) and `to`.txt."""
    import pstats

    import yappi  # only for profiling: not a dependency of the project

    yappi.set_clock_type("cpu")
    loop = asyncio.get_running_loop()

    def stop() -> None:
        yappi.stop()
        yappi.get_func_stats().save(f"{to}.pstats", type="pstat")
        with open(f"{to}.txt", "w") as out:
            stats = pstats.Stats(f"{to}.pstats", stream=out)
            stats.sort_stats("cumulative").print_stats(120)
            stats.sort_stats("tottime").print_stats(60)

    loop.add_signal_handler(signal.SIGUSR1, lambda: yappi.start(builtins=False))
    loop.add_signal_handler(signal.SIGUSR2, stop)


async def serve(app: str, context: contextlib.AbstractAsyncContextManager[str]) -> None:
    """The app under test in a process of its own: it prints its URL, then serves."""
    async with context as url:
        if os.environ.get(PROFILE_ENV):
            profile_on_signals(Path(os.environ[PROFILE_ENV]) / app)
        print(url, flush=True)
        await asyncio.Event().wait()


@contextlib.asynccontextmanager
async def app_process(script: str, *args: str) -> AsyncIterator[tuple[str, int]]:
    """Start `script --serve args...` in a child process (the fake platform and the
    clickers stay here, so they take no CPU from the app); yield its URL and pid."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, script, "--serve", *args, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(child.stdout.readline(), timeout=60)
        if not line.startswith(b"http"):
            raise RuntimeError(f"{args[0]} did not start")
        yield line.decode().strip(), child.pid
    finally:
        if child.returncode is None:
            child.terminate()
        await child.wait()


def set_profile_folder(folder: str | None) -> None:
    if folder:
        os.environ[PROFILE_ENV] = str(Path(folder).resolve())
        Path(os.environ[PROFILE_ENV]).mkdir(parents=True, exist_ok=True)


@contextlib.asynccontextmanager
async def listening(app: web.Application) -> AsyncIterator[str]:
    """An aiohttp app on 127.0.0.1 at a free port (a bare app under test); its URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """A fresh database: a SQLite file in `folder`, or a scratch PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    with scratch_postgres_database(POSTGRES, prefix="dialoog_bench") as url:
        yield url


async def until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out: {what}")
        await asyncio.sleep(0.01)


# -- one measured run --------------------------------------------------------------------


@dataclass
class Target:
    """An app under test: its process, and how each channel's person clicks and
    sees that the platform has the update the click caused."""

    name: str
    pid: int
    channels: list[str]
    click: Callable[[str], Awaitable[None]]
    updates: dict[str, asyncio.Event] = field(default_factory=dict)


@dataclass
class Run:
    clicks: int
    seconds: float
    latencies: list[float]
    # CPU the app's process used during the run.
    cpu: float
    # The share of all the machine's cores busy meanwhile (app, clickers, fake, database).
    busy: float

    @property
    def cpu_per_click(self) -> float:
        return self.cpu / self.clicks

    @property
    def throughput(self) -> float:
        return self.clicks / self.seconds

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p99(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def measure(target: Target, seconds: float) -> Run:
    """Each channel's person clicks, waits until the platform has the update, and
    clicks again, for `seconds`."""
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []

    async def person(channel: str) -> None:
        event = target.updates.setdefault(channel, asyncio.Event())
        while time.monotonic() < stop_at:
            event.clear()
            started = time.monotonic()
            await target.click(channel)
            await asyncio.wait_for(event.wait(), timeout=30)
            latencies.append(time.monotonic() - started)

    profiling = bool(os.environ.get(PROFILE_ENV))
    began, cpu, machine = time.monotonic(), cpu_seconds(target.pid), machine_busy_seconds()
    if profiling:
        os.kill(target.pid, signal.SIGUSR1)
    await asyncio.gather(*(person(c) for c in target.channels))
    if profiling:
        os.kill(target.pid, signal.SIGUSR2)
    seconds = time.monotonic() - began
    busy = (machine_busy_seconds() - machine) / (seconds * (os.cpu_count() or 1))
    return Run(len(latencies), seconds, latencies, cpu_seconds(target.pid) - cpu, busy)


async def alternate(ours: Target, bare: Target, *, seconds: float, runs: int) -> Result:
    """A warm-up each, then `runs` runs of each, alternating which goes first."""
    await measure(ours, 1.0)
    await measure(bare, 1.0)
    result = Result("", 0, len(ours.channels), [], [])
    for n in range(runs):
        for target in (ours, bare) if n % 2 == 0 else (bare, ours):
            run = await measure(target, seconds)
            (result.ours if target is ours else result.bare).append(run)
    return result


# -- the matrix ------------------------------------------------------------------------


@dataclass
class Result:
    db: str
    latency_ms: int
    channels: int
    ours: list[Run]
    bare: list[Run]

    def ratios(self, of: Callable[[Run], float]) -> list[float]:
        return [of(a) / of(b) for a, b in zip(self.ours, self.bare, strict=True)]

    def row(self) -> str:
        tp = self.ratios(lambda r: r.throughput)
        p99 = self.ratios(lambda r: r.p99)
        ours, bare = self.ours, self.bare
        return (
            f"| {self.db} | {self.latency_ms} | {self.channels} "
            f"| {statistics.median(r.throughput for r in ours):.0f} "
            f"| {statistics.median(r.throughput for r in bare):.0f} "
            f"| **{statistics.median(tp):.2f}** ({min(tp):.2f}-{max(tp):.2f}) "
            f"| {1000 * statistics.median(r.p50 for r in ours):.0f} "
            f"| {1000 * statistics.median(r.p99 for r in ours):.0f} "
            f"| {1000 * statistics.median(r.p99 for r in bare):.0f} "
            f"| **{statistics.median(p99):.2f}** ({min(p99):.2f}-{max(p99):.2f}) "
            f"| {1000 * statistics.median(r.cpu_per_click for r in ours):.1f} "
            f"| {1000 * statistics.median(r.cpu_per_click for r in bare):.1f} "
            f"| {100 * statistics.median(r.busy for r in ours):.0f} % "
            f"/ {100 * statistics.median(r.busy for r in bare):.0f} % |"
        )

    def missed(self) -> list[str]:
        out = []
        tp = statistics.median(self.ratios(lambda r: r.throughput))
        goal = THROUGHPUT_GOAL[(self.db, 100 if self.latency_ms else 0)]
        if (self.channels >= 8 or self.latency_ms == 0) and tp < goal:
            out.append(
                f"{self.db} {self.latency_ms} ms x{self.channels}: throughput {tp:.2f} < {goal}"
            )
        p99 = statistics.median(self.ratios(lambda r: r.p99))
        if self.latency_ms and self.channels >= 8 and p99 > P99_GOAL_AT_LATENCY:
            out.append(f"{self.db} {self.latency_ms} ms x{self.channels}: p99 {p99:.2f} > 2")
        return out


def verdict(results: list[Result]) -> int:
    """Print whether the goals were met; the exit status."""
    missed = [m for r in results for m in r.missed()]
    print("goals: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


# -- the matrix, for any platform -------------------------------------------------------


class Platform:
    """What a platform's benchmark brings; `fake` is its loopback service, whose
    `latency` (seconds) every call waits before it is answered."""

    script: str
    fake: Any
    # What the table calls the app compared with the bare one.
    ours_name = "dialoog"

    def __init__(self, fake: Any, http: aiohttp.ClientSession) -> None:
        self.fake = fake
        self.http = http

    def bare_args(self) -> list[str]:
        raise NotImplementedError

    def ours_args(self, database_url: str) -> list[str]:
        raise NotImplementedError

    async def ours(self, url: str, pid: int, channels: list[str]) -> Target:
        """Live rounds in the channels, at the step where the click is offered."""
        raise NotImplementedError

    def bare(self, url: str, pid: int, channels: list[str]) -> Target:
        raise NotImplementedError


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--latency", nargs="+", type=int, default=[0, 100], help="ms")
    parser.add_argument("--channels", nargs="+", type=int, default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=4.0, help="per run")
    parser.add_argument("--runs", type=int, default=3, help="of each, alternating")
    parser.add_argument(
        "--profile", metavar="FOLDER", help="CPU profiles (yappi) of both apps' measured runs"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="in dialoog's place, the least app that stores each click before it answers",
    )
    args = parser.parse_args()
    set_profile_folder(args.profile)
    return args


async def matrix(platform: Platform, args: argparse.Namespace) -> int:
    """Every asked combination of database, latency and channels; the exit status."""
    print(HEADER.replace("dialoog", platform.ours_name), flush=True)
    results: list[Result] = []
    async with app_process(platform.script, *platform.bare_args()) as (bare_url, bare_pid):
        for db in args.db:
            with tempfile.TemporaryDirectory() as folder, database(db, Path(folder)) as url:
                for latency in args.latency:
                    for count in args.channels:
                        channels = [
                            f"C{db[:2].upper()}{latency}N{count}X{i:02d}" for i in range(count)
                        ]
                        bare = platform.bare(bare_url, bare_pid, channels)
                        async with app_process(platform.script, *platform.ours_args(url)) as (
                            ours_url,
                            ours_pid,
                        ):
                            platform.fake.latency = 0.0  # setting up is not what we measure
                            ours = await platform.ours(ours_url, ours_pid, channels)
                            platform.fake.latency = latency / 1000
                            result = await alternate(
                                ours, bare, seconds=args.seconds, runs=args.runs
                            )
                        result.db, result.latency_ms = db, latency
                        print(result.row(), flush=True)
                        results.append(result)
    return verdict(results)
