"""The few statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Executable, Result, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.errors import InvalidDatabaseUrl

_UNIQUE_SQLSTATE = "23505"
_SQLITE_UNIQUE = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")


def dialect_insert(session: Session, model: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say ON CONFLICT, for whichever backend the session uses."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    # make_engine refuses other databases already; this guards a hand-made engine.
    raise InvalidDatabaseUrl(f"storage supports SQLite and PostgreSQL, not {name}")


def is_unique_violation(exc: IntegrityError) -> bool:
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return bool(sqlstate == _UNIQUE_SQLSTATE)
    return getattr(orig, "sqlite_errorname", None) in _SQLITE_UNIQUE


def rowcount(result: Result[Any]) -> int:
    """Rows matched by an UPDATE or DELETE (Session.execute types it as a plain Result)."""
    return cast(CursorResult[Any], result).rowcount


def run(
    session: Session, statement: Executable, params: Any = None
) -> CursorResult[*tuple[Any, ...]]:
    """A Core statement on the session's connection, in its transaction. The session's
    own `execute` adds its ORM machinery (events, bind lookup, compile state) to every
    call, which a statement without ORM entities does not need."""
    return session.connection().execute(statement, params)


def table_of(model: Any) -> Table:
    """A mapped class's table, for Core statements built once (no ORM on the hot path)."""
    return cast(Table, model.__table__)
