"""Small phrasing helpers shared by the messages that teach a protocol author."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice a typo most likely meant, if any is close enough."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`"did you mean 'x'? "` to put before a list of the choices, or nothing."""
    match = closest(word, choices)
    return f"did you mean '{match}'? " if match else ""


def listing(items: Iterable[str]) -> str:
    """`a, b, c`, or `(none)` so a message never ends in a bare colon."""
    joined = ", ".join(items)
    return joined or "(none)"
