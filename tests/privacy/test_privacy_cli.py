"""`dialoog privacy audit` and `dialoog privacy purge`, and what the audit log refuses."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.service import Dispatcher, RoundService
from storage.audit import (
    AUDIT_ERASURE,
    AUDIT_EXPORT,
    AUDIT_RETENTION_CHANGE,
    AUDIT_RETENTION_PURGE,
    list_audit,
    record_audit,
)
from storage.models import Round
from tests.fakes.clock import ManualClock
from tests.service.conftest import BOB, CAS, play_through, start


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Settings also reads ./.env; a developer's own must not leak in.
    monkeypatch.chdir(tmp_path)


def test_privacy_audit_lists_who_did_what_when(
    database_url: str,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = datetime.now(UTC)
    with session_factory.begin() as session:
        record_audit(
            session,
            actor="cli:admin",
            action=AUDIT_EXPORT,
            target="slack:T0001:U0042",
            now=now - timedelta(days=40),
            detail={"rounds": 3},
        )
        record_audit(
            session,
            actor="slack:T0001:U0007",
            action=AUDIT_RETENTION_CHANGE,
            target="team:1",
            now=now,
            detail={"from": "default", "to": 14},
        )
    monkeypatch.setenv("DIALOOG_DATABASE_URL", database_url)

    assert main(["privacy", "audit"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "export" in lines[0] and "slack:T0001:U0042" in lines[0] and "rounds=3" in lines[0]
    assert "retention_change" in lines[1] and "by slack:T0001:U0007" in lines[1]

    assert main(["privacy", "audit", "--days", "7", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["action"], r["target"], r["detail"]) for r in rows] == [
        ("retention_change", "team:1", {"from": "default", "to": 14})
    ]
    assert main(["privacy", "audit", "--action", "erasure"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("target", "Jan de Vries"),
        ("actor", "juf Anna"),
        ("detail", {"reason": "Sanne had een woedeaanval"}),
        ("detail", {"ok": True}),
        ("action", "browse"),
    ],
)
def test_the_audit_log_refuses_names_and_sentences(
    session_factory: sessionmaker[Session], field: str, value: object
) -> None:
    given: dict[str, object] = {
        "actor": "cli:admin",
        "action": AUDIT_ERASURE,
        "target": "slack:T0001:U0042",
        "detail": {"rounds": 2},
        field: value,
    }
    with session_factory() as session, pytest.raises(ValueError):
        record_audit(session, now=datetime.now(UTC), **given)  # type: ignore[arg-type]


def test_privacy_purge_purges_what_is_due_and_says_how_much(
    database_url: str,
    service: RoundService,
    dispatcher: Dispatcher,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    round_id = start(service, "incident", BOB, CAS)
    play_through(service, round_id, clock)
    # Sync on purpose: the command runs its own event loop, as it does in a shell.
    asyncio.run(dispatcher.run_once())
    with session_factory.begin() as session:
        row = session.get(Round, round_id)
        assert row is not None
        # The CLI runs on the real clock: the round ended longer ago than the default
        # 90 days (the purge moves pending purges to the policy when it starts).
        row.ended_at = datetime.now(UTC) - timedelta(days=91)
        row.purge_at = row.ended_at + timedelta(days=365)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", database_url)
    monkeypatch.setenv("DIALOOG_WEB_CHAT", "on")

    assert main(["privacy", "purge"]) == 0
    assert "purged rounds=1 " in capsys.readouterr().out
    assert main(["privacy", "purge"]) == 0
    assert "purged rounds=0 " in capsys.readouterr().out
    with session_factory() as session:
        entries = list_audit(session, action=AUDIT_RETENTION_PURGE)
        assert [e.target for e in entries] == [f"round:{round_id}"]


def test_privacy_commands_say_clearly_when_the_database_cannot_be_reached(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIALOOG_DATABASE_URL", "postgresql://dialoog:geheim@127.0.0.1:1/dialoog")
    for command in ("audit", "purge"):
        assert main(["privacy", command]) == 1
        captured = capsys.readouterr()
        assert captured.err.startswith(f"dialoog privacy {command}: cannot reach the database")
        assert "geheim" not in captured.err and "Traceback" not in captured.err
