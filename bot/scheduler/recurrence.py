"""When a schedule's rounds fall: pure wall-clock arithmetic, no I/O, no clock.

The recurrence itself is an iCalendar RRULE (python-dateutil), the same rule the
calendar feed publishes, so what the feed shows and what the scheduler fires
cannot drift apart. A schedule names a local time ("15:30") on chosen weekdays in the team's time
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
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil import rrule

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

    @property
    def rrule_text(self) -> str:
        """The rule as an iCalendar RRULE value, e.g. "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"."""
        days = ",".join(
            f"{self.week_of_month if self.interval == 'monthly' else ''}{_DAY_CODES[d]}"
            for d in self.weekdays
        )
        if self.interval == "monthly":
            return f"FREQ=MONTHLY;BYDAY={days}"
        every = ";INTERVAL=2" if self.interval == "biweekly" else ""
        return f"FREQ=WEEKLY{every};WKST=MO;BYDAY={days}"

    @cached_property
    def _recurrence(self) -> rrule.rrule:
        # A biweekly rule counts its weeks from the week of `first`: start the
        # RRULE on that Monday and drop what falls before `first` itself.
        start = _monday(self.first) if self.interval == "biweekly" else self.first
        rule = rrule.rrulestr(self.rrule_text, dtstart=datetime.combine(start, self.at))
        assert isinstance(rule, rrule.rrule)
        return rule

    @property
    def first_local(self) -> datetime | None:
        """The local wall-clock time of the very first occurrence."""
        return self._local_from(self.first)

    def holds_on(self, day: date) -> bool:
        """Whether a round falls on this local date."""
        found = self._local_from(day)
        return found is not None and found.date() == day

    def local_times(self, start: date, end: date) -> list[datetime]:
        """Every occurrence's local wall-clock time on dates start..end (inclusive)."""
        start = max(start, self.first)
        if end < start:
            return []
        found = self._recurrence.between(
            datetime.combine(start, time.min), datetime.combine(end, time.max), inc=True
        )
        return list(found)

    def _local_from(self, day: date) -> datetime | None:
        found: datetime | None = self._recurrence.after(
            datetime.combine(max(day, self.first), time.min), inc=True
        )
        return found


_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


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
    first = after.astimezone(tz).date() - timedelta(days=1)
    last = until.astimezone(tz).date() + timedelta(days=1)
    for local in rule.local_times(first, last):
        occurrence = Occurrence(at=localize(local, tz), local=local)
        if after < occurrence.at <= until:
            yield occurrence


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
