"""What every channel does with a payload at the edge, before anything reads it.

* JSON is measured before it is parsed: Python's parser recurses, so 100,000
  nested `[` would end in a RecursionError (and a traceback) instead of a 400.
* Text loses what no database or platform can hold: NUL (PostgreSQL refuses it
  in text) and lone UTF-16 surrogates (they cannot be encoded as UTF-8). The
  person is told when their text was changed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.errors import MalformedInput

# Our payloads nest a dozen levels at most (a modal's state, an Adaptive Card's value).
MAX_DEPTH = 32
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BadJson(MalformedInput):
    """A body that is not JSON we read; the message is a short reason, never content."""


def loads(raw: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads, refusing nesting deeper than `max_depth` before parsing."""
    # No deeper than it has brackets: most payloads are settled by counting them.
    if raw.count("[") + raw.count("{") > max_depth:
        depth = 0
        for bracket in _BRACKETS.finditer(_STRINGS.sub("", raw)):
            depth += 1 if bracket.group() in "[{" else -1
            if depth > max_depth:
                raise BadJson(f"nested deeper than {max_depth}")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise BadJson("not JSON") from None


def storable(text: str) -> str:
    """The text without NUL, and with U+FFFD for a lone surrogate."""
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def storable_as_read(raw: str) -> bool:
    """Whether JSON text parses to nothing `for_checking` would change: it can hold
    NUL or a lone surrogate only as themselves or as a \\u escape."""
    return "\\u" not in raw and _UNSTORABLE.search(raw) is None


def for_checking(data: Any) -> Any:
    """A copy of a JSON value with U+FFFD for every NUL and lone surrogate, for checking
    its shape: pydantic refuses a lone surrogate outright, and a text is the chat
    layer's to clean (and to tell the writer of). An id holding one still fails its
    pattern, as it must: ids go into queries as they came."""
    if isinstance(data, str):
        return _UNSTORABLE.sub("\ufffd", data)
    if isinstance(data, list):
        return [for_checking(v) for v in data]
    if isinstance(data, dict):
        return {for_checking(k): for_checking(v) for k, v in data.items()}
    return data


def storable_json(data: Any) -> Any:
    """A JSON value with every text in it `storable` (a platform's record of a
    conversation, say, that is stored as it came)."""
    if isinstance(data, str):
        return storable(data)
    if isinstance(data, list):
        return [storable_json(item) for item in data]
    if isinstance(data, dict):
        return {storable(str(key)): storable_json(value) for key, value in data.items()}
    return data
