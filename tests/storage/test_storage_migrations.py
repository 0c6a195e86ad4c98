"""The Alembic migrations: they build exactly the models' schema, once."""

from __future__ import annotations

import fnmatch
import threading
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

import storage
from storage import make_engine, upgrade
from storage.db import alembic_config
from storage.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_the_migrations_build_the_schema_of_the_models(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_upgrading_twice_changes_nothing_the_second_time(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        first = upgrade(engine)
        second = upgrade(engine)
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert (first.before, first.after, first.changed) == (None, head, True)
    assert (second.before, second.after, second.changed) == (head, head, False)
    assert tables == {*Base.metadata.tables, "alembic_version"}


def test_there_is_one_line_of_migrations() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


@pytest.mark.postgres
def test_replicas_upgrading_at_the_same_time_all_succeed(empty_postgres_url: str) -> None:
    engine = make_engine(empty_postgres_url)
    errors: list[Exception] = []
    start = threading.Barrier(4)

    def replica() -> None:
        start.wait()
        try:
            upgrade(engine)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=replica) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        engine.dispose()
    assert errors == []


def test_every_migration_file_is_shipped_in_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["storage"]
    package = Path(storage.__file__).parent
    files = [
        path.relative_to(package).as_posix()
        for path in (package / "migrations").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert "migrations/env.py" in files
    assert [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)] == []


def test_messages_posted_in_parts_come_to_one_form_for_every_platform(
    empty_database_url: str,
) -> None:
    """Migration 0017o: Slack's continuation slots ("card~2", ...) and Teams' space
    separated ids become one row per message, its parts first to last."""
    engine = make_engine(empty_database_url)
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0013")
        with Session(engine) as session, session.begin():
            for platform, round_id in (("slack", "r-slack"), ("teams", "r-teams")):
                tenant = storage.get_or_create_tenant(session, platform, "W1")
                team = storage.get_or_create_team(
                    session, tenant.id, "C1", language="nl", timezone="Europe/Amsterdam"
                )
                storage.create_round(
                    session,
                    round_id=round_id,
                    team_id=team.id,
                    protocol_id="incident",
                    protocol_version="1",
                    protocol_snapshot={},
                    mode="live",
                    status="running",
                    started_by="U1",
                    now=datetime(2026, 12, 1, tzinfo=UTC),
                )
            today = [
                ("r-slack", "card", "slack", "1.1"),
                ("r-slack", "card~3", "slack", "1.3"),
                ("r-slack", "card~2", "slack", "1.2"),
                ("r-slack", "question:q1", "slack", "2.1"),
                ("r-teams", "card", "teams", "a1 a2 a3"),
                ("r-teams", "turn:b1", "teams", "b1"),
            ]
            for round_id, slot, platform, external_id in today:
                session.execute(
                    text(
                        "INSERT INTO posted_messages"
                        " (round_id, slot, platform, channel, external_id, updated_at)"
                        " VALUES (:round_id, :slot, :platform, 'C1', :external_id, :now)"
                    ),
                    {
                        "round_id": round_id,
                        "slot": slot,
                        "platform": platform,
                        "external_id": external_id,
                        "now": datetime(2026, 12, 1),
                    },
                )
        upgrade(engine)
        with Session(engine) as session:
            rows = session.scalars(
                select(storage.PostedMessage).order_by(storage.PostedMessage.round_id)
            ).all()
            found = {(r.round_id, r.slot): (r.external_id, r.parts) for r in rows}
            slack_parts = storage.posted_parts(session, "r-slack")
            assert storage.slot_of_posted(session, "r-teams", "a2") == "card"
            assert storage.round_for_posted(session, "teams", "C1", "a1") == "r-teams"
    finally:
        engine.dispose()
    assert found == {
        ("r-slack", "card"): ("1.1", ["1.1", "1.2", "1.3"]),
        ("r-slack", "question:q1"): ("2.1", None),
        ("r-teams", "card"): ("a1", ["a1", "a2", "a3"]),
        ("r-teams", "turn:b1"): ("b1", None),
    }
    assert slack_parts == {"card": ("1.1", "1.2", "1.3"), "question:q1": ("2.1",)}
