"""Whether the web chat is on. It has no login: whoever reaches it can act as
any colleague, so it is on by itself only where no real channel is set up."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from bot.config import Settings, secret

OPT_IN = "DIALOOG_WEB_CHAT_WITHOUT_LOGIN_ON_NETWORK"


@dataclass(frozen=True)
class Switch:
    on: bool
    # Why, in words for the one log line.
    reason: str
    # On while the server listens beyond this computer.
    exposed: bool = False


def platform_credentials(settings: Settings) -> list[str]:
    """The names of the Slack and Teams settings that are set (never their values)."""
    names = {
        "SLACK_BOT_TOKEN": secret(settings.slack_bot_token),
        "SLACK_CLIENT_ID": settings.slack_client_id,
        "SLACK_APP_TOKEN": secret(settings.slack_app_token),
        "MICROSOFT_APP_ID": settings.microsoft_app_id,
    }
    return [name for name, value in names.items() if value]


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def decide(settings: Settings) -> Switch:
    if settings.web_chat is False:
        return Switch(False, "DIALOOG_WEB_CHAT=off")
    if settings.web_chat:
        reason = "DIALOOG_WEB_CHAT=on"
    else:
        credentials = platform_credentials(settings)
        if credentials:
            return Switch(
                False, f"{', '.join(credentials)} set; DIALOOG_WEB_CHAT=on adds the web chat"
            )
        reason = "no Slack or Teams credentials are set"
    if is_loopback(settings.host):
        return Switch(True, reason)
    if not settings.web_chat_on_network:
        return Switch(
            False,
            f"DIALOOG_HOST={settings.host} is not a loopback address and the web chat has no "
            "login: anyone who reaches this port could act as any colleague. Listen on "
            f"127.0.0.1, or set {OPT_IN}=yes to serve it there anyway",
            exposed=True,
        )
    return Switch(True, f"{reason}; {OPT_IN}=yes", exposed=True)
