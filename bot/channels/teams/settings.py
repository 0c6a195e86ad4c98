"""When Teams is on, and how it authenticates. Pure: read from the Settings."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

from bot.config import Settings, secret


@dataclass(frozen=True)
class TeamsConfig:
    app_id: str | None
    app_password: SecretStr | None
    app_tenant_id: str | None
    app_type: str | None
    # No app id, but switched on for local tools and tests: loopback traffic only.
    local: bool
    openid_metadata_url: str | None

    @property
    def enabled(self) -> bool:
        return bool(self.app_id) or self.local

    @property
    def authenticated(self) -> bool:
        return bool(self.app_id)

    def missing(self) -> list[str]:
        """The settings an app id needs and lacks, by their environment names."""
        if not self.app_id:
            return []
        kind = (self.app_type or "MultiTenant").lower()
        wanted = {
            "MICROSOFT_APP_PASSWORD": kind != "userassignedmsi" and not self.app_password,
            "MICROSOFT_APP_TENANT_ID": kind in ("singletenant", "userassignedmsi")
            and not self.app_tenant_id,
        }
        if kind not in ("multitenant", "singletenant", "userassignedmsi"):
            wanted["MICROSOFT_APP_TYPE (MultiTenant, SingleTenant or UserAssignedMSI)"] = True
        return [name for name, lacking in wanted.items() if lacking]


def teams_config(settings: Settings) -> TeamsConfig:
    app_id = (settings.microsoft_app_id or "").strip() or None
    local = bool(settings.teams_local)
    return TeamsConfig(
        app_id=app_id,
        app_password=settings.microsoft_app_password
        if secret(settings.microsoft_app_password)
        else None,
        app_tenant_id=settings.microsoft_app_tenant_id or None,
        app_type=settings.microsoft_app_type or None,
        local=local and app_id is None,
        openid_metadata_url=settings.microsoft_openid_metadata_url or None,
    )
