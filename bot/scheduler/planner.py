"""`/dialoog plan`: create, list, pause, resume and delete a team's schedules.

Sync (it uses the database), like the rest of the chat layer. Every change
calls `changed` afterwards, so that this process's scheduler rebuilds its jobs
at once; other processes see the change when they next re-read the table.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

import storage
from bot.engine.actions import FieldValue
from bot.engine.messages import Button, Buttons, Context, ItemList, ListItem, Message, Paragraph
from bot.engine.vocabulary import Action
from bot.i18n import Language
from bot.scheduler.describe import describe, reminder_list, rule_of
from bot.scheduler.form import PlanProblem, PlanRequest, plan_form, read_plan
from bot.scheduler.recurrence import weekday_text
from bot.scheduler.school_calendar import (
    STUDY_DAY,
    SchoolCalendar,
    Slot,
    calendar_of,
    plan,
    policy_of,
)
from bot.scheduler.texts import day_text, t, when
from bot.service.places import Person, Place
from bot.service.rounds import RoundService
from storage import schedules as repo
from storage.models import Schedule

log = logging.getLogger(__name__)

# Enough for any team's rhythm; more is a mistake or a runaway script.
MAX_SCHEDULES = 10
# The overview names the rounds the school calendar skips or moves this far ahead.
LOOK_AHEAD = timedelta(weeks=8)


@dataclass(frozen=True)
class PlanAnswer:
    """What the person gets back at once: private messages, maybe a form."""

    messages: tuple[Message, ...] = ()
    form: Message | None = None
    accepted: bool = True
    error_code: str | None = None
    # A repeated delivery of a plan stored before (bot.chat.Reply.replayed).
    replayed: bool = False


class Planner:
    def __init__(
        self,
        service: RoundService,
        *,
        feed_base: str = "http://127.0.0.1:3978",
        command_name: str = "/dialoog",
        new_token: Callable[[], str] = lambda: secrets.token_urlsafe(32),
    ) -> None:
        self.service = service
        self.feed_base = feed_base.rstrip("/")
        self.command_name = command_name
        self.new_token = new_token
        # Set by the scheduler of this process: rebuild the jobs after a change.
        self.changed: Callable[[], None] | None = None

    @property
    def sessions(self) -> Callable[[], Session]:
        return self.service.sessions

    # -- entry points -------------------------------------------------------------------

    def overview(self, place: Place) -> PlanAnswer:
        """The team's schedules with their buttons, and the form when there are none."""
        language = self.service.team_language(place)
        now = self.service.clock.now()
        with self.sessions() as session, session.begin():
            team = storage.find_team(session, place.platform, place.workspace, place.channel)
            schedules = repo.list_schedules(session, team.id) if team else []
            feed = self._feed_url(session, team.id, now) if team and schedules else None
            zone = team.timezone if team else self.service.default_timezone
            school = self._school(session, team)
            overview = self._overview(language, schedules, zone, now, feed, school)
        if schedules:
            return PlanAnswer(messages=(overview,))
        return PlanAnswer(messages=(overview,), form=self._form(language, zone, now))

    def click(
        self,
        place: Place,
        person: Person,
        action: str,
        value: str,
        fields: Mapping[str, FieldValue],
        *,
        key: str | None = None,
    ) -> PlanAnswer:
        language = self.service.team_language(place)
        try:
            match action:
                case Action.PLAN_NEW:
                    return PlanAnswer(form=self._form(language, self._zone(place), self._now()))
                case Action.PLAN_CREATE:
                    return self._create(place, person, fields, language, key)
                case Action.PLAN_PAUSE | Action.PLAN_RESUME:
                    status = "paused" if action == Action.PLAN_PAUSE else "active"
                    return self._set_status(place, person, _id(value), status, language)
                case Action.PLAN_DELETE:
                    return self._delete(place, person, _id(value), language)
                case Action.PLAN_FEED:
                    return self._renew_feed(place, person, language)
                case _:
                    raise PlanProblem("malformed")
        except PlanProblem as problem:
            # The code and who, never what was typed.
            log.info(
                "plan refused action=%s code=%s team_channel=%s user=%s",
                action,
                problem.code,
                place.channel,
                person.user_id,
            )
            return self._refusal(language, problem)

    # -- the changes ------------------------------------------------------------------

    def _create(
        self,
        place: Place,
        person: Person,
        fields: Mapping[str, FieldValue],
        language: Language,
        key: str | None,
    ) -> PlanAnswer:
        now = self._now()
        zone = self._zone(place)
        today = now.astimezone(ZoneInfo(zone)).date()
        plan = read_plan(fields, self.service.library, today=today)
        try:
            return self._store(place, person, plan, zone, language, key, now)
        except storage.AlreadyProcessed:
            # The same submission, delivered twice at once: the other one stored it.
            return self._store(place, person, plan, zone, language, key, now)

    def _store(
        self,
        place: Place,
        person: Person,
        plan: PlanRequest,
        zone: str,
        language: Language,
        key: str | None,
        now: datetime,
    ) -> PlanAnswer:
        replayed = False
        with self.sessions() as session, session.begin():
            if key is not None and (done := storage.find_processed(session, key)) is not None:
                log.info("duplicate plan submission ignored key=%s", key)
                replayed = True
                schedule_id = int(done.outcome["schedule_id"])
            else:
                team = self.team(session, place)
                storage.lock_team(session, team.id)
                if len(repo.list_schedules(session, team.id)) >= MAX_SCHEDULES:
                    raise PlanProblem("too_many", max=MAX_SCHEDULES)
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
                storage.get_or_create_member(
                    session, team.id, person.user_id, display_name=person.name
                )
                schedule_id = schedule.id
                if key is not None:
                    storage.record_processed(
                        session, key, round_id=None, outcome={"schedule_id": schedule_id}
                    )
                log.info(
                    "schedule created id=%s team=%s protocol=%s mode=%s interval=%s user=%s",
                    schedule_id,
                    team.id,
                    plan.protocol_id,
                    plan.mode,
                    plan.interval,
                    person.user_id,
                )
            schedule_row = repo.get_schedule(session, schedule_id)
            if schedule_row is None:
                raise PlanProblem("schedule_gone")
            school = self._school(session, storage.get_team(session, schedule_row.team_id))
            text = self._created_text(schedule_row, zone, language, now, school)
        self.notify()
        return dataclasses.replace(self.say(text), replayed=replayed)

    def _set_status(
        self, place: Place, person: Person, schedule_id: int, status: str, language: Language
    ) -> PlanAnswer:
        now = self._now()
        with self.sessions() as session, session.begin():
            schedule, zone = self._own(session, place, schedule_id)
            changed = repo.set_schedule_status(session, schedule.id, status, now=now)
            session.refresh(schedule)
            if not changed:
                state = t(language, f"state.{status}")
                return self.say(t(language, "unchanged", id=schedule_id, state=state))
            log.info("schedule %s id=%s user=%s", status, schedule_id, person.user_id)
            school = self._school(session, storage.get_team(session, schedule.team_id))
            nxt = _next_round(schedule, zone, school, now, language)
        self.notify()
        if status == "paused":
            return self.say(t(language, "paused", id=schedule_id))
        return self.say(t(language, "resumed", id=schedule_id, next=nxt))

    def _delete(
        self, place: Place, person: Person, schedule_id: int, language: Language
    ) -> PlanAnswer:
        with self.sessions() as session, session.begin():
            schedule, _ = self._own(session, place, schedule_id)
            repo.delete_schedule(session, schedule.id)
        log.info("schedule deleted id=%s user=%s", schedule_id, person.user_id)
        self.notify()
        return self.say(t(language, "deleted", id=schedule_id))

    def _renew_feed(self, place: Place, person: Person, language: Language) -> PlanAnswer:
        now = self._now()
        with self.sessions() as session, session.begin():
            team = self.team(session, place)
            token = repo.renew_feed_token(session, team.id, now=now, new_token=self.new_token)
        log.info("calendar feed renewed team=%s user=%s", team.id, person.user_id)
        return self.say(t(language, "feed_renewed", url=self._url(token)))

    # -- pieces -------------------------------------------------------------------------

    def _own(self, session: Session, place: Place, schedule_id: int) -> tuple[Schedule, str]:
        """The schedule, if it belongs to this channel's team (a tampered id does not)."""
        team = storage.find_team(session, place.platform, place.workspace, place.channel)
        schedule = repo.get_schedule(session, schedule_id)
        if team is None or schedule is None or schedule.team_id != team.id:
            raise PlanProblem("schedule_gone")
        return schedule, team.timezone

    def team(self, session: Session, place: Place) -> storage.Team:
        return storage.team_at(
            session,
            place.platform,
            place.workspace,
            place.channel,
            name=place.channel_name,
            language=self.service.default_language,
            timezone=self.service.default_timezone,
        )

    def _zone(self, place: Place) -> str:
        with self.sessions() as session:
            team = storage.find_team(session, place.platform, place.workspace, place.channel)
            return team.timezone if team else self.service.default_timezone

    def _now(self) -> datetime:
        return self.service.clock.now()

    def _form(self, language: Language, zone: str, now: datetime) -> Message:
        today = now.astimezone(ZoneInfo(zone)).date()
        return plan_form(language, self.service.library, zone=zone, today=today)

    def _feed_url(self, session: Session, team_id: int, now: datetime) -> str:
        return self._url(repo.feed_token(session, team_id, now=now, new_token=self.new_token))

    def _url(self, token: str) -> str:
        return f"{self.feed_base}/calendar/{token}.ics"

    def _overview(
        self,
        language: Language,
        schedules: list[Schedule],
        zone: str,
        now: datetime,
        feed: str | None,
        school: SchoolCalendar,
    ) -> Message:
        title = t(language, "plan.title")
        if not schedules:
            text = t(language, "plan.none")
            buttons = (Button(Action.PLAN_NEW, t(language, "button.new"), style="primary"),)
            return Message(text=text, blocks=(Paragraph(text), Buttons(buttons)))
        items = []
        controls = [Button(Action.PLAN_NEW, t(language, "button.new"), style="primary")]
        for schedule in schedules:
            items.append(
                ListItem(
                    self._line(schedule, language),
                    note=self._note(schedule, zone, language, now, school),
                )
            )
            if schedule.status == "active":
                controls.append(
                    Button(
                        Action.PLAN_PAUSE,
                        t(language, "button.pause", id=schedule.id),
                        str(schedule.id),
                    )
                )
            else:
                controls.append(
                    Button(
                        Action.PLAN_RESUME,
                        t(language, "button.resume", id=schedule.id),
                        str(schedule.id),
                    )
                )
            controls.append(
                Button(
                    Action.PLAN_DELETE,
                    t(language, "button.delete", id=schedule.id),
                    str(schedule.id),
                    "danger",
                )
            )
        blocks: list[object] = [ItemList(title, tuple(items))]
        calendar_note = (
            t(
                language,
                "plan.region",
                region=t(language, f"region.name.{school.region}"),
                cmd=self.command_name,
            )
            if school.region
            else t(language, "plan.no_region", cmd=self.command_name)
        )
        blocks.append(Context(calendar_note))
        if feed is not None:
            blocks.append(Context(t(language, "plan.feed", url=feed)))
            controls.append(Button(Action.PLAN_FEED, t(language, "button.feed")))
        blocks.append(Buttons(tuple(controls)))
        return Message(text=title, blocks=tuple(blocks))  # type: ignore[arg-type]

    def _line(self, schedule: Schedule, language: Language) -> str:
        protocol = self.service.library.get(schedule.protocol_id)
        name = protocol.title.get(language) if protocol else schedule.protocol_id
        mode = t(language, f"short.{schedule.mode}")
        return f"#{schedule.id} *{name}* ({mode}), {describe(schedule, language)}"

    def _note(
        self,
        schedule: Schedule,
        zone: str,
        language: Language,
        now: datetime,
        school: SchoolCalendar,
    ) -> str:
        parts = []
        if schedule.status == "paused":
            parts.append(t(language, "plan.paused"))
        else:
            slots = _slots(schedule, zone, school, now)
            upcoming = next((slot for slot in slots if slot.held), None)
            if upcoming:
                parts.append(
                    t(language, "plan.next", when=when(language, upcoming.occurrence.local))
                )
            parts += [_exception(slot, language) for slot in slots if slot.planned_on]
        if schedule.lead_days:
            parts.append(t(language, "plan.lead", days=schedule.lead_days))
        if schedule.reminders:
            parts.append(
                t(language, "plan.reminders", list=reminder_list(schedule.reminders, language))
            )
        return " · ".join(parts)

    def _created_text(
        self,
        schedule: Schedule,
        zone: str,
        language: Language,
        now: datetime,
        school: SchoolCalendar,
    ) -> str:
        protocol = self.service.library.get(schedule.protocol_id)
        name = protocol.title.get(language) if protocol else schedule.protocol_id
        return t(
            language,
            "created",
            id=schedule.id,
            protocol=name,
            rule=describe(schedule, language),
            next=_next_round(schedule, zone, school, now, language),
        )

    def _school(self, session: Session, team: storage.Team | None) -> SchoolCalendar:
        if team is None:
            return SchoolCalendar()
        return calendar_of(team, repo.study_days(session, team.id))

    def _refusal(self, language: Language, problem: PlanProblem) -> PlanAnswer:
        text = problem.message(language, cmd=self.command_name)
        message = Message(text=text, blocks=(Paragraph(text),))
        return PlanAnswer(messages=(message,), accepted=False, error_code=problem.code)

    def say(self, text: str) -> PlanAnswer:
        return PlanAnswer(messages=(Message(text=text, blocks=(Paragraph(text),)),))

    def notify(self) -> None:
        if self.changed is not None:
            self.changed()


def _id(value: str) -> int:
    if not value.isdigit():
        raise PlanProblem("malformed")
    return int(value)


def _slots(
    schedule: Schedule,
    zone: str,
    school: SchoolCalendar,
    now: datetime,
    *,
    ahead: timedelta | None = LOOK_AHEAD,
) -> list[Slot]:
    """The schedule's rounds from now on as the school calendar leaves them; with
    ahead=None, far enough to find the next round held even after the summer."""
    until = now + (ahead or timedelta(days=400))
    return plan(rule_of(schedule, zone), school, policy_of(schedule.holiday_policy), now, until)


def _next_round(
    schedule: Schedule, zone: str, school: SchoolCalendar, now: datetime, language: Language
) -> str:
    """When the next round is held, in words ("-" when none is within a year)."""
    slots = _slots(schedule, zone, school, now, ahead=None)
    upcoming = next((slot for slot in slots if slot.held), None)
    return when(language, upcoming.occurrence.local) if upcoming else "-"


def _exception(slot: Slot, language: Language) -> str:
    """ "geen ronde op dinsdag 16 februari (Voorjaarsvakantie)" or where it moves to."""
    assert slot.planned_on is not None
    reason = slot.reason or ""
    if reason == STUDY_DAY:
        reason = t(language, "study_day")
    day = day_text(language, slot.planned_on)
    if slot.held:
        return t(
            language,
            "plan.moved",
            day=day,
            when=when(language, slot.occurrence.local),
            reason=reason,
        )
    return t(language, "plan.skipped", day=day, reason=reason)
