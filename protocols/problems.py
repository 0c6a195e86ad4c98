"""Problems in protocol files, as values: where (file, line, column, path) and what.

A `Finding` is a problem that knows only its path inside the protocol (the
checks run on a parsed `Protocol` and know no file); the loader places it in a
file as a `Problem`. A `ProtocolError` carries every problem found, never only
the first, so an author can fix a file in one go.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# A path into a protocol document: mapping keys and list indices, as in
# ("steps", 4, "source").
Loc = tuple[str | int, ...]


def format_path(loc: Loc) -> str:
    """`("steps", 4, "source")` -> `steps[4].source`; the empty path is the whole file."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class Finding:
    """A problem at a path of a protocol, before it is placed in a file.

    `at_key` points the problem at the key of `loc` (an unknown or duplicate
    field) rather than at its value.
    """

    loc: Loc
    message: str
    at_key: bool = False


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file; line and column count from 1, as editors do."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ProtocolError(Exception):
    """One or more protocol files are wrong; `problems` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(set(problems)))
        if not self.problems:
            raise ValueError("a ProtocolError needs at least one problem")
        super().__init__("\n".join(str(problem) for problem in self.problems))
