"""Hidden, case-owner-only and anonymous contributions."""

from __future__ import annotations

from datetime import datetime

from bot.engine import card, notices, panel, summary
from bot.engine import commands as cmd
from bot.engine.messages import Bullets, ItemList, Message, Span, plain, plain_text
from tests.engine.conftest import Play, protocol, step


def _texts(message: Message) -> str:
    return repr(message.blocks)


def _consult(*steps: dict[str, object]) -> Play:
    play = Play(protocol(*steps))
    play.join("bob", "cas", "dee")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    return play


def test_hidden_contributions_show_only_to_their_author_until_the_step_ends() -> None:
    play = _consult(
        step("position", "collect", ["advisor"], visibility="hidden"),
        step("discuss", "speak", ["advisor"]),
    )
    play.do(cmd.Contribute(user="cas", text="Ik had de klas gestopt"))
    now = play.now
    assert "Ik had de klas gestopt" not in _texts(card(play.s, now))
    assert "1 bijdrage; zichtbaar aan het eind van deze stap" in _texts(card(play.s, now))
    assert play.s.may_see(play.s.items[0], "cas")
    assert not play.s.may_see(play.s.items[0], "dee")
    before = play.s
    events = play.advance()
    revealed = notices(before, events, play.s)
    assert any(
        isinstance(b, ItemList) and b.items[0].text == "Ik had de klas gestopt"
        for m in revealed
        for b in m.blocks
    )
    assert play.s.may_see(play.s.items[0], "dee")


def test_case_owner_items_go_to_the_case_owner_alone() -> None:
    play = _consult(
        step("notes", "collect", ["advisor"], visibility="case_owner"),
        step("end", "instruction"),
    )
    before = play.s
    events = play.do(cmd.Contribute(user="cas", text="Voor Bob alleen"))
    private = notices(before, events, play.s)
    assert [(m.audience, "Voor Bob alleen" in m.text) for m in private] == [("bob", True)]
    assert "Voor Bob alleen" not in _texts(card(play.s, play.now))
    bob_panel = panel(play.s, "bob", play.now)
    assert bob_panel is not None and "Voor Bob alleen" in _texts(bob_panel)
    dee_panel = panel(play.s, "dee", play.now)
    assert dee_panel is None or "Voor Bob alleen" not in _texts(dee_panel)
    play.advance()
    play.advance()
    assert "Voor Bob alleen" not in plain_text(summary(play.s, viewer=None))
    assert "Voor Bob alleen" in plain_text(summary(play.s, viewer="bob"))
    assert "Voor Bob alleen" not in plain_text(summary(play.s, viewer="dee"))


def test_anonymous_items_never_carry_their_author() -> None:
    play = _consult(
        step("worries", "collect", ["advisor"], anonymous=True, visibility="hidden"),
        step("end", "instruction"),
    )
    play.do(cmd.Contribute(user="dee", text="Ik vind dit spannend"))
    before = play.s
    events = play.advance()
    shown = [card(play.s, play.now), *notices(before, events, play.s)]
    play.advance()
    listed = [
        item
        for m in shown
        for b in m.blocks
        if isinstance(b, ItemList)
        for item in b.items
        if item.text == "Ik vind dit spannend"
    ]
    assert listed and all(item.author == "anoniem" for item in listed)
    told = summary(play.s, viewer=None)
    assert "- Ik vind dit spannend (anoniem)" in plain_text(told).splitlines()
    (point,) = [
        p for b in told if isinstance(b, Bullets) for p in b.items if "spannend" in plain(p.spans)
    ]
    # The text as written, the author's place in italics: structure, not markup.
    assert point.spans == (Span("Ik vind dit spannend"), Span(" "), Span("(anoniem)", italic=True))


def test_views_are_stable_for_a_moment(builtin) -> None:  # type: ignore[no-untyped-def]
    play = Play(builtin("incident"))
    moment = datetime(2026, 11, 24, 15, 0, tzinfo=play.now.tzinfo)
    assert card(play.s, moment) == card(play.s, moment)
