"""Work tried again after a conflict (a racing writer, a busy database)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_random

T = TypeVar("T")


def tried(
    work: Callable[[], T],
    *,
    on: type[BaseException] | tuple[type[BaseException], ...],
    tries: int,
    jitter: float,
) -> T:
    """`work()`, up to `tries` times while it raises `on`, waiting up to `jitter`
    seconds (at random) between tries; the last error is raised.

    Nearly all work succeeds the first time, so tenacity's `Retrying` (half a per
    cent of a click's CPU to make) is made only for the tries after a first failed."""
    try:
        return work()
    except on:
        time.sleep(random.uniform(0, jitter))
    for attempt in Retrying(
        retry=retry_if_exception_type(on),
        stop=stop_after_attempt(tries - 1),
        wait=wait_random(0, jitter),
        reraise=True,
    ):
        with attempt:
            return work()
    raise AssertionError("unreachable: tenacity reraises the last error")
