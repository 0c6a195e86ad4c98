"""When a platform says the app was removed, the data of that workspace (Slack) or of
those channels (Teams) is erased after the school's grace period; a reinstall
before then keeps it. The erasure itself is the purge's work (bot.service.purge)."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.service.clock import Clock
from storage import audit, retention

log = logging.getLogger(__name__)


class Uninstalls:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock, *, grace: timedelta) -> None:
        self.sessions = sessions
        self.clock = clock
        self.grace = grace

    def removed(
        self, platform: str, workspace: str, channels: Collection[str] | None = None
    ) -> int:
        """The app is gone from a workspace (channels None) or from these channels:
        plan their erasure. Returns how many teams it concerns."""
        now = self.clock.now()
        with self.sessions() as session, session.begin():
            count = retention.schedule_erasure(
                session, platform, workspace, channels, at=now + self.grace
            )
            if count:
                audit.record_audit(
                    session,
                    actor=f"{platform}:{workspace}",
                    action=audit.AUDIT_UNINSTALL,
                    target=f"{platform}:{workspace}",
                    now=now,
                    detail={"teams": count, "grace_days": self.grace.days},
                )
        log.info(
            "uninstall: %s workspace %s removed the app; %d team(s) erased in %d day(s)",
            platform,
            workspace,
            count,
            self.grace.days,
        )
        return count

    def returned(
        self, platform: str, workspace: str, channels: Collection[str] | None = None
    ) -> int:
        """The app is back before the grace period ended: keep the data."""
        with self.sessions() as session, session.begin():
            count = retention.cancel_erasure(session, platform, workspace, channels)
        if count:
            log.info(
                "uninstall: %s workspace %s is back; erasure of %d team(s) cancelled",
                platform,
                workspace,
                count,
            )
        return count
