"""Forms that never lose typing: one form per dialog with one submit holding all its
fields (an answer for every question), decided all or none; one form per dialog,
titled by what it is for; a text that is too long is refused with its length."""

from __future__ import annotations

from datetime import date

from bot.chat.refill import focus_of, refilled
from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine import panel
from bot.engine.actions import command_for, part_name
from bot.engine.messages import ChoiceInput, Form, Message, Paragraph, TextInput
from tests.engine.conftest import Play, protocol, step, text

QUESTIONS = step("questions", "collect", ["advisor"], questions_only=True, max_per_person=3)
ANSWERS = step("answers", "respond", ["case_owner"], source="questions")


def _forms(message: Message | None) -> list[Form]:
    assert message is not None
    return [b for b in message.blocks if isinstance(b, Form)]


def _at_answers(*extra: dict[str, object], labels: list[dict[str, object]] | None = None) -> Play:
    answers = {**ANSWERS, "labels": labels} if labels else ANSWERS
    play = Play(protocol(QUESTIONS, answers, *extra))
    play.join("bob", "cas", "dee")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    play.do(cmd.Contribute(user="cas", text="Wat zei hij?"))
    play.do(cmd.Contribute(user="dee", text="Wie was erbij?"))
    play.do(cmd.Contribute(user="ann", text="Hoe voelde je je?"))
    play.advance()
    return play


def test_the_case_owner_answers_every_question_in_one_form_with_one_submit() -> None:
    play = _at_answers()
    [form] = _forms(panel(play.s, "bob", play.now))
    assert form.action == "respond" and form.value == "answers"
    labels = [i.label for i in form.inputs]
    assert labels == ["Wat zei hij?", "Wie was erbij?", "Hoe voelde je je?"]
    fields = {
        part_name("text", "i1"): "Niets.",
        part_name("text", "i2"): "",  # left for later
        part_name("text", "i3"): "Onzeker.",
    }
    submitted = command_for("respond", form.value, fields, user="bob", name="Bob")
    assert isinstance(submitted, cmd.Several) and len(submitted.parts) == 2
    events = play.do(submitted)
    assert [type(e) for e in events] == [ev.ResponseGiven, ev.ResponseGiven]
    assert set(play.s.responses) == {"i1", "i3"}
    # The form now holds the one question still open.
    [left] = _forms(panel(play.s, "bob", play.now))
    assert [i.label for i in left.inputs] == ["Wie was erbij?"]


def test_one_refused_answer_refuses_the_whole_form_so_nothing_is_half_saved() -> None:
    play = _at_answers()
    fields = {part_name("text", "i1"): "Niets.", part_name("text", "i2"): "x" * 5000}
    error = play.refuse(command_for("respond", "answers", fields, user="bob", name="Bob"))
    assert error.code == "text_too_long"
    assert "5000 tekens" in error.message("nl") and "3000" in error.message("nl")
    assert not play.s.responses


def test_an_empty_form_is_refused_with_what_to_do() -> None:
    play = _at_answers()
    error = play.refuse(
        command_for("respond", "answers", {part_name("text", "i1"): " "}, user="bob", name="Bob")
    )
    assert error.code == "nothing_filled_in"


def test_labelled_answers_are_one_form_too() -> None:
    labels = [{"id": "warm", "name": text("Warm")}, {"id": "cold", "name": text("Koud", "Cold")}]
    play = _at_answers(labels=labels)
    [form] = _forms(panel(play.s, "bob", play.now))
    choices = [i for i in form.inputs if isinstance(i, ChoiceInput)]
    assert [c.label for c in choices] == ["Wat zei hij?", "Wie was erbij?", "Hoe voelde je je?"]
    assert all(not c.required for c in choices)
    fields = {part_name("label", "i2"): "cold", part_name("text", "i2"): "Raakt me."}
    play.do(command_for("respond", form.value, fields, user="bob", name="Bob"))
    assert play.s.responses["i2"].label == "cold"


def test_a_part_for_someone_else_is_not_a_command() -> None:
    try:
        cmd.Several(user="bob", parts=[cmd.Respond(user="cas", item_id="i1", text="x")])
    except ValueError:
        return
    raise AssertionError("a form's parts are all its submitter's")


def test_the_steps_form_is_never_mixed_with_last_times_report() -> None:
    actions = [
        ev.OpenAction(
            action_id="a1",
            text="Bel de ouders",
            owner="cas",
            owner_name="Cas",
            due=date(2026, 12, 1),
        ),
        ev.OpenAction(
            action_id="a2",
            text="Lees het boek",
            owner="cas",
            owner_name="Cas",
            due=date(2026, 12, 1),
        ),
    ]
    play = Play(protocol(QUESTIONS, ANSWERS), open_actions=actions)
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    [form] = _forms(panel(play.s, "cas", play.now))
    assert form.action == "contribute" and form.title == "Stap questions"
    # The report has its own dialog: one form, one submit, a part per action.
    [report] = _forms(panel(play.s, "cas", play.now, "report"))
    assert report.action == "report_action" and report.title == "Actiepunten van vorige keer"
    fields = {
        part_name("status", "a1"): "done",
        part_name("note", "a1"): "Gedaan.",
        part_name("status", "a2"): "partly",
    }
    play.do(command_for("report_action", "", fields, user="cas", name="Cas"))
    assert {k: r.status for k, r in play.s.reports.items()} == {"a1": "done", "a2": "partly"}


def test_a_refused_form_comes_back_holding_what_was_typed_under_the_reason() -> None:
    play = _at_answers()
    fields = {part_name("text", "i1"): "Niets.", part_name("text", "i2"): "x" * 5000}
    shown = panel(play.s, "bob", play.now, focus_of("respond", "answers"))
    again = refilled(shown, "respond", "answers", fields, "Je tekst is te lang (5000 tekens).")
    assert again is not None
    assert any(isinstance(b, Paragraph) and "5000 tekens" in b.text for b in again.blocks)
    [form] = _forms(again)
    initial = {i.name: i.initial for i in form.inputs if isinstance(i, TextInput)}
    assert initial[part_name("text", "i2")] == "x" * 5000, "never cut"
    assert initial[part_name("text", "i1")] == "Niets."
    assert focus_of("edit", "i3") == "edit:i3" and focus_of("report_action", "") == "report"
