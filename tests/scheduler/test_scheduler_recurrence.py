"""Occurrences fall on the local wall-clock time, across both clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.scheduler.recurrence import Rule, before, next_occurrences, occurrences
from tests.scheduler.conftest import AMSTERDAM, local

TUESDAY = 1


def rule(**options: object) -> Rule:
    settings: dict[str, object] = {
        "weekdays": (TUESDAY,),
        "at": time(15, 30),
        "interval": "weekly",
        "zone": "Europe/Amsterdam",
        "first": date(2026, 3, 1),
    }
    settings.update(options)
    return Rule(**settings)  # type: ignore[arg-type]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_weekly_round_stays_at_1530_local_across_the_spring_change() -> None:
    found = occurrences(rule(), utc("2026-03-20 00:00"), utc("2026-04-05 00:00"))
    assert [o.key for o in found] == ["2026-03-24T15:30", "2026-03-31T15:30"]
    # Winter time is UTC+1, summer time UTC+2 (the clocks went forward on 29 March).
    assert [o.at for o in found] == [utc("2026-03-24 14:30"), utc("2026-03-31 13:30")]


def test_a_weekly_round_stays_at_1530_local_across_the_autumn_change() -> None:
    found = occurrences(rule(), utc("2026-10-18 00:00"), utc("2026-11-01 00:00"))
    assert [o.key for o in found] == ["2026-10-20T15:30", "2026-10-27T15:30"]
    assert [o.at for o in found] == [utc("2026-10-20 13:30"), utc("2026-10-27 14:30")]


def test_every_other_week_counts_weeks_from_the_first_date() -> None:
    biweekly = rule(interval="biweekly", first=date(2026, 3, 17))
    found = occurrences(biweekly, utc("2026-03-01 00:00"), utc("2026-04-20 00:00"))
    assert [o.key for o in found] == ["2026-03-17T15:30", "2026-03-31T15:30", "2026-04-14T15:30"]
    assert {o.at.astimezone(AMSTERDAM).time() for o in found} == {time(15, 30)}


def test_monthly_on_the_first_and_on_the_last_tuesday() -> None:
    window = (utc("2026-03-01 00:00"), utc("2026-05-31 00:00"))
    first = occurrences(rule(interval="monthly", week_of_month=1), *window)
    last = occurrences(rule(interval="monthly", week_of_month=-1), *window)
    assert [o.local.date() for o in first] == [date(2026, 3, 3), date(2026, 4, 7), date(2026, 5, 5)]
    assert [o.local.date() for o in last] == [
        date(2026, 3, 31),
        date(2026, 4, 28),
        date(2026, 5, 26),
    ]


def test_several_weekdays_and_nothing_before_the_first_date() -> None:
    twice = rule(weekdays=(0, 3), first=date(2026, 11, 26))
    found = next_occurrences(twice, utc("2026-11-20 00:00"), 3)
    assert [o.key for o in found] == ["2026-11-26T15:30", "2026-11-30T15:30", "2026-12-03T15:30"]


def test_the_autumn_hour_that_happens_twice_is_one_occurrence() -> None:
    # 02:30 on 25 October 2026 happens at 00:30 and at 01:30 UTC: one occurrence,
    # named by its local time, at its first passing.
    night = rule(weekdays=(6,), at=time(2, 30))
    found = occurrences(night, utc("2026-10-24 22:00"), utc("2026-10-25 04:00"))
    assert [(o.key, o.at) for o in found] == [("2026-10-25T02:30", utc("2026-10-25 00:30"))]


def test_a_day_before_means_the_same_wall_clock_time_the_day_before() -> None:
    # Sunday 29 March 2026, when the clocks go forward at 02:00: a day before
    # 15:30 is Saturday 15:30, only 23 hours earlier.
    found = occurrences(rule(weekdays=(6,)), utc("2026-03-29 00:00"), utc("2026-03-30 00:00"))
    sunday = found[0]
    assert before(sunday, 24 * 60, AMSTERDAM) == local("2026-03-28 15:30")
    assert sunday.at - before(sunday, 24 * 60, AMSTERDAM) == timedelta(hours=23)


@pytest.mark.parametrize(
    "options",
    [{"weekdays": ()}, {"weekdays": (7,)}, {"interval": "monthly"}, {"zone": "Mars/Olympus"}],
)
def test_a_rule_that_cannot_be_kept_is_refused(options: dict[str, object]) -> None:
    # ZoneInfoNotFoundError is a KeyError.
    with pytest.raises((ValueError, KeyError)):
        rule(**options)
