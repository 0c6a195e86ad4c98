"""A PostgreSQL server that drops pooled connections: nothing fails for good.

A connection is pinged on checkout only when it sat idle (storage.db): these
drop connections behind the pool's back, both ways."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

import storage
import storage.db
from bot.engine import commands as cmd
from bot.service import Person, Place, RoundService
from protocols.loader import Library
from tests.fakes.clock import ManualClock

pytestmark = pytest.mark.postgres


def _drop_every_other_connection(postgres_url: str) -> int:
    """What a server restart does to the pool: every connection of the database goes."""
    admin = storage.make_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
            )
    finally:
        admin.dispose()


@pytest.fixture
def pooled(postgres_url: str) -> Engine:
    engine = storage.make_engine(postgres_url)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return engine


def test_a_connection_dropped_while_idle_is_replaced_before_it_is_used(
    pooled: Engine, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _drop_every_other_connection(postgres_url) >= 1
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE", 0.0)
    with pooled.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
    pooled.dispose()


def test_a_command_goes_through_when_the_connections_went_a_moment_after_use(
    postgres_url: str, library: Library, clock: ManualClock
) -> None:
    engine = storage.make_engine(postgres_url)
    service = RoundService(storage.make_session_factory(engine), library, clock)
    started = service.start(Place("web", "local", "team-a"), Person("ann", "Ann"), "incident")
    assert started.round_id is not None
    assert _drop_every_other_connection(postgres_url) >= 1
    # Used a moment ago, so not pinged: the first statement finds it gone, and the
    # command is tried again on a fresh connection.
    joined = service.handle(started.round_id, cmd.Join(user="bob", name="Bob"), key="k-join")
    assert joined.accepted and not joined.replayed
    state = service.round(started.round_id)
    assert state is not None and "bob" in state.participants
    engine.dispose()
