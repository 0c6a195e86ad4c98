"""A team's own privacy settings, as a facilitator sees and changes them in the chat:
how long a round's content is kept, and whether the bot takes back its messages.
Every change goes into the audit log (who, what, when; never content)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

import storage
from bot.service.places import Person, Place
from bot.service.rounds import RoundService
from bot.service.teams import team_at
from storage import audit, retention
from storage.models import RoleHolding, Round

log = logging.getLogger(__name__)

# The role whose holders, with whoever started a round here, may change the settings.
FACILITATOR = "facilitator"


@dataclass(frozen=True)
class TeamPrivacy:
    days: int
    # True when the team follows the school's default.
    default: bool
    min_days: int
    max_days: int
    take_back: bool


class Change(Enum):
    DONE = "done"
    NOT_ALLOWED = "not_allowed"
    OUT_OF_BOUNDS = "out_of_bounds"


class PrivacySettings:
    def __init__(self, service: RoundService) -> None:
        self.service = service

    @property
    def policy(self) -> retention.RetentionPolicy:
        return self.service.retention

    def of(self, place: Place) -> TeamPrivacy:
        with self.service.sessions() as session:
            team = storage.teams.find_team(session, place.platform, place.workspace, place.channel)
            return self._view(team)

    def set_days(
        self, place: Place, person: Person, days: int | None
    ) -> tuple[Change, TeamPrivacy]:
        """Set the team's retention (None: back to the school's default)."""
        if days is not None and not self.policy.allows(days):
            return Change.OUT_OF_BOUNDS, self.of(place)
        with self.service.sessions() as session, session.begin():
            team = self._team(session, place)
            if not _may_change(session, team.id, person.user_id):
                return Change.NOT_ALLOWED, self._view(team)
            before = team.retention_days
            moved = retention.set_team_retention(session, team.id, days, self.policy)
            audit.record_audit(
                session,
                actor=_actor(place, person),
                action=audit.AUDIT_RETENTION_CHANGE,
                target=f"team:{team.id}",
                now=self.service.clock.now(),
                detail={
                    "from": "default" if before is None else before,
                    "to": "default" if days is None else days,
                    "rounds_moved": moved,
                },
            )
            view = self._view(team)
        log.info("privacy: team retention changed days=%d rounds_moved=%d", view.days, moved)
        return Change.DONE, view

    def set_take_back(self, place: Place, person: Person, on: bool) -> tuple[Change, TeamPrivacy]:
        with self.service.sessions() as session, session.begin():
            team = self._team(session, place)
            if not _may_change(session, team.id, person.user_id):
                return Change.NOT_ALLOWED, self._view(team)
            retention.set_team_take_back(session, team.id, on)
            audit.record_audit(
                session,
                actor=_actor(place, person),
                action=audit.AUDIT_RETENTION_CHANGE,
                target=f"team:{team.id}",
                now=self.service.clock.now(),
                detail={"take_back": "on" if on else "off"},
            )
            return Change.DONE, self._view(team)

    def _team(self, session: Session, place: Place) -> storage.Team:
        return team_at(session, place, self.service)

    def _view(self, team: storage.Team | None) -> TeamPrivacy:
        own = team.retention_days if team else None
        return TeamPrivacy(
            days=self.policy.effective(own),
            default=own is None,
            min_days=self.policy.min_days,
            max_days=self.policy.max_days,
            take_back=team.take_back if team else True,
        )


def _may_change(session: Session, team_id: int, user_id: str) -> bool:
    """Whoever started a round in this team or held its facilitator role; in a team
    without rounds yet, anyone in the channel (there is no one else to ask)."""
    if session.scalar(select(Round.id).where(Round.team_id == team_id).limit(1)) is None:
        return True
    started = select(Round.id).where(Round.team_id == team_id, Round.started_by == user_id)
    facilitated = select(RoleHolding.id).where(
        RoleHolding.team_id == team_id,
        RoleHolding.role_id == FACILITATOR,
        RoleHolding.user_id == user_id,
    )
    return (
        session.scalar(started.limit(1)) is not None
        or session.scalar(facilitated.limit(1)) is not None
    )


def _actor(place: Place, person: Person) -> str:
    return f"{place.platform}:{place.workspace}:{person.user_id}"
