"""The team of the channel a command comes from, for the features that keep a team's
settings (the planner, the insights, the privacy settings): made on first use, with
the service's default language and time zone until the team sets its own."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

import storage
from bot.i18n import Language
from bot.service.places import Place


class TeamDefaults(Protocol):
    """What a new team starts with (the round service has both)."""

    @property
    def default_language(self) -> Language: ...

    @property
    def default_timezone(self) -> str: ...


def team_at(session: Session, place: Place, defaults: TeamDefaults) -> storage.Team:
    """The place's team, it and its tenant created when new."""
    return storage.team_at(
        session,
        place.platform,
        place.workspace,
        place.channel,
        name=place.channel_name,
        language=defaults.default_language,
        timezone=defaults.default_timezone,
    )
