"""Payloads with one field changed: for the fuzz tests of every channel's payloads."""

from __future__ import annotations

import copy
import logging
from collections.abc import Awaitable, Callable, Collection, Iterator
from typing import Any

import pytest

Path = tuple[str | int, ...]

# What a broken or hostile sender might put in any field.
BAD_VALUES: tuple[Any, ...] = (
    None,
    0,
    -1,
    1.5,
    True,
    "",
    "x" * 5000,
    [],
    {},
    [[[]]],
    {"id": {"id": None}},
    "\x00",
    "\ud800",
    "a\x00b\udfffc",
)


def paths(data: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every field of a JSON value, parents before their children."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


def mutations(data: dict[str, Any], path: Path, *, form: bool = False) -> Iterator[dict[str, Any]]:
    """The payload with the field at `path` removed, then set to each bad value.
    A form (a slash command) holds text only: there, only text values."""
    values = [v for v in BAD_VALUES if isinstance(v, str)] if form else list(BAD_VALUES)
    removed = copy.deepcopy(data)
    parent, last = _parent(removed, path)
    if isinstance(parent, dict):
        del parent[last]
        yield removed
    for value in values:
        changed = copy.deepcopy(data)
        parent, last = _parent(changed, path)
        parent[last] = value
        yield changed


def _parent(data: Any, path: Path) -> tuple[Any, Any]:
    for part in path[:-1]:
        data = data[part]
    return data, path[-1]


Send = Callable[[str, dict[str, Any]], Awaitable[int]]


async def fuzzed(
    requests: dict[str, dict[str, Any]],
    send: Send,
    caplog: pytest.LogCaptureFixture,
    *,
    forms: Collection[str] = (),
    expected: Callable[[str, Path, int], bool] = lambda _kind, _path, _status: False,
) -> tuple[int, list[str]]:
    """Send every one-field change of every request (by kind; `forms` are the kinds
    that hold text only), with every log record from here on captured; return how
    many were sent and those answered with a 5xx that `expected` does not excuse."""
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    count, failures = 0, []
    for kind, request in requests.items():
        for path in paths(request):
            for changed in mutations(request, path, form=kind in forms):
                count += 1
                status = await send(kind, changed)
                if status >= 500 and not expected(kind, path, status):
                    failures.append(f"{kind} {'.'.join(map(str, path))}: {status}")
    print(f"fuzz: {count} cases, {len(failures)} answered >= 500")
    return count, failures


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing logged at INFO or above carries a traceback, and nothing is an error."""
    shown = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert not [r for r in shown if r.exc_info or "Traceback" in r.getMessage()]
    assert [r.getMessage() for r in shown if r.levelno >= logging.ERROR] == []
