"""A click end to end: from the HTTP request until Slack has made its chat.update.

N channels click at once, each person clicking again as soon as their card has
changed (a closed loop, like people who wait to see their click land). The
click is "+5 min" on a live round: the facilitator extends the step, the
service stores the event and queues the card, the dispatcher updates it. The
baseline is a bare slack-bolt AsyncApp on the same fake Slack and the same
machine that acks and does one chat.update per click. Both run in this
process, in alternating runs, so whatever else the machine does falls on both;
only the ratios count.

    .venv/bin/python bench/bench_clicks.py                   # the whole matrix
    .venv/bin/python bench/bench_clicks.py --db sqlite --channels 8 --latency 100

PostgreSQL: DIALOOG_BENCH_POSTGRES_URL (default the CI server on 127.0.0.1).
Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import re
import signal
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text

import storage
from bot.config import Settings
from bot.runtime import build_runtime
from tests.fakes.server import running
from tests.fakes.slack_api import TEAM, Call, FakeSlack
from tests.slack.driver import (
    ANN,
    BOB,
    SIGNING_SECRET,
    User,
    find_button,
    signature_headers,
)

Json = dict[str, Any]
TOKEN = "xoxb-bench-token"
# The content key of the benchmark's throw-away databases.
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
PROFILE = os.environ.get("DIALOOG_BENCH_PROFILE", "")
_ids = itertools.count(1)


class WatchedSlack(FakeSlack):
    """The fake Slack, telling waiters the moment a card update arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.updates: dict[str, asyncio.Event] = {}
        # The latest update of each channel's card (its buttons, for the next click).
        self.latest: dict[str, Call] = {}

    def _record(self, call: Call) -> None:
        # Only what the benchmark needs: a recorded call list would grow for ever.
        if call.method == "chat.postMessage" and not call.args.get("thread_ts"):
            self.calls.append(call)  # the cards' first posts: how we find their buttons

    def _answer(self, method: str, args: Json, token: str | None) -> Json:
        # Called once the call's latency has passed: Slack has the update and answers.
        if method == "chat.update":
            channel = str(args.get("channel"))
            self.latest[channel] = Call(method, args, token)
            self.updates.setdefault(channel, asyncio.Event()).set()
        return super()._answer(method, args, token)


# -- the two apps under test ---------------------------------------------------------


@dataclass
class Target:
    name: str
    url: str
    # The click each channel sends: its button and the card's ts.
    buttons: dict[str, tuple[Json, str, str]]
    # The process serving it, whose CPU time a run reads.
    pid: int


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.asynccontextmanager
async def bare_bolt(api_url: str) -> AsyncIterator[str]:
    """A bare Bolt app: ack, then one chat.update per click."""
    client = AsyncWebClient(token=TOKEN, base_url=api_url)
    app = AsyncApp(token=TOKEN, signing_secret=SIGNING_SECRET, client=client)
    counter = itertools.count(1)

    @app.action(re.compile(".*"))
    async def clicked(ack: Any, body: Json, client: AsyncWebClient) -> None:
        await ack()
        n = next(counter)
        await client.chat_update(
            channel=body["channel"]["id"],
            ts=body["message"]["ts"],
            text=f"click {n}",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": f"click {n}"}}],
        )

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    server = web.Application()
    server.router.add_post("/slack/events", handle)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def dialoog(api_url: str, database_url: str) -> AsyncIterator[str]:
    settings = Settings(
        DIALOOG_DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        DIALOOG_WEB_CHAT="off",
        # PostgreSQL has no key file beside it: content at rest needs a key.
        DIALOOG_SECRET_KEY=BENCH_SECRET,
    )
    runtime = build_runtime(settings)
    try:
        async with running(runtime, sweep_seconds=5.0) as url:
            yield url
    finally:
        runtime.engine.dispose()


async def serve(app: str, api_url: str, database_url: str) -> None:
    """The app under test in a process of its own: it prints its URL, then serves."""
    logging.basicConfig(level=logging.ERROR)
    context = bare_bolt(api_url) if app == "bare" else dialoog(api_url, database_url)
    async with context as url:
        if PROFILE:
            profile_on_signals(Path(PROFILE) / app)
        print(url, flush=True)
        await asyncio.Event().wait()


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


@contextlib.asynccontextmanager
async def app_process(
    app: str, api_url: str, database_url: str = ""
) -> AsyncIterator[tuple[str, int]]:
    """Start `serve` in a child process (the fake Slack and the clickers stay here,
    so they take no CPU from the app); yield its URL and pid; stop it after."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        app,
        api_url,
        database_url,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(child.stdout.readline(), timeout=60)
        if not line.startswith(b"http"):
            raise RuntimeError(f"{app} did not start")
        yield line.decode().strip(), child.pid
    finally:
        if child.returncode is None:
            child.terminate()
        await child.wait()


# -- Slack's side ----------------------------------------------------------------------


async def post(http: aiohttp.ClientSession, url: str, fields: Json) -> None:
    body = urllib.parse.urlencode(fields)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signature_headers(body)}
    async with http.post(f"{url}/slack/events", data=body.encode(), headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def click_fields(channel: str, button: Json, block_id: str, ts: str, *, user: User = ANN) -> Json:
    n = next(_ids)
    payload = {
        "type": "block_actions",
        "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": TEAM},
        "api_app_id": "A0DIALOOG",
        "token": "deprecated-verification-token",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel},
        "trigger_id": f"9{n}.4242.bench",
        "team": {"id": TEAM, "domain": "bench"},
        "channel": {"id": channel, "name": channel.lower()},
        "message": {"type": "message", "ts": ts, "user": "U0BOT"},
        "state": {"values": {}},
        "response_url": "http://127.0.0.1:9/unused",
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": block_id,
                "text": button["text"],
                "value": button.get("value", ""),
                "action_ts": f"{1764000000 + n}.{n:06d}",
            }
        ],
    }
    return {"payload": json.dumps(payload)}


def command_fields(channel: str, user: User, text_: str) -> Json:
    n = next(_ids)
    return {
        "team_id": TEAM,
        "channel_id": channel,
        "channel_name": channel.lower(),
        "user_id": user.id,
        "user_name": user.name,
        "command": "/dialoog",
        "text": text_,
        "response_url": "http://127.0.0.1:9/unused",
        "trigger_id": f"8{n}.4242.bench",
    }


async def until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out: {what}")
        await asyncio.sleep(0.01)


async def live_rounds(
    http: aiohttp.ClientSession, url: str, api: WatchedSlack, channels: list[str]
) -> dict[str, tuple[Json, str, str]]:
    """A live incident round in each channel, at its first step; the "+5 min" button."""
    cards: dict[str, Call] = {}

    def card(channel: str) -> Call | None:
        for call in api.calls:
            if call.args.get("channel") == channel and not call.args.get("thread_ts"):
                return call
        return None

    for channel in channels:
        await post(http, url, command_fields(channel, ANN, "start incident"))
        await until(lambda c=channel: card(c) is not None, f"a card in {channel}")
        found = card(channel)
        assert found is not None and found.response is not None
        cards[channel] = found
    buttons = {}
    for channel, call in cards.items():
        ts = str(call.response["ts"]) if call.response else ""
        join, join_block = find_button(call, "Meedoen")
        await post(http, url, click_fields(channel, join, join_block, ts, user=BOB))
        await until(lambda c=channel: BOB.name in card_text(api, c), f"Bob joined in {channel}")
        start, start_block = find_button(api.latest[channel], "Start de eerste stap")
        await post(http, url, click_fields(channel, start, start_block, ts))
        await until(lambda c=channel: has_button(api, c, "+5 min"), f"a live step in {channel}")
        extend, extend_block = find_button(api.latest[channel], "+5 min")
        buttons[channel] = (extend, extend_block, ts)
    return buttons


def card_text(api: WatchedSlack, channel: str) -> str:
    latest = api.latest.get(channel)
    return latest.text_of_blocks() if latest else ""


def has_button(api: WatchedSlack, channel: str, label: str) -> bool:
    latest = api.latest.get(channel)
    try:
        return latest is not None and bool(find_button(latest, label))
    except AssertionError:
        return False


# -- one measured run --------------------------------------------------------------------


@dataclass
class Run:
    clicks: int
    seconds: float
    latencies: list[float]
    # CPU the app's process used during the run.
    cpu: float

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


async def measure(
    http: aiohttp.ClientSession, target: Target, api: WatchedSlack, seconds: float
) -> Run:
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []

    async def person(channel: str) -> None:
        button, block_id, ts = target.buttons[channel]
        event = api.updates.setdefault(channel, asyncio.Event())
        while time.monotonic() < stop_at:
            event.clear()
            started = time.monotonic()
            await post(http, target.url, click_fields(channel, button, block_id, ts))
            await asyncio.wait_for(event.wait(), timeout=30)
            latencies.append(time.monotonic() - started)

    began, cpu = time.monotonic(), cpu_seconds(target.pid)
    if PROFILE:
        os.kill(target.pid, signal.SIGUSR1)
    await asyncio.gather(*(person(c) for c in target.buttons))
    if PROFILE:
        os.kill(target.pid, signal.SIGUSR2)
    return Run(len(latencies), time.monotonic() - began, latencies, cpu_seconds(target.pid) - cpu)


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
            f"| {1000 * statistics.median(r.cpu_per_click for r in bare):.1f} |"
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


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Any:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    server = storage.normalize_url(POSTGRES)
    name = f"dialoog_bench_{uuid.uuid4().hex[:12]}"
    admin = storage.make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


async def one_config(
    http: aiohttp.ClientSession,
    api: WatchedSlack,
    bare_app: tuple[str, int],
    database_url: str,
    db: str,
    latency_ms: int,
    channels: int,
    *,
    seconds: float,
    runs: int,
) -> Result:
    api.latency = latency_ms / 1000
    names = [f"C{db[:2].upper()}{latency_ms}N{channels}X{i:02d}" for i in range(channels)]
    bare_button = {"action_id": "bare", "text": {"type": "plain_text", "text": "+"}, "value": "x"}
    bare_url, bare_pid = bare_app
    bare = Target(
        "bare", bare_url, {c: (bare_button, "b", "1764000000.000001") for c in names}, bare_pid
    )
    async with app_process("dialoog", api.api_url, database_url) as (url, pid):
        api.latency = 0.0  # setting up is not what we measure
        ours = Target("dialoog", url, await live_rounds(http, url, api, names), pid)
        api.latency = latency_ms / 1000
        await measure(http, ours, api, 1.0)  # warm up both
        await measure(http, bare, api, 1.0)
        result = Result(db, latency_ms, channels, [], [])
        for n in range(runs):
            for target in (ours, bare) if n % 2 == 0 else (bare, ours):
                run = await measure(http, target, api, seconds)
                (result.ours if target is ours else result.bare).append(run)
    return result


async def main_async(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().setLevel(logging.ERROR)
    api = WatchedSlack()
    await api.start()
    results: list[Result] = []
    try:
        async with aiohttp.ClientSession() as http, app_process("bare", api.api_url) as bare_app:
            for db in args.db:
                with tempfile.TemporaryDirectory() as folder, database(db, Path(folder)) as url:
                    for latency in args.latency:
                        for channels in args.channels:
                            result = await one_config(
                                http,
                                api,
                                bare_app,
                                url,
                                db,
                                latency,
                                channels,
                                seconds=args.seconds,
                                runs=args.runs,
                            )
                            print(result.row(), flush=True)
                            results.append(result)
    finally:
        await api.stop()
    missed = [m for r in results for m in r.missed()]
    print("goals: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


def main() -> int:
    if sys.argv[1:2] == ["--serve"]:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(*sys.argv[2:5]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--latency", nargs="+", type=int, default=[0, 100], help="ms")
    parser.add_argument("--channels", nargs="+", type=int, default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=4.0, help="per run")
    parser.add_argument("--runs", type=int, default=3, help="of each, alternating")
    parser.add_argument(
        "--profile", metavar="FOLDER", help="CPU profiles (yappi) of both apps' measured runs"
    )
    args = parser.parse_args()
    if args.profile:
        global PROFILE
        PROFILE = os.environ["DIALOOG_BENCH_PROFILE"] = str(Path(args.profile).resolve())
        Path(PROFILE).mkdir(parents=True, exist_ok=True)
    print(
        "| db | latency ms | channels | dialoog clicks/s | bare clicks/s "
        "| throughput ratio (range) | dialoog p50 ms | dialoog p99 ms | bare p99 ms "
        "| p99 ratio (range) | dialoog CPU ms/click | bare CPU ms/click |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
