"""The Alembic migrations: they build exactly the models' schema, once."""

from __future__ import annotations

import fnmatch
import threading
import tomllib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

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
