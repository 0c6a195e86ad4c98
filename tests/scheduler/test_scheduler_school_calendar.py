"""The school calendar: planned rounds follow the region's school holidays and
the team's own study days, in the firing, the planner and the calendar feed."""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest

import storage
from bot.runtime import Runtime
from bot.scheduler.firing import Firing
from bot.scheduler.recurrence import Rule
from bot.scheduler.school_calendar import STUDY_DAY, SchoolCalendar, plan
from tests.fakes.clock import ManualClock
from tests.scheduler.conftest import (
    ANN,
    OTHER,
    PLACE,
    claims,
    fields,
    finish_all,
    local,
    planned,
    rounds,
)
from tests.scheduler.test_scheduler_feed import expand, feed_url, get
from tests.scheduler.test_scheduler_notices import add_action, private_reminders, run_at

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The spring holiday of 2027: region zuid from Saturday 13 February, noord and
# midden a week later, from Saturday 20 February (Regeling schoolvakanties 2025-2030).
ZUID_SPRING_TUESDAY = "2027-02-16 15:30"
NOORD_SPRING_TUESDAY = "2027-02-23 15:30"


def say(runtime: Runtime, text: str, place: object = PLACE) -> str:
    reply = runtime.chat.command(place, ANN, text)  # type: ignore[arg-type]
    assert reply.messages, text
    return reply.messages[0].text


def channels(runtime: Runtime, round_ids: list[str]) -> list[str]:
    with runtime.sessions() as session:
        rows = [session.get(storage.Round, r) for r in round_ids]
        return [session.get(storage.Team, row.team_id).external_id for row in rows if row]  # type: ignore[union-attr]


def fire_at(firing: Firing, clock: ManualClock, moment: str) -> list[str]:
    clock.set(local(moment))
    return firing.run_due().started


def test_a_holiday_week_skips_a_weekly_round_in_region_zuid_but_not_in_noord(
    runtime: Runtime, clock: ManualClock, firing: Firing, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    clock.set(local("2027-02-01 09:00"))
    assert "regio *zuid*" in say(runtime, "regio zuid")
    assert "regio *noord*" in say(runtime, "regio noord", OTHER)
    south = planned(runtime, fields())
    north = planned(runtime, fields(), place=OTHER)

    started = fire_at(firing, clock, ZUID_SPRING_TUESDAY)
    assert channels(runtime, started) == [OTHER.channel]
    finish_all(runtime)
    started = fire_at(firing, clock, NOORD_SPRING_TUESDAY)
    assert channels(runtime, started) == [PLACE.channel]

    by_schedule = {(c.schedule_id, c.local_at): c.status for c in claims(runtime)}
    assert by_schedule[(south, "2027-02-16T15:30")] == "skipped"
    assert by_schedule[(north, "2027-02-16T15:30")] == "started"
    assert by_schedule[(south, "2027-02-23T15:30")] == "started"
    assert by_schedule[(north, "2027-02-23T15:30")] == "skipped"
    assert caplog.text.count("scheduled round not held: no school that day") == 2


def test_a_round_on_a_study_day_moves_to_the_next_school_day_when_the_plan_says_so(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2027-03-01 09:00"))
    assert "dinsdag 16 maart is een studiedag" in say(runtime, "studiedag 16-03-2027")
    planned(runtime, fields(holidays="move"))
    assert fire_at(firing, clock, "2027-03-16 15:30") == []
    (moved,) = fire_at(firing, clock, "2027-03-17 15:30")
    finish_all(runtime)
    assert fire_at(firing, clock, "2027-03-23 15:30") != [], "the week after is as planned"
    first = rounds(runtime)[0]
    assert (first.id, first.created_at) == (moved, local("2027-03-17 15:30"))


def test_the_planner_names_the_rounds_the_holidays_skip_or_move(
    runtime: Runtime, clock: ManualClock
) -> None:
    clock.set(local("2027-02-01 09:00"))
    say(runtime, "regio zuid")
    say(runtime, "studiedag 2027-03-09")
    planned(runtime, fields())
    planned(runtime, fields(weekdays=["3"], holidays="move"))
    overview = runtime.chat.command(PLACE, ANN, "plan").messages[0]
    listing = next(b for b in overview.blocks if hasattr(b, "items"))
    skip, move = (item.note for item in listing.items)  # type: ignore[attr-defined]
    assert "geen ronde op dinsdag 16 februari (Voorjaarsvakantie)" in skip
    assert "geen ronde op dinsdag 9 maart (studiedag)" in skip
    # Thursday 18 February is in the holiday; the first school day after it is Monday 22nd.
    assert (
        "donderdag 18 februari gaat naar maandag 22 februari om 15:30 (Voorjaarsvakantie)" in move
    )
    assert "regio zuid" in str(overview.blocks)


async def test_the_feed_carries_one_rrule_with_the_holidays_as_exdates(
    runtime: Runtime, clock: ManualClock, server_url: str
) -> None:
    clock.set(local("2027-02-01 09:00"))
    say(runtime, "regio zuid")
    planned(runtime, fields())
    status, _, body = await get(feed_url(runtime, server_url))
    assert status == 200
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU;WKST=MO"
    exdates = event["exdate"]
    excluded = {
        d.dt for value in (exdates if isinstance(exdates, list) else [exdates]) for d in value.dts
    }
    assert datetime(2027, 2, 16, 15, 30, tzinfo=AMSTERDAM) in excluded
    assert datetime(2027, 12, 28, 15, 30, tzinfo=AMSTERDAM) in excluded, "the Christmas holiday"
    assert datetime(2027, 2, 23, 15, 30, tzinfo=AMSTERDAM) not in excluded
    starts = [s.date() for s in expand(event, until=datetime(2027, 3, 3, tzinfo=AMSTERDAM))]
    assert starts == [date(2027, 2, 2), date(2027, 2, 9), date(2027, 2, 23), date(2027, 3, 2)]
    assert all(
        s.time() == time(15, 30)
        for s in expand(event, until=datetime(2027, 8, 1, tzinfo=AMSTERDAM))
    )


async def test_a_moved_round_is_an_exdate_and_an_rdate_in_the_feed(
    runtime: Runtime, clock: ManualClock, server_url: str
) -> None:
    clock.set(local("2027-03-01 09:00"))
    say(runtime, "studiedag 16-03-2027")
    planned(runtime, fields(holidays="move"))
    status, _, body = await get(feed_url(runtime, server_url))
    assert status == 200
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    starts = [s.date() for s in expand(event, until=datetime(2027, 3, 24, tzinfo=AMSTERDAM))]
    assert starts == [date(2027, 3, 2), date(2027, 3, 9), date(2027, 3, 17), date(2027, 3, 23)]


def test_an_action_reminder_comes_before_the_holiday_not_in_it(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2027-02-01 09:00"))
    say(runtime, "regio zuid")
    # Due on Monday 22 February, the first school day after zuid's spring holiday.
    add_action(runtime, "a1", owner="bob", due=date(2027, 2, 22))
    run_at(firing, clock, "2027-02-12 15:59")
    assert private_reminders(runtime) == []
    run_at(firing, clock, "2027-02-12 16:00")
    run_at(firing, clock, "2027-02-21 16:00")
    (reminder,) = private_reminders(runtime)
    assert reminder.created_at == local("2027-02-12 16:00"), "the last school day before it"


def test_a_region_or_study_day_that_cannot_be_read_says_what_would_work(
    runtime: Runtime, clock: ManualClock
) -> None:
    clock.set(local("2027-02-01 09:00"))
    refused = runtime.chat.command(PLACE, ANN, "regio oost")
    assert not refused.accepted and refused.error_code == "region.unknown"
    assert "`/dialoog regio zuid`" in refused.messages[0].text
    assert "`/dialoog studiedag 15-03-2027`" in say(runtime, "studiedag morgen")
    assert "al voorbij" in say(runtime, "studiedag 2027-01-15")
    assert "geen regio" in say(runtime, "regio")
    say(runtime, "studiedag 2027-03-15")
    assert "stond al als studiedag" in say(runtime, "studiedag 15-3-2027")
    assert "maandag 15 maart" in say(runtime, "studiedagen")
    assert "geen studiedag meer" in say(runtime, "studiedag weg 15-03-2027")
    say(runtime, "taal en")
    assert "region *south*" in say(runtime, "region south")
    assert "no longer has a region" in say(runtime, "region none")


# -- the calendar itself, without a database ---------------------------------------------


def tuesdays(first: date) -> Rule:
    return Rule(
        weekdays=(1,), at=time(15, 30), interval="weekly", zone="Europe/Amsterdam", first=first
    )


def test_a_study_day_is_free_and_a_plain_school_day_is_not() -> None:
    calendar = SchoolCalendar(study_days=frozenset({date(2027, 3, 16)}))
    assert calendar.free(date(2027, 3, 16)) == STUDY_DAY
    assert calendar.free(date(2027, 3, 17)) is None
    assert calendar.next_school_day(date(2027, 3, 16)) == date(2027, 3, 17)


def test_rounds_moved_out_of_the_christmas_holiday_become_one_round() -> None:
    calendar = SchoolCalendar(region="midden")
    after = local("2027-12-22 00:00")
    slots = plan(tuesdays(date(2027, 12, 1)), calendar, "move", after, local("2028-01-12 00:00"))
    held = [s.occurrence.local for s in slots if s.held]
    # 28 December and 4 January fall in the holiday (25 December to 9 January):
    # both move to Monday 10 January, one round; the Tuesday after is the plan's own.
    assert held == [datetime(2028, 1, 10, 15, 30), datetime(2028, 1, 11, 15, 30)]
    assert slots[0].planned_on in (date(2027, 12, 28), date(2028, 1, 4))
    assert slots[0].reason == "Kerstvakantie"
    assert slots[1].planned_on is None
