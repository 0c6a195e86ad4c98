"""Roles that fit people: leaving a round, handing over and taking over leading it."""

from __future__ import annotations

from typing import Any

from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine.guide import TAKE_OVER
from bot.engine.messages import Buttons
from bot.engine.view import card, notices
from tests.engine.conftest import Play


def case_chosen(builtin: Any, author: str, *, mode: str = "live") -> Play:
    """An incident round whose vote chose the case `author` put forward."""
    play = Play(builtin("incident"), mode=mode)
    play.join("bob", "cas", "dee")
    play.until("propose")
    play.do(cmd.Contribute(user=author, text="Een leerling liep weg uit de les."))
    play.until("choose")
    for user in ("ann", "bob", "cas", "dee"):
        play.do(cmd.Vote(user=user, item_ids=["i1"]))
    return play


def buttons(message: Any) -> list[str]:
    return [
        b.action for block in message.blocks if isinstance(block, Buttons) for b in block.buttons
    ]


def test_when_the_facilitators_own_case_wins_the_bot_asks_who_takes_over(builtin: Any) -> None:
    play = case_chosen(builtin, "ann")
    before = play.s
    events = play.advance()
    assert play.s.case_owner == "ann"
    assert play.s.leader_wanted
    asked = [m for m in notices(before, events, play.s) if TAKE_OVER in buttons(m)]
    assert len(asked) == 1 and asked[0].audience is None
    assert "Ann is nu de inbrenger" in asked[0].text
    assert TAKE_OVER in buttons(card(play.s, play.now))


def test_someone_takes_over_leading_and_the_case_owner_no_longer_steers(builtin: Any) -> None:
    play = case_chosen(builtin, "ann")
    play.advance()
    before = play.s
    events = play.do(cmd.TakeOver(user="cas"))
    assert play.s.holders("facilitator") == ["cas"]
    assert not play.s.leader_wanted
    assert [m.text for m in notices(before, events, play.s)] == ["Cas leidt nu het gesprek."]
    assert play.refuse(cmd.Advance(user="ann")).code == "only_facilitator"
    play.advance(by="cas")
    assert TAKE_OVER not in buttons(card(play.s, play.now))


def test_the_case_owner_cannot_take_over_leading_nor_anyone_while_a_leader_leads(
    builtin: Any,
) -> None:
    play = case_chosen(builtin, "bob")
    play.advance()
    error = play.refuse(cmd.TakeOver(user="cas"))
    assert error.code == "leader_present"
    assert error.message("nl") == "Ann leidt het gesprek. Vraag Ann om het aan je over te dragen."
    mine = case_chosen(builtin, "ann")
    mine.advance()
    assert mine.refuse(cmd.TakeOver(user="ann")).code == "case_owner_leads"


def test_the_facilitator_hands_the_role_over(builtin: Any) -> None:
    play = case_chosen(builtin, "bob")
    play.do(cmd.HandOver(user="ann", to="dee"))
    assert play.s.holders("facilitator") == ["dee"]
    assert play.s.steers("dee") and not play.s.steers("ann")
    assert play.refuse(cmd.HandOver(user="ann", to="cas")).code == "only_facilitator"
    play.advance(by="dee")
    assert play.refuse(cmd.HandOver(user="dee", to="bob")).code == "case_owner_leads"
    assert play.refuse(cmd.HandOver(user="dee", to="zed")).code == "not_a_participant"


def test_the_facilitator_cannot_assign_leading_to_the_case_owner_either(builtin: Any) -> None:
    play = case_chosen(builtin, "bob")
    play.advance()
    error = play.refuse(cmd.AssignRole(user="ann", role="facilitator", to="bob"))
    assert error.code == "case_owner_leads"


def test_anyone_can_leave_and_the_round_goes_on_without_them(builtin: Any) -> None:
    play = case_chosen(builtin, "bob")
    play.advance()
    before = play.s
    events = play.do(cmd.Leave(user="dee"))
    assert isinstance(events[-1], ev.ParticipantLeft)
    assert "dee" not in play.s.participants
    assert play.s.name("dee") == "Dee", "their name stays with what they wrote"
    assert [m.text for m in notices(before, events, play.s)] == [
        "Dee heeft de ronde verlaten; de ronde gaat door zonder Dee."
    ]
    assert play.refuse(cmd.Contribute(user="dee", text="Nog één?")).code == "not_joined"
    play.do(cmd.Join(user="dee", name="Dee"))
    assert "dee" in play.s.participants, "who left may come back"


def test_leaving_releases_open_async_duties_and_the_step_closes(builtin: Any) -> None:
    play = case_chosen(builtin, "bob", mode="async")
    play.advance()
    play.until("questions")
    for user in ("ann", "cas"):
        play.do(cmd.Contribute(user=user, text="Wat gebeurde er daarvoor?"))
    assert play.s.missing(play.s.step) == ["dee"]  # type: ignore[arg-type]
    play.do(cmd.Leave(user="dee"))
    assert play.s.step is not None and play.s.step.id == "information"


def test_when_the_facilitator_leaves_nobody_steers_until_someone_takes_over(
    builtin: Any,
) -> None:
    play = case_chosen(builtin, "bob")
    play.advance()
    before = play.s
    events = play.do(cmd.Leave(user="ann"))
    assert play.s.steerers() == []
    assert play.s.leader_wanted
    texts = [m.text for m in notices(before, events, play.s)]
    assert any("Niemand leidt de ronde nu" in t for t in texts)
    assert play.refuse(cmd.Advance(user="cas")).code == "nobody_leads"
    play.do(cmd.TakeOver(user="cas"))
    play.advance(by="cas")


def test_leaving_before_the_floor_keeps_it_with_whoever_has_it(builtin: Any) -> None:
    play = case_chosen(builtin, "bob")
    play.until("position")
    for user in ("ann", "cas", "dee"):
        play.do(cmd.Contribute(user=user, text="Ik had hem laten gaan."))
    play.until("positions")
    play.do(cmd.NextTurn(user="ann"))
    step = play.s.step
    assert step is not None and play.s.turn_holder(step) == "cas"
    play.do(cmd.Leave(user="ann"))
    assert play.s.turn_holder(step) == "cas"


def test_someone_who_never_joined_cannot_leave(builtin: Any) -> None:
    play = case_chosen(builtin, "bob")
    assert play.refuse(cmd.Leave(user="zed")).code == "not_joined"


def test_giving_the_facilitator_role_with_roles_hands_the_lead_over(builtin: Any) -> None:
    play = case_chosen(builtin, "bob")
    before = play.s
    events = play.do(cmd.AssignRole(user="ann", role="facilitator", to="cas"))
    assert play.s.holders("facilitator") == ["cas"]
    assert [m.text for m in notices(before, events, play.s)] == ["Cas leidt nu het gesprek."]
