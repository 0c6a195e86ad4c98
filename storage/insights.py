"""What the insights read, and the links of their pages. Counts and dates only:
nothing here returns a text anyone wrote, except through the round events that
a caller asks for by kind."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage._sql import dialect_insert, rowcount
from storage.models import (
    INSIGHT_SCOPES,
    ActionPoint,
    InsightLink,
    Member,
    RoleHolding,
    Round,
    RoundEvent,
    Team,
    Tenant,
)

__all__ = [
    "actions_of_rounds",
    "events_of_kinds",
    "has_steered",
    "insight_link",
    "insight_link_owner",
    "revoke_insight_link",
    "rounds_of_teams",
    "set_insights_named",
    "unnamed_members",
]


def rounds_of_teams(
    session: Session, team_ids: Collection[int], *, since: datetime | None = None
) -> list[Round]:
    """The teams' rounds (started at or after `since`, when given), oldest first."""
    if not team_ids:
        return []
    query = select(Round).where(Round.team_id.in_(team_ids))
    if since is not None:
        query = query.where(Round.created_at >= since)
    return list(session.scalars(query.order_by(Round.created_at, Round.id)))


def events_of_kinds(
    session: Session, round_ids: Collection[str], kinds: Collection[str]
) -> list[RoundEvent]:
    """The events of these kinds in these rounds, in each round's order."""
    if not round_ids:
        return []
    return list(
        session.scalars(
            select(RoundEvent)
            .where(RoundEvent.round_id.in_(round_ids), RoundEvent.kind.in_(kinds))
            .order_by(RoundEvent.round_id, RoundEvent.seq)
        )
    )


def actions_of_rounds(session: Session, round_ids: Collection[str]) -> list[ActionPoint]:
    if not round_ids:
        return []
    return list(
        session.scalars(
            select(ActionPoint)
            .where(ActionPoint.round_id.in_(round_ids))
            .order_by(ActionPoint.created_at, ActionPoint.id)
        )
    )


def unnamed_members(session: Session, team_id: int) -> set[str]:
    """Who asked not to be named in this team's insights."""
    query = select(Member.user_id).where(
        Member.team_id == team_id, Member.insights_named.is_(False)
    )
    return set(session.scalars(query))


def set_insights_named(session: Session, team_id: int, user_id: str, *, named: bool) -> None:
    """Whether the team's insights may name this member (a member row must exist)."""
    session.execute(
        update(Member)
        .where(Member.team_id == team_id, Member.user_id == user_id)
        .values(insights_named=named)
    )


def has_steered(session: Session, team_id: int, user_id: str, *, role_id: str) -> bool:
    """Whether the user started a round in this team or held the given role in one."""
    started = select(Round.id).where(Round.team_id == team_id, Round.started_by == user_id)
    held = select(RoleHolding.id).where(
        RoleHolding.team_id == team_id,
        RoleHolding.user_id == user_id,
        RoleHolding.role_id == role_id,
    )
    return session.scalar(started.limit(1)) is not None or session.scalar(held.limit(1)) is not None


# -- the links ------------------------------------------------------------------------


def insight_link(
    session: Session,
    scope: str,
    owner_id: int,
    *,
    created_by: str,
    now: datetime,
    new_token: Callable[[], str],
) -> str:
    """The page's token for a team or a school (a tenant), made on first use."""
    if scope not in INSIGHT_SCOPES:
        raise ValueError(f"unknown insights scope {scope!r}")
    query = select(InsightLink.token).where(
        InsightLink.scope == scope, InsightLink.owner_id == owner_id
    )
    token = session.scalar(query)
    if token is None:
        session.execute(
            dialect_insert(session, InsightLink)
            .values(
                scope=scope,
                owner_id=owner_id,
                token=new_token(),
                created_by=created_by,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["scope", "owner_id"])
        )
        token = session.scalar(query)
    assert token is not None
    return token


def revoke_insight_link(session: Session, scope: str, owner_id: int) -> bool:
    """Delete the link: its page answers 404 from now on. False if there was none."""
    result = session.execute(
        delete(InsightLink).where(InsightLink.scope == scope, InsightLink.owner_id == owner_id)
    )
    return rowcount(result) > 0


def insight_link_owner(session: Session, token: str) -> tuple[str, Team | Tenant] | None:
    """What a token opens: ("team", its team) or ("school", its tenant)."""
    link = session.scalar(select(InsightLink).where(InsightLink.token == token))
    if link is None:
        return None
    owner: Team | Tenant | None = (
        session.get(Team, link.owner_id)
        if link.scope == "team"
        else session.get(Tenant, link.owner_id)
    )
    return (link.scope, owner) if owner is not None else None
