"""Adaptive Cards from the neutral messages, and submits back: pure functions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.channels.teams.cards import (
    MAX_CARD_BYTES,
    CardTooLarge,
    MalformedSubmit,
    Mention,
    markdown,
    read_submit,
    render,
    size_of,
)
from bot.engine.messages import (
    Bullet,
    Bullets,
    Button,
    Buttons,
    ChoiceInput,
    Context,
    DateInput,
    Fields,
    Form,
    Heading,
    ItemList,
    ListItem,
    Message,
    Option,
    Paragraph,
    Span,
    TextInput,
    light,
)


def texts(card: dict[str, Any]) -> list[str]:
    return [e["text"] for e in card["body"] if e["type"] == "TextBlock"]


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]]


def message(*blocks: Any, text: str = "fallback") -> Message:
    return Message(text=text, blocks=tuple(blocks))


def test_a_card_is_an_adaptive_card_1_5_at_full_width() -> None:
    [card] = render(message(Paragraph("Hallo")), round_id=None, language="nl")
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert card["msteams"] == {"width": "Full"}


def test_every_block_kind_is_rendered() -> None:
    [card] = render(
        message(
            Heading("Incidentmethode"),
            Paragraph("*Stap 1* van _veertien_\nTweede regel"),
            Context("Nog 5 minuten"),
            Fields((("Inbrenger", "Bob"), ("Gespreksleider", "Ann"))),
            ItemList("Ingebracht", (ListItem("Een incident", author="Bob", note="2 stemmen"),)),
        ),
        round_id="r1",
        language="nl",
    )
    body = card["body"]
    assert body[0] == {
        "type": "TextBlock",
        "text": "Incidentmethode",
        "wrap": True,
        "size": "Large",
        "weight": "Bolder",
    }
    assert texts(card)[1:3] == ["**Stap 1** van _veertien_", "Tweede regel"]
    assert body[3]["isSubtle"] is True and body[3]["size"] == "Small"
    facts = next(e for e in body if e["type"] == "FactSet")["facts"]
    assert facts == [
        {"title": "Inbrenger", "value": "Bob"},
        {"title": "Gespreksleider", "value": "Ann"},
    ]
    assert texts(card)[-3:] == ["Ingebracht", "Een incident", "Bob · 2 stemmen"]


def test_a_marked_item_shows_a_check() -> None:
    [card] = render(
        message(ItemList("Advies", (ListItem("Doe het", marked=True),))),
        round_id=None,
        language="nl",
    )
    assert "✓ Doe het" in texts(card)


def test_an_empty_timer_line_is_left_out() -> None:
    [card] = render(message(Paragraph("x"), Context("")), round_id=None, language="nl")
    assert texts(card) == ["x"]


def test_buttons_are_action_submits_carrying_round_action_and_value() -> None:
    buttons = Buttons(
        (
            Button("join", "Meedoen"),
            Button("advance", "Volgende stap", value="rules", style="primary"),
            Button("cancel", "Stoppen", style="danger"),
        )
    )
    [card] = render(message(Paragraph("x"), buttons), round_id="r1", language="nl")
    join, advance, cancel = actions(card)
    assert join == {
        "type": "Action.Submit",
        "title": "Meedoen",
        "data": {"dialoog": {"round": "r1", "action": "join", "value": ""}},
    }
    assert advance["style"] == "positive" and advance["data"]["dialoog"]["value"] == "rules"
    assert cancel["style"] == "destructive"


def test_many_buttons_are_spread_over_rows_of_at_most_five() -> None:
    buttons = Buttons(tuple(Button("start", f"Methode {n}", value=str(n)) for n in range(11)))
    [card] = render(message(Paragraph("Kies"), buttons), round_id=None, language="nl")
    rows = [e for e in card["body"] if e["type"] == "ActionSet"]
    assert [len(r["actions"]) for r in rows] == [5, 5, 1]


def test_each_form_gets_a_card_of_its_own_with_its_inputs_and_one_submit() -> None:
    first = Form(
        "respond", "Wat deed je toen?", "Verstuur", (TextInput("text", "Antwoord"),), "s:i1"
    )
    second = Form("respond", "Wie was erbij?", "Verstuur", (TextInput("text", "Antwoord"),), "s:i2")
    cards = render(message(Heading("Informatieronde"), first, second), round_id="r1", language="nl")
    assert len(cards) == 2, "the heading joins the first form"
    assert texts(cards[0])[:2] == ["Informatieronde", "Wat deed je toen?"]
    for card, value in zip(cards, ("s:i1", "s:i2"), strict=True):
        [submit] = actions(card)
        assert submit["data"]["dialoog"] == {
            "round": "r1",
            "action": "respond",
            "value": value,
            "form": True,
        }
        assert [e["id"] for e in card["body"] if e["type"].startswith("Input.")] == ["text"]


def test_inputs_become_text_choice_and_date_inputs() -> None:
    form = Form(
        "add_action",
        "Wat je gaat doen",
        "Verstuur",
        (
            TextInput("text", "Actie", max_length=500, placeholder="Ik ga..."),
            ChoiceInput("owner", "Wie", (Option("u1", "Ann"), Option("u2", "Bob"))),
            ChoiceInput(
                "items",
                "Kies",
                tuple(Option(f"i{n}", f"Item {n}") for n in range(8)),
                max_selected=3,
                required=False,
            ),
            DateInput("due", "Wanneer", initial=date(2026, 12, 8)),
        ),
    )
    [card] = render(message(form), round_id="r1", language="en")
    text, owner, items, due = (e for e in card["body"] if e["type"].startswith("Input."))
    assert text == {
        "type": "Input.Text",
        "id": "text",
        "label": "Actie",
        "isMultiline": True,
        "maxLength": 500,
        "placeholder": "Ik ga...",
        "isRequired": True,
        "errorMessage": "Please fill this in.",
    }
    assert owner["type"] == "Input.ChoiceSet" and owner["style"] == "expanded"
    assert owner["choices"] == [{"title": "Ann", "value": "u1"}, {"title": "Bob", "value": "u2"}]
    assert owner["isMultiSelect"] is False and owner["isRequired"] is True
    assert items["isMultiSelect"] is True and items["style"] == "compact"
    assert "isRequired" not in items
    assert due == {"type": "Input.Date", "id": "due", "label": "Wanneer", "value": "2026-12-08"}
    [submit] = actions(card)
    assert submit["data"]["dialoog"]["multi"] == ["items"]


def test_a_mention_addresses_the_person_at_the_top() -> None:
    [card] = render(
        message(Paragraph("Je doet nog niet mee.")),
        round_id=None,
        language="nl",
        mention=Mention("29:abc", "Dee Visser"),
    )
    assert texts(card)[0] == "<at>Dee Visser</at>"
    assert card["msteams"]["entities"] == [
        {
            "type": "mention",
            "text": "<at>Dee Visser</at>",
            "mentioned": {"id": "29:abc", "name": "Dee Visser"},
        }
    ]


def test_the_engines_markup_becomes_card_markdown() -> None:
    assert markdown(light("Klik op *Meedoen*.")) == "Klik op **Meedoen**."
    assert markdown(light("Typ `@dialoog start`")) == "Typ **@dialoog start**"
    assert markdown(light("al **vet** en _schuin_")) == "al **vet** en _schuin_"
    assert markdown(light("3 * 4 = 12")) == r"3 \* 4 = 12"


def test_what_a_span_says_is_shown_as_written() -> None:
    written = Span("**vet** [klik](https://evil.example) `x`")
    assert markdown((Span("Gekozen", bold=True), Span(": "), written)) == (
        r"**Gekozen**: \*\*vet\*\* \[klik\](https://evil.example) \`x\`"
    )


def test_a_summary_is_bold_titles_by_size_and_bullets() -> None:
    answer = (Span("Antwoord: "), Span("_zo_"))
    summary = message(
        Heading("Samenvatting", level=2),
        Heading("Vragen", level=3),
        Bullets((Bullet((Span("een vraag"),), under=(answer,)),)),
    )
    [card] = render(summary, round_id=None, language="nl")
    title, section, line, under = card["body"]
    assert (title["text"], title["weight"], title["size"]) == ("Samenvatting", "Bolder", "Medium")
    assert (section["text"], section["weight"]) == ("Vragen", "Bolder")
    assert "size" not in section
    assert line["text"] == "- een vraag"
    assert under["text"] == r"  - Antwoord: \_zo\_"


# -- size ---------------------------------------------------------------------------------


def _all_text(cards: list[dict[str, Any]]) -> str:
    return "".join("".join(texts(c)) for c in cards)


def test_an_oversized_message_is_split_over_cards_each_within_the_limit() -> None:
    items = tuple(ListItem(f"Bijdrage {n}: " + "woord " * 400, author=f"P{n}") for n in range(40))
    big = message(
        Heading("Incidentmethode"),
        ItemList("Ingebracht", items),
        Buttons((Button("join", "Meedoen"), Button("advance", "Volgende stap", style="primary"))),
    )
    cards = render(big, round_id="r1", language="nl")

    assert len(cards) > 3
    assert all(size_of(c) <= MAX_CARD_BYTES for c in cards)
    for n in range(40):
        assert f"Bijdrage {n}: " in _all_text(cards), "nothing left out"
    assert [a["title"] for a in actions(cards[0])] == ["Meedoen", "Volgende stap"]
    assert all(not actions(c) for c in cards[1:]), "the buttons stay on the first card"
    assert (
        texts(cards[0])[-1]
        == f"(deel 1 van {len(cards)}; het vervolg staat in de berichten hieronder)"
    )
    assert texts(cards[1])[0] == f"(vervolg, deel 2 van {len(cards)})"


def test_one_huge_paragraph_is_split_between_words_and_kept_whole() -> None:
    text = " ".join(f"w{n}" for n in range(12_000))
    cards = render(message(Paragraph(text)), round_id=None, language="en", max_bytes=8_000)

    assert len(cards) > 5
    assert all(size_of(c) <= 8_000 for c in cards)
    pieces = [t for c in cards for t in texts(c) if not t.startswith("(")]
    assert " ".join(pieces).split() == text.split()


def test_non_ascii_text_is_measured_as_sent() -> None:
    text = "é" * 30_000  # six bytes each once escaped as \\u00e9
    cards = render(message(Paragraph(text)), round_id=None, language="nl")
    assert all(size_of(c) <= MAX_CARD_BYTES for c in cards)
    assert "".join(t for c in cards for t in texts(c) if not t.startswith("(")) == text


def test_a_form_too_large_for_one_card_is_refused_rather_than_cut() -> None:
    options = tuple(Option(f"i{n}", "x" * 150) for n in range(400))
    form = Form("vote", "Stem", "Verstuur", (ChoiceInput("items", "Kies", options),))
    with pytest.raises(CardTooLarge):
        render(message(form), round_id="r1", language="nl")


# -- submits --------------------------------------------------------------------------------


def test_a_submit_gives_round_action_value_and_fields() -> None:
    submit = read_submit(
        {
            "dialoog": {
                "round": "r1",
                "action": "vote",
                "value": "choose",
                "multi": ["items"],
                "form": True,
            },
            "items": "i1,i3",
            "note": "tekst, met komma",
        }
    )
    assert submit is not None
    assert (submit.round_id, submit.action, submit.value, submit.form) == (
        "r1",
        "vote",
        "choose",
        True,
    )
    assert submit.fields == {"items": ["i1", "i3"], "note": "tekst, met komma"}


def test_a_value_that_is_not_ours_is_not_a_submit() -> None:
    assert read_submit({"something": "else"}) is None
    assert read_submit("text") is None
    assert read_submit(None) is None


@pytest.mark.parametrize(
    "value",
    [
        {"dialoog": "join"},
        {"dialoog": {"round": "r1"}},
        {"dialoog": {"action": "join", "round": 5}},
        {"dialoog": {"action": "join", "value": ["x"]}},
        {"dialoog": {"action": "join", "multi": "items"}},
        {"dialoog": {"action": "contribute"}, "text": {"nested": True}},
    ],
)
def test_a_malformed_submit_is_recognised(value: dict[str, Any]) -> None:
    with pytest.raises(MalformedSubmit):
        read_submit(value)


def test_what_render_puts_on_a_button_comes_back_through_read_submit() -> None:
    form = Form(
        "pick",
        "Kies advies",
        "Verstuur",
        (ChoiceInput("items", "Kies", (Option("a", "A"), Option("b", "B")), max_selected=2),),
        value="pick-step",
    )
    [card] = render(message(form), round_id="r9", language="nl")
    [submit] = actions(card)
    back = read_submit({**submit["data"], "items": "a,b"})
    assert back is not None
    assert (back.round_id, back.action, back.value) == ("r9", "pick", "pick-step")
    assert back.fields == {"items": ["a", "b"]}
