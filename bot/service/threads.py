"""The threads the database work of commands and of the dispatcher runs on.

Python runs one thread at a time. On SQLite every write waits for the one writer
anyway, so more threads only wait for the lock and then for each other: each
hand-over of the interpreter costs CPU that the click pays (measured in
bench/bench_clicks.py: a click cost ~15 % more CPU with six threads than with
one). SQLite gets one thread; PostgreSQL, whose statements wait on the network and
run beside each other on the server, as many as asyncio would give (its default).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

P = ParamSpec("P")
T = TypeVar("T")

_THREADS: WeakKeyDictionary[Engine, ThreadPoolExecutor] = WeakKeyDictionary()


def thread_count(engine: Engine) -> int:
    """How many database threads an engine gets."""
    if engine.dialect.name == "sqlite":
        return 1
    return min(32, (os.cpu_count() or 1) + 4)


def database_threads(sessions: sessionmaker[Session]) -> ThreadPoolExecutor:
    """The threads of the sessions' engine: one set per engine, made when first asked."""
    engine = sessions.kw["bind"]
    threads = _THREADS.get(engine)
    if threads is None:
        threads = ThreadPoolExecutor(thread_count(engine), thread_name_prefix="dialoog-db")
        _THREADS[engine] = threads
    return threads


async def in_database_thread(
    sessions: sessionmaker[Session], work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> T:
    """`work(*args, **kwargs)` on a database thread (as `asyncio.to_thread` does)."""
    call = functools.partial(contextvars.copy_context().run, work, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(database_threads(sessions), call)
