"""Planning and firing on a real database, with a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

import storage
from bot.chat import Reply
from bot.config import Settings
from bot.engine import commands as cmd
from bot.engine.actions import FieldValue
from bot.runtime import Runtime, build_runtime
from bot.scheduler.firing import Firing
from bot.scheduler.recurrence import weekday_text
from bot.service import Person, Place
from storage.models import Schedule, ScheduleOccurrence

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PLACE = Place(platform="web", workspace="local", channel="team-a", channel_name="Team A")
OTHER = Place(platform="web", workspace="local", channel="team-b", channel_name="Team B")
ANN, BOB = Person("ann", "Ann"), Person("bob", "Bob")
GRACE = timedelta(minutes=30)


def local(text: str) -> datetime:
    """An Amsterdam wall-clock time ("2026-03-31 15:30") as an aware UTC moment."""
    return datetime.fromisoformat(text).replace(tzinfo=AMSTERDAM).astimezone(UTC)


def fields(**overrides: FieldValue) -> dict[str, FieldValue]:
    """A filled-in planning form: incident, live, Tuesdays at 15:30, weekly."""
    base: dict[str, FieldValue] = {
        "protocol": "incident",
        "mode": "live",
        "weekdays": ["1"],
        "time": "15:30",
        "interval": "weekly",
        "first": "",
        "lead": "0",
        "reminders": [],
    }
    base.update(overrides)
    return base


def plan(
    runtime: Runtime,
    form: Mapping[str, FieldValue],
    *,
    place: Place = PLACE,
    person: Person = ANN,
    key: str | None = None,
) -> Reply:
    return runtime.chat.click(place, person, "plan_create", "", form, round_id=None, key=key)


def planned(runtime: Runtime, form: Mapping[str, FieldValue], **options: object) -> int:
    """Plan and return the new schedule's id."""
    reply = plan(runtime, form, **options)  # type: ignore[arg-type]
    assert reply.accepted, reply.messages[0].text
    with runtime.sessions() as session:
        newest = session.scalars(select(Schedule.id).order_by(Schedule.id.desc())).first()
    assert newest is not None
    return newest


def store_schedules(
    sessions: Callable[[], Session],
    count: int,
    *,
    now: datetime,
    first_date: date,
    prefix: str,
    weekday: int = 1,
    time_of_day: str = "15:30",
) -> None:
    """Many weekly schedules, each in a team of its own, stored without the form
    (a school board's worth, for the scale tests and the bench)."""
    with sessions() as session, session.begin():
        for n in range(count):
            team = storage.team_at(
                session,
                "web",
                "board",
                f"{prefix}-{n:05d}",
                language="nl",
                timezone="Europe/Amsterdam",
            )
            storage.schedules.create_schedule(
                session,
                team_id=team.id,
                protocol_id="incident",
                mode="live",
                weekdays=weekday_text((weekday,)),
                time_of_day=time_of_day,
                interval="weekly",
                week_of_month=None,
                first_date=first_date,
                lead_days=0,
                reminders=[],
                created_by="ann",
                created_by_name="Ann",
                now=now,
            )


def rounds(runtime: Runtime) -> list[storage.Round]:
    with runtime.sessions() as session:
        return list(session.scalars(select(storage.Round).order_by(storage.Round.created_at)))


def claims(runtime: Runtime, kind: str = "round") -> list[ScheduleOccurrence]:
    with runtime.sessions() as session:
        return list(
            session.scalars(
                select(ScheduleOccurrence)
                .where(ScheduleOccurrence.kind == kind)
                .order_by(ScheduleOccurrence.local_at)
            )
        )


def outbox(runtime: Runtime) -> list[storage.OutboxMessage]:
    with runtime.sessions() as session:
        return list(
            session.scalars(select(storage.OutboxMessage).order_by(storage.OutboxMessage.id))
        )


def texts_outside_rounds(runtime: Runtime) -> list[str]:
    return [str(m.payload["text"]) for m in outbox(runtime) if m.round_id is None]


def finish_all(runtime: Runtime) -> None:
    """End every running round, as a team does after its meeting."""
    for row in rounds(runtime):
        state = runtime.service.round(row.id)
        if state is not None and state.active:
            outcome = runtime.service.handle(row.id, cmd.Cancel(user=state.started_by))
            assert outcome.accepted, outcome.errors


@pytest.fixture
def firing(runtime: Runtime) -> Firing:
    return Firing(runtime.service, grace=GRACE)


@pytest.fixture
def second_runtime(runtime: Runtime) -> Iterator[Runtime]:
    """Another process on the same database: its own engine, service and clock."""
    from tests.fakes.clock import ManualClock

    settings = Settings(DIALOOG_DATABASE_URL=runtime.settings.database_url)
    built = build_runtime(settings, clock=ManualClock(runtime.clock.now()), migrate=False)
    yield built
    built.engine.dispose()


@pytest.fixture
def counted(runtime: Runtime) -> Iterator[dict[str, int]]:
    """SQL statements run and schedule rows loaded, while the test counts."""
    seen = {"statements": 0, "schedules": 0}

    def statement(*_: object) -> None:
        seen["statements"] += 1

    def loaded(*_: object) -> None:
        seen["schedules"] += 1

    event.listen(runtime.engine, "before_cursor_execute", statement)
    event.listen(Schedule, "load", loaded)
    yield seen
    event.remove(Schedule, "load", loaded)
    event.remove(runtime.engine, "before_cursor_execute", statement)
