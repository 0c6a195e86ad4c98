"""A stored schedule as a recurrence rule, and as words in the team's language."""

from __future__ import annotations

from datetime import time

from bot.i18n import Language
from bot.scheduler.recurrence import Rule, weekday_list
from bot.scheduler.texts import t
from bot.words import day_name, joined
from storage.models import Schedule


def rule_of(schedule: Schedule, zone: str) -> Rule:
    hours, minutes = schedule.time_of_day.split(":")
    return Rule(
        weekdays=weekday_list(schedule.weekdays),
        at=time(int(hours), int(minutes)),
        interval=schedule.interval,  # type: ignore[arg-type]
        zone=zone,
        first=schedule.first_date,
        week_of_month=schedule.week_of_month,
    )


def describe(schedule: Schedule, language: Language) -> str:
    """ "om de week op dinsdag om 15:30" / "every other Tuesday at 15:30"."""
    days = joined(language, [day_name(language, d) for d in weekday_list(schedule.weekdays)])
    params: dict[str, object] = {"days": days, "time": schedule.time_of_day}
    if schedule.interval == "monthly":
        params["nth"] = t(language, f"nth.{schedule.week_of_month}")
    return t(language, f"every.{schedule.interval}", **params)


def reminder_list(minutes: list[int], language: Language) -> str:
    return joined(language, [t(language, f"reminder.short.{m}") for m in minutes])
