"""The running server with Teams switched on (locally, without an app id), and a
fake Bot Connector service that the activities' serviceUrl points at."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from bot.config import Settings
from bot.runtime import Runtime
from tests.conftest import protocol_settings
from tests.fakes.bot_connector import FakeConnector, running_connector
from tests.fakes.clock import ManualClock
from tests.fakes.server import wired
from tests.teams.traffic import Teams


def teams_settings(database_url: str, **values: object) -> Settings:
    """Settings with Teams on and nothing taken from the environment that matters here."""
    defaults: dict[str, object] = {
        "DIALOOG_DATABASE_URL": database_url,
        "DIALOOG_TEAMS_LOCAL": "on",
        "MICROSOFT_APP_ID": None,
        "MICROSOFT_APP_PASSWORD": None,
        "MICROSOFT_APP_TENANT_ID": None,
        "MICROSOFT_APP_TYPE": None,
        "MICROSOFT_OPENID_METADATA_URL": None,
    }
    return Settings(**{**defaults, **values})  # type: ignore[arg-type]


@pytest.fixture
def runtime(database_url: str, clock: ManualClock, protocols_dir: str | None) -> Iterator[Runtime]:
    settings = teams_settings(database_url, **protocol_settings(protocols_dir))
    with wired(settings, clock) as built:
        yield built


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with running_connector() as fake:
        yield fake


@pytest.fixture
async def teams(server_url: str, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with aiohttp.ClientSession() as http:
        yield Teams(http, server_url, connector)
