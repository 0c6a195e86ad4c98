"""The runner's minute poll: it notices every change another process makes to
the schedules, without reading every schedule each minute."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from bot.runtime import Runtime
from bot.scheduler.firing import FireReport, Firing
from bot.scheduler.runner import ScheduleRunner
from storage import schedules as repo
from tests.fakes.clock import ManualClock
from tests.scheduler.conftest import ANN, GRACE, PLACE, fields, local, planned
from tests.scheduler.test_scheduler_runner import eventually


@pytest.fixture
async def polling(runtime: Runtime) -> AsyncIterator[ScheduleRunner]:
    """A runner that nobody tells of changes: it has only its poll."""
    runner = ScheduleRunner(Firing(runtime.service, grace=GRACE), poll_seconds=0.1)
    await runner.start()
    yield runner
    await runner.stop()


def click(runtime: Runtime, action: str, schedule_id: int) -> None:
    reply = runtime.chat.click(PLACE, ANN, action, str(schedule_id), {}, round_id=None)
    assert reply.accepted, reply.messages[0].text


async def test_a_pause_resume_delete_or_new_plan_in_another_process_reaches_the_poll(
    second_runtime: Runtime, polling: ScheduleRunner
) -> None:
    first = await asyncio.to_thread(planned, second_runtime, fields())
    await eventually(lambda: set(polling.jobs()) == {f"schedule:{first}"})
    await asyncio.to_thread(click, second_runtime, "plan_pause", first)
    await eventually(lambda: polling.jobs() == {})
    await asyncio.to_thread(click, second_runtime, "plan_resume", first)
    await eventually(lambda: set(polling.jobs()) == {f"schedule:{first}"})
    second = await asyncio.to_thread(planned, second_runtime, fields(weekdays=["3"]))
    await asyncio.to_thread(click, second_runtime, "plan_delete", first)
    await eventually(lambda: set(polling.jobs()) == {f"schedule:{second}"})


async def test_a_poll_that_finds_the_table_unchanged_reads_no_schedule(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await asyncio.to_thread(planned, runtime, fields())
    runner = ScheduleRunner(Firing(runtime.service, grace=GRACE))
    reads: list[int] = []
    active_times = repo.active_times

    def counted(session: object) -> list[tuple[int, str, str, str]]:
        reads.append(1)
        return active_times(session)  # type: ignore[arg-type]

    monkeypatch.setattr(repo, "active_times", counted)
    await runner.start()
    try:
        assert (len(reads), set(runner.jobs())) == (1, {"schedule:1"})
        assert [await runner.reload() for _ in range(5)] == [False] * 5
        assert len(reads) == 1, "the table's revision held: its rows were not read"
        await asyncio.to_thread(click, runtime, "plan_pause", 1)
        assert await runner.reload() is True
        assert (len(reads), runner.jobs()) == (2, {})
    finally:
        await runner.stop()


async def test_a_starting_server_looks_at_every_schedule_again(
    runtime: Runtime, clock: ManualClock
) -> None:
    clock.set(local("2026-11-20 09:00"))
    await asyncio.to_thread(planned, runtime, fields())
    firing = Firing(runtime.service, grace=GRACE)
    assert (await asyncio.to_thread(firing.run_due)).looked == 1
    assert (await asyncio.to_thread(firing.run_due)).looked == 0, "not due before Tuesday"
    looked: list[int] = []
    run_due = firing.run_due

    def counted(now: datetime | None = None) -> FireReport:
        report = run_due(now)
        looked.append(report.looked)
        return report

    firing.run_due = counted  # type: ignore[method-assign]
    runner = ScheduleRunner(firing)
    await runner.start()
    try:
        # A new release may reckon differently (its code, its methods, its holidays).
        assert looked == [1]
    finally:
        await runner.stop()
