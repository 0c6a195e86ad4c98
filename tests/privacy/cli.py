"""The privacy CLI run in-process, as an operator would type it."""

from __future__ import annotations

import io

from bot.cli import build_parser
from tests.fakes.clock import ManualClock


def run_privacy(clock: ManualClock, *argv: str) -> tuple[int, str, str]:
    """`dialoog privacy <argv>`: its exit code, standard output and standard error."""
    args = build_parser().parse_args(["privacy", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = args.run(args, out=out, err=err, clock=clock)
    return code, out.getvalue(), err.getvalue()
