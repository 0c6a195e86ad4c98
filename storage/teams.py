"""Tenants (workspaces), teams (channels) and their members.

Every get_or_create is safe when two requests create the same row at once:
both insert with ON CONFLICT DO NOTHING and then read the one row that won.
The usual case, a row that exists, is a plain read: no write lock on SQLite,
no sequence value spent on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage._sql import dialect_insert, rowcount
from storage.errors import NotFound
from storage.models import Member, Team, Tenant

__all__ = [
    "find_team",
    "get_or_create_member",
    "get_or_create_team",
    "get_or_create_tenant",
    "get_team",
    "list_members",
    "list_teams",
    "lock_team",
    "remove_member",
    "set_conversation_ref",
    "set_team_language",
    "set_team_sector",
    "team_and_tenant",
    "team_at",
]


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
