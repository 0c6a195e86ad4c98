"""Fire what is due at a moment: scheduled rounds, notices before them, and
reminders of agreed actions. All the exactly-once and clock-change logic lives
here, in code a test drives at chosen moments; APScheduler only wakes it.

Exactly once. Before anything is posted, each occurrence is claimed by a row
unique on (schedule, kind, local date and time). The round itself starts
through RoundService.start with the idempotency key
"schedule:<id>:<local time>", so a process that dies after the claim and is
replaced (the claim goes stale and is taken over) cannot start it twice either.
Naming an occurrence by its local wall-clock time makes the autumn hour that
happens twice one occurrence.

After downtime. Only the latest missed occurrence of a schedule may start,
and only within the grace period, with a note that it starts late; older ones
are claimed as skipped with one log line each. A notice (call for cases,
reminder) goes only while its round is still ahead, and only the latest one
due, so a restart never posts a burst of stale messages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

import storage
from bot.engine.messages import Message, Paragraph, message_to_json
from bot.failures import log_failure
from bot.i18n import Language, language_of
from bot.scheduler.describe import rule_of
from bot.scheduler.recurrence import Occurrence, Rule, before, localize
from bot.scheduler.school_calendar import (
    LONGEST_BREAK,
    HolidayPolicy,
    SchoolCalendar,
    Slot,
    calendar_of,
    plan,
    policy_of,
)
from bot.scheduler.texts import t
from bot.service.places import Person, Place
from bot.service.rounds import RoundService
from bot.words import full_date, long_moment
from storage import schedules as repo

log = logging.getLogger(__name__)

ROUND = "round"
# A claim this old whose process never settled it belonged to a process that died.
STALE_CLAIM = timedelta(minutes=5)
# Within this a round counts as on time (the poll runs every minute).
LATE_AFTER = timedelta(minutes=2)
# How far back start-up looks for occurrences it missed while down.
LOOKBACK = timedelta(days=2)
# A schedule is looked at when something of it comes due, and at least this often
# besides, in case it changed in a way no writer announced (a round itself is
# always reckoned afresh when its moment comes; what such a change could cost is
# a notice before it).
LOOK_AT_LEAST_EVERY = timedelta(days=7)
# Action owners hear of their action the day before it is due, at this local time.
ACTION_REMINDER_TIME = time(16, 0)
ACTION_DUE_SOON = "due_soon"


@dataclass(frozen=True)
class Planned:
    """A schedule as read for one run, detached from the database session."""

    schedule_id: int
    team_id: int
    rule: Rule
    protocol_id: str
    mode: str
    lead_days: int
    reminders: tuple[int, ...]
    active_since: datetime
    place: Place
    creator: Person
    language: Language
    calendar: SchoolCalendar = field(default_factory=SchoolCalendar)
    holiday_policy: HolidayPolicy = "skip"
    # The schedule's look_revision as read: a look is stored only if it still holds.
    revision: int = 0

    def slots(self, after: datetime, until: datetime) -> list[Slot]:
        """Its rounds with after < at <= until, as the school calendar leaves them."""
        return plan(self.rule, self.calendar, self.holiday_policy, after, until)

    @property
    def zone(self) -> ZoneInfo:
        return self.rule.tz

    def notices(self) -> list[int]:
        """Minutes before the round at which the channel hears of it."""
        lead = [self.lead_days * 24 * 60] if self.lead_days else []
        return sorted({*lead, *self.reminders}, reverse=True)


@dataclass
class FireReport:
    started: list[str] = field(default_factory=list)
    refused: int = 0
    skipped: int = 0
    notices: int = 0
    action_reminders: int = 0
    # How many schedules the pass looked at (the due ones, not all).
    looked: int = 0


class Firing:
    def __init__(
        self,
        service: RoundService,
        *,
        grace: timedelta = timedelta(minutes=30),
        lookback: timedelta = LOOKBACK,
    ) -> None:
        self.service = service
        self.sessions = service.sessions
        self.grace = grace
        self.lookback = max(lookback, grace)

    def run_due(self, now: datetime | None = None) -> FireReport:
        """Do everything that is due at `now` (the clock's time by default)."""
        now = now or self.service.clock.now()
        report = FireReport()
        looks: list[tuple[int, int, datetime]] = []
        for planned in self._planned(now):
            report.looked += 1
            try:
                settled = self._round(planned, now, report)
                self._notice(planned, now, report)
                look = self._next_look(planned, now)
                looks.append((planned.schedule_id, planned.revision, look if settled else now))
            except Exception as error:
                # One broken schedule must not keep the others from running; its
                # next look stays where it was (due), so the next pass tries again.
                what = f"schedule {planned.schedule_id} could not be run; trying again"
                log_failure(log, what, error)
        if looks:
            with self.sessions() as session, session.begin():
                repo.looked_at(session, looks)
        self._action_reminders(now, report)
        if self.service.after_commit is not None and (report.notices or report.action_reminders):
            self.service.after_commit()
        return report

    # -- scheduled rounds ---------------------------------------------------------------

    def _round(self, planned: Planned, now: datetime, report: FireReport) -> bool:
        """Start or skip the rounds that came; False while one may yet be taken
        over from a process that died holding its claim."""
        since = max(now - self.lookback, planned.active_since)
        missed = []
        for slot in planned.slots(since, now):
            if slot.held:
                missed.append(slot.occurrence)
            else:
                self._no_school(planned, slot.occurrence, now)
        if not missed:
            return True
        *older, latest = missed
        for occurrence in older:
            self._skip(planned, occurrence, now, report)
        if now - latest.at > self.grace:
            self._skip(planned, latest, now, report)
            return True
        return self._start(planned, latest, now, report)

    def _next_look(self, planned: Planned, now: datetime) -> datetime:
        """The first moment after `now` at which a pass would act on this schedule:
        a round (held, moved or skipped for no school) or a notice before one."""
        offsets = planned.notices()
        # A notice up to LOOK_AT_LEAST_EVERY ahead belongs to a round at most its
        # offset further; a day more for a clock change in between.
        reach = LOOK_AT_LEAST_EVERY + timedelta(minutes=offsets[0] if offsets else 0)
        # Spread by id, so that schedules that all came due at once (a migration,
        # a restart) do not all come back in the same pass.
        look = now + LOOK_AT_LEAST_EVERY - timedelta(minutes=planned.schedule_id % 240)
        for slot in planned.slots(now, now + reach + timedelta(days=1)):
            look = min(look, slot.occurrence.at)
            if slot.held:
                for minutes in offsets:
                    moment = before(slot.occurrence, minutes, planned.zone)
                    if moment > now:
                        look = min(look, moment)
        return look

    def _skip(
        self, planned: Planned, occurrence: Occurrence, now: datetime, report: FireReport
    ) -> None:
        if self._claim_skipped(planned, occurrence, now):
            report.skipped += 1
            log.warning(
                "scheduled round skipped: missed by more than the grace period "
                "schedule=%s occurrence=%s missed_minutes=%d grace_minutes=%d",
                planned.schedule_id,
                occurrence.key,
                (now - occurrence.at).total_seconds() // 60,
                self.grace.total_seconds() // 60,
            )

    def _no_school(self, planned: Planned, occurrence: Occurrence, now: datetime) -> None:
        if self._claim_skipped(planned, occurrence, now):
            log.info(
                "scheduled round not held: no school that day schedule=%s occurrence=%s",
                planned.schedule_id,
                occurrence.key,
            )

    def _claim_skipped(self, planned: Planned, occurrence: Occurrence, now: datetime) -> bool:
        """Claim an occurrence as not held; True the first time only."""
        with self.sessions() as session, session.begin():
            return repo.claim_occurrence(
                session,
                schedule_id=planned.schedule_id,
                kind=ROUND,
                local_at=occurrence.key,
                due_at=occurrence.at,
                status="skipped",
                now=now,
            )

    def _start(
        self, planned: Planned, occurrence: Occurrence, now: datetime, report: FireReport
    ) -> bool:
        """Start the round once; False while its claim is held unsettled elsewhere."""
        with self.sessions() as session, session.begin():
            claimed = repo.claim_occurrence(
                session,
                schedule_id=planned.schedule_id,
                kind=ROUND,
                local_at=occurrence.key,
                due_at=occurrence.at,
                status="claimed",
                now=now,
                stale_before=now - STALE_CLAIM,
            )
            if not claimed:
                # Another process holds it unsettled: should it die, the claim is
                # taken over once stale, so keep looking until it is settled.
                held = repo.get_occurrence(session, planned.schedule_id, ROUND, occurrence.key)
                return held is None or held.status != "claimed"
        outcome = self.service.start(
            planned.place,
            planned.creator,
            planned.protocol_id,
            mode="async" if planned.mode == "async" else "live",
            key=f"schedule:{planned.schedule_id}:{occurrence.key}",
            scheduled=True,
        )
        late = now - occurrence.at > LATE_AFTER
        language = planned.language
        with self.sessions() as session, session.begin():
            settled = repo.settle_occurrence(
                session,
                schedule_id=planned.schedule_id,
                kind=ROUND,
                local_at=occurrence.key,
                status="started" if outcome.accepted else "refused",
                round_id=outcome.round_id if outcome.accepted else None,
                error_code=outcome.error_code,
                now=now,
            )
            if not settled:
                return True
            planned_at = occurrence.local.strftime("%H:%M")
            if outcome.accepted and late:
                note = t(language, "note.late", time=planned_at)
                self._post(session, planned, note, now, round_id=outcome.round_id)
            elif not outcome.accepted:
                reason = outcome.reply(language) or outcome.error_code or ""
                note = t(
                    language,
                    "note.refused",
                    protocol=self._title(planned),
                    time=long_moment(language, occurrence.local),
                    reason=reason,
                )
                self._post(session, planned, note, now)
        if outcome.accepted:
            assert outcome.round_id is not None
            report.started.append(outcome.round_id)
            log.info(
                "scheduled round started schedule=%s occurrence=%s round=%s late=%s",
                planned.schedule_id,
                occurrence.key,
                outcome.round_id,
                late,
            )
        else:
            report.refused += 1
            log.warning(
                "scheduled round refused schedule=%s occurrence=%s code=%s",
                planned.schedule_id,
                occurrence.key,
                outcome.error_code,
            )
        if self.service.after_commit is not None:
            self.service.after_commit()
        return True

    # -- notices before a round ---------------------------------------------------------

    def _notice(self, planned: Planned, now: datetime, report: FireReport) -> None:
        offsets = planned.notices()
        if not offsets:
            return
        ahead = timedelta(minutes=offsets[0]) + timedelta(days=1)
        for slot in planned.slots(now, now + ahead):
            if not slot.held:
                continue
            occurrence = slot.occurrence
            due = [
                (moment, minutes)
                for minutes in offsets
                if planned.active_since
                <= (moment := before(occurrence, minutes, planned.zone))
                <= now
            ]
            if not due:
                continue
            # After downtime, only the latest notice that has come is worth posting.
            _, minutes = max(due)
            with self.sessions() as session, session.begin():
                claimed = repo.claim_occurrence(
                    session,
                    schedule_id=planned.schedule_id,
                    kind=f"notice:{minutes}",
                    local_at=occurrence.key,
                    due_at=occurrence.at,
                    status="sent",
                    now=now,
                )
                if claimed:
                    self._post(
                        session, planned, self._notice_text(planned, occurrence, minutes), now
                    )
            if claimed:
                report.notices += 1
                log.info(
                    "schedule notice queued schedule=%s occurrence=%s minutes_before=%d",
                    planned.schedule_id,
                    occurrence.key,
                    minutes,
                )

    def _notice_text(self, planned: Planned, occurrence: Occurrence, minutes: int) -> str:
        language = planned.language
        moment = long_moment(language, occurrence.local)
        if planned.lead_days and minutes == planned.lead_days * 24 * 60:
            return t(language, "note.collect", protocol=self._title(planned), when=moment)
        mode = t(language, f"short.{planned.mode}")
        return t(language, "note.remind", protocol=self._title(planned), when=moment, mode=mode)

    # -- agreed actions -----------------------------------------------------------------

    def _action_reminders(self, now: datetime, report: FireReport) -> None:
        # A reminder comes on the last school day before the due date, which lies
        # before the longest holiday at most; time zones add a day either side of UTC.
        horizon = now.date() + LONGEST_BREAK + timedelta(days=3)
        due: list[tuple[str, datetime]] = []
        with self.sessions() as session:
            actions = storage.open_actions_due(session, due_before=horizon)
            calendars = self._team_calendars(session, {a.team_id for a in actions})
            for action in actions:
                known = calendars.get(action.team_id)
                if known is None:
                    continue
                calendar, zone = known
                remind_on = calendar.last_school_day_before(action.due_date)
                remind_at = localize(datetime.combine(remind_on, ACTION_REMINDER_TIME), zone)
                # An action agreed after its reminder moment was just agreed: no reminder.
                if action.created_at < remind_at <= now and now.astimezone(zone).date() <= (
                    action.due_date
                ):
                    due.append((action.id, remind_at))
            session.rollback()
        for action_id, _remind_at in due:
            try:
                self._action_reminder(action_id, now, report)
            except Exception as error:
                log_failure(log, f"action reminder failed action={action_id}", error)

    @staticmethod
    def _team_calendars(
        session: Session, team_ids: set[int]
    ) -> dict[int, tuple[SchoolCalendar, ZoneInfo]]:
        """Each team's school calendar and time zone: two queries for all of them, so
        a pass costs the same with ten teams that agreed actions as with a thousand."""
        teams = storage.get_teams(session, team_ids)
        days = repo.study_days_of(session, teams.keys())
        return {
            team_id: (calendar_of(team, days.get(team_id, ())), ZoneInfo(team.timezone))
            for team_id, team in teams.items()
        }

    def _action_reminder(self, action_id: str, now: datetime, report: FireReport) -> None:
        with self.sessions() as session, session.begin():
            action = storage.get_action(session, action_id)
            if action is None or action.status not in storage.OPEN_ACTION_STATUSES:
                return
            team = storage.get_team(session, action.team_id)
            tenant = session.get(storage.Tenant, team.tenant_id) if team else None
            if team is None or tenant is None:
                return
            if not repo.claim_action_reminder(session, action_id, ACTION_DUE_SOON, now=now):
                return
            owner = action.owner_user_id
            language = language_of(team.language)
            text = t(
                language,
                "action.remind",
                due=full_date(language, action.due_date),
                text=action.text,
            )
            message = Message(text=text, blocks=(Paragraph(text),), audience=action.owner_user_id)
            storage.enqueue(
                session,
                [
                    storage.OutgoingMessage(
                        team_id=team.id,
                        platform=tenant.platform,
                        destination={"user": action.owner_user_id},
                        payload=message_to_json(message),
                    )
                ],
                now=now,
            )
        report.action_reminders += 1
        log.info("action reminder queued action=%s owner=%s", action_id, owner)

    # -- pieces -------------------------------------------------------------------------

    def _planned(self, now: datetime) -> list[Planned]:
        """The schedules due for a look at `now`."""
        found: list[Planned] = []
        with self.sessions() as session:
            study_days = repo.due_study_days(session, now)
            for schedule, team, tenant in repo.due_schedules(session, now):
                try:
                    rule = rule_of(schedule, team.timezone)
                except (ValueError, KeyError):
                    log.error("schedule %s has an unusable rule or time zone", schedule.id)
                    continue
                found.append(
                    Planned(
                        schedule_id=schedule.id,
                        team_id=team.id,
                        rule=rule,
                        protocol_id=schedule.protocol_id,
                        mode=schedule.mode,
                        lead_days=schedule.lead_days,
                        reminders=tuple(schedule.reminders),
                        active_since=schedule.active_since,
                        place=Place(
                            tenant.platform, tenant.external_id, team.external_id, team.name
                        ),
                        creator=Person(
                            schedule.created_by, schedule.created_by_name or schedule.created_by
                        ),
                        language=language_of(team.language),
                        calendar=calendar_of(team, study_days.get(team.id, ())),
                        holiday_policy=policy_of(schedule.holiday_policy),
                        revision=schedule.look_revision,
                    )
                )
            session.rollback()
        return found

    def _post(
        self,
        session: Session,
        planned: Planned,
        text: str,
        now: datetime,
        *,
        round_id: str | None = None,
    ) -> None:
        """Queue a message for the team's channel (in the round's thread when given)."""
        message = Message(text=text, blocks=(Paragraph(text),))
        storage.enqueue(
            session,
            [
                storage.OutgoingMessage(
                    team_id=planned.team_id,
                    platform=planned.place.platform,
                    destination={"round": round_id, "user": None} if round_id else {"user": None},
                    payload=message_to_json(message),
                    round_id=round_id,
                )
            ],
            now=now,
        )

    def _title(self, planned: Planned) -> str:
        protocol = self.service.library.get(planned.protocol_id)
        return protocol.title.get(planned.language) if protocol else planned.protocol_id
