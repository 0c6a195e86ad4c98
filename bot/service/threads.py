"""The threads the database work of commands and of the dispatcher runs on.

Python runs one thread at a time. On SQLite every write waits for the one writer
anyway, so more threads only wait for the lock and then for each other: each
hand-over of the interpreter costs CPU that the click pays (measured with
bench/bench_clicks.py: ~15 % more CPU per click with six threads than with one).
Commands get one thread on SQLite. On PostgreSQL a command waits on the network
for each of its ~9 statements, and after each one waits its turn for the
interpreter: at 32 channels and 100 ms Slack latency a command of 4 ms took 33 ms
with six threads, and the clicks' throughput was 0.45x the bare app's; with two,
0.62x (one thread leaves the interpreter idle while its statement waits).

A command that draws a chart (`/dialoog overzicht`) runs on threads of its own: on
SQLite it would hold the one command thread, and every team's clicks behind it,
for the few hundred milliseconds of the drawing. It writes in short transactions
before and after the drawing, queued for SQLite's one writer like any other.

On PostgreSQL the dispatcher records its sends on a thread of its own: queued
behind the commands of 32 channels, a recorded send (and the round's next
message, claimed with it) waited ~60 ms for a thread before its work began. On
SQLite it shares the commands' thread: a second thread there waited for the one
writer all the same and cost each click ~15 % more CPU again.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import ParamSpec, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

P = ParamSpec("P")
T = TypeVar("T")

_COMMANDS: WeakKeyDictionary[Engine, ThreadPoolExecutor] = WeakKeyDictionary()
_OUTBOX: WeakKeyDictionary[Engine, ThreadPoolExecutor] = WeakKeyDictionary()
_DRAWING: WeakKeyDictionary[Engine, ThreadPoolExecutor] = WeakKeyDictionary()
# Two teams asking for their overview at once need not wait for each other.
DRAWING_THREADS = 2


def thread_count(engine: Engine) -> int:
    """How many threads an engine's commands get."""
    if engine.dialect.name == "sqlite":
        return 1
    return POSTGRES_COMMAND_THREADS


# Within SQLAlchemy's pool of five connections, with the dispatcher's thread beside them.
POSTGRES_COMMAND_THREADS = 2


def command_threads(sessions: sessionmaker[Session]) -> Executor:
    """The threads of the commands on the sessions' engine (made when first asked)."""
    engine = sessions.kw["bind"]
    return _made(_COMMANDS, engine, thread_count(engine), "dialoog-db")


def drawing_threads(sessions: sessionmaker[Session]) -> Executor:
    """The threads of the commands that draw a chart, beside the commands' own."""
    return _made(_DRAWING, sessions.kw["bind"], DRAWING_THREADS, "dialoog-drawing")


def outbox_thread(sessions: sessionmaker[Session]) -> Executor:
    """The thread of the dispatchers' database work on the sessions' engine."""
    if sessions.kw["bind"].dialect.name == "sqlite":
        return command_threads(sessions)
    return _made(_OUTBOX, sessions.kw["bind"], 1, "dialoog-outbox")


def _made(
    kept: WeakKeyDictionary[Engine, ThreadPoolExecutor], engine: Engine, count: int, name: str
) -> ThreadPoolExecutor:
    threads = kept.get(engine)
    if threads is None:
        threads = kept[engine] = ThreadPoolExecutor(count, thread_name_prefix=name)
    return threads


async def in_thread(
    threads: Executor, work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> T:
    """`work(*args, **kwargs)` on one of `threads` (as `asyncio.to_thread` does)."""
    call = functools.partial(contextvars.copy_context().run, work, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(threads, call)
