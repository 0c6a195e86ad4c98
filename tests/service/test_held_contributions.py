"""Contributions the pupil-name guard holds back: kept out of the round, durable,
and turned into the contribution exactly once, by their author alone."""

from __future__ import annotations

import pytest

from bot.engine import commands as cmd
from bot.service import RoundService
from protocols.loader import Library
from tests.fakes.clock import ManualClock
from tests.service.conftest import ANN, BOB, CAS, accepted, start
from tests.service.test_races import _at_once, _services


def at_the_proposals(service: RoundService) -> str:
    round_id = start(service, "incident", BOB, CAS)
    accepted(service.handle(round_id, cmd.Advance(user=ANN.user_id)))
    accepted(service.handle(round_id, cmd.Advance(user=ANN.user_id)))
    state = service.round(round_id)
    assert state is not None and state.step is not None and state.step.id == "propose"
    return round_id


def held(service: RoundService, round_id: str, text: str) -> str:
    command = cmd.Contribute(user=BOB.user_id, text=text, step_id="propose")
    outcome = accepted(service.hold(round_id, command, key=f"hold:{text}"))
    assert outcome.held is not None
    return outcome.held


def test_a_held_contribution_is_not_in_the_round_until_released(service: RoundService) -> None:
    round_id = at_the_proposals(service)
    pending = held(service, round_id, "Daan schopte.")
    state = service.round(round_id)
    assert state is not None and state.items == []
    assert service.held_text(pending, BOB.user_id) == "Daan schopte."
    assert service.held_text(pending, CAS.user_id) is None

    refused = service.release(round_id, pending, CAS.user_id, str.upper)
    assert not refused.accepted and refused.error_code == "held_gone"
    accepted(service.release(round_id, pending, BOB.user_id, str.upper))
    state = service.round(round_id)
    assert state is not None and [i.text for i in state.items] == ["DAAN SCHOPTE."]
    assert service.held_text(pending, BOB.user_id) is None


def test_a_repeated_delivery_of_a_held_contribution_holds_it_once(service: RoundService) -> None:
    round_id = at_the_proposals(service)
    command = cmd.Contribute(user=BOB.user_id, text="Emma huilde.", step_id="propose")
    first = service.hold(round_id, command, key="slack:view:V1:h1")
    again = service.hold(round_id, command, key="slack:view:V1:h1")
    assert again.replayed and again.held == first.held


def test_a_contribution_the_round_would_refuse_is_refused_before_it_is_held(
    service: RoundService,
) -> None:
    round_id = at_the_proposals(service)
    outsider = cmd.Contribute(user="zed", text="Daan schopte.", step_id="propose")
    outcome = service.hold(round_id, outsider)
    assert not outcome.accepted and outcome.held is None


@pytest.mark.postgres
def test_two_clicks_at_once_on_the_choice_add_the_contribution_once(
    postgres_url: str, library: Library, clock: ManualClock
) -> None:
    services = _services(postgres_url, library, clock, 4)
    round_id = at_the_proposals(services[0])
    pending = held(services[0], round_id, "Sem liep weg.")
    outcomes = _at_once(
        [lambda s=s: s.release(round_id, pending, BOB.user_id, str.strip) for s in services]
    )
    assert sorted(o.accepted for o in outcomes) == [False, False, False, True]
    assert {o.error_code for o in outcomes if not o.accepted} == {"held_gone"}
    state = services[0].round(round_id)
    assert state is not None and [i.text for i in state.items] == ["Sem liep weg."]
