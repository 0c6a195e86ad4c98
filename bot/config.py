"""Configuration from the environment (or a `.env` file); names as in DESIGN.md."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import DialoogError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field("sqlite:///dialoog.db", alias="DIALOOG_DATABASE_URL")
    host: str = Field("127.0.0.1", alias="DIALOOG_HOST")
    port: int = Field(3978, alias="DIALOOG_PORT")
    language: str = Field("nl", alias="DIALOOG_LANGUAGE")
    timezone: str = Field("Europe/Amsterdam", alias="DIALOOG_TIMEZONE")
    protocols_dir: str | None = Field(None, alias="DIALOOG_PROTOCOLS_DIR")
    secret_key: str | None = Field(None, alias="DIALOOG_SECRET_KEY")
    # Where the content key lives when DIALOOG_SECRET_KEY is unset (default: next
    # to a SQLite database, `dialoog.db.key`; PostgreSQL has no default).
    key_file: str | None = Field(None, alias="DIALOOG_KEY_FILE")
    # The local web chat: "on", "off", or unset (on when no Slack or Teams credentials are set).
    web_chat: str | None = Field(None, alias="DIALOOG_WEB_CHAT")
    # The web chat has no login: on an address beyond this computer it is served only
    # when the operator says, with this setting's very name, that they accept that.
    web_chat_on_network: str | None = Field(None, alias="DIALOOG_WEB_CHAT_WITHOUT_LOGIN_ON_NETWORK")

    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(None, alias="SLACK_CLIENT_SECRET")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")

    microsoft_app_id: str | None = Field(None, alias="MICROSOFT_APP_ID")
    microsoft_app_password: str | None = Field(None, alias="MICROSOFT_APP_PASSWORD")
    microsoft_app_tenant_id: str | None = Field(None, alias="MICROSOFT_APP_TENANT_ID")
    microsoft_app_type: str | None = Field(None, alias="MICROSOFT_APP_TYPE")
    # Teams without an app id, for local tools and tests: "on" accepts unauthenticated
    # traffic from this machine only. Has no effect once MICROSOFT_APP_ID is set.
    teams_local: str | None = Field(None, alias="DIALOOG_TEAMS_LOCAL")
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
