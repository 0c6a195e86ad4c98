"""Where a round lives: the one answer to "does this round belong to this place", and
to "which round's thread is this line in"."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.service.places import Place


def home_of(sessions: sessionmaker[Session], round_id: str) -> Place | None:
    """The channel a round was started in; None for a round that does not exist."""
    with sessions() as session:
        row = storage.get_round(session, round_id)
        team = storage.get_team(session, row.team_id) if row else None
        tenant = session.get(storage.Tenant, team.tenant_id) if team else None
        if team is None or tenant is None:
            return None
        return Place(tenant.platform, tenant.external_id, team.external_id, team.name)


def belongs(home: Place, place: Place, *, private: bool = False) -> bool:
    """Whether a round at `home` may be acted on from `place`: its own channel, or
    (`private`) a person's own conversation with the bot in the same workspace."""
    if (home.platform, home.workspace) != (place.platform, place.workspace):
        return False
    return private or home.channel == place.channel


def round_under(sessions: sessionmaker[Session], place: Place, post: str) -> str | None:
    """The round whose card is the platform post `post` in this channel: the round a
    reply in that post's thread belongs to. A card split over several posts (stored
    as their ids, space-separated) is found by its first."""
    posted = storage.PostedMessage
    with sessions() as session:
        return session.scalars(
            select(posted.round_id).where(
                posted.platform == place.platform,
                posted.channel == place.channel,
                posted.slot == "card",
                or_(posted.external_id == post, posted.external_id.startswith(f"{post} ")),
            )
        ).first()
