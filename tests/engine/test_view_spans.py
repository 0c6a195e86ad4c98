"""What someone wrote stays as they wrote it in every view: a contribution, a name or
a case with `*`, `_` or a backtick in it is a literal span of its own on the card, in
a panel and in the notices that carry it, never bold, italic or code, and whole (so
an erasure finds it)."""

from __future__ import annotations

import typing

import pytest

from bot.engine import card, guide, notices, panel
from bot.engine import commands as cmd
from bot.engine.messages import (
    Context,
    Form,
    ItemList,
    Message,
    Paragraph,
    Span,
    TextInput,
    inline,
    plain,
    translated,
)
from bot.engine.view import forms, steps
from protocols.schema import Step
from tests.engine.conftest import Play, protocol, step, text

CASE = "*Sem* huilde _twee keer_ in `3B`"
NAME = "Bob *de* _Vries_"
OTHER = "Cas `x`"
VOTE_ROLES = [
    {"id": "facilitator", "name": text("Gespreksleider", "Facilitator"), "assign": "starter"},
    {"id": "case_owner", "name": text("Inbrenger", "Case owner"), "assign": "vote"},
    {"id": "advisor", "name": text("Adviseur", "Advisor"), "assign": "everyone_else"},
]


def _spans(messages: list[Message]) -> list[Span]:
    """Every span of every paragraph and note, as a channel renders it."""
    return [
        span
        for m in messages
        for b in m.blocks
        if isinstance(b, Paragraph | Context)
        for span in inline(b)
    ]


def _literal(written: str, spans: list[Span]) -> None:
    """`written` is one span of its own, and nothing of it was read as markup."""
    assert written in [s.text for s in spans], f"{written!r} is not whole in {spans}"
    read = [s for s in spans if (s.bold or s.italic or s.code) and s.text in written]
    assert [s.text for s in read if s.text != written] == [], "a part of it became markup"


def _join(play: Play) -> None:
    play.do(cmd.Join(user="bob", name=NAME))
    play.do(cmd.Join(user="cas", name=OTHER))


def _voted(*, anonymous: bool, then: dict[str, object]) -> tuple[Play, list[Message]]:
    """Bob's case, with markup in it, chosen by the vote; and what the vote's end says."""
    play = Play(
        protocol(
            step("propose", "collect", anonymous=anonymous, max_per_person=1),
            step("choose", "vote", source="propose", assigns_role="case_owner"),
            then,
            roles=VOTE_ROLES,
        )
    )
    _join(play)
    play.advance()
    play.do(cmd.Contribute(user="bob", text=CASE))
    play.advance()
    play.do(cmd.Vote(user="ann", item_ids=["i1"]))
    before = play.s
    events = play.advance()
    return play, notices(before, events, play.s)


def test_a_case_with_markup_in_it_stays_literal_while_its_author_is_asked() -> None:
    play, told = _voted(anonymous=True, then=step("case", "speak", ["case_owner"]))
    assert {m.audience for m in told} >= {None, "bob"}, "the group hears, the author is asked"
    _literal(CASE, _spans(told))
    _literal(CASE, _spans([card(play.s, play.now)]))
    before = play.s
    events = play.do(cmd.AnswerOffer(user="bob", item_id="i1", accept=True))
    told = notices(before, events, play.s)
    _literal(CASE, _spans(told))
    _literal(NAME, _spans(told))


def test_a_chosen_case_and_its_authors_name_stay_literal() -> None:
    notes = step("notes", "collect", ["advisor"], visibility="case_owner")
    play, told = _voted(anonymous=False, then=notes)
    _literal(CASE, _spans(told))
    _literal(NAME, _spans(told))
    before = play.s
    events = play.do(cmd.Contribute(user="cas", text=CASE + " (voor Bob)"))
    [private] = notices(before, events, play.s)
    assert private.audience == "bob"
    _literal(CASE + " (voor Bob)", _spans([private]))
    # The case owner's panel lists it as written.
    mine = panel(play.s, "bob", play.now)
    assert mine is not None
    listed = [i.text for b in mine.blocks if isinstance(b, ItemList) for i in b.items]
    assert CASE + " (voor Bob)" in listed


def test_names_with_markup_stay_literal_on_the_card_and_in_the_turns() -> None:
    play = Play(protocol(step("round", "round_robin"), step("end", "instruction")))
    _join(play)
    play.advance()
    round_robin = play.s.step
    assert round_robin is not None
    told: list[Message] = []
    while play.s.turn_holder(round_robin) != "bob":
        before = play.s
        told = notices(before, play.do(cmd.NextTurn(user="ann")), play.s)
    _literal(NAME, _spans(told))
    _literal(NAME, _spans([card(play.s, play.now)]))


def test_names_with_markup_stay_literal_where_the_card_waits_for_them() -> None:
    play = Play(
        protocol(step("notes", "collect", hours=24), step("end", "instruction")), mode="async"
    )
    _join(play)
    play.advance()
    _literal(f"Ann, {NAME}, {OTHER}", _spans([card(play.s, play.now)]))


def test_ones_own_text_with_markup_comes_back_as_written_to_change() -> None:
    play = Play(protocol(step("notes", "collect"), step("end", "instruction")))
    _join(play)
    play.advance()
    play.do(cmd.Contribute(user="cas", text=CASE))
    edit = panel(play.s, "cas", play.now, f"edit:{play.s.items[0].id}")
    assert edit is not None
    [form] = [b for b in edit.blocks if isinstance(b, Form)]
    assert [f.initial for f in form.inputs if isinstance(f, TextInput)] == [CASE]


@pytest.mark.parametrize(
    ("table", "without"),
    [(steps._BY_KIND, set()), (forms._BY_KIND, {"instruction"})],
    ids=["card", "forms"],
)
def test_every_step_kind_has_its_view(table: dict[str, object], without: set[str]) -> None:
    kinds = {
        typing.get_args(kind.model_fields["kind"].annotation)[0]
        for kind in typing.get_args(typing.get_args(Step)[0])
    }
    assert set(table) == kinds - without


def test_plain_words_are_the_spans_text() -> None:
    play = Play(
        protocol(step("notes", "collect", hours=24), step("end", "instruction")), mode="async"
    )
    _join(play)
    play.advance()
    notes = [b for b in card(play.s, play.now).blocks if isinstance(b, Context) and b.spans]
    assert notes and all(b.text == plain(b.spans) for b in notes)


def test_a_question_its_asker_and_who_leaves_stay_literal_in_the_guides_messages() -> None:
    question = "Wat deed *Sem* _toen_ in `3B`?"
    play = Play(
        protocol(
            step("ask", "collect", ["advisor"], questions_only=True),
            step("answer", "respond", ["case_owner"], source="ask"),
        )
    )
    _join(play)
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    play.do(cmd.Contribute(user="cas", text=question))
    play.do(cmd.Contribute(user="ann", text="En daarna?"))
    before = play.s
    events = play.advance()
    posted = [m for m in notices(before, events, play.s) if m.slot]
    assert posted, "the first question gets its own message"
    _literal(question, _spans(posted))
    _literal(OTHER, _spans(posted))
    before = play.s
    events = play.do(cmd.ReturnQuestion(user="ann", item_id=play.s.items[0].id))
    back = [m for m in notices(before, events, play.s) if m.audience == "cas"]
    _literal(question, _spans(back))
    before = play.s
    events = play.do(cmd.Leave(user="bob"))
    _literal(NAME, _spans(notices(before, events, play.s)))


def test_a_texts_numbers_join_its_words_and_a_name_stays_a_span_of_its_own() -> None:
    # So "*Vraag 1 van 3*" stays one bold run, as it always read in every channel.
    assert translated(guide.TEXTS, "question", "nl", n=1, total=3, author=NAME) == (
        Span("Vraag 1 van 3", bold=True),
        Span(" · "),
        Span(NAME),
    )
