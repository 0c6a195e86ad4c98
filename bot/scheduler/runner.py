"""APScheduler in the server process: it only wakes our code at the right moments.

APScheduler 3 cannot share a job store between processes, so its jobs live in
memory and are rebuilt from the schedules table: at start, at once after a
change made in this process, and when the minute poll finds the table's
revision moved (changes made by another process). One wall-clock
CronTrigger per schedule in the team's time zone wakes `Firing.run_due` at the
planned minute; the minute poll also wakes it, for notices, action reminders
and what was missed while the server was down.
Which occurrence is due, and whether it was already started, is decided by
`Firing` against the database, never by APScheduler.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.failures import log_failure
from bot.scheduler.firing import FireReport, Firing
from bot.scheduler.planner import Planner
from bot.scheduler.recurrence import weekday_list
from storage import schedules as repo

log = logging.getLogger(__name__)

POLL_SECONDS = 60.0
# The retention purge: often enough that content goes within minutes of its day.
PURGE_SECONDS = 600.0
_CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A backstop: the poll reads every row this often even when the revision held.
FULL_RELOAD_POLLS = 15
_POLL_JOB = "dialoog:poll"
_PURGE_JOB = "dialoog:purge"


@dataclass(frozen=True)
class Wake:
    """One cron job: a schedule's weekdays and local time in its team's zone."""

    schedule_id: int
    weekdays: tuple[int, ...]
    hour: int
    minute: int
    zone: str

    @property
    def job_id(self) -> str:
        return f"schedule:{self.schedule_id}"

    def trigger(self) -> CronTrigger:
        return CronTrigger(
            day_of_week=",".join(_CRON_DAYS[d] for d in self.weekdays),
            hour=self.hour,
            minute=self.minute,
            timezone=ZoneInfo(self.zone),
        )


class ScheduleRunner:
    def __init__(
        self,
        firing: Firing,
        planner: Planner | None = None,
        *,
        poll_seconds: float = POLL_SECONDS,
        purge: Callable[[], Awaitable[object]] | None = None,
        purge_seconds: float = PURGE_SECONDS,
    ) -> None:
        self.firing = firing
        self.planner = planner
        self.poll_seconds = poll_seconds
        self.purge = purge
        self.purge_seconds = purge_seconds
        self._scheduler: AsyncIOScheduler | None = None
        self._wakes: dict[str, Wake] = {}
        self._lock = asyncio.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped = False
        self._seen_revision: tuple[object, ...] | None = None
        self._polls = 0

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        scheduler = AsyncIOScheduler(
            event_loop=self._loop,
            timezone=UTC,
            # Missed wake-ups are Firing's business (grace, skip, note), not
            # APScheduler's: it runs a late job once and never in a burst.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
        )
        scheduler.start()
        self._scheduler = scheduler
        if self.planner is not None:
            self.planner.changed = self.schedules_changed
        try:
            # What a schedule does may differ under this release (its code, the
            # methods, the holidays package's years): look at every one again.
            await asyncio.to_thread(self._look_again_at_all)
            await self.reload()
            # Catch up at once on what came due while the server was down.
            await self.fire()
        except Exception as error:
            # The server still starts; the poll tries again in a minute.
            log_failure(log, "scheduler: first load failed; the poll will try again", error)
        scheduler.add_job(self._poll, IntervalTrigger(seconds=self.poll_seconds), id=_POLL_JOB)
        if self.purge is not None:
            # Once soon after start-up, then at every interval.
            scheduler.add_job(
                self._purge,
                IntervalTrigger(seconds=self.purge_seconds),
                id=_PURGE_JOB,
                next_run_time=datetime.now(UTC),
            )
        log.info("scheduler started with %d schedule job(s)", len(self._wakes))

    async def stop(self) -> None:
        self._stopped = True
        if self.planner is not None:
            self.planner.changed = None
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        # Let a run that is under way finish before the database goes away.
        async with self._lock:
            pass

    # -- the jobs -----------------------------------------------------------------------

    async def reload(self, *, force: bool = False) -> bool:
        """Rebuild the cron jobs from the table when it changed; True if it did.

        The minute poll first compares a revision of the table (a few aggregates)
        and reads the rows only when it moved; a change made here, and every
        FULL_RELOAD_POLLS-th poll besides, reads them in any case."""
        if self._scheduler is None:
            return False
        revision = await asyncio.to_thread(self._revision)
        self._polls += 1
        if self._polls >= FULL_RELOAD_POLLS:
            force = True
        if not force and revision == self._seen_revision:
            return False
        self._polls = 0
        wakes = await asyncio.to_thread(self._read)
        self._seen_revision = revision
        if wakes == self._wakes or self._scheduler is None:
            return False
        for job_id in self._wakes.keys() - wakes.keys():
            self._scheduler.remove_job(job_id)
        for job_id, wake in wakes.items():
            if self._wakes.get(job_id) != wake:
                self._scheduler.add_job(self.fire, wake.trigger(), id=job_id, replace_existing=True)
        self._wakes = wakes
        log.info("scheduler: %d schedule job(s) after reload", len(wakes))
        return True

    async def fire(self) -> FireReport:
        """Run whatever is due now (what the cron jobs and the poll call)."""
        async with self._lock:
            if self._stopped:
                return FireReport()
            metrics = self.firing.service.metrics
            try:
                report = await asyncio.to_thread(self.firing.run_due)
            except Exception:
                metrics.scheduler_run("failed")
                raise
            metrics.scheduler_run("done")
            return report

    def schedules_changed(self) -> None:
        """Called (from any thread) after a schedule was created or changed here."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(lambda: loop.create_task(self._reload_logged(force=True)))

    def jobs(self) -> dict[str, datetime | None]:
        """The schedule jobs by id with their next run time (for checks and tests)."""
        if self._scheduler is None:
            return {}
        return {
            job.id: job.next_run_time
            for job in self._scheduler.get_jobs()
            if job.id not in (_POLL_JOB, _PURGE_JOB)
        }

    async def _poll(self) -> None:
        try:
            await self.reload()
        except Exception as error:
            log_failure(log, "scheduler: reload failed; trying again", error)
        await self.fire()

    async def _purge(self) -> None:
        assert self.purge is not None
        try:
            await self.purge()
        except Exception as error:
            log_failure(log, "scheduler: the retention purge failed; trying again later", error)

    async def _reload_logged(self, *, force: bool = False) -> None:
        try:
            await self.reload(force=force)
        except Exception as error:
            log_failure(log, "scheduler: reload failed; the poll will try again", error)

    def _revision(self) -> tuple[object, ...]:
        with self.firing.sessions() as session:
            revision = repo.schedules_revision(session)
            session.rollback()
        return revision

    def _look_again_at_all(self) -> None:
        with self.firing.sessions() as session, session.begin():
            repo.look_again(session)

    def _read(self) -> dict[str, Wake]:
        wakes: dict[str, Wake] = {}
        with self.firing.sessions() as session:
            for schedule_id, weekdays, at, zone in repo.active_times(session):
                hour, minute = at.split(":")
                wake = Wake(schedule_id, weekday_list(weekdays), int(hour), int(minute), zone)
                wakes[wake.job_id] = wake
            session.rollback()
        return wakes
