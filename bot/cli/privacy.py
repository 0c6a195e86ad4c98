"""`dialoog privacy ...`: for the school's administrator (see docs/privacy.md).

* `audit`: the audit log of administrative acts (who, what, when; never content);
* `purge`: run the retention and uninstall purge now (the server does it by itself).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import TextIO

from aiohttp import web

from bot.config import ConfigError, Settings
from bot.runtime import Runtime, build_runtime
from bot.service.purge import PurgeReport
from storage import DatabaseUnavailable, InvalidDatabaseUrl, make_engine, make_session_factory
from storage.audit import AUDIT_ACTIONS, list_audit
from storage.db import connect


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `privacy` and its subcommands to the `dialoog` parser."""
    group = subparsers.add_parser(
        "privacy",
        help="the audit log, the retention purge (docs/privacy.md)",
        description="Privacy tasks for the school's administrator; see docs/privacy.md.",
    )
    commands = group.add_subparsers(dest="command", required=True, metavar="COMMAND")
    audit = commands.add_parser(
        "audit",
        help="show the audit log: exports, erasures, retention changes, purges",
        description="Who did what, when: ids and counts only, never content.",
    )
    audit.add_argument(
        "--days", type=int, default=None, help="only the last DAYS days (default: everything)"
    )
    audit.add_argument("--action", choices=AUDIT_ACTIONS, help="only this kind of act")
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    audit.set_defaults(run=run_audit)
    purge = commands.add_parser(
        "purge",
        help="purge what retention and uninstalls call for, now",
        description="What the server does by itself every few minutes; safe to run again.",
    )
    purge.set_defaults(run=run_purge)


def run_audit(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    if args.days is not None and args.days < 1:
        print("dialoog privacy audit: --days must be 1 or more", file=err)
        return 2
    try:
        engine = make_engine(Settings().database_url)
    except InvalidDatabaseUrl as exc:
        print(f"dialoog privacy audit: DIALOOG_DATABASE_URL: {exc}", file=err)
        return 2
    since = datetime.now(UTC) - timedelta(days=args.days) if args.days else None
    try:
        connect(engine).close()
        with make_session_factory(engine)() as session:
            entries = list_audit(session, since=since, action=args.action)
    except DatabaseUnavailable as exc:
        print(f"dialoog privacy audit: {exc}", file=err)
        return 1
    finally:
        engine.dispose()
    for entry in entries:
        if args.json:
            row = {
                "at": entry.at.isoformat(),
                "actor": entry.actor,
                "action": entry.action,
                "target": entry.target,
                "detail": entry.detail,
            }
            print(json.dumps(row, sort_keys=True), file=out)
        else:
            detail = " ".join(f"{k}={v}" for k, v in sorted(entry.detail.items()))
            at = entry.at.strftime("%Y-%m-%d %H:%M:%S")
            print(f"{at}Z  {entry.action:<16} {entry.target}  by {entry.actor}  {detail}", file=out)
    if not entries and not args.json:
        print("the audit log holds nothing (for this selection)", file=err)
    return 0


def run_purge(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        runtime = build_runtime(Settings(), migrate=False)
    except (ConfigError, InvalidDatabaseUrl) as exc:
        print(f"dialoog privacy purge: {exc}", file=err)
        return 2
    try:
        connect(runtime.engine).close()
        report = asyncio.run(_purge(runtime))
    except DatabaseUnavailable as exc:
        print(f"dialoog privacy purge: {exc}", file=err)
        return 1
    finally:
        runtime.engine.dispose()
    left = sum(report.left.values())
    print(
        f"purged rounds={report.rounds} taken_back={report.taken_back} not_taken_back={left} "
        f"actions={report.actions} other_messages={report.unattached} "
        f"workspaces_erased={report.tenants_erased}",
        file=out,
    )
    return 0


async def _purge(runtime: Runtime) -> PurgeReport:
    # The channels as the server sets them up, for their senders: what the bot
    # posted is taken back from here too. Their routes go to an app never served.
    from bot.server import channel_setups

    app = web.Application()
    for platform, setup in channel_setups():
        sender = setup(runtime, app)
        if sender is not None:
            runtime.senders[platform] = sender
    purger = runtime.purger()
    await asyncio.to_thread(purger.start)
    return await purger.run_once()
