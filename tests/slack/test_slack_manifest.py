"""The app manifest asks for what the code uses, and no more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.channels.slack.app import BOT_SCOPES, EVENTS_PATH, REDIRECT_PATH

MANIFEST = Path(__file__).parents[2] / "slack" / "manifest.yaml"


def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_the_manifest_asks_for_exactly_the_scopes_an_install_asks_for() -> None:
    assert _manifest()["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert "user" not in _manifest()["oauth_config"]["scopes"]


def test_every_slack_url_in_the_manifest_is_a_path_the_server_serves() -> None:
    manifest = _manifest()
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/dialoog"
    urls = [
        command["url"],
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    ]
    assert all(url.endswith(EVENTS_PATH) for url in urls)
    assert manifest["oauth_config"]["redirect_urls"][0].endswith(REDIRECT_PATH)


def test_the_manifest_subscribes_to_thread_replies_and_uninstalls() -> None:
    events = _manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) == {
        "message.channels",
        "message.groups",
        "app_uninstalled",
        "tokens_revoked",
    }


def test_the_slash_commands_description_fits_slacks_limit() -> None:
    (command,) = _manifest()["features"]["slash_commands"]
    assert len(command["description"]) <= 100
    assert len(_manifest()["display_information"]["description"]) <= 140
