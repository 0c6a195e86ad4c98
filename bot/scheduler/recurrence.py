"""When a schedule's rounds fall: pure wall-clock arithmetic, no I/O, no clock.

A schedule names a local time ("15:30") on chosen weekdays in the team's time
zone. Every occurrence is computed from that wall-clock time on its own date,
never by adding a fixed number of hours to the last one, so a weekly round
stays at 15:30 across both daylight-saving changes. An occurrence is known by
its local date and time (`Occurrence.key`): the one name it has on both sides
of the autumn change, and the one the database claims.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Interval = Literal["weekly", "biweekly", "monthly"]
INTERVALS: tuple[Interval, ...] = ("weekly", "biweekly", "monthly")
# Monthly: the first .. fourth, or the last (-1) such weekday of the month.
WEEKS_OF_MONTH = (1, 2, 3, 4, -1)

# In Europe the clocks change inside this hour: a round planned in it would be
# skipped in spring or fall twice in autumn, so planning refuses it.
DST_HOUR = (time(2, 0), time(3, 0))


@dataclass(frozen=True)
class Rule:
    """A recurrence: weekdays (0 = Monday) at a local time, from `first` on."""

    weekdays: tuple[int, ...]
    at: time
    interval: Interval
    zone: str
    # The first date that may hold an occurrence; a biweekly schedule counts
    # its weeks from the week (Monday to Sunday) of this date.
    first: date
    week_of_month: int | None = None

    def __post_init__(self) -> None:
        if not self.weekdays or any(d not in range(7) for d in self.weekdays):
            raise ValueError("weekdays must be 0 (Monday) .. 6 (Sunday)")
        if self.interval == "monthly" and self.week_of_month not in WEEKS_OF_MONTH:
            raise ValueError("a monthly rule needs week_of_month 1..4 or -1")
        ZoneInfo(self.zone)  # raises for an unknown zone

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def holds_on(self, day: date) -> bool:
        """Whether a round falls on this local date."""
        if day < self.first or day.weekday() not in self.weekdays:
            return False
        if self.interval == "weekly":
            return True
        if self.interval == "biweekly":
            weeks = (_monday(day) - _monday(self.first)).days // 7
            return weeks % 2 == 0
        if self.week_of_month == -1:
            return (day + timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == self.week_of_month


@dataclass(frozen=True, order=True)
class Occurrence:
    """One planned round: the moment (UTC) and its local wall-clock name."""

    at: datetime
    local: datetime

    @property
    def key(self) -> str:
        """The occurrence's name, e.g. "2026-03-31T15:30" (local, no offset)."""
        return self.local.isoformat(timespec="minutes")


def localize(local: datetime, zone: ZoneInfo) -> datetime:
    """The UTC moment of a local wall-clock time.

    An ambiguous time (the autumn hour that happens twice) is its first
    passing; a time that does not exist (the spring gap) is read with the
    offset from before the change, i.e. the clock's moment an hour later.
    """
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def occurrence_on(rule: Rule, day: date) -> Occurrence:
    local = datetime.combine(day, rule.at)
    return Occurrence(at=localize(local, rule.tz), local=local)


def occurrences(rule: Rule, after: datetime, until: datetime) -> list[Occurrence]:
    """Every occurrence with after < at <= until (both aware), in order."""
    return list(_between(rule, after, until))


def next_occurrences(rule: Rule, after: datetime, count: int) -> list[Occurrence]:
    """The next `count` occurrences after a moment (fewer if none fall within a year)."""
    found: list[Occurrence] = []
    for occurrence in _between(rule, after, after + timedelta(days=366)):
        found.append(occurrence)
        if len(found) == count:
            break
    return found


def _between(rule: Rule, after: datetime, until: datetime) -> Iterator[Occurrence]:
    tz = rule.tz
    # One day of margin on each side: a local date can lie either side of UTC's.
    day = after.astimezone(tz).date() - timedelta(days=1)
    last = until.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        if rule.holds_on(day):
            occurrence = occurrence_on(rule, day)
            if after < occurrence.at <= until:
                yield occurrence
        day += timedelta(days=1)


def before(occurrence: Occurrence, minutes: int, zone: ZoneInfo) -> datetime:
    """The moment `minutes` of wall-clock time before an occurrence: "a day
    before 15:30" is 15:30 the day before, also across a clock change."""
    return localize(occurrence.local - timedelta(minutes=minutes), zone)


def in_dst_hour(at: time) -> bool:
    return DST_HOUR[0] <= at < DST_HOUR[1]


def weekday_list(text: str) -> tuple[int, ...]:
    """Stored weekdays ("1,3") as a sorted tuple."""
    return tuple(sorted({int(part) for part in text.split(",") if part.strip()}))


def weekday_text(days: Sequence[int]) -> str:
    return ",".join(str(d) for d in sorted(set(days)))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
