"""Real concurrent connections on PostgreSQL: one round, many hands."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

import storage
from bot.engine import commands as cmd
from bot.service import Outcome, RoundService
from protocols.loader import Library
from tests.fakes.clock import ManualClock
from tests.service.conftest import BOB, CAS, accepted, start

pytestmark = pytest.mark.postgres


def _services(url: str, library: Library, clock: ManualClock, n: int) -> list[RoundService]:
    """n services, each with its own engine: as many server processes would be."""
    return [
        RoundService(storage.make_session_factory(storage.make_engine(url)), library, clock)
        for _ in range(n)
    ]


def _at_once(calls: list[Callable[[], Outcome]]) -> list[Outcome]:
    barrier = threading.Barrier(len(calls))
    results: list[Outcome | BaseException] = [None] * len(calls)  # type: ignore[list-item]

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except BaseException as error:
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return results  # type: ignore[return-value]


def test_ten_concurrent_clicks_on_next_step_move_the_round_one_step(
    postgres_url: str, library: Library, clock: ManualClock
) -> None:
    services = _services(postgres_url, library, clock, 10)
    round_id = start(services[0], "incident", BOB, CAS)
    accepted(services[0].handle(round_id, cmd.Advance(user="ann")))
    state = services[0].round(round_id)
    assert state is not None and state.step is not None
    seen = state.step.id

    outcomes = _at_once(
        [
            lambda s=s, n=n: s.handle(
                round_id, cmd.Advance(user="ann", step_id=seen), key=f"click-{n}"
            )
            for n, s in enumerate(services)
        ]
    )
    assert sum(o.accepted for o in outcomes) == 1
    assert {o.error_code for o in outcomes if not o.accepted} == {"stale_step"}
    after = services[0].round(round_id)
    assert after is not None and after.step_index == state.step_index + 1


def test_the_same_delivery_racing_itself_is_handled_once(
    postgres_url: str, library: Library, clock: ManualClock
) -> None:
    services = _services(postgres_url, library, clock, 5)
    round_id = start(services[0], "incident")
    outcomes = _at_once(
        [
            lambda s=s: s.handle(round_id, cmd.Join(user="bob", name="Bob"), key="slack:Ev1")
            for s in services
        ]
    )
    assert all(o.accepted for o in outcomes)
    assert sum(not o.replayed for o in outcomes) == 1
    state = services[0].round(round_id)
    assert state is not None and list(state.participants) == ["ann", "bob"]


def test_two_sweepers_process_each_deadline_once(
    postgres_url: str, library: Library, clock: ManualClock
) -> None:
    services = _services(postgres_url, library, clock, 2)
    round_id = start(services[0], "incident", BOB, mode="async")
    accepted(services[0].handle(round_id, cmd.Advance(user="ann")))
    before = services[0].round(round_id)
    assert before is not None
    clock.advance(hours=13)
    swept = _at_once([lambda s=s: s.sweep() for s in services])  # type: ignore[misc]
    after = services[0].round(round_id)
    assert after is not None
    assert after.step_index == before.step_index + 1
    assert sum(swept) >= 1  # type: ignore[arg-type]
    with storage.make_session_factory(storage.make_engine(postgres_url))() as session:
        ended = _count_kind(session, round_id, "step_ended")
    assert ended == 1


def _count_kind(session: Session, round_id: str, kind: str) -> int:
    return sum(1 for e in storage.load_events(session, round_id) if e.kind == kind)
