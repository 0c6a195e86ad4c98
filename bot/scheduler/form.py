"""The planning form: built from neutral blocks, read back into a checked request.

Every channel renders the same Form (a Slack modal, a Teams card, a web chat
dialog); a submission comes back as (action, value, fields).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time

from bot.engine.actions import FieldValue
from bot.engine.errors import DomainError
from bot.engine.messages import ChoiceInput, DateInput, Form, Message, Option, TextInput
from bot.engine.vocabulary import Action
from bot.i18n import Language
from bot.scheduler.recurrence import INTERVALS, WEEKS_OF_MONTH, Interval, in_dst_hour
from bot.scheduler.school_calendar import HOLIDAY_POLICIES, HolidayPolicy
from bot.scheduler.texts import TEXTS, day_name, t
from protocols.loader import Library

LEAD_DAYS = (0, 1, 2, 3, 5, 7)
REMINDERS = (1440, 60, 15)
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


def interval_value(interval: str, week_of_month: int | None) -> str:
    return f"monthly:{week_of_month}" if interval == "monthly" else interval


def plan_form(language: Language, library: Library, *, zone: str, today: date) -> Message:
    """The form that plans a round, in the team's language."""
    protocols = tuple(Option(p.id, p.title.get(language)) for p in library)
    intervals = [Option(i, t(language, f"interval.{i}")) for i in INTERVALS if i != "monthly"]
    intervals += [
        Option(f"monthly:{n}", t(language, f"interval.monthly.{n}")) for n in WEEKS_OF_MONTH
    ]
    leads = tuple(
        Option(
            str(n),
            t(language, "lead.1" if n == 1 else "lead.n", n=n) if n else t(language, "lead.0"),
        )
        for n in LEAD_DAYS
    )
    inputs = (
        ChoiceInput("protocol", t(language, "form.protocol"), protocols),
        ChoiceInput(
            "mode",
            t(language, "form.mode"),
            tuple(Option(m, t(language, f"mode.{m}")) for m in ("live", "async")),
        ),
        ChoiceInput(
            "weekdays",
            t(language, "form.weekdays"),
            tuple(Option(str(d), day_name(language, d)) for d in range(7)),
            max_selected=7,
        ),
        TextInput(
            "time",
            t(language, "form.time", zone=zone),
            multiline=False,
            max_length=5,
            placeholder="15:30",
        ),
        ChoiceInput("interval", t(language, "form.interval"), tuple(intervals)),
        DateInput("first", t(language, "form.first"), initial=today),
        ChoiceInput("lead", t(language, "form.lead"), leads),
        ChoiceInput(
            "reminders",
            t(language, "form.reminders"),
            tuple(Option(str(m), t(language, f"reminder.{m}")) for m in REMINDERS),
            min_selected=0,
            max_selected=len(REMINDERS),
            required=False,
        ),
        ChoiceInput(
            "holidays",
            t(language, "form.holidays"),
            tuple(Option(p, t(language, f"holidays.{p}")) for p in HOLIDAY_POLICIES),
            min_selected=0,
            required=False,
        ),
    )
    title = t(language, "form.title")
    form = Form(Action.PLAN_CREATE, title, t(language, "form.submit"), inputs)
    return Message(text=title, blocks=(form,))


def read_plan(fields: Mapping[str, FieldValue], library: Library, *, today: date) -> PlanRequest:
    """Check a submitted form. Raises PlanProblem naming the first thing wrong."""
    typed_protocol = _one(fields, "protocol")
    protocol = library.get(typed_protocol) if typed_protocol else None
    if protocol is None:
        raise PlanProblem("unknown_protocol", typed=typed_protocol, ids=", ".join(library.ids))
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
