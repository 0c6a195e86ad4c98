"""The real server with Slack switched on, its Web API a fake on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import pytest

from bot.config import Settings
from bot.runtime import Runtime
from tests.fakes.clock import ManualClock
from tests.fakes.server import running, wired
from tests.fakes.slack_api import FakeSlack
from tests.slack.driver import SIGNING_SECRET, Slack

BOT_TOKEN = "xoxb-single-workspace-token"
SECRET_KEY = "test-secret-key-for-slack-tokens-0123456789"


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


SettingsFor = Callable[..., Settings]


@pytest.fixture
def slack_settings(
    database_url: str, slack_api: FakeSlack, protocols_dir: str | None
) -> SettingsFor:
    """Settings for a Slack server; keyword arguments override by env name."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "DIALOOG_DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack_api.api_url,
            "DIALOOG_WEB_CHAT": "off",
            "DIALOOG_PROTOCOLS_DIR": protocols_dir,
        }
        values.update(overrides)
        return Settings(**{k: v for k, v in values.items() if v is not None})

    return make


@pytest.fixture
def slack_runtime(slack_settings: SettingsFor, clock: ManualClock) -> Iterator[Runtime]:
    with wired(slack_settings(), clock) as runtime:
        yield runtime


@pytest.fixture
async def slack_server(slack_runtime: Runtime) -> AsyncIterator[str]:
    async with running(slack_runtime) as url:
        yield url


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def slack(http: aiohttp.ClientSession, slack_server: str, slack_api: FakeSlack) -> Slack:
    return Slack(http, slack_server, slack_api)
