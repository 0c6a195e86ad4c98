"""Anonymity is a property of the items, not of one view: nothing the bot shows
puts an anonymous item next to its author's name."""

from __future__ import annotations

from bot.engine import card, notices, panel, summary
from bot.engine import commands as cmd
from bot.engine.messages import (
    Block,
    Button,
    Buttons,
    Fields,
    Heading,
    ItemList,
    Message,
    Paragraph,
    plain_text,
)
from bot.engine.simulate import fill_in
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


# -- a vote over anonymous items that gives a role asks the winner's author first ------

DEES = "Een leerling die steeds weer de les verstoort"
CASS = "Een ouder die mij niet vertrouwt"
BOBS = "Een collega die mijn afspraken negeert"


def _offering(*, mode: str = "live") -> Play:
    """Anonymous cases from Dee, Cas and Bob; the group votes Dee's twice, Cas's once."""
    play = Play(
        protocol(
            step("propose", "collect", anonymous=True, max_per_person=1),
            step("choose", "vote", source="propose", assigns_role="case_owner", hours=24),
            step("case", "speak", ["case_owner"]),
            roles=VOTE_ROLES,
        ),
        mode=mode,
    )
    play.join("bob", "cas", "dee")
    play.advance()
    play.do(cmd.Contribute(user="dee", text=DEES))
    play.do(cmd.Contribute(user="cas", text=CASS))
    play.do(cmd.Contribute(user="bob", text=BOBS))
    if mode == "live":
        play.advance()
    else:
        play.do(cmd.Contribute(user="ann", text="Een les die niet liep"))
    play.do(cmd.Vote(user="ann", item_ids=["i1"]))
    play.do(cmd.Vote(user="bob", item_ids=["i1"]))
    play.do(cmd.Vote(user="cas", item_ids=["i2"]))
    return play


def _shown_to_others(messages: list[Message], author: str) -> list[Message]:
    return [m for m in messages if m.audience != author]


def test_the_winning_author_of_an_anonymous_vote_is_asked_privately_before_anyone_learns_it() -> (
    None
):
    play = _offering()
    before = play.s
    events = play.advance()
    kinds = [e.kind for e in events]
    assert kinds == ["vote_closed", "role_offered"], "no role yet, and the vote step stays"
    assert play.s.step is not None and play.s.step.id == "choose"
    assert play.s.holders("case_owner") == []
    shown = _everything(play, before, events)
    [asked] = [m for m in shown if m.audience == "dee"]
    assert DEES in asked.text and "Wil je hem inbrengen?" in asked.text
    [buttons] = [b for b in asked.blocks if isinstance(b, Buttons)]
    assert [(b.action, b.value) for b in buttons.buttons] == [
        ("accept_role", "i1"),
        ("decline_role", "i1"),
    ]
    others = _shown_to_others(shown, "dee")
    assert f"De groep koos: _{DEES}_" in "\n".join(m.text for m in others)
    assert _beside(others, DEES, "Dee") == []
    assert not any(
        isinstance(b, Buttons) and "accept_role" in str(b) for m in others for b in m.blocks
    )


def test_a_yes_gives_the_role_says_so_and_moves_the_round_on() -> None:
    play = _offering()
    play.advance()
    before = play.s
    events = play.do(cmd.AnswerOffer(user="dee", item_id="i1", accept=True))
    assert play.s.holders("case_owner") == ["dee"]
    assert play.s.step is not None and play.s.step.id == "case"
    texts = [m.text for m in notices(before, events, play.s)]
    assert f"Dee brengt de casus in en is inbrenger: _{DEES}_" in texts
    play.advance()
    assert f"Gekozen casus: {DEES}" in plain_text(summary(play.s, viewer=None))


def test_a_no_asks_the_next_author_and_nobody_learns_whose_case_was_declined() -> None:
    play = _offering()
    seen: list[Message] = []
    before = play.s
    events = play.advance()
    seen += _everything(play, before, events)
    before = play.s
    events = play.do(cmd.AnswerOffer(user="dee", item_id="i1", accept=False))
    assert [e.kind for e in events] == ["offer_declined", "role_offered"]
    assert play.s.offer is not None and play.s.offer.user == "cas"
    seen += _everything(play, before, events)
    assert f"De casus _{DEES}_ wordt vandaag niet ingebracht." in "\n".join(m.text for m in seen)
    before = play.s
    events = play.do(cmd.AnswerOffer(user="cas", item_id="i2", accept=True))
    seen += _everything(play, before, events)
    play.advance()
    told = plain_text(summary(play.s, viewer=None))
    assert f"Gekozen casus: {CASS}" in told
    others = _shown_to_others(seen, "dee")
    assert _beside(others, DEES, "Dee") == []
    assert not [line for line in told.splitlines() if DEES in line and "Dee" in line]


def test_only_the_asked_author_can_answer_and_only_while_asked() -> None:
    play = _offering()
    play.advance()
    assert play.refuse(cmd.AnswerOffer(user="cas", item_id="i1", accept=True)).code == "no_offer"
    assert play.refuse(cmd.Vote(user="dee", item_ids=["i2"])).code == "vote_closed"
    assert play.refuse(cmd.Advance(user="ann", step_id="choose")).code == "offer_pending"
    play.do(cmd.AnswerOffer(user="dee", item_id="i1", accept=False))
    assert play.refuse(cmd.AnswerOffer(user="dee", item_id="i1", accept=True)).code == "no_offer"


def test_the_facilitator_can_stop_waiting_and_a_second_click_changes_nothing() -> None:
    play = _offering()
    play.advance()
    assert [b.action for b in _card_buttons(play)].count("skip_offer") == 1
    assert "advance" not in [b.action for b in _card_buttons(play)]
    before = play.s
    events = play.do(cmd.SkipOffer(user="ann", item_id="i1"))
    assert play.s.offer is not None and play.s.offer.user == "cas"
    told = [m for m in notices(before, events, play.s) if m.audience == "dee"]
    assert [m.text.split(";")[0] for m in told] == [
        "De gespreksleider ging verder zonder op je antwoord te wachten"
    ]
    assert play.refuse(cmd.SkipOffer(user="ann", item_id="i1")).code == "no_offer_open"
    assert play.refuse(cmd.SkipOffer(user="bob", item_id="i2")).code == "only_facilitator"


def test_live_the_author_has_the_votes_minutes_at_most_three_then_the_next_is_asked() -> None:
    play = _offering()
    play.advance()
    play.later(minutes=2, seconds=40)
    assert play.tick() == []
    play.later(seconds=30)
    before = play.s
    events = play.tick()
    assert [e.kind for e in events] == ["offer_declined", "role_offered"]
    assert [m.audience for m in notices(before, events, play.s) if m.audience] == ["dee", "cas"]


def test_async_the_offer_waits_the_steps_hours_and_names_nobody_as_missing() -> None:
    play = _offering(mode="async")
    # Everyone but Dee has voted; her vote closes the step and asks the winner.
    events = play.do(cmd.Vote(user="dee", item_ids=["i2"]))
    assert [e.kind for e in events][-1] == "role_offered"
    assert play.s.offer is not None and play.s.offer.user == "dee"
    shown = card(play.s, play.now)
    assert "Nog niet binnen" not in str(shown.blocks)
    assert "Dee" not in str([b for b in shown.blocks if not isinstance(b, Fields)])
    play.later(hours=23)
    assert play.tick() == [], "no reminders while one person is asked"
    play.later(hours=1, seconds=5)
    events = play.tick()
    assert [e.kind for e in events] == ["offer_declined", "role_offered"]


def test_when_every_voted_author_says_no_the_group_votes_again_over_the_rest() -> None:
    play = _offering()
    play.advance()
    play.do(cmd.AnswerOffer(user="dee", item_id="i1", accept=False))
    before = play.s
    events = play.do(cmd.AnswerOffer(user="cas", item_id="i2", accept=False))
    assert [e.kind for e in events] == ["offer_declined", "vote_reopened"]
    assert "Stem opnieuw: kies uit de casussen die over zijn." in [
        m.text for m in notices(before, events, play.s)
    ]
    assert [i.text for i in play.s.candidates(play.s.protocol.steps[1])] == [BOBS]  # type: ignore[arg-type]
    assert play.refuse(cmd.Vote(user="ann", item_ids=["i1"])).code == "unknown_item"
    play.do(cmd.Vote(user="ann", item_ids=["i3"]))
    play.advance()
    assert play.s.offer is not None and play.s.offer.user == "bob"
    play.do(cmd.AnswerOffer(user="bob", item_id="i3", accept=True))
    assert play.s.case_owner == "bob"


def test_when_nobody_takes_the_role_the_facilitator_assigns_it_and_moves_on() -> None:
    play = _offering()
    play.advance()
    play.do(cmd.AnswerOffer(user="dee", item_id="i1", accept=False))
    play.do(cmd.AnswerOffer(user="cas", item_id="i2", accept=False))
    play.do(cmd.Vote(user="ann", item_ids=["i3"]))
    play.advance()
    before = play.s
    events = play.do(cmd.AnswerOffer(user="bob", item_id="i3", accept=False))
    assert (
        "Er is geen casus meer over om in te brengen." in notices(before, events, play.s)[-1].text
    )
    assert play.refuse(cmd.Advance(user="ann")).code == "role_missing"
    play.do(cmd.AssignRole(user="ann", role="case_owner", to="ann"))
    play.advance()
    assert play.s.step is not None and play.s.step.id == "case"


def test_a_paused_round_waits_with_the_answer_too() -> None:
    play = _offering()
    play.advance()
    play.do(cmd.Pause(user="ann"))
    assert play.refuse(cmd.AnswerOffer(user="dee", item_id="i1", accept=True)).code == (
        "round_paused"
    )
    play.do(cmd.Resume(user="ann"))
    play.do(cmd.AnswerOffer(user="dee", item_id="i1", accept=True))
    assert play.s.case_owner == "dee"


def test_a_simulated_colleague_who_is_asked_says_yes() -> None:
    play = _offering()
    play.advance()
    assert fill_in(play.s, leave_out="ann") == [
        cmd.AnswerOffer(user="dee", item_id="i1", accept=True)
    ]
    assert fill_in(play.s, leave_out="dee") == []


def test_a_vote_over_named_items_still_gives_the_role_at_once() -> None:
    play = _round(
        step("propose", "collect", max_per_person=1),
        step("choose", "vote", source="propose", assigns_role="case_owner"),
        step("case", "speak", ["case_owner"]),
        roles=VOTE_ROLES,
    )
    play.do(cmd.Contribute(user="cas", text=CASS))
    play.advance()
    play.do(cmd.Vote(user="ann", item_ids=["i1"]))
    events = play.advance()
    assert "role_offered" not in [e.kind for e in events]
    assert play.s.case_owner == "cas"


def _card_buttons(play: Play) -> list[Button]:
    return [
        b
        for block in card(play.s, play.now).blocks
        if isinstance(block, Buttons)
        for b in block.buttons
    ]
