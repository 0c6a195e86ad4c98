"""Engines, URLs and the readiness ping."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage import (
    DatabaseUnavailable,
    InvalidDatabaseUrl,
    make_engine,
    normalize_url,
    ping,
    upgrade,
)


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u:p@db:5432/dialoog",
        "postgresql://u:p@db:5432/dialoog",
        "postgresql+psycopg://u:p@db:5432/dialoog",
    ],
)
def test_every_postgresql_url_uses_psycopg_3(url: str) -> None:
    normalized = normalize_url(url)
    assert normalized.drivername == "postgresql+psycopg"
    assert (normalized.host, normalized.port, normalized.database) == ("db", 5432, "dialoog")
    assert normalized.password == "p"


def test_a_sqlite_url_is_left_alone() -> None:
    assert normalize_url("sqlite:///dialoog.db").render_as_string() == "sqlite:///dialoog.db"


@pytest.mark.parametrize("url", ["mysql://u@db/dialoog", "not a url"])
def test_an_unsupported_or_broken_url_is_refused(url: str) -> None:
    with pytest.raises(InvalidDatabaseUrl):
        make_engine(url)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'dialoog.db'}")
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()


def test_ping_is_true_for_a_reachable_database(engine: Engine) -> None:
    assert ping(engine)


def test_ping_is_false_for_an_unreachable_database() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/nothing")
    try:
        assert not ping(engine)
    finally:
        engine.dispose()


def test_upgrading_an_unreachable_database_raises_without_the_password() -> None:
    engine = make_engine("postgresql://nobody:geheim@127.0.0.1:1/nothing")
    try:
        with pytest.raises(DatabaseUnavailable) as raised:
            upgrade(engine)
    finally:
        engine.dispose()
    assert "127.0.0.1" in str(raised.value)
    assert "geheim" not in str(raised.value)


def test_a_database_error_does_not_carry_the_statements_values(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    import storage

    engine = storage.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    storage.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE secret (id INTEGER PRIMARY KEY, note TEXT)")
        connection.exec_driver_sql("INSERT INTO secret VALUES (1, 'first')")
    with pytest.raises(IntegrityError) as caught, engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO secret VALUES (?, ?)", (1, "GEHEIM over een leerling")
        )
    assert "GEHEIM" not in str(caught.value)
    engine.dispose()
