"""`dialoog db upgrade`: apply the database migrations to DIALOOG_DATABASE_URL."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bot.config import Settings
from bot.database import engine_for
from storage import DatabaseUnavailable, InvalidDatabaseUrl, upgrade
from storage.crypto import ContentKeyMissing, WeakSecret


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `db` and its subcommands to the `dialoog` parser."""
    group = subparsers.add_parser(
        "db",
        help="manage the database",
        description="The database named by DIALOOG_DATABASE_URL (default sqlite:///dialoog.db).",
    )
    commands = group.add_subparsers(dest="command", required=True, metavar="COMMAND")
    upgrade_parser = commands.add_parser(
        "upgrade",
        help="apply the migrations to DIALOOG_DATABASE_URL",
        description="Bring the database schema up to date; safe to run again.",
    )
    upgrade_parser.set_defaults(run=run_upgrade)


def run_upgrade(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        engine = engine_for(Settings())
    except InvalidDatabaseUrl as exc:
        print(f"dialoog db upgrade: DIALOOG_DATABASE_URL: {exc}", file=err)
        return 2
    except WeakSecret as exc:
        print(f"dialoog db upgrade: {exc}", file=err)
        return 2
    where = engine.url.render_as_string(hide_password=True)
    try:
        result = upgrade(engine)
    except (DatabaseUnavailable, ContentKeyMissing) as exc:
        print(f"dialoog db upgrade: {exc}", file=err)
        return 1
    finally:
        engine.dispose()
    if result.changed:
        before = result.before or "an empty database"
        print(f"{where}: upgraded from {before} to revision {result.after}", file=out)
    else:
        print(f"{where}: already at revision {result.after}, nothing to do", file=out)
    return 0
