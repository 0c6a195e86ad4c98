"""Schedules of recurring rounds, the claims of their occurrences, action
reminders and calendar feed tokens.

A claim is a row under a unique key, inserted with ON CONFLICT DO NOTHING:
whoever inserts it does the work, everyone else does nothing. That holds for
two threads, two processes, and two replicas on one PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from storage._sql import dialect_insert, rowcount
from storage.models import (
    ActionReminder,
    CalendarFeed,
    Schedule,
    ScheduleOccurrence,
    StudyDay,
    Team,
    Tenant,
)

__all__ = [
    "active_times",
    "add_study_day",
    "claim_action_reminder",
    "claim_occurrence",
    "create_schedule",
    "delete_schedule",
    "due_schedules",
    "due_study_days",
    "feed_token",
    "get_occurrence",
    "get_schedule",
    "list_schedules",
    "look_again",
    "looked_at",
    "remove_study_day",
    "renew_feed_token",
    "schedules_revision",
    "set_region",
    "set_schedule_status",
    "settle_occurrence",
    "study_days",
    "team_by_feed_token",
]


def create_schedule(
    session: Session,
    *,
    team_id: int,
    protocol_id: str,
    mode: str,
    weekdays: str,
    time_of_day: str,
    interval: str,
    week_of_month: int | None,
    first_date: date,
    lead_days: int,
    reminders: Sequence[int],
    created_by: str,
    created_by_name: str,
    now: datetime,
    holiday_policy: str = "skip",
) -> Schedule:
    schedule = Schedule(
        holiday_policy=holiday_policy,
        team_id=team_id,
        protocol_id=protocol_id,
        mode=mode,
        weekdays=weekdays,
        time_of_day=time_of_day,
        interval=interval,
        week_of_month=week_of_month,
        first_date=first_date,
        lead_days=lead_days,
        reminders=list(reminders),
        created_by=created_by,
        created_by_name=created_by_name,
        status="active",
        active_since=now,
        created_at=now,
        updated_at=now,
    )
    session.add(schedule)
    session.flush()
    return schedule


def get_schedule(session: Session, schedule_id: int) -> Schedule | None:
    return session.get(Schedule, schedule_id)


def list_schedules(session: Session, team_id: int) -> list[Schedule]:
    return list(
        session.scalars(select(Schedule).where(Schedule.team_id == team_id).order_by(Schedule.id))
    )


def active_times(session: Session) -> list[tuple[int, str, str, str]]:
    """Every active schedule's id, weekdays, local time and its team's time zone,
    oldest first: columns, not rows, for they are read for 10,000 schedules."""
    rows = session.execute(
        select(Schedule.id, Schedule.weekdays, Schedule.time_of_day, Team.timezone)
        .join(Team, Team.id == Schedule.team_id)
        .where(Schedule.status == "active")
        .order_by(Schedule.id)
    )
    return [(schedule_id, weekdays, at, zone) for schedule_id, weekdays, at, zone in rows]


def _due(now: datetime) -> ColumnElement[bool]:
    # Two ranges of the (status, next_look_at) index, so that both SQLite and
    # PostgreSQL read the due rows through it rather than every active one.
    active = Schedule.status == "active"
    return or_(active & Schedule.next_look_at.is_(None), active & (Schedule.next_look_at <= now))


def due_schedules(session: Session, now: datetime) -> list[tuple[Schedule, Team, Tenant]]:
    """The active schedules the scheduler's pass must look at `now`, oldest first."""
    rows = session.execute(
        select(Schedule, Team, Tenant)
        .join(Team, Team.id == Schedule.team_id)
        .join(Tenant, Tenant.id == Team.tenant_id)
        .where(_due(now))
        .order_by(Schedule.id)
    )
    return [(schedule, team, tenant) for schedule, team, tenant in rows]


def due_study_days(session: Session, now: datetime) -> dict[int, list[date]]:
    """The study days of the teams of the schedules due `now`, by team, in one query."""
    return _study_days_by_team(session, select(Schedule.team_id).where(_due(now)))


def study_days_of(session: Session, team_ids: Collection[int]) -> dict[int, list[date]]:
    """The study days of these teams, by team (a team without any is left out), in one query."""
    return _study_days_by_team(session, list(team_ids)) if team_ids else {}


def _study_days_by_team(session: Session, teams: Any) -> dict[int, list[date]]:
    found: dict[int, list[date]] = {}
    for team_id, day in session.execute(
        select(StudyDay.team_id, StudyDay.day)
        .where(StudyDay.team_id.in_(teams))
        .order_by(StudyDay.team_id, StudyDay.day)
    ):
        found.setdefault(team_id, []).append(day)
    return found


_LOOKED_AT = (
    update(Schedule.__table__)  # type: ignore[arg-type]
    .where(
        Schedule.__table__.c.id == bindparam("schedule_id"),
        Schedule.__table__.c.look_revision == bindparam("revision"),
    )
    .values(next_look_at=bindparam("look_at"))
)


def looked_at(session: Session, looks: Iterable[tuple[int, int, datetime]]) -> None:
    """Store when each schedule (id, revision read, moment) must be looked at next.
    A schedule changed since the pass read it keeps its NULL: it is looked at again."""
    params = [
        {"schedule_id": schedule_id, "revision": revision, "look_at": at}
        for schedule_id, revision, at in looks
    ]
    if params:
        session.connection().execute(_LOOKED_AT, params)


def look_again(
    session: Session, *, schedule_id: int | None = None, team_id: int | None = None
) -> None:
    """The scheduler's next pass looks at this schedule, or at every schedule of
    this team, or (neither given) at every schedule."""
    query = update(Schedule).values(next_look_at=None, look_revision=Schedule.look_revision + 1)
    if schedule_id is not None:
        query = query.where(Schedule.id == schedule_id)
    if team_id is not None:
        query = query.where(Schedule.team_id == team_id)
    session.execute(query.execution_options(synchronize_session=False))


def schedules_revision(session: Session) -> tuple[object, ...]:
    """A few aggregates of the schedules table that change with any schedule
    created, deleted, paused or resumed: cheaper to compare than every row."""
    row = session.execute(
        select(
            func.count(Schedule.id),
            func.max(Schedule.id),
            func.max(Schedule.updated_at),
            func.sum(Schedule.look_revision),
        )
    ).one()
    return tuple(row)


def set_schedule_status(session: Session, schedule_id: int, status: str, *, now: datetime) -> bool:
    """Pause or resume. A resumed schedule does not count the occurrences it
    slept through as missed. Returns False when nothing changed."""
    values: dict[str, object] = {
        "status": status,
        "updated_at": now,
        "next_look_at": None,
        "look_revision": Schedule.look_revision + 1,
    }
    if status == "active":
        values["active_since"] = now
    return (
        rowcount(
            session.execute(
                update(Schedule)
                .where(Schedule.id == schedule_id, Schedule.status != status)
                .values(**values)
            )
        )
        == 1
    )


def delete_schedule(session: Session, schedule_id: int) -> bool:
    return rowcount(session.execute(delete(Schedule).where(Schedule.id == schedule_id))) == 1


def claim_occurrence(
    session: Session,
    *,
    schedule_id: int,
    kind: str,
    local_at: str,
    due_at: datetime,
    status: str,
    now: datetime,
    stale_before: datetime | None = None,
) -> bool:
    """Claim an occurrence; True when this caller now holds it.

    A claim still "claimed" from before `stale_before` belonged to a process
    that died before settling it: it is taken over (its work is idempotent).
    """
    inserted = session.execute(
        dialect_insert(session, ScheduleOccurrence)
        .values(
            schedule_id=schedule_id,
            kind=kind,
            local_at=local_at,
            due_at=due_at,
            status=status,
            claimed_at=now,
        )
        .on_conflict_do_nothing(index_elements=["schedule_id", "kind", "local_at"])
        .returning(ScheduleOccurrence.id)
    ).first()
    if inserted is not None:
        return True
    if stale_before is None:
        return False
    taken = session.execute(
        update(ScheduleOccurrence)
        .where(
            ScheduleOccurrence.schedule_id == schedule_id,
            ScheduleOccurrence.kind == kind,
            ScheduleOccurrence.local_at == local_at,
            ScheduleOccurrence.status == "claimed",
            ScheduleOccurrence.claimed_at < stale_before,
        )
        .values(claimed_at=now)
    )
    return rowcount(taken) == 1


def settle_occurrence(
    session: Session,
    *,
    schedule_id: int,
    kind: str,
    local_at: str,
    status: str,
    now: datetime,
    round_id: str | None = None,
    error_code: str | None = None,
) -> bool:
    """Record how a claimed occurrence ended; False when it was settled already."""
    return (
        rowcount(
            session.execute(
                update(ScheduleOccurrence)
                .where(
                    ScheduleOccurrence.schedule_id == schedule_id,
                    ScheduleOccurrence.kind == kind,
                    ScheduleOccurrence.local_at == local_at,
                    ScheduleOccurrence.status == "claimed",
                )
                .values(status=status, round_id=round_id, error_code=error_code, settled_at=now)
            )
        )
        == 1
    )


def get_occurrence(
    session: Session, schedule_id: int, kind: str, local_at: str
) -> ScheduleOccurrence | None:
    return session.scalars(
        select(ScheduleOccurrence).where(
            ScheduleOccurrence.schedule_id == schedule_id,
            ScheduleOccurrence.kind == kind,
            ScheduleOccurrence.local_at == local_at,
        )
    ).one_or_none()


def claim_action_reminder(session: Session, action_id: str, kind: str, *, now: datetime) -> bool:
    """True for the one caller that may send this reminder."""
    inserted = session.execute(
        dialect_insert(session, ActionReminder)
        .values(action_id=action_id, kind=kind, sent_at=now)
        .on_conflict_do_nothing(index_elements=["action_id", "kind"])
        .returning(ActionReminder.id)
    ).first()
    return inserted is not None


def feed_token(
    session: Session, team_id: int, *, now: datetime, new_token: Callable[[], str]
) -> str:
    """The team's calendar feed token, made on first use."""
    query = select(CalendarFeed.token).where(CalendarFeed.team_id == team_id)
    token = session.scalar(query)
    if token is None:
        session.execute(
            dialect_insert(session, CalendarFeed)
            .values(team_id=team_id, token=new_token(), created_at=now)
            .on_conflict_do_nothing(index_elements=["team_id"])
        )
        token = session.scalar(query)
    assert token is not None
    return token


def renew_feed_token(
    session: Session, team_id: int, *, now: datetime, new_token: Callable[[], str]
) -> str:
    """Replace the team's token: the old feed address stops working."""
    session.execute(delete(CalendarFeed).where(CalendarFeed.team_id == team_id))
    return feed_token(session, team_id, now=now, new_token=new_token)


def team_by_feed_token(session: Session, token: str) -> tuple[Team, Tenant] | None:
    row = session.execute(
        select(Team, Tenant)
        .join(CalendarFeed, CalendarFeed.team_id == Team.id)
        .join(Tenant, Tenant.id == Team.tenant_id)
        .where(CalendarFeed.token == token)
    ).first()
    return (row[0], row[1]) if row is not None else None


# -- the school calendar ------------------------------------------------------------------


def set_region(session: Session, team_id: int, region: str | None) -> None:
    """The team's school-holiday region (None: no holidays known)."""
    session.execute(update(Team).where(Team.id == team_id).values(region=region))
    look_again(session, team_id=team_id)


def study_days(session: Session, team_id: int) -> list[date]:
    """The team's own study days, in order."""
    return list(
        session.scalars(
            select(StudyDay.day).where(StudyDay.team_id == team_id).order_by(StudyDay.day)
        )
    )


def add_study_day(
    session: Session, team_id: int, day: date, *, created_by: str, now: datetime
) -> bool:
    """Add a study day; False when the team already had it."""
    inserted = session.execute(
        dialect_insert(session, StudyDay)
        .values(team_id=team_id, day=day, created_by=created_by, created_at=now)
        .on_conflict_do_nothing(index_elements=["team_id", "day"])
        .returning(StudyDay.id)
    ).first()
    look_again(session, team_id=team_id)
    return inserted is not None


def remove_study_day(session: Session, team_id: int, day: date) -> bool:
    """Remove a study day; False when the team did not have it."""
    deleted = session.execute(
        delete(StudyDay).where(StudyDay.team_id == team_id, StudyDay.day == day)
    )
    look_again(session, team_id=team_id)
    return rowcount(deleted) == 1
