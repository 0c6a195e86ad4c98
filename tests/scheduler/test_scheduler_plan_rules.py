"""What a valid plan is, on its own: the planning form's answers read into a checked
plan or refused with the reason, the limit of schedules per channel, and when a
stored schedule's rounds fall in the school calendar. No database, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.engine.actions import FieldValue
from bot.scheduler.plan_rules import (
    MAX_SCHEDULES,
    PlanProblem,
    check_room,
    next_held,
    read_plan,
    schedule_id,
    slots,
)
from bot.scheduler.school_calendar import SchoolCalendar
from protocols.loader import Library, load_library
from storage.models import Schedule
from tests.scheduler.conftest import fields

ZONE = "Europe/Amsterdam"
TODAY = date(2026, 10, 1)
# The autumn holiday of 2026 in region zuid: Saturday 17 to Sunday 25 October.
AUTUMN_TUESDAY = date(2026, 10, 20)
ZUID = SchoolCalendar(region="zuid")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def refusal(library: Library, **overrides: FieldValue) -> PlanProblem:
    with pytest.raises(PlanProblem) as refused:
        read_plan(fields(**overrides), library, today=TODAY)
    return refused.value


def weekly(*, first: date, holiday_policy: str, weekdays: str = "1") -> Schedule:
    """A stored schedule as the planner keeps it (never added to a session here)."""
    return Schedule(
        id=1,
        protocol_id="incident",
        mode="live",
        weekdays=weekdays,
        time_of_day="15:30",
        interval="weekly",
        week_of_month=None,
        first_date=first,
        lead_days=0,
        reminders=[],
        holiday_policy=holiday_policy,
        status="active",
    )


def moment(day: date, at: str = "15:30") -> datetime:
    hours, minutes = at.split(":")
    local = datetime.combine(day, time(int(hours), int(minutes)), ZoneInfo(ZONE))
    return local.astimezone(UTC)


# -- the form's answers ---------------------------------------------------------------------


def test_a_filled_in_form_is_a_plan_with_the_defaults_for_what_was_left_open(
    library: Library,
) -> None:
    plan = read_plan(
        fields(weekdays=["3", "1", "3"], reminders=["15", "1440"], lead="", interval=""),
        library,
        today=TODAY,
    )
    assert plan.protocol_id == "incident"
    assert plan.mode == "live"
    assert plan.weekdays == (1, 3)  # each day once, in the week's order
    assert plan.at == time(15, 30)
    assert (plan.interval, plan.week_of_month) == ("weekly", None)
    assert plan.first == TODAY  # no start date: today
    assert plan.lead_days == 0
    assert plan.reminders == (1440, 15)  # the earliest reminder first
    assert plan.holiday_policy == "skip"


def test_a_time_may_be_written_the_ways_dutch_teachers_write_it(library: Library) -> None:
    for typed in ("15:30", "15.30", "15u30", "15h30", " 15:30 "):
        assert read_plan(fields(time=typed), library, today=TODAY).at == time(15, 30), typed


def test_a_time_that_is_no_time_is_refused_and_the_refusal_shows_what_was_typed(
    library: Library,
) -> None:
    for typed in ("25:00", "15:75", "half vier", ""):
        problem = refusal(library, time=typed)
        assert problem.code == "bad_time"
        assert problem.params["typed"] == typed.strip()


def test_a_round_in_the_night_the_clocks_change_is_refused(library: Library) -> None:
    assert refusal(library, time="02:30").code == "dst_hour"
    assert read_plan(fields(time="03:00"), library, today=TODAY).at == time(3, 0)


def test_a_start_date_in_the_past_or_no_date_at_all_is_refused(library: Library) -> None:
    assert refusal(library, first="2026-09-30").code == "past_date"
    assert refusal(library, first="30-09-2026").code == "bad_date"
    assert read_plan(fields(first="2026-10-01"), library, today=TODAY).first == TODAY


def test_an_unknown_method_is_refused_with_the_methods_there_are(library: Library) -> None:
    problem = refusal(library, protocol="intervisie")
    assert problem.code == "unknown_protocol"
    assert "Incidentmethode" in problem.message("nl")


def test_a_method_that_runs_only_spread_over_days_cannot_be_planned_live(
    library: Library,
) -> None:
    problem = refusal(library, protocol="lesson_study", mode="live")
    assert problem.code == "mode_not_offered"
    assert read_plan(fields(protocol="lesson_study", mode="async"), library, today=TODAY)


def test_a_plan_needs_a_weekday_and_knows_only_the_seven(library: Library) -> None:
    assert refusal(library, weekdays=[]).code == "no_weekday"
    assert refusal(library, weekdays=["7"]).code == "bad_choice"
    # Some channels send a multi-select as one comma-separated string.
    assert read_plan(fields(weekdays="1, 4"), library, today=TODAY).weekdays == (1, 4)


def test_a_monthly_plan_names_its_week_and_the_last_week_counts_from_the_end(
    library: Library,
) -> None:
    plan = read_plan(fields(interval="monthly:-1"), library, today=TODAY)
    assert (plan.interval, plan.week_of_month) == ("monthly", -1)
    assert refusal(library, interval="monthly:5").code == "bad_choice"
    assert refusal(library, interval="daily").code == "bad_choice"


def test_only_the_offered_choices_are_taken_and_one_where_one_is_asked(
    library: Library,
) -> None:
    assert refusal(library, lead="4").code == "bad_choice"
    assert refusal(library, reminders=["30"]).code == "bad_choice"
    assert refusal(library, holidays="ignore").code == "bad_choice"
    assert refusal(library, mode=["live", "async"]).code == "bad_choice"
    assert read_plan(fields(holidays="move"), library, today=TODAY).holiday_policy == "move"


# -- limits and ids -------------------------------------------------------------------------


def test_a_channel_may_keep_ten_schedules_and_is_told_so_at_the_eleventh() -> None:
    check_room(MAX_SCHEDULES - 1)
    with pytest.raises(PlanProblem) as refused:
        check_room(MAX_SCHEDULES)
    assert refused.value.code == "too_many"
    assert "10" in refused.value.message("en")


def test_a_button_names_its_schedule_by_number_and_anything_else_is_malformed() -> None:
    assert schedule_id("12") == 12
    for value in ("", "12a", "-1", "1 OR 1=1"):
        with pytest.raises(PlanProblem) as refused:
            schedule_id(value)
        assert refused.value.code == "malformed"


# -- the school calendar --------------------------------------------------------------------


def test_a_plan_in_the_autumn_holiday_moves_its_round_to_the_next_school_day() -> None:
    schedule = weekly(first=AUTUMN_TUESDAY, holiday_policy="move")
    upcoming = next_held(schedule, ZONE, ZUID, moment(TODAY))
    assert upcoming is not None
    # The holiday ends on Sunday 25 October: Monday is the next school day, same time.
    assert upcoming.occurrence.local == datetime(2026, 10, 26, 15, 30)
    assert upcoming.planned_on == AUTUMN_TUESDAY
    assert upcoming.reason == "Herfstvakantie"


def test_a_plan_in_the_autumn_holiday_that_skips_holds_its_first_round_a_week_later() -> None:
    schedule = weekly(first=AUTUMN_TUESDAY, holiday_policy="skip")
    upcoming = next_held(schedule, ZONE, ZUID, moment(TODAY))
    assert upcoming is not None
    assert upcoming.occurrence.local == datetime(2026, 10, 27, 15, 30)
    skipped = [s for s in slots(schedule, ZONE, ZUID, moment(TODAY)) if not s.held]
    assert [s.planned_on for s in skipped] == [AUTUMN_TUESDAY]


def test_without_a_region_the_holiday_is_a_school_day_like_any_other() -> None:
    schedule = weekly(first=AUTUMN_TUESDAY, holiday_policy="skip")
    upcoming = next_held(schedule, ZONE, SchoolCalendar(), moment(TODAY))
    assert upcoming is not None and upcoming.occurrence.local.date() == AUTUMN_TUESDAY


def test_a_team_s_study_day_is_free_as_a_holiday_is() -> None:
    study_day = date(2026, 11, 3)
    school = SchoolCalendar(region="zuid", study_days=frozenset({study_day}))
    schedule = weekly(first=study_day, holiday_policy="move")
    upcoming = next_held(schedule, ZONE, school, moment(TODAY))
    assert upcoming is not None
    assert upcoming.occurrence.local == datetime(2026, 11, 4, 15, 30)
    assert upcoming.reason == "study_day"


def test_the_overview_looks_eight_weeks_ahead_and_the_next_round_up_to_a_year() -> None:
    schedule = weekly(first=date(2027, 6, 1), holiday_policy="skip")
    assert slots(schedule, ZONE, ZUID, moment(TODAY)) == []
    upcoming = next_held(schedule, ZONE, ZUID, moment(TODAY))
    assert upcoming is not None and upcoming.occurrence.local == datetime(2027, 6, 1, 15, 30)
    assert (
        next_held(weekly(first=date(2028, 1, 4), holiday_policy="skip"), ZONE, ZUID, moment(TODAY))
        is None
    )
