"""`dialoog privacy ...`: what a school's administrator does for people's privacy.

rekey   seal all stored content again with the first key of DIALOOG_SECRET_KEY
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from bot.config import Settings
from bot.database import engine_for
from storage import (
    ContentKeyMissing,
    ContentUnreadable,
    DatabaseUnavailable,
    InvalidDatabaseUrl,
    WeakSecret,
)
from storage.rekey import reseal_all

_PROG = "dialoog privacy"


def register(groups: Any) -> None:
    """Add `privacy` and its subcommands to the `dialoog` parser."""
    group = groups.add_parser(
        "privacy",
        help="export, erase and re-encrypt what is stored about people",
        description="Privacy tasks on the database named by DIALOOG_DATABASE_URL.",
    )
    commands = group.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rekey = commands.add_parser(
        "rekey",
        help="re-encrypt stored content with the first key of DIALOOG_SECRET_KEY",
        description=(
            "To rotate the key: put a new secret in front of DIALOOG_SECRET_KEY "
            "(new,old), restart, run this, then remove the old secret."
        ),
    )
    rekey.set_defaults(run=run_rekey)


def run_rekey(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        engine = engine_for(Settings())
    except (InvalidDatabaseUrl, WeakSecret) as error:
        print(f"{_PROG} rekey: {error}", file=err)
        return 2
    try:
        changed = reseal_all(engine)
    except (ContentKeyMissing, ContentUnreadable, DatabaseUnavailable) as error:
        print(f"{_PROG} rekey: {error}", file=err)
        return 1
    finally:
        engine.dispose()
    print(f"re-encrypted {changed} stored value(s) with the current key", file=out)
    return 0
