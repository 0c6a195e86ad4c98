"""Payloads with one field changed: for the fuzz tests of every channel's payloads."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

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
