"""`dialoog privacy ...`: for the school's administrator (see docs/privacy.md).

* `export`: everything stored about one person, as JSON or Markdown;
* `erase`: remove one person's texts and name from every round (asks for --yes);
* `rekey`: seal all stored content again with the first key of DIALOOG_SECRET_KEY;
* `audit`: the audit log of administrative acts (who, what, when; never content);
* `purge`: run the retention and uninstall purge now (the server does it by itself).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from aiohttp import web
from sqlalchemy import Engine
from sqlalchemy.orm import Session

import storage
from bot.config import ConfigError, Settings
from bot.database import engine_for
from bot.i18n import language_of
from bot.privacy import audit as audit_log
from bot.privacy import erasure, export
from bot.privacy.subject import Subject, SubjectUnclear, resolve
from bot.runtime import Runtime, build_runtime
from bot.service.clock import Clock, SystemClock
from bot.service.purge import PurgeReport
from storage import (
    ContentKeyMissing,
    ContentUnreadable,
    DatabaseUnavailable,
    InvalidDatabaseUrl,
    WeakSecret,
    make_engine,
    make_session_factory,
)
from storage.audit import AUDIT_ACTIONS, list_audit
from storage.db import connect
from storage.rekey import reseal_all

_PROG = "dialoog privacy"
# Errors of the database or its keys that an administrator can act on.
_DATABASE_ERRORS = (ContentKeyMissing, ContentUnreadable, DatabaseUnavailable)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `privacy` and its subcommands to the `dialoog` parser."""
    group = subparsers.add_parser(
        "privacy",
        help="export, erase, the audit log, the retention purge (docs/privacy.md)",
        description="Privacy tasks for the school's administrator; see docs/privacy.md.",
    )
    commands = group.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _register_people(commands)
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


def _register_people(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exporting = commands.add_parser(
        "export",
        help="everything stored about one person, as JSON or Markdown",
        description="Print (or write to --output) what the database holds about one person.",
    )
    _person_arguments(exporting)
    exporting.add_argument("--format", choices=("json", "markdown"), default="json")
    exporting.add_argument(
        "--language",
        choices=("nl", "en"),
        default=None,
        help="language of the Markdown (default DIALOOG_LANGUAGE)",
    )
    exporting.add_argument("--output", "-o", type=Path, default=None, help="a file to write")
    exporting.set_defaults(run=run_export)

    erasing = commands.add_parser(
        "erase",
        help="remove one person's texts and name from every round",
        description=(
            "Their texts become [verwijderd] in every round, their name is replaced in "
            "what others see, their memberships go; the rounds stay replayable."
        ),
    )
    _person_arguments(erasing)
    erasing.add_argument("--yes", action="store_true", help="really erase (it cannot be undone)")
    erasing.set_defaults(run=run_erase)

    rekey = commands.add_parser(
        "rekey",
        help="re-encrypt stored content with the first key of DIALOOG_SECRET_KEY",
        description=(
            "To rotate the key: put a new secret in front of DIALOOG_SECRET_KEY "
            "(new,old), restart, run this, then remove the old secret."
        ),
    )
    rekey.set_defaults(run=run_rekey)


def _person_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user", required=True, help="the person's user id (Slack U..., Teams AAD id, web:name)"
    )
    parser.add_argument("--platform", choices=("slack", "teams", "web"), default=None)
    parser.add_argument(
        "--workspace", default=None, help="Slack team id, Teams tenant id, or local"
    )


def _with_database(name: str, err: TextIO, work: Callable[[Engine], int]) -> int:
    try:
        engine = engine_for(Settings())
    except (InvalidDatabaseUrl, WeakSecret) as error:
        print(f"{_PROG} {name}: {error}", file=err)
        return 2
    try:
        return work(engine)
    except _DATABASE_ERRORS as error:
        print(f"{_PROG} {name}: {error}", file=err)
        return 1
    except SubjectUnclear as error:
        print(f"{_PROG} {name}: {error.args[0]}", file=err)
        return 1
    finally:
        engine.dispose()


def _resolve(session: Session, args: argparse.Namespace) -> tuple[Subject, storage.Tenant]:
    return resolve(session, args.user, platform=args.platform, workspace=args.workspace)


def _administrator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def run_export(
    args: argparse.Namespace,
    out: TextIO | None = None,
    err: TextIO | None = None,
    *,
    clock: Clock | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    language = language_of(args.language or Settings().language)

    def work(engine: Engine) -> int:
        now = (clock or SystemClock()).now()
        with storage.make_session_factory(engine).begin() as session:
            subject, tenant = _resolve(session, args)
            data = export.collect(session, subject, tenant, now)
            audit_log.exported(session, _administrator(), subject, now)
        text = export.to_json(data) if args.format == "json" else export.to_markdown(data, language)
        if args.output is None:
            print(text, file=out)
        else:
            args.output.write_text(text + "\n", encoding="utf-8")
            print(f"written to {args.output}", file=out)
        return 0

    return _with_database("export", err, work)


def run_erase(
    args: argparse.Namespace,
    out: TextIO | None = None,
    err: TextIO | None = None,
    *,
    clock: Clock | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr

    def work(engine: Engine) -> int:
        now = (clock or SystemClock()).now()
        sessions = storage.make_session_factory(engine)
        if not args.yes:
            with sessions() as session:
                subject, tenant = _resolve(session, args)
                data = export.collect(session, subject, tenant, now)
            print(
                f"{subject.user_id} ({subject.platform}, {subject.workspace}): "
                f"{len(data.rounds)} round(s), {len(data.texts())} text(s), "
                f"{len(data.memberships)} membership(s) would be erased. "
                "Run again with --yes to erase; it cannot be undone.",
                file=err,
            )
            return 1
        with sessions.begin() as session:
            subject, tenant = _resolve(session, args)
            report = erasure.erase(session, subject, tenant, now)
            audit_log.erased(
                session,
                _administrator(),
                subject,
                now,
                pseudonym=report.pseudonym,
                rounds=report.rounds,
                events=report.events,
            )
        print(
            f"erased: {report.events} event(s) in {report.rounds} round(s) redacted, "
            f"{report.copies} stored message(s) rewritten; the person is now {report.pseudonym}",
            file=out,
        )
        return 0

    return _with_database("erase", err, work)


def run_rekey(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr

    def work(engine: Engine) -> int:
        changed = reseal_all(engine)
        print(f"re-encrypted {changed} stored value(s) with the current key", file=out)
        return 0

    return _with_database("rekey", err, work)


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
        f"teams_erased={report.teams_erased}",
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
