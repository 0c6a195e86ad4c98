"""When the web chat is on, and the one line the server logs about it."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest

from bot.channels.web.switch import decide, is_loopback
from bot.config import ConfigError, Settings
from bot.runtime import build_runtime
from tests.fakes.clock import ManualClock
from tests.fakes.server import running

CREDENTIALS = {
    "SLACK_BOT_TOKEN": "xoxb-test",
    "SLACK_CLIENT_ID": "1.2",
    "SLACK_APP_TOKEN": "xapp-test",
    "MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000000",
}


def settings(**values: Any) -> Settings:
    # Explicit None: the machine's environment must not decide these tests.
    empty = dict.fromkeys(CREDENTIALS) | {
        "DIALOOG_WEB_CHAT": None,
        "DIALOOG_WEB_CHAT_WITHOUT_LOGIN_ON_NETWORK": None,
    }
    return Settings(**(empty | values))


def test_it_is_on_when_no_slack_or_teams_credentials_are_set() -> None:
    switch = decide(settings())
    assert switch.on and not switch.exposed
    assert switch.reason == "no Slack or Teams credentials are set"


@pytest.mark.parametrize("name", sorted(CREDENTIALS))
def test_it_is_off_when_a_platform_is_set_up(name: str) -> None:
    switch = decide(settings(**{name: CREDENTIALS[name]}))
    assert not switch.on
    assert name in switch.reason and CREDENTIALS[name] not in switch.reason


@pytest.mark.parametrize("value", ["on", "ON", " aan ", "true", "1", "yes"])
def test_on_switches_it_on_beside_a_platform(value: str) -> None:
    switch = decide(settings(SLACK_BOT_TOKEN="xoxb-test", DIALOOG_WEB_CHAT=value))
    assert switch.on and switch.reason == "DIALOOG_WEB_CHAT=on"


@pytest.mark.parametrize("value", ["off", "Off", "uit", "false", "0", "no"])
def test_off_switches_it_off_even_without_a_platform(value: str) -> None:
    switch = decide(settings(DIALOOG_WEB_CHAT=value))
    assert not switch.on and switch.reason == "DIALOOG_WEB_CHAT=off"


def test_an_unknown_value_is_refused_naming_the_setting() -> None:
    with pytest.raises(ConfigError, match="DIALOOG_WEB_CHAT='maybe': use on or off"):
        settings(DIALOOG_WEB_CHAT="maybe")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("school.example", False),
    ],
)
def test_only_loopback_addresses_count_as_this_computer(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert decide(settings(DIALOOG_HOST=host)).exposed is not loopback


def _web_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name.startswith("bot.channels.web") and "web chat" in r.getMessage()
    ]


async def _serve(database_url: str, caplog: pytest.LogCaptureFixture, **values: Any) -> int:
    """Start the server with these settings; the status of GET /."""
    caplog.set_level(logging.INFO)
    runtime = build_runtime(
        settings(DIALOOG_DATABASE_URL=database_url, **values), clock=ManualClock(), migrate=False
    )
    try:
        async with (
            running(runtime) as url,
            aiohttp.ClientSession() as http,
            http.get(f"{url}/") as response,
        ):
            return response.status
    finally:
        runtime.engine.dispose()


async def test_on_it_serves_the_page_and_logs_one_line(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert await _serve(database_url, caplog) == 200
    lines = _web_lines(caplog)
    assert len(lines) == 1
    assert lines[0].levelno == logging.INFO
    assert lines[0].getMessage() == (
        "web chat on at http://127.0.0.1:3978/ (no Slack or Teams credentials are set)"
    )


async def test_off_it_serves_nothing_and_logs_one_line(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert await _serve(database_url, caplog, DIALOOG_WEB_CHAT="off") == 404
    lines = _web_lines(caplog)
    assert [r.getMessage() for r in lines] == ["web chat off: DIALOOG_WEB_CHAT=off"]


async def test_beyond_this_computer_it_is_off_unless_the_risk_is_named(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert await _serve(database_url, caplog, DIALOOG_HOST="0.0.0.0") == 404
    [line] = _web_lines(caplog)
    assert line.levelno == logging.WARNING
    message = line.getMessage()
    assert message.startswith("web chat off: DIALOOG_HOST=0.0.0.0 is not a loopback address")
    assert "set DIALOOG_WEB_CHAT_WITHOUT_LOGIN_ON_NETWORK=yes to serve it there anyway" in message


async def test_beyond_this_computer_with_the_risk_named_it_warns_once(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    opt_in = {"DIALOOG_WEB_CHAT_WITHOUT_LOGIN_ON_NETWORK": "yes"}
    assert await _serve(database_url, caplog, DIALOOG_HOST="0.0.0.0", **opt_in) == 200
    lines = _web_lines(caplog)
    assert len(lines) == 1
    assert lines[0].levelno == logging.WARNING
    message = lines[0].getMessage()
    assert "DIALOOG_HOST=0.0.0.0 is not a loopback address" in message
    assert "anyone who reaches this port can act as any colleague" in message
