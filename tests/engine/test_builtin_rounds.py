"""Every built-in protocol can be played from start to summary, live and async."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from bot.engine import DomainError, card, fold, notices, summary
from bot.engine import commands as cmd
from bot.engine.messages import plain_text
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
    text = plain_text(summary(play.s, viewer=None))
    assert text.startswith("Samenvatting: ")
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
    text = plain_text(summary(play.s, viewer=None))
    assert "Gekozen casus (" in text
    assert "Hoe reageerde de rest van de klas?" in text
    assert "Antwoord: De rest van de klas werd stil" in text
    assert "Gemiddeld cijfer: 4 van 5" in text


def test_the_case_owner_gets_a_private_copy_with_their_picks_and_actions(
    builtin: Any,
) -> None:
    play = Play(builtin("five_step"))
    play.join("bob", "cas", "dee")
    play.advance()
    while play.s.active:
        _fill(play)
        play.advance()
    owner = play.s.case_owner
    assert owner is not None
    last = [e for e in play.log if e.kind == "round_finished"]
    assert last
    before = fold_until(play, "round_finished")
    sent = notices(before, [last[0]], play.s)
    private = [m for m in sent if m.audience is not None]
    assert [m.audience for m in private] == [owner]
    copy = plain_text(private[0].blocks)
    picked = [play.s.item(i) for chosen in play.s.picks.values() for i in chosen.get(owner, [])]
    assert picked, "the simulated case owner picks advice"
    picks_part = copy.split("Wat je koos uit de adviezen")[1].split("\n\n")[0]
    for item in picked:
        assert item is not None and item.text in picks_part
    actions_part = copy.split("Wat je op je nam")[1].split("Samenvatting: ")[0]
    owned = [a for a in play.s.actions if a.owner == owner]
    assert owned and all(a.text in actions_part for a in owned)
    # The whole summary follows, and the channel's summary is no private message.
    assert "\nSamenvatting: " in copy
    assert "Jouw kopie als inbrenger" not in plain_text(summary(play.s, viewer=None))


def fold_until(play: Play, kind: str) -> Any:
    """The state just before the first event of this kind."""
    index = next(i for i, e in enumerate(play.log) if e.kind == kind)
    return fold(play.log[:index])
