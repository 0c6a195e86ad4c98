"""Each step shows what the method needs from earlier steps (`shows:`), on the card."""

from __future__ import annotations

import contextlib
from typing import Any

from bot.engine import DomainError, card, panel
from bot.engine import commands as cmd
from bot.engine.messages import Recall
from bot.engine.simulate import fill_in
from bot.engine.view import CONTEXT
from tests.engine.conftest import Play, protocol, step


def recalls(play: Play) -> list[Recall]:
    return [b for b in card(play.s, play.now).blocks if isinstance(b, Recall)]


def texts(recall: Recall) -> list[str]:
    return [item.text for item in recall.items]


def _fill(play: Play) -> None:
    for command in fill_in(play.s):
        with contextlib.suppress(DomainError):
            play.do(command)


def incident_at(builtin: Any, step_id: str) -> Play:
    play = Play(builtin("incident"))
    play.join("bob", "cas", "dee")
    play.advance()
    while play.s.step is not None and play.s.step.id != step_id:
        _fill(play)
        play.advance()
    return play


def test_comparing_what_the_case_owner_did_shows_the_situation_answers_and_positions(
    builtin: Any,
) -> None:
    play = incident_at(builtin, "discussion")
    shown = recalls(play)
    assert [r.step_id for r in shown] == ["sketch", "information", "positions", "outcome"]
    situation, answers, positions, outcome = shown
    sketched = play.s.items_of("sketch")
    assert texts(situation) == [i.text for i in sketched] and sketched
    questions = play.s.items_of("questions")
    assert texts(answers) == [q.text for q in questions]
    assert [item.note for item in answers.items] == [play.s.responses[q.id].text for q in questions]
    assert set(texts(positions)) >= {i.text for i in play.s.items_of("position")}
    assert texts(outcome) == [i.text for i in play.s.items_of("outcome")]


def test_all_but_the_latest_recall_are_folded(builtin: Any) -> None:
    shown = recalls(incident_at(builtin, "discussion"))
    assert [r.folded for r in shown] == [True, True, True, False]
    # A channel that cannot fold links to the whole text.
    assert all(r.open_action == "open_form" and r.open_value == CONTEXT for r in shown)


def test_the_recall_names_the_step_it_comes_from(builtin: Any) -> None:
    shown = recalls(incident_at(builtin, "questions"))
    assert [r.title for r in shown] == [
        "Uit stap 3 · Incident kiezen",
        "Uit stap 4 · De situatie schetsen",
    ]


def test_the_chosen_case_is_recalled_with_who_brought_it(builtin: Any) -> None:
    play = incident_at(builtin, "sketch")
    (chosen,) = recalls(play)
    owner = play.s.case_owner
    assert owner is not None
    assert chosen.items[0].author == play.s.name(owner)
    assert chosen.items[0].text == play.s.items_of("propose", owner)[0].text


def test_the_context_panel_shows_every_recall_unfolded(builtin: Any) -> None:
    play = incident_at(builtin, "discussion")
    shown = panel(play.s, "dee", play.now, focus=CONTEXT)
    assert shown is not None and shown.audience == "dee"
    unfolded = [b for b in shown.blocks if isinstance(b, Recall)]
    assert [r.step_id for r in unfolded] == ["sketch", "information", "positions", "outcome"]
    assert not any(r.folded for r in unfolded)


def test_a_step_that_shows_nothing_has_no_recall(builtin: Any) -> None:
    play = incident_at(builtin, "propose")
    assert recalls(play) == []
    assert panel(play.s, "bob", play.now, focus=CONTEXT) is None


STEPS = protocol(
    step("situation", "speak", ["case_owner"]),
    step("questions", "collect", ["advisor"], visibility="hidden", anonymous=True),
    step("answers", "respond", ["case_owner"], source="questions"),
    step("advice", "collect", ["advisor"], shows=["situation", "questions"]),
)


def _small() -> Play:
    play = Play(STEPS)
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    return play


def test_a_spoken_step_with_nothing_written_is_left_out() -> None:
    play = _small()
    play.advance()
    play.do(cmd.Contribute(user="cas", text="Wat zei je toen?"))
    play.until("advice")
    assert [r.step_id for r in recalls(play)] == ["questions"]


def test_anonymous_items_are_recalled_without_their_author() -> None:
    play = _small()
    play.do(cmd.Contribute(user="bob", text="Een leerling liep weg."))
    play.advance()
    play.do(cmd.Contribute(user="cas", text="Wat zei je toen?"))
    play.until("advice")
    situation, questions = recalls(play)
    assert situation.items[0].author == "Bob"
    assert questions.items[0].author == "anoniem"


def test_a_recall_shows_the_step_as_it_stands_now() -> None:
    play = _small()
    play.do(cmd.Contribute(user="bob", text="Een leerling liep weg."))
    play.until("advice")
    assert texts(recalls(play)[0]) == ["Een leerling liep weg."]
    assert len(recalls(play)) == 1  # no questions were asked: nothing to recall


def test_whoever_writes_sees_what_the_step_builds_on_below_the_form(builtin: Any) -> None:
    play = incident_at(builtin, "position")
    assert play.s.step is not None
    advisor = next(u for u in play.s.actors(play.s.step) if u != play.s.case_owner)
    form = panel(play.s, advisor, play.now)
    assert form is not None
    kinds = [b.kind for b in form.blocks]
    assert kinds.index("form") < kinds.index("recall")
    shown = [b for b in form.blocks if isinstance(b, Recall)]
    assert [r.step_id for r in shown] == [
        "sketch",
        "information",
        "problem_statement",
        "problem_check",
    ]
    # Nothing to fill in, nothing to show: the case owner has no form here.
    owner = play.s.case_owner
    assert owner is not None
    assert panel(play.s, owner, play.now) is None
