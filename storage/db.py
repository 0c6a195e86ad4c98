"""Engines, sessions, migrations and the readiness ping."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, Pool, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.orm.session import SessionTransactionOrigin

from storage.crypto import bind_cipher, cipher_for_url
from storage.errors import DatabaseUnavailable, InvalidDatabaseUrl

__all__ = [
    "UpgradeResult",
    "alembic_config",
    "connect",
    "make_engine",
    "make_session_factory",
    "normalize_url",
    "ping",
    "upgrade",
]

MIGRATIONS = Path(__file__).parent / "migrations"

# Long enough to ride out a checkpoint or another writer's commit; short enough
# that a stuck writer shows up as an error rather than a hung request.
SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_CONNECT_TIMEOUT_S = 10
_SUPPORTED = ("sqlite", "postgresql")
SECRET_KEY_ENV = "DIALOOG_SECRET_KEY"
# Arbitrary but fixed: every replica takes the same lock before migrating.
_MIGRATION_LOCK_ID = 0x6469616C6F6F67  # "dialoog"


def normalize_url(url: str | URL) -> URL:
    """Point every PostgreSQL URL at psycopg 3, the driver we ship.

    Raises InvalidDatabaseUrl for anything but SQLite and PostgreSQL.
    """
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError as exc:
        raise InvalidDatabaseUrl(
            "not a database URL (expected sqlite:///... or postgresql://...)"
        ) from exc
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in _SUPPORTED:
        raise InvalidDatabaseUrl(
            f"unsupported database {parsed.get_backend_name()!r}; use SQLite or PostgreSQL"
        )
    return parsed


def _dumps(value: Any) -> str:
    # Dutch text stays readable in the database instead of \u00eb escapes.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets readers go on while one writer commits.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # With WAL, NORMAL loses nothing when the process is killed; only a power
        # cut can drop the last commits, and the file stays consistent.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


# -- SQLite's one writer at a time, queued in the process ------------------------------
#
# SQLite lets one connection write at a time. Left to itself, a second writer
# polls: its busy handler sleeps 1, 2, 5, ... up to 100 ms between tries, so under
# a burst of clicks the unlucky ones wait far longer than the writes they wait
# for take. Instead an explicit transaction (`with session.begin():`, what every
# command, claim and settle uses) takes this process's writer lock first and then
# BEGIN IMMEDIATE: writers queue on the lock and each starts the moment the last
# one is done, and one that has begun holds SQLite's write lock from its first
# read, so its reads are fresh and its writes never find the database taken.
# Reads (sessions without `begin()`) do not queue: WAL lets them go on meanwhile.
# Another process (a CLI command) still meets SQLite's own busy timeout.

_WRITERS: WeakKeyDictionary[Pool, threading.Lock] = WeakKeyDictionary()
_HOLDS_WRITER = "dialoog.holds_writer_lock"


def _begin_writer(
    session: Session, transaction: SessionTransaction, connection: Connection
) -> None:
    """After a session's transaction got its connection, before its first statement."""
    lock = _WRITERS.get(connection.engine.pool)
    if lock is None or transaction.origin is not SessionTransactionOrigin.BEGIN:
        return
    if transaction.nested or transaction.parent is not None:
        return
    record = connection.connection._connection_record
    if record is None or record.info.get(_HOLDS_WRITER):
        return
    if not lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
        raise OperationalError(
            "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
        )
    record.info[_HOLDS_WRITER] = lock
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _release_writer(None, record)
        raise


def _release_writer(_dbapi_connection: Any, record: Any) -> None:
    """When the connection goes back to the pool (after its commit or rollback)."""
    lock = record.info.pop(_HOLDS_WRITER, None) if record is not None else None
    if lock is not None:
        lock.release()


event.listen(Session, "after_begin", _begin_writer)


def _queue_writers(engine: Engine) -> None:
    _WRITERS[engine.pool] = threading.Lock()
    event.listen(engine.pool, "checkin", _release_writer)
    event.listen(
        engine.pool, "invalidate", lambda conn, record, _error: _release_writer(conn, record)
    )


# -- pinging a server's pooled connections when they sat idle -------------------------
#
# What drops a pooled connection is mostly time: a server's or a proxy's idle
# timeout, a restart or failover while the connection waits in the pool. So a
# connection that was checked in more than PING_AFTER_IDLE seconds ago is pinged
# on checkout (and replaced if it is gone); one that was in use a moment ago is
# not, which under load is nearly every checkout. If the server drops connections
# in that moment after all, the first statement fails as a disconnect: SQLAlchemy
# then replaces every connection of the pool, and commands (and the dispatcher's
# work) are tried again on OperationalError.

PING_AFTER_IDLE = 2.0
_IDLE_SINCE = "dialoog.idle_since"


def _ping_when_idle(engine: Engine) -> None:
    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since <= PING_AFTER_IDLE:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception:
            alive = False
        if not alive:
            # The pool throws this connection away and checks out a fresh one.
            raise DisconnectionError("a pooled connection was dropped while idle")

    event.listen(engine.pool, "checkin", checked_in)
    event.listen(engine.pool, "checkout", checked_out)


def make_engine(
    url: str | URL,
    *,
    secret_key: str | None = None,
    key_file: str | Path | None = None,
    **kwargs: Any,
) -> Engine:
    """An engine for SQLite or PostgreSQL (psycopg 3), set up the way storage expects.

    secret_key (by default the DIALOOG_SECRET_KEY environment variable, as for the
    `alembic` command) and key_file give the keys of the content encrypted at
    rest; see `storage.crypto.cipher_for_url` for what happens without them.
    """
    parsed = normalize_url(url)
    if secret_key is None:
        secret_key = os.environ.get(SECRET_KEY_ENV)
    cipher = cipher_for_url(parsed, secret_key=secret_key, key_file=key_file)
    # hide_parameters: a database error's message must not carry the statement's
    # values (contributions, in event payloads) into a log line.
    options: dict[str, Any] = {
        "json_serializer": _dumps,
        # A server can drop a pooled connection, but one used a moment ago is alive:
        # a ping per checkout (a round trip more per transaction) is only for those
        # that sat idle (`_ping_when_idle`). A SQLite file cannot drop one at all.
        "hide_parameters": True,
    }
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        options["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
    options.update(kwargs)
    engine = create_engine(parsed, **options)
    if engine.dialect.name != "sqlite" and not options.get("pool_pre_ping"):
        _ping_when_idle(engine)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
        if parsed.database not in (None, "", ":memory:"):
            _queue_writers(engine)
    bind_cipher(engine, cipher)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # Rows handed back by the repository stay readable after commit, e.g. the
    # outbox rows a dispatcher claimed and then sends outside the transaction.
    return sessionmaker(engine, expire_on_commit=False)


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query (for /readyz)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError:
        return False
    return True


@dataclass(frozen=True)
class UpgradeResult:
    """Alembic revisions before and after an upgrade (None: no tables yet)."""

    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config() -> Config:
    """The Alembic configuration of the migrations shipped inside this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def connect(engine: Engine) -> Connection:
    """A connection, or DatabaseUnavailable with a message fit for an operator."""
    try:
        return engine.connect()
    except OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseUnavailable(f"cannot reach the database at {where}: {reason}") from exc


def upgrade(engine: Engine) -> UpgradeResult:
    """Bring the database to the newest migration; a no-op when it is there already.

    Raises DatabaseUnavailable when the database cannot be reached.
    """
    config = alembic_config()
    with connect(engine) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            # Replicas starting together would otherwise race to create the
            # same tables; the lock is released at commit.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
            )
        before = _current_revision(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        after = _current_revision(connection)
    return UpgradeResult(before=before, after=after)
