"""How Slack is switched on, off or refused, from the environment; keys and their rotation."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import aiohttp
import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import text

from bot.channels.slack import SlackConfigError, choose_mode
from bot.channels.slack.installations import DatabaseInstallationStore
from bot.channels.slack.quiet import library_logger
from bot.channels.slack.tokens import SecretKeyError, TokenCipher
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.server import build_app
from tests.fakes.clock import ManualClock
from tests.fakes.server import running
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import SettingsFor
from tests.slack.driver import ANN, CHANNEL

KEY_A = "first-key-of-the-school-0123456789abcdef"
KEY_B = "second-key-after-rotation-0123456789abcdef"
OAUTH = {"SLACK_BOT_TOKEN": None, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s3cret"}


# -- which mode ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "on", "auth", "socket"),
    [
        ({}, False, "none", False),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, False, "none", False),  # no signing secret
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, True, "token", False),
        ({"SLACK_CLIENT_ID": "1.2"}, False, "none", False),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"},
            True,
            "oauth",
            False,
        ),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, True, "token", True),
    ],
    ids=["nothing", "token-only", "one-workspace", "client-id-only", "oauth", "socket-mode"],
)
def test_the_environment_chooses_how_slack_runs(
    env: dict[str, str], on: bool, auth: str, socket: bool
) -> None:
    mode = choose_mode(Settings(**env))
    assert (mode.on, mode.auth, mode.socket) == (on, auth, socket)
    if not on:
        assert "SLACK_" in mode.reason


def test_slack_off_says_so_in_one_line_and_the_server_has_no_slack_routes(
    database_url: str, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    runtime = build_runtime(Settings(DIALOOG_DATABASE_URL=database_url), clock=clock, migrate=False)
    try:
        app = build_app(runtime)
    finally:
        runtime.engine.dispose()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Slack is")]
    assert lines == [
        "Slack is off: no SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and "
        "SLACK_CLIENT_SECRET (OAuth installs) set"
    ]
    assert "slack" not in runtime.senders
    assert not [r for r in app.router.routes() if "/slack" in r.resource.canonical]  # type: ignore[union-attr]


def test_slack_on_says_how_in_one_line(
    slack_settings: SettingsFor, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    runtime = build_runtime(slack_settings(), clock=clock, migrate=False)
    try:
        build_app(runtime)
    finally:
        runtime.engine.dispose()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Slack is")]
    assert lines == ["Slack is on: one workspace (SLACK_BOT_TOKEN), HTTP at /slack/events"]


# -- the key --------------------------------------------------------------------------------


def test_a_token_encrypted_with_one_key_is_read_with_that_key_only() -> None:
    a = TokenCipher([KEY_A])
    sealed = a.encrypt("xoxb-geheim")
    assert "xoxb" not in sealed
    assert a.decrypt(sealed) == "xoxb-geheim"
    with pytest.raises(SecretKeyError, match="cannot be decrypted"):
        TokenCipher([KEY_B]).decrypt(sealed)


def test_rotating_keys_the_first_encrypts_and_every_one_decrypts() -> None:
    old = TokenCipher([KEY_A]).encrypt("xoxb-geheim")
    both = TokenCipher.from_setting(f"{KEY_B}, {KEY_A}")
    assert both is not None
    assert both.decrypt(old) == "xoxb-geheim"
    assert not both.is_current(old)
    new = both.rotate(old)
    assert both.is_current(new)
    assert TokenCipher([KEY_B]).decrypt(new) == "xoxb-geheim"
    assert both.is_current(both.encrypt("x"))


@pytest.mark.parametrize("value", ["too-short", f"{KEY_A},short"])
def test_a_short_key_is_refused_with_a_way_to_make_a_good_one(value: str) -> None:
    with pytest.raises(SecretKeyError, match="openssl rand -base64 32"):
        TokenCipher.from_setting(value)


def test_no_key_set_means_no_cipher() -> None:
    assert TokenCipher.from_setting(None) is None
    assert TokenCipher.from_setting(" , ") is None


def _runtime(settings: Settings, clock: ManualClock) -> Runtime:
    return build_runtime(settings, clock=clock, migrate=False)


def _install(runtime: Runtime, key: str, team: str = "T0SCHOOL") -> None:
    cipher = TokenCipher.from_setting(key)
    assert cipher is not None
    store = DatabaseInstallationStore(
        runtime.sessions, cipher, client_id="1.2", logger=library_logger()
    )
    installation = Installation(
        app_id="A1",
        team_id=team,
        team_name="De Vlinder",
        bot_token=f"xoxb-token-of-{team}",
        bot_id="B1",
        bot_user_id="U0BOT",
        bot_scopes="commands,chat:write",
        user_id="U0ADMIN",
        installed_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    asyncio.run(store.async_save(installation))


def _ciphertexts(runtime: Runtime) -> list[str]:
    with runtime.engine.connect() as connection:
        return list(
            connection.execute(
                text("SELECT bot_token_ciphertext FROM slack_installations")
            ).scalars()
        )


def test_oauth_without_a_key_refuses_to_start_and_says_what_to_set(
    slack_settings: SettingsFor, clock: ManualClock
) -> None:
    runtime = _runtime(slack_settings(**OAUTH), clock)
    try:
        with pytest.raises(SlackConfigError, match="DIALOOG_SECRET_KEY is not set"):
            build_app(runtime)
    finally:
        runtime.engine.dispose()


def test_stored_installations_without_a_key_refuse_to_start(
    slack_settings: SettingsFor, clock: ManualClock
) -> None:
    runtime = _runtime(slack_settings(), clock)
    try:
        _install(runtime, KEY_A)
        with pytest.raises(SlackConfigError, match="holds 1 Slack installation"):
            build_app(runtime)
    finally:
        runtime.engine.dispose()


def test_a_new_key_in_front_re_encrypts_every_stored_token_at_start(
    slack_settings: SettingsFor, clock: ManualClock
) -> None:
    first = _runtime(slack_settings(**OAUTH, DIALOOG_SECRET_KEY=KEY_A), clock)
    try:
        _install(first, KEY_A, "T0ONE")
        _install(first, KEY_A, "T0TWO")
        before = _ciphertexts(first)
    finally:
        first.engine.dispose()

    rotated = _runtime(slack_settings(**OAUTH, DIALOOG_SECRET_KEY=f"{KEY_B},{KEY_A}"), clock)
    try:
        build_app(rotated)
        after = _ciphertexts(rotated)
    finally:
        rotated.engine.dispose()
    assert len(after) == 2 and not set(after) & set(before)
    only_b = TokenCipher([KEY_B])
    assert sorted(only_b.decrypt(c) for c in after) == [
        "xoxb-token-of-T0ONE",
        "xoxb-token-of-T0TWO",
    ]

    # The old key can go now.
    new_only = _runtime(slack_settings(**OAUTH, DIALOOG_SECRET_KEY=KEY_B), clock)
    try:
        build_app(new_only)
        assert _ciphertexts(new_only) == after
    finally:
        new_only.engine.dispose()


def test_a_key_that_fits_no_stored_token_refuses_to_start(
    slack_settings: SettingsFor, clock: ManualClock
) -> None:
    runtime = _runtime(slack_settings(**OAUTH, DIALOOG_SECRET_KEY=KEY_A), clock)
    try:
        _install(runtime, KEY_A)
    finally:
        runtime.engine.dispose()
    wrong = _runtime(slack_settings(**OAUTH, DIALOOG_SECRET_KEY=KEY_B), clock)
    try:
        with pytest.raises(SlackConfigError, match="DIALOOG_SECRET_KEY: a stored Slack token"):
            build_app(wrong)
    finally:
        wrong.engine.dispose()


# -- Socket Mode ---------------------------------------------------------------------------


async def test_socket_mode_connects_out_and_serves_a_command_without_an_http_endpoint(
    slack_settings: SettingsFor, clock: ManualClock, slack_api: FakeSlack
) -> None:
    settings = slack_settings(SLACK_APP_TOKEN="xapp-1-A0DIALOOG-socket", SLACK_SIGNING_SECRET=None)
    runtime = _runtime(settings, clock)
    try:
        async with running(runtime) as url, aiohttp.ClientSession() as http:
            # No public endpoint for Slack to call.
            async with http.post(f"{url}/slack/events", data="x") as response:
                assert response.status in (404, 405)
            await slack_api.wait_for(
                lambda calls: any(c.method == "socket.connected" for c in calls),
                what="the Socket Mode connection",
            )
            opened = slack_api.calls_to("apps.connections.open")
            assert [c.token for c in opened] == ["xapp-1-A0DIALOOG-socket"]

            # Slack pushes a slash command over the socket.
            await slack_api.push(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": {
                        "team_id": "T0DIALOOG",
                        "channel_id": CHANNEL,
                        "channel_name": "intervisie",
                        "user_id": ANN.id,
                        "user_name": ANN.name,
                        "command": "/dialoog",
                        "text": "start incident",
                        "api_app_id": "A0DIALOOG",
                        "response_url": slack_api.response_url("socket-1"),
                        "trigger_id": "1.2.socket",
                    },
                }
            )
            calls = await slack_api.wait_for(
                lambda calls: any(
                    c.method == "chat.postMessage" and c.args["channel"] == CHANNEL for c in calls
                ),
                what="the card",
            )
            # The ack goes back once the command is stored; the card may come first.
            await slack_api.wait_for(
                lambda _calls: any(a.get("envelope_id") == "env-1" for a in slack_api.socket_acks),
                what="the ack over the socket",
            )
            card = next(c for c in calls if c.method == "chat.postMessage")
            assert "Incidentmethode" in card.text_of_blocks()
    finally:
        runtime.engine.dispose()
