"""The planner's schedules in the database, through `storage`: one transaction per
change, and what the answer to it needs read in the same transaction.

Where the database says no (a team that has its `MAX_SCHEDULES`, a schedule that is
gone or belongs to another channel) it raises the `PlanProblem` that says so. Logs
who changed what, by ids, never what was typed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

import storage
from bot.scheduler.plan_rules import PlanProblem, PlanRequest, check_room
from bot.scheduler.recurrence import weekday_text
from bot.scheduler.school_calendar import SchoolCalendar, calendar_of
from bot.service.places import Person, Place
from bot.service.rounds import RoundService
from bot.service.teams import team_at
from storage import schedules as repo
from storage.models import Schedule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Listing:
    """A channel's schedules, with what the overview says beside them."""

    schedules: tuple[Schedule, ...]
    zone: str
    school: SchoolCalendar
    # The calendar feed's token; None while the team has no schedule to show.
    feed_token: str | None


@dataclass(frozen=True)
class Saved:
    """A schedule as a change left it, with its team's school calendar."""

    schedule: Schedule
    zone: str
    school: SchoolCalendar
    # False when the change changed nothing (paused already, say).
    changed: bool = True
    # A repeated delivery of a plan stored before.
    replayed: bool = False


class PlanStore:
    def __init__(self, service: RoundService, *, new_token: Callable[[], str]) -> None:
        self.service = service
        self.new_token = new_token

    @property
    def sessions(self) -> Callable[[], Session]:
        return self.service.sessions

    def team(self, session: Session, place: Place) -> storage.Team:
        return team_at(session, place, self.service)

    def zone(self, place: Place) -> str:
        """The team's time zone, the default for a channel that has no team yet."""
        with self.sessions() as session:
            team = storage.find_team(session, place.platform, place.workspace, place.channel)
            return team.timezone if team else self.service.default_timezone

    def listing(self, place: Place, now: datetime) -> Listing:
        with self.sessions() as session, session.begin():
            team = storage.find_team(session, place.platform, place.workspace, place.channel)
            schedules = tuple(repo.list_schedules(session, team.id)) if team else ()
            token = None
            if team and schedules:
                token = repo.feed_token(session, team.id, now=now, new_token=self.new_token)
            zone = team.timezone if team else self.service.default_timezone
            return Listing(schedules, zone, self._school(session, team), token)

    def create(
        self,
        place: Place,
        person: Person,
        plan: PlanRequest,
        zone: str,
        now: datetime,
        key: str | None,
    ) -> Saved:
        def once() -> Saved:
            replayed = False
            with self.sessions() as session, session.begin():
                done = storage.find_processed(session, key) if key is not None else None
                if done is not None:
                    log.info("duplicate plan submission ignored key=%s", key)
                    replayed = True
                    schedule_id = int(done.outcome["schedule_id"])
                else:
                    schedule_id = self._insert(session, place, person, plan, now, key)
                schedule = repo.get_schedule(session, schedule_id)
                if schedule is None:
                    raise PlanProblem("schedule_gone")
                school = self._school(session, storage.get_team(session, schedule.team_id))
                return Saved(schedule, zone, school, replayed=replayed)

        try:
            return once()
        except storage.AlreadyProcessed:
            # The same submission, delivered twice at once: the other one stored it.
            return once()

    def set_status(
        self, place: Place, person: Person, schedule_id: int, status: str, now: datetime
    ) -> Saved:
        with self.sessions() as session, session.begin():
            schedule, zone = self._own(session, place, schedule_id)
            changed = repo.set_schedule_status(session, schedule.id, status, now=now)
            session.refresh(schedule)
            if changed:
                log.info("schedule %s id=%s user=%s", status, schedule_id, person.user_id)
            school = self._school(session, storage.get_team(session, schedule.team_id))
            return Saved(schedule, zone, school, changed=changed)

    def delete(self, place: Place, person: Person, schedule_id: int) -> None:
        with self.sessions() as session, session.begin():
            schedule, _ = self._own(session, place, schedule_id)
            repo.delete_schedule(session, schedule.id)
        log.info("schedule deleted id=%s user=%s", schedule_id, person.user_id)

    def renew_feed(self, place: Place, person: Person, now: datetime) -> str:
        """A new calendar feed token for the team: the old address stops working."""
        with self.sessions() as session, session.begin():
            team = self.team(session, place)
            token = repo.renew_feed_token(session, team.id, now=now, new_token=self.new_token)
        log.info("calendar feed renewed team=%s user=%s", team.id, person.user_id)
        return token

    # -- pieces -------------------------------------------------------------------------

    def _insert(
        self,
        session: Session,
        place: Place,
        person: Person,
        plan: PlanRequest,
        now: datetime,
        key: str | None,
    ) -> int:
        team = self.team(session, place)
        storage.lock_team(session, team.id)
        check_room(len(repo.list_schedules(session, team.id)))
        schedule = repo.create_schedule(
            session,
            team_id=team.id,
            protocol_id=plan.protocol_id,
            mode=plan.mode,
            weekdays=weekday_text(plan.weekdays),
            time_of_day=plan.at.strftime("%H:%M"),
            interval=plan.interval,
            week_of_month=plan.week_of_month,
            first_date=plan.first,
            lead_days=plan.lead_days,
            reminders=plan.reminders,
            holiday_policy=plan.holiday_policy,
            created_by=person.user_id,
            created_by_name=person.name,
            now=now,
        )
        storage.get_or_create_member(session, team.id, person.user_id, display_name=person.name)
        if key is not None:
            storage.record_processed(
                session, key, round_id=None, outcome={"schedule_id": schedule.id}
            )
        log.info(
            "schedule created id=%s team=%s protocol=%s mode=%s interval=%s user=%s",
            schedule.id,
            team.id,
            plan.protocol_id,
            plan.mode,
            plan.interval,
            person.user_id,
        )
        return schedule.id

    def _own(self, session: Session, place: Place, schedule_id: int) -> tuple[Schedule, str]:
        """The schedule, if it belongs to this channel's team (a tampered id does not)."""
        team = storage.find_team(session, place.platform, place.workspace, place.channel)
        schedule = repo.get_schedule(session, schedule_id)
        if team is None or schedule is None or schedule.team_id != team.id:
            raise PlanProblem("schedule_gone")
        return schedule, team.timezone

    def _school(self, session: Session, team: storage.Team | None) -> SchoolCalendar:
        if team is None:
            return SchoolCalendar()
        return calendar_of(team, repo.study_days(session, team.id))
