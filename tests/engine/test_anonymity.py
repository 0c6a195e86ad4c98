"""Anonymity is a property of the items, not of one view: nothing the bot shows
puts an anonymous item next to its author's name."""

from __future__ import annotations

from bot.engine import card, notices, panel, summary
from bot.engine import commands as cmd
from bot.engine.messages import Block, Heading, ItemList, Message, Paragraph, plain_text
from protocols.checks import anonymity_warnings
from protocols.schema import Protocol
from tests.engine.conftest import PEOPLE, Play, protocol, step, text

VOTE_ROLES = [
    {"id": "facilitator", "name": text("Gespreksleider", "Facilitator"), "assign": "starter"},
    {"id": "case_owner", "name": text("Inbrenger", "Case owner"), "assign": "vote"},
    {"id": "advisor", "name": text("Adviseur", "Advisor"), "assign": "everyone_else"},
]
WORRY = "Ik durf de ouders niet te bellen"


def _beside(messages: list[Message], item_text: str, name: str) -> list[str]:
    """Every place where the item's text stands in one block with the name."""
    found = []
    for message in messages:
        for block in message.blocks:
            for shown in _texts(block):
                if item_text in shown and name in shown:
                    found.append(shown)
    return found


def _texts(block: Block) -> list[str]:
    if isinstance(block, ItemList):
        # The list's title heads each of its items (a list titled "Dee" is Dee's).
        return [f"{block.title} | {i.text} | {i.author} | {i.note}" for i in block.items]
    if isinstance(block, Paragraph | Heading):
        return [block.text]
    return []


def _everything(play: Play, before: object, events: list[object]) -> list[Message]:
    """What every participant and the channel get to see at this moment."""
    shown = [card(play.s, play.now), *notices(before, events, play.s)]  # type: ignore[arg-type]
    for user in play.s.participants:
        form = panel(play.s, user, play.now)
        if form is not None:
            shown.append(form)
    return shown


def _round(*steps: dict[str, object], roles: list[dict[str, object]] | None = None) -> Play:
    play = Play(protocol(*steps, roles=roles))
    play.join("bob", "cas", "dee")
    if roles is None:
        play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    return play


def test_a_round_robin_over_anonymous_items_never_shows_them_under_the_turn_holder() -> None:
    play = _round(
        step("worries", "collect", ["advisor"], anonymous=True),
        step("positions", "round_robin", ["advisor"], source="worries"),
    )
    for user in ("ann", "cas", "dee"):
        play.do(cmd.Contribute(user=user, text=f"{WORRY} ({user})"))
    seen: list[Message] = []
    before = play.s
    events = play.advance()
    seen += _everything(play, before, events)
    for _turn in range(3):
        before = play.s
        events = play.do(cmd.NextTurn(user="ann"))
        seen += _everything(play, before, events)
    for user in ("ann", "cas", "dee"):
        assert _beside(seen, f"{WORRY} ({user})", PEOPLE[user]) == []
    assert "Cas, jij hebt nu het woord." in [m.text for m in seen], "the turns were shown"


def test_a_vote_over_anonymous_items_names_no_author_in_its_notice_or_the_summary() -> None:
    play = _round(
        step("worries", "collect", ["advisor"], anonymous=True, max_per_person=1),
        step("choose", "vote", ["advisor"], source="worries"),
        step("talk", "speak", ["advisor"]),
    )
    play.do(cmd.Contribute(user="dee", text=WORRY))
    play.do(cmd.Contribute(user="cas", text="Iets anders"))
    play.advance()
    for user in ("ann", "cas", "dee"):
        play.do(cmd.Vote(user=user, item_ids=["i1"]))
    before = play.s
    events = play.advance()
    shown = _everything(play, before, events)
    assert f"De groep koos: _{WORRY}_" in [m.text for m in shown]
    assert _beside(shown, WORRY, "Dee") == []
    play.advance()
    told = plain_text(summary(play.s, viewer=None))
    assert f"Gekozen casus: {WORRY}" in told
    assert not [line for line in told.splitlines() if WORRY in line and "Dee" in line]


def test_a_vote_notice_names_a_role_only_when_the_vote_gives_one() -> None:
    play = _round(
        step("propose", "collect", ["advisor"], max_per_person=1),
        step("choose", "vote", ["advisor"], source="propose"),
        step("talk", "speak", ["advisor"]),
    )
    play.do(cmd.Contribute(user="dee", text="Een ruzie op het plein"))
    play.advance()
    play.do(cmd.Vote(user="ann", item_ids=["i1"]))
    before = play.s
    events = play.advance()
    [notice] = [m.text for m in notices(before, events, play.s) if "koos" in m.text]
    assert notice == "De groep koos de casus van Dee: _Een ruzie op het plein_"


def test_a_vote_that_gives_a_role_says_who_has_it() -> None:
    play = _round(
        step("propose", "collect", max_per_person=1),
        step("choose", "vote", source="propose", assigns_role="case_owner"),
        step("case", "speak", ["case_owner"]),
        roles=VOTE_ROLES,
    )
    play.do(cmd.Contribute(user="cas", text="Een ruzie op het plein"))
    play.advance()
    play.do(cmd.Vote(user="ann", item_ids=["i1"]))
    before = play.s
    events = play.advance()
    [notice] = [m.text for m in notices(before, events, play.s) if "koos" in m.text]
    assert notice == (
        "De groep koos de casus van Cas: _Een ruzie op het plein_\nCas is de inbrenger."
    )


def test_the_validator_warns_of_what_cannot_stay_anonymous() -> None:
    shaped = Protocol.model_validate(
        protocol(
            step("mine", "collect", ["case_owner"], anonymous=True),
            step("worries", "collect", ["advisor"], anonymous=True),
            step("turns", "round_robin", ["advisor"], source="worries"),
            step("open", "collect", ["advisor"]),
            step("more", "round_robin", ["advisor"], source="open"),
        )
    )
    warnings = {f.loc: f.message for f in anonymity_warnings(shaped)}
    assert warnings == {
        ("steps", 0, "anonymous"): (
            "only the case_owner writes here, one person: everyone knows who wrote it"
        ),
        ("steps", 2, "source"): (
            "the items of 'worries' are anonymous, but a round robin goes person by person: "
            "whoever speaks to an item shows it is theirs"
        ),
    }
