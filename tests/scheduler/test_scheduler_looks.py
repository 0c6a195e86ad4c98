"""The scheduler's pass looks at the schedules that are due, not at all of them:
each schedule remembers when it must next be looked at, and anything that could
change what it does makes the next pass look at it at once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text

import storage
from bot.runtime import Runtime
from bot.scheduler.firing import FireReport, Firing
from storage import schedules as repo
from storage.db import alembic_config
from storage.models import Schedule
from tests.fakes.clock import ManualClock
from tests.scheduler.conftest import (
    ANN,
    PLACE,
    claims,
    fields,
    finish_all,
    local,
    planned,
    store_schedules,
    texts_outside_rounds,
)
from tests.scheduler.test_scheduler_school_calendar import say


def pass_at(firing: Firing, clock: ManualClock, moment: str) -> FireReport:
    clock.set(local(moment))
    return firing.run_due()


def next_look(runtime: Runtime, schedule_id: int) -> datetime | None:
    with runtime.sessions() as session:
        return session.scalar(select(Schedule.next_look_at).where(Schedule.id == schedule_id))


def test_a_round_and_its_notices_come_at_their_moments_though_the_pass_skipped_it_for_days(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-11-20 09:00"))
    schedule_id = planned(runtime, fields(lead="3", reminders=["1440", "15"]))
    assert pass_at(firing, clock, "2026-11-20 09:01").looked == 1
    assert next_look(runtime, schedule_id) == local("2026-11-21 15:30"), "the call for cases"

    looked = []
    moment = local("2026-11-20 09:05")
    while moment <= local("2026-11-24 16:00"):
        clock.set(moment)
        report = firing.run_due()
        looked += [(moment, report.notices, len(report.started))] if report.looked else []
        finish_all(runtime)
        moment += timedelta(minutes=5)

    # Every five minutes for four days, the schedule was looked at only at its moments.
    assert looked == [
        (local("2026-11-21 15:30"), 1, 0),  # asked for cases three days ahead
        (local("2026-11-23 15:30"), 1, 0),  # reminded a day ahead
        (local("2026-11-24 15:15"), 1, 0),  # reminded 15 minutes ahead
        (local("2026-11-24 15:30"), 0, 1),  # the round, at its minute
    ]
    assert len(texts_outside_rounds(runtime)) == 3
    assert [c.local_at for c in claims(runtime)][-1] == "2026-11-24T15:30"


def test_a_pass_late_after_downtime_still_catches_the_round_within_the_grace(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-11-20 09:00"))
    planned(runtime, fields())
    assert pass_at(firing, clock, "2026-11-20 09:01").looked == 1
    assert pass_at(firing, clock, "2026-11-23 12:00").looked == 0
    report = pass_at(firing, clock, "2026-11-24 15:50")
    assert (report.looked, len(report.started)) == (1, 1)


def test_a_paused_then_resumed_schedule_is_looked_at_again_at_once(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-11-20 09:00"))
    schedule_id = planned(runtime, fields())
    assert pass_at(firing, clock, "2026-11-20 09:01").looked == 1
    assert pass_at(firing, clock, "2026-11-20 09:02").looked == 0
    runtime.chat.click(PLACE, ANN, "plan_pause", str(schedule_id), {}, round_id=None)
    assert pass_at(firing, clock, "2026-11-20 09:03").looked == 0, "paused: not looked at"
    runtime.chat.click(PLACE, ANN, "plan_resume", str(schedule_id), {}, round_id=None)
    assert next_look(runtime, schedule_id) is None
    assert pass_at(firing, clock, "2026-11-20 09:04").looked == 1


@pytest.mark.parametrize("words", ["studiedag 15-03-2027", "regio zuid"])
def test_a_changed_study_day_or_region_makes_the_next_pass_look_again(
    runtime: Runtime, clock: ManualClock, firing: Firing, words: str
) -> None:
    clock.set(local("2026-11-20 09:00"))
    schedule_id = planned(runtime, fields())
    assert pass_at(firing, clock, "2026-11-20 09:01").looked == 1
    say(runtime, words)
    assert next_look(runtime, schedule_id) is None
    assert pass_at(firing, clock, "2026-11-20 09:02").looked == 1


def test_a_study_day_taken_away_brings_back_the_reminder_before_its_round(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-11-20 09:00"))
    say(runtime, "studiedag 24-11-2026")
    planned(runtime, fields(reminders=["1440"]))
    # No round on the study day, so no reminder the day before: nothing until then.
    assert pass_at(firing, clock, "2026-11-20 09:01").looked == 1
    assert pass_at(firing, clock, "2026-11-23 15:30").looked == 0
    clock.set(local("2026-11-23 10:00"))
    say(runtime, "studiedag weg 24-11-2026")
    assert pass_at(firing, clock, "2026-11-23 10:01").looked == 1
    assert pass_at(firing, clock, "2026-11-23 15:30").notices == 1
    assert len(pass_at(firing, clock, "2026-11-24 15:30").started) == 1


def test_a_pass_that_read_a_schedule_before_it_changed_does_not_hide_the_change(
    runtime: Runtime, clock: ManualClock
) -> None:
    clock.set(local("2026-11-20 09:00"))
    schedule_id = planned(runtime, fields())
    with runtime.sessions() as session:
        revision = session.get_one(Schedule, schedule_id).look_revision
    say(runtime, "regio zuid")  # while a pass was reckoning with what it read
    with runtime.sessions() as session, session.begin():
        repo.looked_at(session, [(schedule_id, revision, local("2026-11-24 15:30"))])
    assert next_look(runtime, schedule_id) is None


def _schedules(runtime: Runtime, count: int, weekday: int, time_of_day: str) -> None:
    now = runtime.clock.now()
    store_schedules(
        runtime.sessions,
        count,
        now=now,
        first_date=now.date(),
        prefix=time_of_day,
        weekday=weekday,
        time_of_day=time_of_day,
    )


def test_a_pass_over_a_thousand_schedules_of_which_three_are_due_reads_only_those(
    runtime: Runtime, clock: ManualClock, firing: Firing, counted: dict[str, int]
) -> None:
    clock.set(local("2026-11-24 12:00"))  # a Tuesday
    _schedules(runtime, 997, 0, "10:00")  # Mondays
    _schedules(runtime, 3, 1, "15:30")  # Tuesdays
    assert pass_at(firing, clock, "2026-11-24 12:01").looked == 1_000, "new: all looked at"

    counted.update(statements=0, schedules=0)
    report = pass_at(firing, clock, "2026-11-24 15:30")
    assert (report.looked, len(report.started)) == (3, 3)
    assert counted["schedules"] == 3
    per_due = counted["statements"]

    finish_all(runtime)
    counted.update(statements=0, schedules=0)
    assert pass_at(firing, clock, "2026-11-24 15:31").looked == 0
    assert counted["schedules"] == 0
    # Reading nothing due costs the same few statements however many schedules there are.
    assert counted["statements"] <= 4 < per_due


def test_the_migration_keeps_the_schedules_and_has_every_one_looked_at_on_the_first_pass(
    empty_database_url: str, clock: ManualClock
) -> None:
    from alembic import command

    from bot.config import Settings
    from bot.runtime import build_runtime

    engine = storage.make_engine(empty_database_url)
    config = alembic_config()
    with engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0013")
    clock.set(local("2026-11-24 15:30"))
    with storage.make_session_factory(engine)() as session, session.begin():
        team = storage.team_at(
            session, "web", "local", PLACE.channel, language="nl", timezone="Europe/Amsterdam"
        )
        session.execute(
            text(
                "INSERT INTO schedules (team_id, protocol_id, mode, weekdays, time_of_day,"
                " interval, first_date, lead_days, reminders, created_by, created_by_name,"
                " status, holiday_policy, active_since, created_at, updated_at) VALUES"
                " (:team, 'incident', 'live', '1', '15:30', 'weekly', :first, 0, '[]',"
                " 'ann', 'Ann', 'active', 'skip', :since, :since, :since)"
            ),
            {"team": team.id, "first": date(2026, 11, 1), "since": local("2026-11-01 09:00")},
        )
    engine.dispose()

    settings = Settings(DIALOOG_DATABASE_URL=empty_database_url)
    runtime = build_runtime(settings, clock=clock)  # migrates to the newest revision
    try:
        with runtime.sessions() as session:
            rows = session.execute(select(Schedule.next_look_at, Schedule.look_revision)).all()
        assert [tuple(row) for row in rows] == [(None, 0)]
        report = Firing(runtime.service).run_due()
        assert (report.looked, len(report.started)) == (1, 1)
    finally:
        runtime.engine.dispose()
