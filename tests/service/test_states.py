"""The folded states kept between commands: a bounded cache of running rounds."""

from __future__ import annotations

from bot.engine import commands as cmd
from bot.service import Place, RoundService
from bot.service.states import StateCache
from tests.fakes.clock import ManualClock
from tests.service.conftest import ANN, accepted, play_through


def _start_in(service: RoundService, channel: str) -> str:
    outcome = accepted(service.start(Place("web", "local", channel), ANN, "board_session"))
    assert outcome.round_id is not None
    accepted(service.handle(outcome.round_id, cmd.Join(user="bob", name="Bob")))
    return outcome.round_id


def test_the_cache_keeps_only_the_most_recently_used_rounds(service: RoundService) -> None:
    service.states = StateCache(size=2)
    first, second, third = (_start_in(service, f"team-{n}") for n in range(3))
    assert len(service.states) == 2
    assert first not in service.states
    assert second in service.states and third in service.states
    state = service.round(first)
    assert state is not None and state.version > 1, "an evicted round is folded again"


def test_a_finished_round_is_not_kept(service: RoundService, clock: ManualClock) -> None:
    round_id = _start_in(service, "team-a")
    assert round_id in service.states
    play_through(service, round_id, clock)
    state = service.round(round_id)
    assert state is not None and not state.active
    assert round_id not in service.states
