"""A RoundService on a real database, with a clock the test moves."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.engine import DomainError
from bot.engine import commands as cmd
from bot.engine.simulate import fill_in
from bot.service import Dispatcher, Outcome, Person, Place, RoundService
from tests.fakes.clock import ManualClock
from tests.fakes.sender import RecordingSender

PLACE = Place(platform="web", workspace="local", channel="team-a", channel_name="Team A")
ANN, BOB, CAS, DEE = (Person(u, u.title()) for u in ("ann", "bob", "cas", "dee"))


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def dispatcher(
    session_factory: sessionmaker[Session], sender: RecordingSender, clock: ManualClock
) -> Iterator[Dispatcher]:
    yield Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)


def accepted(outcome: Outcome) -> Outcome:
    assert outcome.accepted, outcome.errors
    return outcome


def play_through(service: RoundService, round_id: str, clock: ManualClock) -> None:
    """Let simulated colleagues fill in every step and the facilitator move on."""
    for _ in range(100):
        state = service.round(round_id)
        assert state is not None
        if not state.active:
            return
        for command in fill_in(state):
            with contextlib.suppress(DomainError):
                service.handle(round_id, command)
        clock.advance(minutes=1)
        state = service.round(round_id)
        assert state is not None
        if state.active and state.mode == "live":
            accepted(service.handle(round_id, cmd.Advance(user=state.started_by)))
        elif state.active:
            clock.advance(hours=400)
            service.sweep()
    raise AssertionError("round did not finish")


def start(service: RoundService, protocol: str, *people: Person, **options: Any) -> str:
    outcome = accepted(service.start(PLACE, ANN, protocol, **options))
    assert outcome.round_id is not None
    for person in people:
        accepted(service.handle(outcome.round_id, cmd.Join(user=person.user_id, name=person.name)))
    return outcome.round_id
