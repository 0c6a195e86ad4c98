"""APScheduler's jobs: rebuilt from the schedules table, one wall-clock cron job
per schedule in the team's zone, and they wake our code."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import Runtime
from bot.scheduler.firing import Firing
from bot.scheduler.runner import ScheduleRunner
from tests.fakes.clock import ManualClock
from tests.fakes.server import running
from tests.scheduler.conftest import ANN, GRACE, PLACE, fields, local, planned, rounds

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
async def runner(runtime: Runtime) -> AsyncIterator[ScheduleRunner]:
    started = ScheduleRunner(Firing(runtime.service, grace=GRACE), runtime.chat.planner)
    await started.start()
    yield started
    await started.stop()


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_each_schedule_gets_a_cron_job_at_its_local_time(
    runtime: Runtime, runner: ScheduleRunner
) -> None:
    assert runner.jobs() == {}
    await asyncio.to_thread(planned, runtime, fields(weekdays=["1", "3"]))
    await eventually(lambda: len(runner.jobs()) == 1)
    next_run = runner.jobs()["schedule:1"]
    assert next_run is not None
    local_run = next_run.astimezone(AMSTERDAM)
    assert (local_run.weekday() in (1, 3), local_run.time()) == (True, time(15, 30))


async def test_a_paused_or_deleted_schedule_loses_its_job(
    runtime: Runtime, runner: ScheduleRunner
) -> None:
    schedule_id = await asyncio.to_thread(planned, runtime, fields())
    await eventually(lambda: "schedule:1" in runner.jobs())
    await asyncio.to_thread(
        runtime.chat.click, PLACE, ANN, "plan_pause", str(schedule_id), {}, round_id=None
    )
    await eventually(lambda: runner.jobs() == {})


async def test_a_change_made_by_another_process_is_picked_up_by_the_poll(
    runtime: Runtime, second_runtime: Runtime
) -> None:
    runner = ScheduleRunner(Firing(runtime.service, grace=GRACE), poll_seconds=0.1)
    await runner.start()
    try:
        # Planned through the other process: nobody tells this one.
        await asyncio.to_thread(planned, second_runtime, fields())
        await eventually(lambda: "schedule:1" in runner.jobs())
    finally:
        await runner.stop()


async def test_when_apscheduler_runs_a_job_the_due_round_starts(
    runtime: Runtime, clock: ManualClock, runner: ScheduleRunner
) -> None:
    await asyncio.to_thread(planned, runtime, fields(weekdays=["2"]))
    await eventually(lambda: "schedule:1" in runner.jobs())
    clock.set(local("2026-11-25 15:30"))
    scheduler = runner._scheduler
    assert scheduler is not None
    # Make APScheduler run the cron job now rather than next Wednesday.
    scheduler.modify_job("schedule:1", next_run_time=datetime.now(UTC))
    await eventually(lambda: len(rounds(runtime)) == 1)


async def test_a_server_coming_back_within_the_grace_period_starts_the_missed_round(
    runtime: Runtime, clock: ManualClock
) -> None:
    planned(runtime, fields(weekdays=["2"]))
    # Down at 15:30; the server starts again at 15:45.
    clock.set(local("2026-11-25 15:45"))
    async with running(runtime):
        await eventually(lambda: len(rounds(runtime)) == 1)
