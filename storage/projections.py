"""Action points and role holdings: read models kept in the events' transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage._sql import dialect_insert
from storage.errors import NotFound
from storage.models import ACTION_STATUSES, ActionPoint, RoleHolding

__all__ = [
    "OPEN_ACTION_STATUSES",
    "add_action",
    "get_action",
    "last_held",
    "open_actions",
    "open_actions_due",
    "record_holding",
    "settle_action",
    "update_action",
]

# "partly" and "not_yet" are reports at a follow-up, not an end: such an
# action comes back at the next round just like an untouched one.
OPEN_ACTION_STATUSES = ("open", "partly", "not_yet")


def add_action(
    session: Session,
    *,
    action_id: str,
    team_id: int,
    round_id: str,
    text: str,
    owner_user_id: str,
    due_date: date,
    now: datetime,
) -> ActionPoint:
    action = ActionPoint(
        id=action_id,
        team_id=team_id,
        round_id=round_id,
        text=text,
        owner_user_id=owner_user_id,
        due_date=due_date,
        status="open",
        created_at=now,
        updated_at=now,
    )
    session.add(action)
    session.flush()
    return action


def get_action(session: Session, action_id: str) -> ActionPoint | None:
    return session.get(ActionPoint, action_id)


def update_action(
    session: Session,
    action_id: str,
    *,
    status: str,
    now: datetime,
    report: str | None = None,
    not_yet_reports: int | None = None,
) -> ActionPoint:
    """Set an action's status, and its report and count of "not yet" when given."""
    if status not in ACTION_STATUSES:
        raise ValueError(f"unknown action status {status!r}")
    action = session.get(ActionPoint, action_id)
    if action is None:
        raise NotFound(f"action {action_id}")
    action.status = status
    if report is not None:
        action.report = report
    if not_yet_reports is not None:
        action.not_yet_reports = not_yet_reports
    action.updated_at = now
    _purge_when_closed(action, now)
    return action


def settle_action(
    session: Session,
    action_id: str,
    *,
    decision: str,
    now: datetime,
    text: str = "",
    due: date | None = None,
) -> ActionPoint:
    """What an owner decided for an action that kept coming back "not yet":
    drop it, rephrase it (a fresh start), or keep it (maybe with a new date)."""
    action = session.get(ActionPoint, action_id)
    if action is None:
        raise NotFound(f"action {action_id}")
    if decision == "drop":
        action.status = "dropped"
    elif decision == "rephrase":
        action.text = text
        action.status = "open"
        action.report = None
        action.not_yet_reports = 0
    elif decision != "keep":
        raise ValueError(f"unknown decision {decision!r}")
    if due is not None and decision != "drop":
        action.due_date = due
    action.updated_at = now
    _purge_when_closed(action, now)
    return action


def _purge_when_closed(action: ActionPoint, now: datetime) -> None:
    if action.purge_at is not None and action.status not in OPEN_ACTION_STATUSES:
        # Its round's content is gone already; now that it is closed, so goes its text.
        action.purge_at = now.date()


def open_actions(
    session: Session, team_id: int, *, statuses: Collection[str] = OPEN_ACTION_STATUSES
) -> list[ActionPoint]:
    """The team's actions that still come back, earliest due first."""
    return list(
        session.scalars(
            select(ActionPoint)
            .where(ActionPoint.team_id == team_id, ActionPoint.status.in_(statuses))
            .order_by(ActionPoint.due_date, ActionPoint.created_at, ActionPoint.id)
        )
    )


def open_actions_due(
    session: Session,
    *,
    due_before: date,
    owner_user_id: str | None = None,
    team_id: int | None = None,
    statuses: Collection[str] = OPEN_ACTION_STATUSES,
) -> list[ActionPoint]:
    """Open actions due strictly before `due_before`, optionally of one owner or team."""
    query = select(ActionPoint).where(
        ActionPoint.status.in_(statuses), ActionPoint.due_date < due_before
    )
    if owner_user_id is not None:
        query = query.where(ActionPoint.owner_user_id == owner_user_id)
    if team_id is not None:
        query = query.where(ActionPoint.team_id == team_id)
    return list(
        session.scalars(
            query.order_by(ActionPoint.due_date, ActionPoint.created_at, ActionPoint.id)
        )
    )


def record_holding(
    session: Session,
    *,
    team_id: int,
    round_id: str,
    role_id: str,
    user_id: str,
    held_at: datetime,
) -> None:
    """Note that a user held a role in a round; recording it again changes nothing."""
    session.execute(
        dialect_insert(session, RoleHolding)
        .values(
            team_id=team_id, round_id=round_id, role_id=role_id, user_id=user_id, held_at=held_at
        )
        .on_conflict_do_nothing(index_elements=["round_id", "role_id", "user_id"])
    )


def last_held(
    session: Session, team_id: int, role_id: str, user_ids: Iterable[str]
) -> dict[str, datetime | None]:
    """For each candidate, when they last held the role in this team (None: never)."""
    candidates = list(dict.fromkeys(user_ids))
    latest: dict[str, datetime | None] = dict.fromkeys(candidates)
    if not candidates:
        return latest
    rows = session.execute(
        select(RoleHolding.user_id, func.max(RoleHolding.held_at))
        .where(
            RoleHolding.team_id == team_id,
            RoleHolding.role_id == role_id,
            RoleHolding.user_id.in_(candidates),
        )
        .group_by(RoleHolding.user_id)
    )
    for user_id, held_at in rows:
        latest[user_id] = held_at
    return latest
