"""What a valid plan is, and when a plan's rounds fall. Pure: no storage, no clock.

A submitted planning form is read into a checked `PlanRequest`, or refused with a
`PlanProblem` that names the first thing wrong (a text key of the scheduler's
catalog, so the refusal says what would work). A team keeps `MAX_SCHEDULES` at
most. A stored schedule's rounds fall where its rule and the team's school
calendar put them: on a free day skipped, or moved to the next school day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.engine.actions import FieldValue
from bot.engine.errors import DomainError
from bot.scheduler.describe import rule_of
from bot.scheduler.recurrence import WEEKS_OF_MONTH, Interval, in_dst_hour
from bot.scheduler.school_calendar import (
    HOLIDAY_POLICIES,
    HolidayPolicy,
    SchoolCalendar,
    Slot,
    plan,
    policy_of,
)
from bot.scheduler.texts import TEXTS, t
from bot.words import listed
from protocols.loader import Library
from storage.models import Schedule

LEAD_DAYS = (0, 1, 2, 3, 5, 7)
REMINDERS = (1440, 60, 15)
# Enough for any team's rhythm; more is a mistake or a runaway script.
MAX_SCHEDULES = 10
# The overview names the rounds the school calendar skips or moves this far ahead.
LOOK_AHEAD = timedelta(weeks=8)
# Far enough to find the next round held even after the summer holiday.
_NEXT_WITHIN = timedelta(days=400)
_TIME = re.compile(r"\s*(\d{1,2})[:.hu](\d{2})\s*")


@dataclass(frozen=True)
class PlanRequest:
    """A checked plan, ready to store."""

    protocol_id: str
    mode: str
    weekdays: tuple[int, ...]
    at: time
    interval: Interval
    week_of_month: int | None
    first: date
    lead_days: int
    reminders: tuple[int, ...]
    holiday_policy: HolidayPolicy = "skip"


class PlanProblem(DomainError):
    """Why a plan was refused: a text key of the scheduler's catalog ("error.<code>").

    A field may be a function of the language (a protocol's title, say).
    """

    catalog = TEXTS
    prefix = "error."


def read_plan(fields: Mapping[str, FieldValue], library: Library, *, today: date) -> PlanRequest:
    """Check a submitted form. Raises PlanProblem naming the first thing wrong."""
    typed_protocol = _one(fields, "protocol")
    protocol = library.get(typed_protocol) if typed_protocol else None
    if protocol is None:
        titles = listed(p.title for p in library)
        raise PlanProblem("unknown_protocol", typed=typed_protocol, titles=titles)
    mode = _one(fields, "mode") or "live"
    if mode not in ("live", "async"):
        raise PlanProblem("bad_choice", field="mode")
    if mode not in protocol.modes:
        raise PlanProblem(
            "mode_not_offered",
            protocol=protocol.title.get,
            mode=lambda lang: t(lang, f"short.{mode}"),
        )
    weekdays = _weekdays(fields)
    at = _time(_one(fields, "time"))
    interval, week_of_month = _interval(_one(fields, "interval") or "weekly")
    first = _date(_one(fields, "first"), today)
    return PlanRequest(
        protocol_id=protocol.id,
        mode=mode,
        weekdays=weekdays,
        at=at,
        interval=interval,
        week_of_month=week_of_month,
        first=first,
        lead_days=_choice(fields, "lead", LEAD_DAYS, default=0),
        reminders=_reminders(fields),
        holiday_policy=_holiday_policy(fields),
    )


def _one(fields: Mapping[str, FieldValue], name: str) -> str:
    raw = fields.get(name, "")
    if isinstance(raw, list):
        if len(raw) > 1:
            raise PlanProblem("bad_choice", field=name)
        raw = raw[0] if raw else ""
    return raw.strip()


def _many(fields: Mapping[str, FieldValue], name: str) -> list[str]:
    raw = fields.get(name, [])
    values = [raw] if isinstance(raw, str) else list(raw)
    # Some channels send one comma-separated string for a multi-select.
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _weekdays(fields: Mapping[str, FieldValue]) -> tuple[int, ...]:
    chosen = _many(fields, "weekdays")
    if not chosen:
        raise PlanProblem("no_weekday")
    if any(value not in {str(d) for d in range(7)} for value in chosen):
        raise PlanProblem("bad_choice", field="weekdays")
    return tuple(sorted({int(value) for value in chosen}))


def _time(typed: str) -> time:
    match = _TIME.fullmatch(typed)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise PlanProblem("bad_time", typed=typed[:20])
    at = time(int(match[1]), int(match[2]))
    if in_dst_hour(at):
        raise PlanProblem("dst_hour")
    return at


def _interval(value: str) -> tuple[Interval, int | None]:
    if value in ("weekly", "biweekly"):
        return value, None  # type: ignore[return-value]
    kind, _, nth = value.partition(":")
    if kind == "monthly" and nth.lstrip("-").isdigit() and int(nth) in WEEKS_OF_MONTH:
        return "monthly", int(nth)
    raise PlanProblem("bad_choice", field="interval")


def _date(typed: str, today: date) -> date:
    if not typed:
        return today
    try:
        chosen = date.fromisoformat(typed[:10])
    except ValueError:
        raise PlanProblem("bad_date") from None
    if chosen < today:
        raise PlanProblem("past_date")
    return chosen


def _choice(
    fields: Mapping[str, FieldValue], name: str, allowed: tuple[int, ...], *, default: int
) -> int:
    value = _one(fields, name)
    if not value:
        return default
    if value not in {str(a) for a in allowed}:
        raise PlanProblem("bad_choice", field=name)
    return int(value)


def _reminders(fields: Mapping[str, FieldValue]) -> tuple[int, ...]:
    chosen = _many(fields, "reminders")
    if any(value not in {str(m) for m in REMINDERS} for value in chosen):
        raise PlanProblem("bad_choice", field="reminders")
    return tuple(sorted({int(value) for value in chosen}, reverse=True))


def _holiday_policy(fields: Mapping[str, FieldValue]) -> HolidayPolicy:
    typed = _one(fields, "holidays") or "skip"
    policy = next((p for p in HOLIDAY_POLICIES if p == typed), None)
    if policy is None:
        raise PlanProblem("bad_choice", field="holidays")
    return policy


def check_room(count: int) -> None:
    """A team with `count` schedules may plan one more, or is told the limit."""
    if count >= MAX_SCHEDULES:
        raise PlanProblem("too_many", max=MAX_SCHEDULES)


def schedule_id(value: str) -> int:
    """The schedule a button names (its value): a number, or the click is malformed."""
    if not value.isdigit():
        raise PlanProblem("malformed")
    return int(value)


def slots(
    schedule: Schedule,
    zone: str,
    school: SchoolCalendar,
    now: datetime,
    *,
    ahead: timedelta = LOOK_AHEAD,
) -> list[Slot]:
    """The schedule's rounds from now until `ahead`, as the school calendar leaves
    them (skipped ones included, held=False, so that the overview can say why)."""
    rule = rule_of(schedule, zone)
    return plan(rule, school, policy_of(schedule.holiday_policy), now, now + ahead)


def next_held(schedule: Schedule, zone: str, school: SchoolCalendar, now: datetime) -> Slot | None:
    """The schedule's next round that is held; None when none is within a year."""
    upcoming = slots(schedule, zone, school, now, ahead=_NEXT_WITHIN)
    return next((slot for slot in upcoming if slot.held), None)
