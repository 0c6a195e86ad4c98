"""What is stored about one person in one workspace: finding it, and the parts of
erasing it that need no knowledge of rounds (ids, memberships, private copies).

A person is a user id within a tenant (a Slack workspace, a Teams tenant, the
local web chat). Storage does not read event payloads here: the bot knows which
fields are whose (bot.privacy) and hands back rewritten payloads.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from storage._sql import rowcount
from storage.models import (
    ActionPoint,
    Member,
    OutboxMessage,
    PendingContribution,
    ProcessedCommand,
    RoleHolding,
    Round,
    RoundEvent,
    Schedule,
    Team,
    Tenant,
    WebMessage,
)

__all__ = [
    "drop_person",
    "memberships",
    "owned_actions",
    "pending_by",
    "redact_event",
    "rendered_copies",
    "schedules_by",
    "team_actions",
    "tenant_rounds",
    "tenants_of_user",
    "web_lines_by",
]


def tenants_of_user(
    session: Session, user_id: str, *, platform: str | None = None, workspace: str | None = None
) -> list[Tenant]:
    """The tenants in which this user id is a member or started a round."""
    in_team = (
        select(Team.tenant_id)
        .join(Member, Member.team_id == Team.id)
        .where(Member.user_id == user_id)
    )
    started = (
        select(Team.tenant_id)
        .join(Round, Round.team_id == Team.id)
        .where(Round.started_by == user_id)
    )
    query = select(Tenant).where(or_(Tenant.id.in_(in_team), Tenant.id.in_(started)))
    if platform is not None:
        query = query.where(Tenant.platform == platform)
    if workspace is not None:
        query = query.where(Tenant.external_id == workspace)
    return list(session.scalars(query.order_by(Tenant.id)))


def memberships(session: Session, tenant_id: int, user_id: str) -> list[tuple[Member, Team]]:
    rows = session.execute(
        select(Member, Team)
        .join(Team, Team.id == Member.team_id)
        .where(Team.tenant_id == tenant_id, Member.user_id == user_id)
        .order_by(Member.created_at, Member.id)
    )
    return [(member, team) for member, team in rows]


def tenant_rounds(session: Session, tenant_id: int) -> list[tuple[Round, Team]]:
    """Every round of the tenant's teams, oldest first."""
    rows = session.execute(
        select(Round, Team)
        .join(Team, Team.id == Round.team_id)
        .where(Team.tenant_id == tenant_id)
        .order_by(Round.created_at, Round.id)
    )
    return [(round_, team) for round_, team in rows]


def owned_actions(session: Session, tenant_id: int, user_id: str) -> list[ActionPoint]:
    return list(
        session.scalars(
            select(ActionPoint)
            .join(Team, Team.id == ActionPoint.team_id)
            .where(Team.tenant_id == tenant_id, ActionPoint.owner_user_id == user_id)
            .order_by(ActionPoint.created_at, ActionPoint.id)
        )
    )


def team_actions(session: Session, team_ids: Collection[int]) -> list[ActionPoint]:
    if not team_ids:
        return []
    return list(session.scalars(select(ActionPoint).where(ActionPoint.team_id.in_(team_ids))))


def schedules_by(session: Session, tenant_id: int, user_id: str) -> list[Schedule]:
    return list(
        session.scalars(
            select(Schedule)
            .join(Team, Team.id == Schedule.team_id)
            .where(Team.tenant_id == tenant_id, Schedule.created_by == user_id)
            .order_by(Schedule.id)
        )
    )


def web_lines_by(session: Session, channels: Collection[str], user_id: str) -> list[WebMessage]:
    """What this user wrote themselves in web chat channels (their chat lines)."""
    if not channels:
        return []
    return list(
        session.scalars(
            select(WebMessage)
            .where(WebMessage.channel_id.in_(channels), WebMessage.author == user_id)
            .order_by(WebMessage.id)
        )
    )


def pending_by(session: Session, tenant_id: int, user_id: str) -> list[PendingContribution]:
    """What the pupil-name guard holds back of this user, waiting for their choice."""
    return list(
        session.scalars(
            select(PendingContribution)
            .join(Round, Round.id == PendingContribution.round_id)
            .join(Team, Team.id == Round.team_id)
            .where(Team.tenant_id == tenant_id, PendingContribution.user_id == user_id)
            .order_by(PendingContribution.created_at, PendingContribution.id)
        )
    )


def redact_event(
    session: Session, event_id: int, payload: dict[str, Any], *, actor: str | None
) -> None:
    """Replace one event's payload and actor in place: erasure only.

    The one exception to the append-only log, so that a person's words can leave
    it; the event keeps its seq, kind and time, and the caller appends a
    `participant_erased` event to the round to say that the log was redacted.
    """
    session.execute(
        update(RoundEvent).where(RoundEvent.id == event_id).values(payload=payload, actor=actor)
    )


def rendered_copies(
    session: Session,
    team_ids: Collection[int],
    round_ids: Collection[str],
    web_channels: Iterable[str],
) -> tuple[list[OutboxMessage], list[WebMessage], list[ProcessedCommand]]:
    """The stored copies of what the bot showed (outbox, web timeline, answers) that
    may quote a person of these teams and rounds; the caller rewrites them in place."""
    outbox = (
        list(session.scalars(select(OutboxMessage).where(OutboxMessage.team_id.in_(team_ids))))
        if team_ids
        else []
    )
    channels = list(web_channels)
    web = (
        list(
            session.scalars(
                select(WebMessage).where(
                    or_(WebMessage.channel_id.in_(channels), WebMessage.round_id.in_(round_ids))
                )
            )
        )
        if channels or round_ids
        else []
    )
    processed = (
        list(
            session.scalars(
                select(ProcessedCommand).where(ProcessedCommand.round_id.in_(round_ids))
            )
        )
        if round_ids
        else []
    )
    return outbox, web, processed


def drop_person(
    session: Session,
    tenant_id: int,
    user_id: str,
    *,
    pseudonym: str,
    label: str,
    web_channels: Collection[str],
) -> dict[str, int]:
    """Everything id-shaped about the person in the tenant: ids become the pseudonym,
    names the label, memberships and the messages meant for them alone go.

    Returns how many rows of each kind changed (ids and counts only).
    """
    teams = select(Team.id).where(Team.tenant_id == tenant_id)
    rounds = select(Round.id).where(Round.team_id.in_(teams))
    changed: dict[str, int] = {}
    changed["held_back"] = rowcount(
        session.execute(
            delete(PendingContribution).where(
                PendingContribution.round_id.in_(rounds), PendingContribution.user_id == user_id
            )
        )
    )
    changed["memberships"] = rowcount(
        session.execute(delete(Member).where(Member.team_id.in_(teams), Member.user_id == user_id))
    )
    changed["rounds_started"] = rowcount(
        session.execute(
            update(Round)
            .where(Round.team_id.in_(teams), Round.started_by == user_id)
            .values(started_by=pseudonym)
        )
    )
    session.execute(
        update(RoundEvent)
        .where(RoundEvent.round_id.in_(rounds), RoundEvent.actor == user_id)
        .values(actor=pseudonym)
    )
    changed["roles"] = rowcount(
        session.execute(
            update(RoleHolding)
            .where(RoleHolding.team_id.in_(teams), RoleHolding.user_id == user_id)
            .values(user_id=pseudonym)
        )
    )
    changed["actions"] = rowcount(
        session.execute(
            update(ActionPoint)
            .where(ActionPoint.team_id.in_(teams), ActionPoint.owner_user_id == user_id)
            .values(owner_user_id=pseudonym)
        )
    )
    changed["schedules"] = rowcount(
        session.execute(
            update(Schedule)
            .where(Schedule.team_id.in_(teams), Schedule.created_by == user_id)
            .values(created_by=pseudonym, created_by_name=label)
        )
    )
    # Their private view (forms, reminders, an export) goes with them.
    private = OutboxMessage.destination["user"].as_string() == user_id
    changed["private_messages"] = rowcount(
        session.execute(delete(OutboxMessage).where(OutboxMessage.team_id.in_(teams), private))
    )
    channels = list(web_channels)
    if channels:
        in_channels = or_(WebMessage.channel_id.in_(channels), WebMessage.round_id.in_(rounds))
        changed["private_messages"] += rowcount(
            session.execute(delete(WebMessage).where(in_channels, WebMessage.audience == user_id))
        )
        changed["chat_lines"] = rowcount(
            session.execute(
                update(WebMessage)
                .where(in_channels, WebMessage.author == user_id)
                .values(author=pseudonym, author_name=label)
            )
        )
    return changed
