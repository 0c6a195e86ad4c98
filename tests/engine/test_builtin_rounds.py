"""Every built-in protocol can be played from start to summary, live and async."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from bot.engine import DomainError, card, summary
from bot.engine import commands as cmd
from bot.engine.simulate import fill_in
from protocols.loader import load_library
from tests.engine.conftest import Play

PROTOCOLS = [(p.id, mode) for p in load_library() for mode in p.modes]


def _fill(play: Play) -> None:
    for command in fill_in(play.s):
        # An async step may close half-way through the batch.
        with contextlib.suppress(DomainError):
            play.do(command)


def _ready(play: Play) -> None:
    """Fill the roles a protocol wants volunteers for before it starts."""
    for role in play.s.protocol.roles:
        if role.assign == "volunteer" and role.required and not play.s.holders(role.id):
            taken = {u for holders in play.s.roles.values() for u in holders}
            free = [u for u in play.s.participants if u not in taken]
            play.do(cmd.Volunteer(user=free[0], role=role.id))


@pytest.mark.parametrize(("protocol_id", "mode"), PROTOCOLS)
def test_a_round_of_every_builtin_protocol_reaches_its_summary(
    builtin: Any, protocol_id: str, mode: str
) -> None:
    play = Play(builtin(protocol_id), mode=mode)
    play.join("bob", "cas", "dee")
    _ready(play)
    play.advance()
    for _ in range(4 * len(play.s.protocol.steps)):
        if not play.s.active:
            break
        _fill(play)
        card(play.s, play.now)  # every moment renders
        if play.s.active and mode == "live":
            play.advance()
        elif play.s.active:
            play.later(hours=500)
            play.tick()
    assert play.s.status == "finished"
    text = summary(play.s, viewer=None)
    assert text.startswith("## Samenvatting: ")
    assert play.s.ended_steps == {s.id for s in play.s.protocol.steps}


def test_the_incident_method_summary_holds_case_questions_answers_and_reflections(
    builtin: Any,
) -> None:
    play = Play(builtin("incident"))
    play.join("bob", "cas", "dee")
    play.advance()
    while play.s.active:
        _fill(play)
        play.advance()
    text = summary(play.s, viewer=None)
    assert "Gekozen casus (" in text
    assert "Hoe reageerde de rest van de klas?" in text
    assert "Antwoord: Goede vraag." in text
    assert "Gemiddeld cijfer: 4.0 van 5" in text
