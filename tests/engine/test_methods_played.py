"""The reviewed methods, played: caps, open exchanges, voluntary cases, no forced action."""

from __future__ import annotations

from typing import Any

from bot.engine import card, summary
from bot.engine import commands as cmd
from bot.engine.messages import Context, plain_text
from tests.engine.conftest import Play


def _case_round(builtin: Any, protocol_id: str, mode: str) -> Play:
    """A round of a case method with Bob's case chosen, at the step after the vote."""
    play = Play(builtin(protocol_id), mode=mode)
    play.join("bob", "cas", "dee")
    play.advance()
    if mode == "async":
        for user in ("ann", "bob", "cas", "dee"):
            play.do(cmd.Acknowledge(user=user))
    else:
        play.advance()
    play.do(cmd.Contribute(user="bob", text="Een leerling liep weg uit de les."))
    play.advance()  # the facilitator closes the voluntary step
    for user in ("ann", "bob", "cas", "dee"):
        if play.s.step is not None and play.s.step.kind == "vote":
            play.do(cmd.Vote(user=user, item_ids=[play.s.items[0].id]))
    if mode == "live":
        play.advance()
    assert play.s.case_owner == "bob"
    return play


def test_a_voluntary_case_step_waits_for_the_facilitator_though_one_case_is_in(
    builtin: Any,
) -> None:
    play = Play(builtin("incident"), mode="async")
    play.join("bob", "cas", "dee")
    play.advance()
    for user in ("ann", "bob", "cas", "dee"):
        play.do(cmd.Acknowledge(user=user))
    assert play.s.step is not None and play.s.step.id == "propose"
    play.do(cmd.Contribute(user="dee", text="Een ouder werd boos op de gang."))
    assert play.s.step.id == "propose"
    play.later(hours=25)
    play.tick()
    assert play.s.step is not None and play.s.step.id == "choose"


def test_in_a_live_incident_round_each_asks_at_most_two_questions(builtin: Any) -> None:
    play = _case_round(builtin, "incident", "live")
    play.until("questions")
    play.do(cmd.Contribute(user="cas", text="Wat gebeurde er vlak daarvoor?"))
    play.do(cmd.Contribute(user="cas", text="Wie waren er nog meer?"))
    error = play.refuse(cmd.Contribute(user="cas", text="Hoe laat was het?"))
    assert error.code == "live_cap_reached"
    play.do(cmd.Contribute(user="dee", text="Wat wist je van deze leerling?"))


def test_async_gossip_stays_open_after_everyone_gossiped_twice(builtin: Any) -> None:
    play = _case_round(builtin, "gossip", "async")
    play.do(cmd.Contribute(user="bob", text="Het gaat om een klas die niet luistert."))
    for user in ("ann", "cas", "dee"):
        play.do(cmd.Contribute(user=user, text="Wanneer begon het?"))
    while play.s.step is not None and play.s.step.id != "gossip":
        play.later(hours=40)
        play.tick()
    for user in ("ann", "cas", "dee"):
        play.do(cmd.Contribute(user=user, text="Ik denk dat hij vooral moe is."))
        play.do(cmd.Contribute(user=user, text="Dat herken ik, en ..."))
    assert play.s.step is not None and play.s.step.id == "gossip"
    notes = [b.text for b in card(play.s, play.now).blocks if isinstance(b, Context)]
    assert any("spreek zo nodig een moment af om te bellen" in note for note in notes)
    assert not any("camera" in note for note in notes), "no call is running in an async round"
    play.advance()
    assert play.s.step is not None and play.s.step.id == "struck"


def test_a_balint_round_can_end_without_an_action_point(builtin: Any) -> None:
    play = _case_round(builtin, "balint", "async")
    while play.s.active:
        step = play.s.step
        assert step is not None
        if step.id == "next_step":
            play.do(cmd.Acknowledge(user="bob"))
            continue
        play.later(hours=40)
        play.tick()
    assert play.s.status == "finished"
    assert play.s.actions == []
    assert plain_text(summary(play.s, viewer=None)).startswith("Samenvatting: ")


def test_balint_first_impressions_stay_hidden_until_everyone_wrote_them(builtin: Any) -> None:
    play = _case_round(builtin, "balint", "live")
    play.until("first_impressions")
    play.do(cmd.Contribute(user="cas", text="Ik voel vooral onmacht."))
    item = play.s.items[-1]
    assert not play.s.may_see(item, "dee")
    play.advance()
    assert play.s.may_see(item, "dee")


def test_nobody_waits_for_an_action_point_at_the_end_of_a_live_balint_round(
    builtin: Any,
) -> None:
    play = _case_round(builtin, "balint", "live")
    play.until("next_step")
    assert play.s.step is not None
    assert play.s.missing(play.s.step) == []
