"""Shared fixtures."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from storage import make_engine, make_session_factory, upgrade
from storage.models import Base
from storage.scratch import scratch_postgres_database

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.service import RoundService
    from protocols.loader import Library
    from tests.fakes.clock import ManualClock

# --- databases (storage) ---------------------------------------------------
#
# `database_url` runs a test once on SQLite and once on PostgreSQL, each time
# with a migrated, empty database. `engine`, `session_factory` and `session`
# build on it. `postgres_url` is the PostgreSQL one alone, for tests that need
# PostgreSQL only (mark those `@pytest.mark.postgres`). `empty_database_url`
# (both backends) and `empty_postgres_url` are databases without any tables,
# for migration tests.
#
# PostgreSQL is used when DIALOOG_TEST_POSTGRES_URL is set. Every test session
# creates its own scratch databases on that server and drops them at the end,
# so several people can run the suite against one server at once.

POSTGRES_ENV = "DIALOOG_TEST_POSTGRES_URL"
# The content key of every test database (PostgreSQL has no key file to fall
# back on). Tests of the key handling itself set or remove it as they need.
TEST_SECRET_KEY = "test-secret-key-for-stored-content-0123456789"
POSTGRES_SKIP = f"{POSTGRES_ENV} is not set; run via .ci/run or set it to a PostgreSQL URL"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", autouse=True)
def _content_key() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIALOOG_SECRET_KEY", TEST_SECRET_KEY)
        yield


@pytest.fixture(scope="session")
def _postgres_server_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(POSTGRES_SKIP)
    return url


@pytest.fixture(scope="session")
def _migrated_postgres(_postgres_server_url: str) -> Iterator[str]:
    with scratch_postgres_database(_postgres_server_url, prefix="dialoog_test") as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        yield url


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "dialoog.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        # Closing the last connection checkpoints the WAL into the file we copy.
        engine.dispose()
    return path


@pytest.fixture
def postgres_url(_migrated_postgres: str) -> str:
    """A migrated, empty PostgreSQL database (emptied before each test)."""
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    engine = make_engine(_migrated_postgres)
    try:
        with engine.begin() as connection:
            # A test that left a transaction open would otherwise hang the next one.
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
    return _migrated_postgres


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, _migrated_sqlite_template: Path
) -> str:
    """A migrated, empty database: a SQLite file of its own, or PostgreSQL."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    path = tmp_path / "dialoog.db"
    shutil.copyfile(_migrated_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def empty_postgres_url(_postgres_server_url: str) -> Iterator[str]:
    """A PostgreSQL database of this test alone, without any tables."""
    with scratch_postgres_database(_postgres_server_url, prefix="dialoog_test") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database without any tables (no migrations applied)."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("empty_postgres_url")
        return url
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


# --- the running server -----------------------------------------------------
#
# `runtime` is the server's wiring on a migrated database (SQLite and
# PostgreSQL) with a clock the test moves; `server_url` runs the real aiohttp
# server for it on a free loopback port.


@pytest.fixture
def clock() -> ManualClock:
    from tests.fakes.clock import ManualClock

    return ManualClock()


@pytest.fixture
def protocols_dir() -> str | None:
    """A folder of methods the server reads beside the built-in ones (none): a test
    module that needs methods of its own overrides this fixture."""
    return None


def protocol_settings(protocols_dir: str | None) -> dict[str, str]:
    """The settings that point the server at `protocols_dir`, if there is one."""
    return {"DIALOOG_PROTOCOLS_DIR": protocols_dir} if protocols_dir else {}


@pytest.fixture
def runtime(database_url: str, clock: ManualClock, protocols_dir: str | None) -> Iterator[Runtime]:
    from bot.config import Settings
    from tests.fakes.server import wired

    settings = Settings(DIALOOG_DATABASE_URL=database_url, **protocol_settings(protocols_dir))
    with wired(settings, clock) as built:
        yield built


@pytest.fixture
def reader(database_url: str) -> Iterator[Runtime]:
    """The database as this test process sees it, beside a server running as a
    process of its own (tests/fakes/process.py)."""
    from bot.config import Settings
    from tests.fakes.server import wired

    settings = Settings(DIALOOG_DATABASE_URL=database_url, DIALOOG_WEB_CHAT="off")
    with wired(settings) as built:
        yield built


@pytest.fixture
async def server_url(runtime: Runtime) -> AsyncIterator[str]:
    from tests.fakes.server import running

    async with running(runtime) as url:
        yield url


# --- the protocols and the service ------------------------------------------


@pytest.fixture(scope="session")
def library() -> Library:
    from protocols.loader import load_library

    return load_library()


@pytest.fixture
def service(
    session_factory: sessionmaker[Session], library: Library, clock: ManualClock
) -> RoundService:
    from bot.service import RoundService

    return RoundService(session_factory, library, clock)


def incident_steps() -> int:
    """How many steps the built-in incident method has: the channel tests play all of them."""
    from protocols.loader import load_library

    incident = load_library().get("incident")
    assert incident is not None
    return len(incident.steps)
