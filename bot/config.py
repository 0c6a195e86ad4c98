"""Configuration from the environment (or a `.env` file); names as in DESIGN.md.

Every setting has its real type: a language is `nl` or `en`, a time zone a
`ZoneInfo`, a switch a `bool`, a secret a `SecretStr` (its value never appears in
a repr, a log line or an error). A value that cannot work stops the start with a
`ConfigError` that names the variable, says what is wrong and what would be right.
"""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import DialoogError
from bot.i18n import LANGUAGES, Language

_TRUE = {"on", "yes", "true", "1", "aan", "ja"}
_FALSE = {"off", "no", "false", "0", "uit", "nee"}


def _language(value: object) -> object:
    """`nl`, `en`, and the locale forms `nl_NL`, `en-GB` for them; anything else fails."""
    if not isinstance(value, str):
        return value
    short = value.strip().lower()
    if short[:2] in LANGUAGES and (len(short) == 2 or short[2] in "-_"):
        return short[:2]
    raise ValueError(f"dialoog speaks {' and '.join(LANGUAGES)}; use one of those")


def _zone(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            "not a time zone this machine knows; use an IANA name such as Europe/Amsterdam"
        ) from None


def _switch(value: object) -> object:
    """on/off in the words people use (yes/no, true/false, 1/0, aan/uit); empty is unset."""
    if not isinstance(value, str):
        return value
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    if word in ("", "auto"):
        return None
    raise ValueError("use on or off (yes/no, true/false, 1/0 and aan/uit work too)")


Languages = Annotated[Language, BeforeValidator(_language)]
Zone = Annotated[ZoneInfo, BeforeValidator(_zone)]
Switch = Annotated[bool | None, BeforeValidator(_switch)]


class Settings(BaseSettings):
    """The settings; raises ConfigError (never pydantic's ValidationError) for a bad value."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise ConfigError(_explain(error)) from None

    database_url: str = Field("sqlite:///dialoog.db", alias="DIALOOG_DATABASE_URL")
    host: str = Field("127.0.0.1", alias="DIALOOG_HOST")
    port: int = Field(3978, alias="DIALOOG_PORT")
    language: Languages = Field("nl", alias="DIALOOG_LANGUAGE")
    timezone: Zone = Field(ZoneInfo("Europe/Amsterdam"), alias="DIALOOG_TIMEZONE")
    protocols_dir: str | None = Field(None, alias="DIALOOG_PROTOCOLS_DIR")
    secret_key: SecretStr | None = Field(None, alias="DIALOOG_SECRET_KEY")
    # Where the content key lives when DIALOOG_SECRET_KEY is unset (default: next
    # to a SQLite database, `dialoog.db.key`; PostgreSQL has no default).
    key_file: str | None = Field(None, alias="DIALOOG_KEY_FILE")
    # The local web chat: on, off, or unset (on when no Slack or Teams credentials are set).
    web_chat: Switch = Field(None, alias="DIALOOG_WEB_CHAT")
    # The web chat has no login: on an address beyond this computer it is served only
    # when the operator says, with this setting's very name, that they accept that.
    web_chat_on_network: Switch = Field(None, alias="DIALOOG_WEB_CHAT_WITHOUT_LOGIN_ON_NETWORK")

    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, alias="SLACK_CLIENT_SECRET")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")

    microsoft_app_id: str | None = Field(None, alias="MICROSOFT_APP_ID")
    microsoft_app_password: SecretStr | None = Field(None, alias="MICROSOFT_APP_PASSWORD")
    microsoft_app_tenant_id: str | None = Field(None, alias="MICROSOFT_APP_TENANT_ID")
    microsoft_app_type: str | None = Field(None, alias="MICROSOFT_APP_TYPE")
    # Teams without an app id, for local tools and tests: on accepts unauthenticated
    # traffic from this machine only. Has no effect once MICROSOFT_APP_ID is set.
    teams_local: Switch = Field(None, alias="DIALOOG_TEAMS_LOCAL")
    # Where the Bot Framework publishes the keys its tokens are signed with (Microsoft's
    # own by default; tests point it at a loopback fake).
    microsoft_openid_metadata_url: str | None = Field(None, alias="MICROSOFT_OPENID_METADATA_URL")
    # Scheduled rounds: one missed by less than this (the server was down) starts
    # late, once, with a note; an older one is skipped with a log line.
    schedule_grace_minutes: int = Field(
        30, ge=0, le=24 * 60, alias="DIALOOG_SCHEDULE_GRACE_MINUTES"
    )
    # The address people reach this server at, for links the bot shows (the
    # calendar feed). Unset: http://DIALOOG_HOST:DIALOOG_PORT.
    public_url: str | None = Field(None, alias="DIALOOG_PUBLIC_URL")
    # Privacy (docs/privacy.md): days a round's content is kept after it ended, and
    # the bounds within which a team's facilitator may choose its own.
    retention_days: int = Field(90, ge=1, le=3650, alias="DIALOOG_RETENTION_DAYS")
    retention_min_days: int = Field(7, ge=1, le=3650, alias="DIALOOG_RETENTION_MIN_DAYS")
    retention_max_days: int = Field(365, ge=1, le=3650, alias="DIALOOG_RETENTION_MAX_DAYS")
    # Days after an uninstall before the workspace's data is erased (0: at once).
    uninstall_grace_days: int = Field(0, ge=0, le=365, alias="DIALOOG_UNINSTALL_GRACE_DAYS")
    # Who may see the school-wide insights page (counts per team, nobody named):
    # user ids as the platform gives them (Slack U…, Teams Entra object ids), comma-separated.
    school_coordinators: str | None = Field(None, alias="DIALOOG_SCHOOL_COORDINATORS")


class ConfigError(DialoogError, RuntimeError):
    """A setting that cannot work; the message says which and how to fix it."""


def secret(value: SecretStr | None) -> str | None:
    """A secret's value where a library needs it; None for unset or empty."""
    return (value.get_secret_value() or None) if value is not None else None


def _explain(error: ValidationError) -> str:
    """One line per wrong setting: the variable, the value (never a secret's), what would do."""
    lines = []
    for problem in error.errors(include_url=False):
        name = str(problem["loc"][0]) if problem["loc"] else "?"
        field = next((f for n, f in Settings.model_fields.items() if name in (n, f.alias)), None)
        alias = field.alias if field is not None and field.alias else name
        hidden = field is None or "SecretStr" in str(field.annotation)
        shown = "" if hidden else f"={problem.get('input')!r}"
        reason = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{alias}{shown}: {reason}")
    return "settings that cannot work:\n  " + "\n  ".join(lines)
