"""What the card and the notices say matches the round's mode and the screen, counts
its nouns and names whom a button is for."""

from __future__ import annotations

from typing import Any

from bot.engine import card, notices
from bot.engine import commands as cmd
from bot.engine.messages import Buttons, Context, Message, Paragraph
from tests.engine.conftest import Play, protocol, step


def _texts(message: Message) -> list[str]:
    return [b.text for b in message.blocks if isinstance(b, Paragraph | Context)]


def _labels(message: Message) -> list[str]:
    return [x.label for b in message.blocks if isinstance(b, Buttons) for x in b.buttons]


def test_the_gathering_card_gives_the_time_of_its_own_mode(builtin: Any) -> None:
    live = Play(builtin("incident"))
    said = " ".join(_texts(card(live.s, live.now)))
    assert "Live duurt dit ongeveer 90 minuten." in said
    assert "Verspreid over dagen" not in said
    spread = Play(builtin("incident"), mode="async")
    said = " ".join(_texts(card(spread.s, spread.now)))
    assert "Verspreid over dagen duurt dit ongeveer 7 dagen" in said
    assert "Live" not in said and "minuten" not in said


def test_an_async_round_has_no_timekeeper_to_volunteer_for(builtin: Any) -> None:
    live = Play(builtin("incident"))
    assert "Ik ben tijdbewaker" in _labels(card(live.s, live.now))
    spread = Play(builtin("incident"), mode="async")
    shown = card(spread.s, spread.now)
    assert not any("ijdbewaker" in label for label in _labels(shown))
    assert "Tijdbewaker" not in str(shown.blocks)
    spread.join("bob")
    assert spread.refuse(cmd.Volunteer(user="bob", role="timekeeper")).code == "unknown_role"


def test_the_gathering_card_says_how_to_join_in_a_sentence() -> None:
    play = Play(protocol(step("a", "collect")))
    said = " ".join(_texts(card(play.s, play.now)))
    assert "Doe mee met" not in said
    assert "Wie meedoet, klikt op *Meedoen*." in said


def test_a_read_button_comes_with_the_words_that_name_it() -> None:
    play = Play(protocol(step("rules", "instruction", acknowledge=True), step("b", "collect")))
    play.join("bob")
    play.advance()
    shown = card(play.s, play.now)
    assert "Gelezen" in _labels(shown)
    assert "Klik op *Gelezen* als je dit gelezen hebt." in _texts(shown)
    unread = Play(protocol(step("rules", "instruction"), step("b", "collect")))
    unread.advance()
    shown = card(unread.s, unread.now)
    assert "Gelezen" not in _labels(shown)
    assert not any("Gelezen" in text for text in _texts(shown))


def test_the_facilitators_buttons_stand_under_their_name() -> None:
    play = Play(protocol(step("a", "collect"), step("b", "collect")))
    play.join("bob")
    play.advance()
    blocks = card(play.s, play.now).blocks
    rows = [b for b in blocks if isinstance(b, Buttons)]
    assert [x.label for x in rows[0].buttons] == ["Meedoen", "Schrijf"]
    assert "Volgende stap" in [x.label for x in rows[1].buttons]
    assert "Stoppen" in [x.label for x in rows[1].buttons]
    over = blocks[blocks.index(rows[1]) - 1]
    assert isinstance(over, Context) and over.text == "Voor de gespreksleider (Ann):"


def test_a_step_for_one_role_names_it_on_its_button() -> None:
    play = Play(
        protocol(
            step("questions", "collect", ["advisor"]), step("answers", "collect", ["case_owner"])
        )
    )
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    assert "Schrijf" in _labels(card(play.s, play.now))
    play.advance()
    assert "Schrijf (inbrenger)" in _labels(card(play.s, play.now))


def test_a_role_given_is_told_to_the_group_and_to_the_one_who_got_it() -> None:
    roles = [
        {
            "id": "facilitator",
            "name": {"nl": "Gespreksleider", "en": "Facilitator"},
            "assign": "starter",
        },
        {
            "id": "timekeeper",
            "name": {"nl": "Tijdbewaker", "en": "Timekeeper"},
            "description": {"nl": "Let op de klok.", "en": "Watches the clock."},
            "assign": "volunteer",
            "required": False,
        },
        {"id": "advisor", "name": {"nl": "Adviseur", "en": "Advisor"}, "assign": "everyone_else"},
    ]
    play = Play(protocol(step("a", "collect"), roles=roles))
    play.join("bob", "cas")
    before = play.s
    events = play.do(cmd.Volunteer(user="bob", role="timekeeper"))
    assert [(m.audience, m.text) for m in notices(before, events, play.s)] == [
        (None, "Bob is nu tijdbewaker.")
    ]
    before = play.s
    events = play.do(cmd.AssignRole(user="ann", role="timekeeper", to="cas"))
    assert [(m.audience, m.text) for m in notices(before, events, play.s)] == [
        (None, "Cas is nu tijdbewaker."),
        ("cas", "Je bent in deze ronde tijdbewaker. Let op de klok."),
    ]


def test_counts_on_the_card_take_their_noun() -> None:
    play = Play(
        protocol(
            step("propose", "collect", max_per_person=1),
            step("choose", "vote", source="propose"),
            step("c", "collect"),
        )
    )
    play.join("bob", "cas")
    play.advance()
    play.do(cmd.Contribute(user="bob", text="Een ruzie"))
    play.do(cmd.Contribute(user="cas", text="Een ouder"))
    play.advance()
    play.do(cmd.Vote(user="ann", item_ids=["i1"]))
    play.do(cmd.Vote(user="cas", item_ids=["i1"]))
    play.do(cmd.Vote(user="bob", item_ids=["i2"]))
    shown = str(card(play.s, play.now).blocks)
    assert "2 stemmen" in shown and "1 stem'" in shown and "(men)" not in shown
