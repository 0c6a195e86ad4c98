"""Tenants (workspaces), teams (channels) and their members.

Every get_or_create is safe when two requests create the same row at once:
both insert with ON CONFLICT DO NOTHING and then read the one row that won.
The usual case, a row that exists, is a plain read: no write lock on SQLite,
no sequence value spent on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from storage._sql import dialect_insert, rowcount, table_of
from storage.errors import NotFound
from storage.models import Member, Round, Team, Tenant

__all__ = [
    "TeamPlace",
    "find_team",
    "get_or_create_member",
    "get_or_create_team",
    "get_or_create_tenant",
    "get_team",
    "get_teams",
    "list_members",
    "list_teams",
    "lock_team",
    "place_of_round",
    "remove_member",
    "set_conversation_ref",
    "set_team_language",
    "set_team_sector",
    "team_and_tenant",
    "team_at",
    "team_language_at",
    "team_place",
]

_TEAMS = table_of(Team)
_TENANTS = table_of(Tenant)
_ROUNDS = table_of(Round)


class TeamPlace(NamedTuple):
    """Where a team's messages go: its platform, workspace and channel ids."""

    team_id: int
    platform: str
    workspace: str
    channel: str
    conversation_ref: dict[str, Any] | None


# A TeamPlace's columns, in its order (teams joined with tenants).
TEAM_PLACE_COLUMNS = (
    _TEAMS.c.id,
    _TENANTS.c.platform,
    _TENANTS.c.external_id,
    _TEAMS.c.external_id,
    _TEAMS.c.conversation_ref,
)
# Built once (what every click runs): building costs SQLAlchemy more than running.
_TEAM_PLACE = (
    select(*TEAM_PLACE_COLUMNS)
    .join_from(_TEAMS, _TENANTS, _TENANTS.c.id == _TEAMS.c.tenant_id)
    .where(_TEAMS.c.id == bindparam("team_id"))
)
_LANGUAGE_AT = (
    select(_TEAMS.c.language)
    .join_from(_TEAMS, _TENANTS, _TENANTS.c.id == _TEAMS.c.tenant_id)
    .where(
        _TENANTS.c.platform == bindparam("platform"),
        _TENANTS.c.external_id == bindparam("workspace"),
        _TEAMS.c.external_id == bindparam("channel"),
    )
)
_PLACE_OF_ROUND = (
    select(_TENANTS.c.platform, _TENANTS.c.external_id, _TEAMS.c.external_id)
    .select_from(_ROUNDS)
    .join(_TEAMS, _TEAMS.c.id == _ROUNDS.c.team_id)
    .join(_TENANTS, _TENANTS.c.id == _TEAMS.c.tenant_id)
    .where(_ROUNDS.c.id == bindparam("round_id"))
)


def team_place(session: Session, team_id: int) -> TeamPlace | None:
    """A team's platform, workspace and channel, in one query."""
    row = session.execute(_TEAM_PLACE, {"team_id": team_id}).one_or_none()
    return TeamPlace(*row) if row is not None else None


def team_language_at(session: Session, platform: str, workspace: str, channel: str) -> str | None:
    """The language of a channel's team; None when there is no team there (yet)."""
    params = {"platform": platform, "workspace": workspace, "channel": channel}
    return session.scalar(_LANGUAGE_AT, params)


def place_of_round(session: Session, round_id: str) -> tuple[str, str, str] | None:
    """The platform, workspace and channel a round lives in; None for no such round
    (or one whose team is gone)."""
    row = session.execute(_PLACE_OF_ROUND, {"round_id": round_id}).one_or_none()
    return (row[0], row[1], row[2]) if row is not None else None


def get_or_create_tenant(
    session: Session, platform: str, external_id: str, *, name: str = ""
) -> Tenant:
    """The tenant of a workspace; a non-empty name replaces a stale one."""
    query = select(Tenant).where(Tenant.platform == platform, Tenant.external_id == external_id)
    tenant = session.scalars(query).one_or_none()
    if tenant is None:
        session.execute(
            dialect_insert(session, Tenant)
            .values(platform=platform, external_id=external_id, name=name)
            .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        )
        tenant = session.scalars(query).one()
    if name and tenant.name != name:
        tenant.name = name
    return tenant


def get_or_create_team(
    session: Session,
    tenant_id: int,
    external_id: str,
    *,
    language: str,
    timezone: str,
    name: str = "",
) -> Team:
    """The team of a channel; language and timezone apply only when it is new."""
    query = select(Team).where(Team.tenant_id == tenant_id, Team.external_id == external_id)
    team = session.scalars(query).one_or_none()
    if team is None:
        session.execute(
            dialect_insert(session, Team)
            .values(
                tenant_id=tenant_id,
                external_id=external_id,
                name=name,
                language=language,
                timezone=timezone,
            )
            .on_conflict_do_nothing(index_elements=["tenant_id", "external_id"])
        )
        team = session.scalars(query).one()
    if name and team.name != name:
        team.name = name
    return team


def get_team(session: Session, team_id: int) -> Team | None:
    return session.get(Team, team_id)


def get_teams(session: Session, team_ids: Collection[int]) -> dict[int, Team]:
    """These teams by id (an unknown id is left out), in one query."""
    if not team_ids:
        return {}
    return {t.id: t for t in session.scalars(select(Team).where(Team.id.in_(list(team_ids))))}


def team_and_tenant(session: Session, team_id: int) -> tuple[Team, Tenant] | None:
    """A team (channel) with its tenant (workspace), in one query."""
    row = session.execute(
        select(Team, Tenant).join(Tenant, Team.tenant_id == Tenant.id).where(Team.id == team_id)
    ).one_or_none()
    return (row[0], row[1]) if row is not None else None


def set_conversation_ref(session: Session, team_id: int, ref: dict[str, Any] | None) -> None:
    """Store the Teams conversation reference used for proactive messages."""
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"team {team_id}")
    team.conversation_ref = ref


def get_or_create_member(
    session: Session, team_id: int, user_id: str, *, display_name: str = ""
) -> Member:
    """A team member by platform user id; a non-empty display name replaces a stale one."""
    query = select(Member).where(Member.team_id == team_id, Member.user_id == user_id)
    member = session.scalars(query).one_or_none()
    if member is None:
        session.execute(
            dialect_insert(session, Member)
            .values(team_id=team_id, user_id=user_id, display_name=display_name)
            .on_conflict_do_nothing(index_elements=["team_id", "user_id"])
        )
        member = session.scalars(query).one()
    if display_name and member.display_name != display_name:
        member.display_name = display_name
    return member


def list_members(session: Session, team_id: int) -> list[Member]:
    return list(
        session.scalars(select(Member).where(Member.team_id == team_id).order_by(Member.id))
    )


def remove_member(session: Session, team_id: int, user_id: str) -> int:
    """Forget a team member (they left the team); returns how many rows went (0 or 1).

    Their past contributions stay in the rounds' logs; only the member record goes.
    """
    return rowcount(
        session.execute(delete(Member).where(Member.team_id == team_id, Member.user_id == user_id))
    )


def list_teams(session: Session, tenant_id: int) -> list[Team]:
    """Every team (channel) of a tenant (workspace)."""
    return list(session.scalars(select(Team).where(Team.tenant_id == tenant_id).order_by(Team.id)))


def find_team(session: Session, platform: str, workspace: str, channel: str) -> Team | None:
    """The team of a channel, if rounds were ever held there."""
    return session.scalars(
        select(Team)
        .join(Tenant, Tenant.id == Team.tenant_id)
        .where(
            Tenant.platform == platform,
            Tenant.external_id == workspace,
            Team.external_id == channel,
        )
    ).one_or_none()


def lock_team(session: Session, team_id: int) -> None:
    """Hold the team's row until the transaction ends, so that checks like "no
    other round is running here" and the insert that follows are not raced.

    A write, not SELECT ... FOR UPDATE: SQLite has no row locks, but a write
    takes its database lock, so this serializes on both backends.
    """
    matched = rowcount(
        session.execute(update(Team).where(Team.id == team_id).values(name=Team.name))
    )
    if matched == 0:
        raise NotFound(f"team {team_id}")


def set_team_language(session: Session, team_id: int, language: str) -> None:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"team {team_id}")
    team.language = language


def set_team_sector(session: Session, team_id: int, sector: str | None) -> None:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"team {team_id}")
    team.sector = sector


def team_at(
    session: Session,
    platform: str,
    workspace: str,
    channel: str,
    *,
    language: str,
    timezone: str,
    name: str = "",
) -> Team:
    """The team of a channel on a platform, its tenant and itself created when new."""
    tenant = get_or_create_tenant(session, platform, workspace)
    return get_or_create_team(
        session, tenant.id, channel, language=language, timezone=timezone, name=name
    )
