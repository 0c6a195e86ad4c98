"""A line written in the chat counts by the same rules as the step's form."""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine.actions import command_for
from bot.engine.guide import QUESTION_SLOT, RETURNS
from bot.engine.messages import Button, Buttons, ChoiceInput, Context, Form, Message
from bot.engine.rules import disguised_advice
from bot.engine.state import fold
from bot.engine.view import card, notices, panel
from bot.engine.vocabulary import Action
from tests.engine.conftest import Play


def incident_at(builtin: Any, step_id: str, *, mode: str = "live") -> Play:
    """An incident round with Bob as case owner (his case won), at `step_id`."""
    play = Play(builtin("incident"), mode=mode)
    play.join("bob", "cas", "dee")
    play.until("propose")
    play.do(cmd.Contribute(user="bob", text="Een leerling liep weg uit de les."))
    play.until("choose")
    for user in ("ann", "bob", "cas", "dee"):
        play.do(cmd.Vote(user=user, item_ids=["i1"]))
    play.until("questions")
    if step_id != "questions":
        play.do(cmd.Contribute(user="cas", text="Wat zei de leerling precies?"))
        play.do(cmd.Contribute(user="dee", text="Wie waren er nog in het lokaal?"))
        play.until(step_id)
    return play


def say(play: Play, user: str, text: str, reply_to: str | None = None) -> list[ev.Event]:
    return play.do(cmd.Say(user=user, text=text, reply_to=reply_to))


def test_a_question_typed_in_the_chat_counts_as_one_asked_in_the_form(builtin: Any) -> None:
    play = incident_at(builtin, "questions")
    events = say(play, "cas", "Hoe laat was het?")
    assert [type(e) for e in events] == [ev.ContributionAdded]
    assert [i.text for i in play.s.items_of("questions")] == ["Hoe laat was het?"]


def test_advice_is_refused_during_question_round_in_the_chat_as_in_the_form(
    builtin: Any,
) -> None:
    play = incident_at(builtin, "questions")
    in_chat = play.refuse(cmd.Say(user="cas", text="Ik zou de ouders bellen."))
    in_form = play.refuse(cmd.Contribute(user="cas", text="Ik zou de ouders bellen."))
    assert in_chat.code == in_form.code == "not_a_question"
    assert in_chat.message("nl") == in_form.message("nl")


@pytest.mark.parametrize(
    "question",
    [
        "Heb je er al eens aan gedacht om de ouders te bellen?",
        "Heb je al eens met de mentor gesproken?",
        "Zou je niet beter eerst met hem praten?",
        "Waarom probeer je het niet met een vast plekje?",
        "Is het geen idee om de mentor erbij te halen?",
        "Have you tried a seating plan?",
        "Why don't you call the parents?",
        "Wouldn't it be better to wait?",
    ],
)
def test_advice_disguised_as_a_question_is_refused_the_same_way_in_chat_and_form(
    builtin: Any, question: str
) -> None:
    play = incident_at(builtin, "questions")
    assert play.refuse(cmd.Say(user="cas", text=question)).code == "advice_as_question"
    assert play.refuse(cmd.Contribute(user="cas", text=question)).code == "advice_as_question"


@pytest.mark.parametrize(
    "question",
    [
        "Wat zei de leerling precies?",
        "Kun je eens vertellen wat er daarvoor gebeurde?",
        "Heb je hem daarna nog gesproken?",
        "Wat dacht je op dat moment?",
        "Waarom liep hij weg, denk je?",
        "Zou je het nog eens zo doen, achteraf?",
        "Could you tell what happened next?",
        "What did you feel then?",
        "Is het een jongen of een meisje?",
    ],
)
def test_a_real_question_is_not_taken_for_advice(question: str) -> None:
    assert not disguised_advice(question)


def test_advice_typed_during_the_information_round_is_refused_with_the_forms_message(
    builtin: Any,
) -> None:
    play = incident_at(builtin, "information")
    error = play.refuse(cmd.Say(user="cas", text="Ik zou hem gewoon laten gaan."))
    form = play.refuse(cmd.Contribute(user="cas", text="x", step_id="questions"))
    assert error.code == "not_a_question"
    assert form.code == "stale_step", "the question form is closed by now"
    assert "stel alleen vragen" in error.message("nl")
    assert play.s.responses == {}


def test_a_question_in_the_information_round_is_conversation_and_not_counted(
    builtin: Any,
) -> None:
    play = incident_at(builtin, "information")
    assert say(play, "cas", "Mag ik daar nog iets op vragen?") == []
    assert play.s.responses == {}


def test_the_case_owners_line_answers_the_question_up_next(builtin: Any) -> None:
    play = incident_at(builtin, "information")
    first, second = play.s.items_of("questions")
    assert play.s.current_question() == first
    events = say(play, "bob", "Dat hij het niet meer trok.")
    assert [type(e) for e in events] == [ev.ResponseGiven]
    assert play.s.responses[first.id].text == "Dat hij het niet meer trok."
    assert play.s.current_question() == second


def test_a_reply_to_a_question_answers_that_question(builtin: Any) -> None:
    play = incident_at(builtin, "information")
    first, second = play.s.items_of("questions")
    say(play, "bob", "Alleen de klas en ik.", reply_to=second.id)
    assert set(play.s.responses) == {second.id}
    assert play.s.current_question() == first


def test_a_reply_to_something_that_is_no_question_of_this_step_is_refused(builtin: Any) -> None:
    play = incident_at(builtin, "information")
    assert play.refuse(cmd.Say(user="bob", text="Ja.", reply_to="i1")).code == "unknown_item"


def test_each_question_gets_a_message_of_its_own_updated_once_answered(builtin: Any) -> None:
    play = incident_at(builtin, "follow_up")
    # Back in the information round's log: the message of its first question.
    started = next(
        n
        for n, e in enumerate(play.log)
        if isinstance(e, ev.StepStarted) and e.step_id == "information"
    )
    before = fold(play.log[:started])
    at_start = fold(play.log[: started + 1])
    posted = [m for m in notices(before, play.log[started : started + 1], at_start) if m.slot]
    assert [m.slot for m in posted] == [QUESTION_SLOT + "i2"]
    assert "Vraag 1 van 2" in posted[0].text and "Cas" in posted[0].text
    assert "Wat zei de leerling precies?" in posted[0].text


def test_answering_in_the_chat_updates_the_question_and_posts_the_next(builtin: Any) -> None:
    play = incident_at(builtin, "information")
    before = play.s
    events = say(play, "bob", "Dat hij het niet meer trok.")
    messages = [m for m in notices(before, events, play.s) if m.slot]
    assert [m.slot for m in messages] == [QUESTION_SLOT + "i2", QUESTION_SLOT + "i3"]
    assert messages[0].blocks[-1] == Context("Beantwoord.")
    assert "Vraag 2 van 2" in messages[1].text


def test_the_case_owner_writing_while_the_group_gossips_is_not_counted_and_reminded(
    builtin: Any,
) -> None:
    play = Play(builtin("gossip"))
    play.join("bob", "cas", "dee")
    play.until("propose")
    play.do(cmd.Contribute(user="bob", text="Mijn klas luistert niet."))
    play.until("choose")
    play.do(cmd.Vote(user="bob", item_ids=["i1"]))
    play.until("gossip")
    error = play.refuse(cmd.Say(user="bob", text="Nee, zo zit het niet!"))
    assert error.code == "listening_only"
    assert "lees jij alleen mee" in error.message("nl")
    assert "Roddelen" in error.message("nl")
    assert play.s.items_of("gossip") == []
    say(play, "cas", "Ik denk dat ze te veel alleen doet.")
    assert len(play.s.items_of("gossip")) == 1


def test_a_line_outside_any_step_that_takes_one_is_conversation(builtin: Any) -> None:
    play = incident_at(builtin, "questions")
    play.until("analysis")
    assert say(play, "bob", "Interessant om te lezen.") == [], "the case owner listens here"
    assert say(play, "zed", "Wie ben jij?") == [], "not a participant"


def test_the_facilitator_returns_a_disguised_question_to_its_author(builtin: Any) -> None:
    play = incident_at(builtin, "information")
    first, second = play.s.items_of("questions")
    before = play.s
    events = play.do(cmd.ReturnQuestion(user="ann", item_id=second.id))
    assert [type(e) for e in events] == [ev.QuestionReturned]
    assert play.s.items_of("questions") == [first]
    private = [m for m in notices(before, events, play.s) if m.audience == "dee"]
    assert len(private) == 1
    assert "verkapt advies" in private[0].text and second.text in private[0].text


def test_only_the_facilitator_returns_a_question_and_only_an_open_one(builtin: Any) -> None:
    play = incident_at(builtin, "information")
    first, _ = play.s.items_of("questions")
    assert play.refuse(cmd.ReturnQuestion(user="cas", item_id=first.id)).code == (
        "only_facilitator"
    )
    say(play, "bob", "Dat hij het niet meer trok.")
    assert play.refuse(cmd.ReturnQuestion(user="ann", item_id=first.id)).code == (
        "already_answered"
    )
    assert play.refuse(cmd.ReturnQuestion(user="ann", item_id="i1")).code == "unknown_item"


def test_a_returned_question_frees_its_place_and_new_ids_stay_unique(builtin: Any) -> None:
    play = incident_at(builtin, "follow_up")
    say(play, "cas", "Hoe oud is hij?")
    assert play.refuse(cmd.Say(user="cas", text="En zijn broer?")).code == "limit_reached"
    play.do(cmd.ReturnQuestion(user="ann", item_id="i4"))
    events = say(play, "cas", "Wat deed de rest van de klas?")
    added = [e for e in events if isinstance(e, ev.ContributionAdded)]
    assert added[0].item_id == "i5"
    assert [i.id for i in play.s.items_of("follow_up")] == ["i5"]


def test_in_an_async_round_returning_the_last_open_question_closes_the_step(
    builtin: Any,
) -> None:
    play = incident_at(builtin, "information", mode="async")
    say(play, "bob", "Dat hij het niet meer trok.")
    assert play.s.step is not None and play.s.step.id == "information"
    play.do(cmd.ReturnQuestion(user="ann", item_id="i3"))
    assert play.s.step is not None and play.s.step.id != "information"


def test_the_facilitators_form_lists_the_open_questions_to_return(builtin: Any) -> None:
    play = incident_at(builtin, "information")
    shown = card(play.s, play.now)
    asks = [b for b in _buttons(shown) if b.value == RETURNS]
    assert [b.action for b in asks] == [Action.OPEN_FORM]
    step_form = panel(play.s, "ann", play.now)
    assert step_form is None, "the facilitator does not answer; the return form has its own"
    returns = panel(play.s, "ann", play.now, RETURNS)
    assert returns is not None and returns.audience == "ann"
    (form,) = [b for b in returns.blocks if isinstance(b, Form)]
    assert form.action == Action.RETURN_QUESTION
    (choice,) = form.inputs
    assert isinstance(choice, ChoiceInput)
    assert [o.value for o in choice.options] == ["i2", "i3"]
    assert panel(play.s, "cas", play.now, RETURNS) is None, "only for whoever leads"
    play.do(command_for(Action.RETURN_QUESTION, "", {"item": "i3"}, user="ann", name="Ann"))
    assert [i.id for i in play.s.items_of("questions")] == ["i2"]
    say(play, "bob", "Dat hij het niet meer trok.")
    assert not [b for b in _buttons(card(play.s, play.now)) if b.value == RETURNS]


def _buttons(message: Message) -> list[Button]:
    return [b for block in message.blocks if isinstance(block, Buttons) for b in block.buttons]
