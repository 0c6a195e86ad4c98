"""The step features the methods need: a live question cap, a step that stays
open until it is closed, voluntary bringing, and the hint to talk on video."""

from __future__ import annotations

from bot.engine import card
from bot.engine import commands as cmd
from bot.engine.messages import Context, Message
from bot.engine.simulate import fill_in
from tests.engine.conftest import Play, protocol, step


def _round(*steps: dict[str, object], mode: str = "live") -> Play:
    play = Play(protocol(*steps), mode=mode)
    play.join("bob", "cas", "dee")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    return play


def _notes(message: Message) -> list[str]:
    return [block.text for block in message.blocks if isinstance(block, Context)]


QUESTIONS = step(
    "questions",
    "collect",
    ["advisor"],
    questions_only=True,
    max_per_person=5,
    live_max_per_person=2,
)


def test_live_questions_are_capped_per_person_so_the_case_owner_can_answer_in_time() -> None:
    play = _round(QUESTIONS)
    play.do(cmd.Contribute(user="cas", text="Wat zei hij?"))
    play.do(cmd.Contribute(user="cas", text="Wie was erbij?"))
    error = play.refuse(cmd.Contribute(user="cas", text="En toen?"))
    assert error.code == "live_cap_reached"
    assert "maximaal 2 vragen" in error.message("nl")
    assert "at most 2 questions" in error.message("en")
    # The cap is per person: Dee still has her two.
    play.do(cmd.Contribute(user="dee", text="Hoe laat was het?"))
    assert len(play.s.items) == 3
    assert any("maximaal 2 vragen" in note for note in _notes(card(play.s, play.now)))


def test_async_questions_keep_the_full_maximum() -> None:
    play = _round(QUESTIONS, step("next", "collect", ["advisor"]), mode="async")
    for n in range(5):
        play.do(cmd.Contribute(user="cas", text=f"Vraag {n}?"))
    error = play.refuse(cmd.Contribute(user="cas", text="Nog een?"))
    assert error.code == "limit_reached"


def test_an_exchange_step_stays_open_after_everyone_reached_the_minimum() -> None:
    play = _round(
        step(
            "gossip",
            "collect",
            ["advisor"],
            min_per_person=1,
            max_per_person=10,
            stays_open=True,
            hours=24,
        ),
        step("after", "collect", ["advisor"]),
        mode="async",
    )
    play.do(cmd.Contribute(user="ann", text="Ik herken dit."))
    play.do(cmd.Contribute(user="cas", text="Ik ook."))
    play.do(cmd.Contribute(user="dee", text="Wat mij opvalt ..."))
    assert play.s.step is not None and play.s.step.id == "gossip"
    play.do(cmd.Contribute(user="cas", text="Een reactie op Dee."))
    assert any("blijft open" in note for note in _notes(card(play.s, play.now)))
    play.later(hours=25)
    play.tick()
    assert play.s.step is not None and play.s.step.id == "after"


def test_the_facilitator_closes_an_open_step_before_its_deadline() -> None:
    play = _round(
        step("design", "collect", ["everyone"], stays_open=True, hours=72),
        step("after", "collect", ["advisor"]),
        mode="async",
    )
    play.do(cmd.Contribute(user="cas", text="Een opzet."))
    play.advance()
    assert play.s.step is not None and play.s.step.id == "after"


def test_an_open_step_nobody_has_to_write_in_is_not_skipped_async() -> None:
    # Bringing a case is voluntary (min 0); the step waits for those who have one.
    play = _round(
        step(
            "propose", "collect", ["everyone"], min_per_person=0, max_per_person=1, stays_open=True
        ),
        step("after", "collect", ["advisor"]),
        mode="async",
    )
    assert play.s.step is not None and play.s.step.id == "propose"
    play.do(cmd.Contribute(user="dee", text="Een leerling liep weg."))
    assert play.s.step.id == "propose"


def test_simulated_colleagues_bring_a_case_where_bringing_is_voluntary() -> None:
    play = _round(
        step(
            "propose", "collect", ["everyone"], min_per_person=0, max_per_person=1, stays_open=True
        ),
        mode="async",
    )
    commands = fill_in(play.s)
    assert {c.user for c in commands if isinstance(c, cmd.Contribute)} == {
        "ann",
        "bob",
        "cas",
        "dee",
    }


def test_a_step_that_lives_on_tone_suggests_video_and_the_bot_keeps_the_record() -> None:
    play = _round(step("gossip", "collect", ["advisor"], best_spoken=True), step("next", "collect"))
    notes = _notes(card(play.s, play.now))
    assert any("zet de camera aan" in note for note in notes)
    play.advance()
    assert not any("zet de camera aan" in note for note in _notes(card(play.s, play.now)))


def test_the_gathering_card_says_a_method_works_best_live_on_video() -> None:
    spoken = Play(protocol(step("gossip", "collect", best_spoken=True)))
    written = Play(protocol(step("ideas", "collect")))
    assert any("videogesprek" in note for note in _notes(card(spoken.s, spoken.now)))
    assert not any("videogesprek" in note for note in _notes(card(written.s, written.now)))
