"""Logging what went wrong without what people wrote: the error's type and place.

An exception's message can hold content: SQLAlchemy puts a failed statement's
parameters (an event's payload, a contribution's text) into its exceptions, and a
library may quote the payload it could not read. So an unexpected error is logged
by its type, the innermost place in our code, and the frames (file, line, code;
no values), never by its message. Every `except Exception` that logs uses this.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]


def describe(error: BaseException) -> str:
    """An exception's type and the innermost place in our code, without its message."""
    where = ""
    trace = error.__traceback__
    while trace is not None:
        path = Path(trace.tb_frame.f_code.co_filename)
        if path.is_relative_to(_ROOT) and ".venv" not in path.parts:
            where = f" at {path.relative_to(_ROOT)}:{trace.tb_lineno}"
        trace = trace.tb_next
    return f"{type(error).__name__}{where}"


def log_failure(
    logger: logging.Logger, what: str, error: BaseException, *, level: int = logging.ERROR
) -> None:
    """An unexpected error: what failed, its type and where, then the frames."""
    frames = "".join(traceback.format_tb(error.__traceback__)).rstrip()
    logger.log(level, "%s: %s\n%s", what, describe(error), frames)
