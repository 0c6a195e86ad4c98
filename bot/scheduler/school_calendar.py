"""The school calendar: which days a team has no school, and what that does to a plan.

The Dutch school holidays are set per region (noord, midden, zuid) by the
Ministry of Education; the `holidays` package carries them (category SCHOOL,
with the public holidays beside them) for the years the ministry has fixed.
A team adds its own study days. Pure: no I/O, no clock.

A planned round that falls on a free day is skipped, or moved to the next
school day at the same time; the schedule says which. A moved round is known
by its new local date and time, so a round moved onto a day that already has
one of the schedule's rounds is that round, never a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Literal

import holidays
from holidays.constants import PUBLIC, SCHOOL

from bot.i18n import Language, language_of
from bot.scheduler.recurrence import Occurrence, Rule, localize, occurrences
from storage.models import Team

Region = Literal["noord", "midden", "zuid"]
REGIONS: tuple[Region, ...] = ("noord", "midden", "zuid")
HolidayPolicy = Literal["skip", "move"]
HOLIDAY_POLICIES: tuple[HolidayPolicy, ...] = ("skip", "move")
STUDY_DAY = "study_day"

# The summer holiday is the longest break (six weeks plus weekends): a round
# moved out of it lands at most this long after its planned date.
LONGEST_BREAK = timedelta(days=60)
_LANGUAGES: dict[Language, str] = {"nl": "nl", "en": "en_US"}


@dataclass(frozen=True)
class SchoolCalendar:
    """A team's days without school: its region's holidays and its own study days."""

    region: Region | None = None
    study_days: frozenset[date] = field(default_factory=frozenset)
    language: Language = "nl"

    @cached_property
    def _school_holidays(self) -> holidays.HolidayBase | None:
        return self._holidays(SCHOOL)

    @cached_property
    def _public_holidays(self) -> holidays.HolidayBase | None:
        return self._holidays(PUBLIC)

    def _holidays(self, category: str) -> holidays.HolidayBase | None:
        if self.region is None:
            return None
        return holidays.country_holidays(
            "NL",
            subdiv=self.region.capitalize(),
            categories=(category,),
            language=_LANGUAGES[self.language],
        )

    def free(self, day: date) -> str | None:
        """Why there is no school on this day (a holiday's name, or STUDY_DAY), or None."""
        if day in self.study_days:
            return STUDY_DAY
        # A school break names the day before a public holiday inside it does.
        for found in (self._school_holidays, self._public_holidays):
            if found is not None and (name := found.get(day)):
                return str(name).split(";")[0].strip()
        return None

    def next_school_day(self, day: date) -> date:
        """The first weekday on or after `day` that is not free."""
        while day.weekday() >= 5 or self.free(day):
            day += timedelta(days=1)
        return day

    def last_school_day_before(self, day: date) -> date:
        """The last day before `day` that is not free (weekends count: a reminder may
        come on a Sunday evening, not in the holiday)."""
        day -= timedelta(days=1)
        while self.free(day):
            day -= timedelta(days=1)
        return day


def region_of(value: str | None) -> Region | None:
    """A stored region, or None for anything else."""
    return next((r for r in REGIONS if r == value), None)


def policy_of(value: str | None) -> HolidayPolicy:
    return "move" if value == "move" else "skip"


def calendar_of(team: Team, study_days: Iterable[date]) -> SchoolCalendar:
    """A stored team's school calendar."""
    return SchoolCalendar(
        region=region_of(team.region),
        study_days=frozenset(study_days),
        language=language_of(team.language),
    )


@dataclass(frozen=True, order=True)
class Slot:
    """One of a schedule's rounds as the school calendar leaves it."""

    occurrence: Occurrence
    # Set when the round was planned on a free day: that day and why it is free.
    planned_on: date | None = None
    reason: str | None = None
    held: bool = True

    @property
    def moved(self) -> bool:
        return self.held and self.planned_on is not None


def plan(
    rule: Rule,
    calendar: SchoolCalendar,
    policy: HolidayPolicy,
    after: datetime,
    until: datetime,
) -> list[Slot]:
    """The schedule's rounds with after < at <= until, skipped ones included
    (held=False) so the planner and the feed can say why."""
    earliest = after - LONGEST_BREAK if policy == "move" else after
    found: dict[str, Slot] = {}
    for occurrence in occurrences(rule, earliest, until):
        day = occurrence.local.date()
        reason = calendar.free(day)
        if reason is None:
            slot = Slot(occurrence)
        elif policy == "skip":
            slot = Slot(occurrence, planned_on=day, reason=reason, held=False)
        else:
            moved_day = calendar.next_school_day(day)
            local = datetime.combine(moved_day, occurrence.local.time())
            moved = Occurrence(at=localize(local, rule.tz), local=local)
            slot = Slot(moved, planned_on=day, reason=reason)
        if not after < slot.occurrence.at <= until:
            continue
        key = slot.occurrence.key if slot.held else f"skipped:{slot.occurrence.key}"
        # A round held on its own date wins over one moved onto it.
        if key not in found or found[key].moved:
            found[key] = slot
    return sorted(found.values())
