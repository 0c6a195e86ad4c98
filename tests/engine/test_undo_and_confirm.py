"""Undo and confirmation: a person changes or withdraws their own contribution while
its step runs; the facilitator goes back one step; moving on past an empty step a
later step draws on, and stopping a round with content, are asked about first."""

from __future__ import annotations

from bot.engine import card, panel, summary
from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine.actions import CONFIRMED, command_for
from bot.engine.messages import Buttons, Form, ItemList, Message, plain_text
from bot.engine.redact import redact
from bot.engine.view import notices
from tests.engine.conftest import Play, protocol, step

CASES = step("cases", "collect", ["advisor"], min_per_person=0, max_per_person=2)
VOTE = step("vote", "vote", ["everyone"], source="cases")
QUESTIONS = step("questions", "collect", ["advisor"], questions_only=True, max_per_person=3)
HIDDEN = step("hidden", "collect", ["advisor"], visibility="hidden")


def _round(*steps: dict[str, object], mode: str = "live") -> Play:
    play = Play(protocol(*steps), mode=mode)
    play.join("bob", "cas", "dee")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    return play


def _texts(message: Message) -> list[str]:
    return [i.text for b in message.blocks if isinstance(b, ItemList) for i in b.items]


def _buttons(message: Message) -> list[tuple[str, str, str]]:
    return [
        (b.action, b.label, b.value)
        for block in message.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
    ]


# -- changing and withdrawing one's own contribution ----------------------------------


def test_an_author_changes_their_contribution_while_its_step_runs() -> None:
    play = _round(CASES, VOTE)
    play.do(cmd.Contribute(user="cas", text="Een leerling die niet meedoet."))
    item = play.s.items[0]
    events = play.do(cmd.Edit(user="cas", item_id=item.id, text="Een leerling die weigert."))
    assert [type(e) for e in events] == [ev.ContributionEdited]
    assert play.s.items[0].text == "Een leerling die weigert."
    assert play.s.items[0].edited
    shown = card(play.s, play.now)
    assert "Een leerling die weigert." in _texts(shown)
    assert "Een leerling die niet meedoet." not in _texts(shown)
    assert any(
        i.note == "gewijzigd" for b in shown.blocks if isinstance(b, ItemList) for i in b.items
    )


def test_a_changed_question_must_still_be_a_question() -> None:
    play = _round(QUESTIONS)
    play.do(cmd.Contribute(user="cas", text="Wat zei hij?"))
    error = play.refuse(cmd.Edit(user="cas", item_id="i1", text="Je moet hem bellen."))
    assert error.code == "not_a_question"


def test_a_withdrawn_contribution_leaves_card_vote_and_summary() -> None:
    play = _round(CASES, VOTE)
    play.do(cmd.Contribute(user="cas", text="Casus van Cas"))
    play.do(cmd.Contribute(user="dee", text="Casus van Dee"))
    play.do(cmd.Withdraw(user="cas", item_id="i1"))
    assert [i.text for i in play.s.items] == ["Casus van Dee"]
    assert "Casus van Cas" not in _texts(card(play.s, play.now))
    # A new item never reuses the id of a withdrawn one.
    play.do(cmd.Contribute(user="cas", text="Een andere casus"))
    assert [i.id for i in play.s.items] == ["i2", "i3"]
    play.advance()
    assert "Casus van Cas" not in _texts(card(play.s, play.now))
    play.do(cmd.Vote(user="bob", item_ids=["i3"]))
    play.advance()
    written = plain_text(summary(play.s, viewer=None))
    assert "Casus van Cas" not in written and "Een andere casus" in written


def test_only_the_author_changes_or_withdraws_and_only_until_the_step_ends() -> None:
    play = _round(CASES, VOTE)
    play.do(cmd.Contribute(user="cas", text="Casus van Cas"))
    assert play.refuse(cmd.Withdraw(user="dee", item_id="i1")).code == "not_your_item"
    assert play.refuse(cmd.Edit(user="ann", item_id="i1", text="Anders")).code == "not_your_item"
    assert play.refuse(cmd.Withdraw(user="cas", item_id="i9")).code == "not_your_item"
    play.advance()
    error = play.refuse(cmd.Withdraw(user="cas", item_id="i1"))
    assert error.code == "item_step_over"
    assert "latere stap" in error.message("nl") and "later step" in error.message("en")


def test_the_panel_lists_ones_own_items_and_the_edit_form_holds_the_text() -> None:
    play = _round(CASES, VOTE)
    play.do(cmd.Contribute(user="cas", text="Casus van Cas"))
    mine = panel(play.s, "cas", play.now)
    assert mine is not None
    assert "Casus van Cas" in _texts(mine)
    assert ("open_form", "Wijzig", "edit:i1") in _buttons(mine)
    assert ("withdraw", "Trek in", "i1") in _buttons(mine)
    other = panel(play.s, "dee", play.now)
    assert other is not None and "Casus van Cas" not in _texts(other)
    edit = panel(play.s, "cas", play.now, "edit:i1")
    assert edit is not None
    forms = [b for b in edit.blocks if isinstance(b, Form)]
    assert len(forms) == 1 and forms[0].action == "edit" and forms[0].value == "i1"
    assert forms[0].inputs[0].initial == "Casus van Cas"  # type: ignore[union-attr]
    assert forms[0].title == "Je bijdrage wijzigen"
    # Nobody else gets someone's edit form.
    assert panel(play.s, "dee", play.now, "edit:i1") is None


def test_edit_and_withdraw_buttons_and_forms_become_commands() -> None:
    edit = command_for("edit", "i1", {"text": "Nieuw"}, user="cas", name="Cas")
    assert edit == cmd.Edit(user="cas", item_id="i1", text="Nieuw")
    withdraw = command_for("withdraw", "i1", {}, user="cas", name="Cas")
    assert withdraw == cmd.Withdraw(user="cas", item_id="i1")


def test_an_edited_text_is_emptied_by_the_purge() -> None:
    play = _round(CASES)
    play.do(cmd.Contribute(user="cas", text="Eerst"))
    edited = play.do(cmd.Edit(user="cas", item_id="i1", text="Daarna"))[0]
    emptied = redact(edited)
    assert isinstance(emptied, ev.ContributionEdited) and emptied.text == ""


# -- one step back ----------------------------------------------------------------------


def test_the_facilitator_goes_back_one_step_and_what_was_written_in_the_step_left_stays() -> None:
    play = _round(CASES, QUESTIONS, step("advice", "collect", ["advisor"]))
    play.do(cmd.Contribute(user="cas", text="Casus van Cas"))
    play.advance()
    play.do(cmd.Contribute(user="dee", text="Wat gebeurde er?"))
    events = play.do(cmd.Back(user="ann", step_id="questions"))
    assert [type(e) for e in events] == [ev.SteppedBack]
    assert play.s.step is not None and play.s.step.id == "cases"
    assert "cases" not in play.s.ended_steps
    # The step runs again: people can add to it.
    play.do(cmd.Contribute(user="dee", text="Casus van Dee"))
    said = notices(None, events, play.s)
    assert any("terug naar stap 1" in m.text for m in said)
    play.advance()
    assert play.s.step is not None and play.s.step.id == "questions"
    assert [i.text for i in play.s.items_of("questions")] == ["Wat gebeurde er?"]


def test_going_back_out_of_a_hidden_step_does_not_reveal_it() -> None:
    play = _round(CASES, HIDDEN)
    play.do(cmd.Contribute(user="cas", text="Casus"))
    play.advance()
    play.do(cmd.Contribute(user="dee", text="Geheim"))
    events = play.do(cmd.Back(user="ann"))
    assert "hidden" not in play.s.ended_steps
    assert not any("Geheim" in m.text for m in notices(None, events, play.s))
    assert "Geheim" not in str(card(play.s, play.now))


def test_going_back_is_for_the_facilitator_and_not_before_the_first_step() -> None:
    play = _round(CASES, VOTE)
    assert play.refuse(cmd.Back(user="ann")).code == "no_step_before"
    play.advance()
    assert play.refuse(cmd.Back(user="cas")).code == "only_facilitator"
    # A second click on the same button, after the first went back, is refused.
    play.do(cmd.Back(user="ann", step_id="vote"))
    assert play.refuse(cmd.Back(user="ann", step_id="vote")).code == "stale_step"


def test_the_card_offers_the_previous_step_from_the_second_step_on() -> None:
    play = _round(CASES, VOTE)
    assert not any(a == "back" for a, _, _ in _buttons(card(play.s, play.now)))
    play.advance(by="ann")
    assert ("back", "Vorige stap", "vote") in _buttons(card(play.s, play.now))
    assert command_for("back", "vote", {}, user="ann", name="Ann") == cmd.Back(
        user="ann", step_id="vote"
    )


# -- asked first ------------------------------------------------------------------------


def test_next_step_with_no_cases_asks_first_because_the_vote_draws_on_them() -> None:
    play = _round(CASES, VOTE)
    clicked = command_for("advance", "cases", {}, user="ann", name="Ann")
    assert isinstance(clicked, cmd.Advance) and not clicked.confirmed
    error = play.refuse(clicked)
    assert error.code == "confirm_advance"
    assert "Stap cases" in error.message("nl") and "Stap vote" in error.message("nl")
    assert "builds on it" in error.message("en")
    sure = command_for("advance", f"cases:{CONFIRMED}", {}, user="ann", name="Ann")
    play.do(sure)
    assert play.s.step is not None and play.s.step.id == "vote"


def test_next_step_is_not_asked_about_when_the_step_has_items_or_nothing_draws_on_it() -> None:
    play = _round(CASES, VOTE, step("talk", "collect", ["advisor"]), step("end", "instruction"))
    play.do(cmd.Contribute(user="cas", text="Casus"))
    play.do(cmd.Advance(user="ann", confirmed=False))
    play.do(cmd.Vote(user="cas", item_ids=["i1"]))
    play.do(cmd.Advance(user="ann", confirmed=False))
    # Nothing later draws on "talk": an empty talk moves on without a question.
    play.do(cmd.Advance(user="ann", confirmed=False))
    assert play.s.step is not None and play.s.step.id == "end"


def test_the_cards_stop_asks_first_when_the_round_has_content() -> None:
    play = _round(CASES, VOTE)
    clicked = command_for("cancel", "", {}, user="ann", name="Ann")
    assert isinstance(clicked, cmd.Cancel) and not clicked.confirmed
    # Nothing written yet: nothing to lose, no question.
    assert play.s.has_content is False
    play.do(cmd.Contribute(user="cas", text="Casus van Cas"))
    assert play.refuse(clicked).code == "confirm_cancel"
    assert play.s.active
    play.do(command_for("cancel", CONFIRMED, {}, user="ann", name="Ann"))
    assert play.s.status == "cancelled"


def test_a_stopped_round_with_content_posts_the_summary_of_what_there_is() -> None:
    play = _round({**CASES, "stays_open": True, "hours": 48}, VOTE, mode="async")
    play.do(cmd.Contribute(user="cas", text="Casus van Cas"))
    before = play.s
    events = play.do(cmd.Cancel(user="ann"))
    said = notices(before, events, play.s)
    text = " ".join(m.text for m in said)
    assert "heeft de ronde gestopt" in text
    assert "Casus van Cas" in text
    assert "voortijdig gestopt" in text


def test_a_stopped_round_without_content_just_says_so() -> None:
    play = _round(CASES, VOTE)
    events = play.do(cmd.Cancel(user="ann", confirmed=False))
    said = notices(None, events, play.s)
    assert [m.text for m in said] == ["Ann heeft de ronde gestopt."]


def test_an_empty_optional_step_that_only_an_answer_step_draws_on_is_not_asked_about() -> None:
    optional = step("follow_up", "collect", ["advisor"], min_per_person=0, questions_only=True)
    answers = step("follow_up_answers", "respond", ["case_owner"], source="follow_up")
    play = _round(optional, answers)
    play.do(cmd.Advance(user="ann", confirmed=False))
    assert play.s.step is not None and play.s.step.id == "follow_up_answers"


def test_an_empty_question_round_the_case_owner_should_answer_is_asked_about() -> None:
    answers = step("answers", "respond", ["case_owner"], source="questions")
    play = _round({**QUESTIONS, "min_per_person": 1}, answers)
    assert play.refuse(cmd.Advance(user="ann", confirmed=False)).code == "confirm_advance"
