"""Rounds played through the service with a sender that records and takes back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import Runtime
from bot.service import Dispatcher, RoundService
from bot.service.purge import Purger
from protocols.loader import Library
from storage.retention import RetentionPolicy
from tests.fakes.clock import ManualClock
from tests.fakes.sender import RecordingSender

# The web chat's server (`runtime` with the web chat on, `web` speaking its HTTP API),
# for the tests that play rounds through it (tests/privacy/played.py).
from tests.web.conftest import runtime, web  # noqa: F401

POLICY = RetentionPolicy(default_days=30, min_days=7, max_days=120)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def service(
    session_factory: sessionmaker[Session], library: Library, clock: ManualClock
) -> RoundService:
    return RoundService(session_factory, library, clock, retention=POLICY)


@pytest.fixture
def dispatcher(
    session_factory: sessionmaker[Session], sender: RecordingSender, clock: ManualClock
) -> Iterator[Dispatcher]:
    yield Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)


@pytest.fixture
def purger(
    session_factory: sessionmaker[Session], sender: RecordingSender, clock: ManualClock
) -> Purger:
    return Purger(session_factory, {"web": sender}, clock, POLICY, quick_wait=0)


@pytest.fixture
def database_env(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The CLI reads the same database the server uses."""
    monkeypatch.setenv("DIALOOG_DATABASE_URL", runtime.settings.database_url)
