"""Scheduled rounds start once, at the local time, also after a restart or downtime."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import update

import storage
from bot.runtime import Runtime
from bot.scheduler.firing import Firing
from storage.models import Schedule
from tests.fakes.clock import ManualClock
from tests.scheduler.conftest import (
    ANN,
    GRACE,
    PLACE,
    claims,
    fields,
    finish_all,
    local,
    outbox,
    planned,
    rounds,
    texts_outside_rounds,
)


def fire_at(firing: Firing, clock: ManualClock, moment: str) -> list[str]:
    """Move the clock to an Amsterdam wall-clock time and run what is due."""
    clock.set(local(moment))
    return firing.run_due().started


def test_a_weekly_round_fires_at_1530_local_across_the_spring_change(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-03-20 09:00"))
    planned(runtime, fields())
    assert fire_at(firing, clock, "2026-03-24 15:29") == []
    assert len(fire_at(firing, clock, "2026-03-24 15:30")) == 1
    finish_all(runtime)
    # The clocks went forward on Sunday 29 March: 15:30 is now 13:30 UTC, not 14:30.
    assert fire_at(firing, clock, "2026-03-31 15:29") == []
    assert len(fire_at(firing, clock, "2026-03-31 15:30")) == 1
    assert [c.local_at for c in claims(runtime)] == ["2026-03-24T15:30", "2026-03-31T15:30"]
    assert [r.created_at for r in rounds(runtime)] == [
        local("2026-03-24 15:30"),
        local("2026-03-31 15:30"),
    ]


def test_a_weekly_round_fires_at_1530_local_across_the_autumn_change(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-10-15 09:00"))
    planned(runtime, fields())
    assert len(fire_at(firing, clock, "2026-10-20 15:30")) == 1
    finish_all(runtime)
    # The clocks went back on Sunday 25 October: 15:30 is now 14:30 UTC, not 13:30.
    assert fire_at(firing, clock, "2026-10-27 15:29") == []
    assert len(fire_at(firing, clock, "2026-10-27 15:30")) == 1


def test_a_two_weekly_round_fires_every_other_week_at_1530_across_the_spring_change(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-03-16 09:00"))
    planned(runtime, fields(interval="biweekly", first="2026-03-17"))
    started = []
    day = date(2026, 3, 17)
    while day <= date(2026, 4, 14):
        assert fire_at(firing, clock, f"{day} 15:29") == []
        started += fire_at(firing, clock, f"{day} 15:30")
        finish_all(runtime)
        day += timedelta(weeks=1)
    assert len(started) == 3
    assert [c.local_at for c in claims(runtime)] == [
        "2026-03-17T15:30",
        "2026-03-31T15:30",
        "2026-04-14T15:30",
    ]


def test_a_two_weekly_round_fires_at_1530_across_the_autumn_change(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-10-12 09:00"))
    planned(runtime, fields(interval="biweekly", first="2026-10-13"))
    assert len(fire_at(firing, clock, "2026-10-13 15:30")) == 1
    finish_all(runtime)
    assert fire_at(firing, clock, "2026-10-20 15:30") == [], "the week in between"
    assert fire_at(firing, clock, "2026-10-27 15:29") == []
    assert len(fire_at(firing, clock, "2026-10-27 15:30")) == 1


def test_the_autumn_hour_that_happens_twice_starts_its_round_once(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    # Planning refuses 02:00-03:00; a schedule stored before that rule (or by
    # hand) must still not start twice when 02:30 comes round a second time.
    clock.set(local("2026-10-20 09:00"))
    schedule_id = planned(runtime, fields(weekdays=["6"], time="04:30"))
    with runtime.sessions() as session, session.begin():
        session.execute(
            update(Schedule).where(Schedule.id == schedule_id).values(time_of_day="02:30")
        )
    clock.set(local("2026-10-25 02:30"))  # the first 02:30, 00:30 UTC
    assert len(firing.run_due().started) == 1
    finish_all(runtime)
    clock.advance(hours=1)  # the second 02:30, 01:30 UTC
    assert firing.run_due().started == []
    assert len(rounds(runtime)) == 1


def test_each_occurrence_starts_once_however_often_it_is_fired(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    planned(runtime, fields(weekdays=["2"]))
    for minute in range(0, 10):
        clock.set(local(f"2026-11-25 15:{30 + minute}"))
        firing.run_due()
        finish_all(runtime)
    assert len(rounds(runtime)) == 1


def test_a_round_planned_before_a_restart_still_fires(
    runtime: Runtime, second_runtime: Runtime, clock: ManualClock
) -> None:
    planned(runtime, fields(weekdays=["2"]))
    runtime.engine.dispose()  # the first process is gone
    later = second_runtime.clock
    assert isinstance(later, ManualClock)
    later.set(local("2026-11-25 15:30"))
    report = Firing(second_runtime.service, grace=GRACE).run_due()
    assert len(report.started) == 1
    round_row = rounds(second_runtime)[0]
    assert round_row.started_by == "ann", "the schedule's creator starts it"
    assert round_row.mode == "live"


def test_a_round_missed_within_the_grace_period_starts_late_once_with_a_note(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    planned(runtime, fields(weekdays=["2"]))
    # The server was down at 15:30 and comes back at 15:50.
    assert len(fire_at(firing, clock, "2026-11-25 15:50")) == 1
    assert fire_at(firing, clock, "2026-11-25 15:51") == []
    notes = [
        m
        for m in outbox(runtime)
        if m.round_id and m.slot is None and m.destination.get("user") is None
    ]
    late = [m for m in notes if "stond gepland voor 15:30" in str(m.payload["text"])]
    assert len(late) == 1
    assert claims(runtime)[0].status == "started"


def test_a_round_missed_by_more_than_the_grace_period_is_skipped_with_a_log_line(
    runtime: Runtime, clock: ManualClock, firing: Firing, caplog: pytest.LogCaptureFixture
) -> None:
    planned(runtime, fields(weekdays=["2"]))
    caplog.set_level(logging.INFO)
    assert fire_at(firing, clock, "2026-11-25 16:30") == []
    assert fire_at(firing, clock, "2026-11-25 16:31") == []
    assert rounds(runtime) == []
    skipped = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped) == 1, "one log line, not one a minute"
    assert "occurrence=2026-11-25T15:30" in skipped[0].getMessage()
    assert [c.status for c in claims(runtime)] == ["skipped"]


def test_after_a_long_downtime_only_the_latest_missed_round_may_start(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    # Every day at 15:30; the server was down from Tuesday until Thursday 15:40.
    planned(runtime, fields(weekdays=[str(d) for d in range(7)]))
    started = fire_at(firing, clock, "2026-11-26 15:40")
    assert len(started) == 1
    assert [(c.local_at, c.status) for c in claims(runtime)] == [
        ("2026-11-25T15:30", "skipped"),
        ("2026-11-26T15:30", "started"),
    ]


def test_a_paused_schedule_does_not_fire_and_resuming_does_not_catch_up(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    schedule_id = planned(runtime, fields(weekdays=["2"]))
    runtime.chat.click(PLACE, ANN, "plan_pause", str(schedule_id), {}, round_id=None)
    assert fire_at(firing, clock, "2026-11-25 15:30") == []
    clock.set(local("2026-11-25 15:35"))
    runtime.chat.click(PLACE, ANN, "plan_resume", str(schedule_id), {}, round_id=None)
    assert firing.run_due().started == [], "the 15:30 slept through is not missed"
    assert len(fire_at(firing, clock, "2026-12-02 15:30")) == 1


def test_a_round_that_cannot_start_says_why_in_the_channel(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    planned(runtime, fields(weekdays=["2"]))
    clock.set(local("2026-11-25 15:00"))
    assert runtime.service.start(PLACE, ANN, "gossip").accepted
    assert fire_at(firing, clock, "2026-11-25 15:30") == []
    notes = texts_outside_rounds(runtime)
    assert len(notes) == 1 and "kon niet beginnen" in notes[0]
    assert [(c.status, c.error_code) for c in claims(runtime)] == [("refused", "round_running")]
    assert fire_at(firing, clock, "2026-11-25 15:31") == []
    assert len(texts_outside_rounds(runtime)) == 1, "said once"


def test_a_claim_left_by_a_crashed_process_is_taken_over_without_a_second_round(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    planned(runtime, fields(weekdays=["2"]))
    clock.set(local("2026-11-25 15:30"))
    # A process claimed the occurrence, started the round and died before settling.
    with runtime.sessions() as session, session.begin():
        (schedule,) = storage.schedules.list_schedules(session, 1)
        assert storage.schedules.claim_occurrence(
            session,
            schedule_id=schedule.id,
            kind="round",
            local_at="2026-11-25T15:30",
            due_at=clock.now(),
            status="claimed",
            now=clock.now(),
        )
    runtime.service.start(PLACE, ANN, "incident", key=f"schedule:{schedule.id}:2026-11-25T15:30")
    assert fire_at(firing, clock, "2026-11-25 15:31") == [], "the claim is still fresh"
    started = fire_at(firing, clock, "2026-11-25 15:37")
    assert len(started) == 1, "taken over after five minutes; the key replays the start"
    assert len(rounds(runtime)) == 1
    assert claims(runtime)[0].status == "started"
