"""Block Kit rendering: Slack's markup rules and limits, and nothing of the content lost."""

from __future__ import annotations

from datetime import date

import pytest

from bot.channels.slack import wire
from bot.channels.slack.blocks import (
    MESSAGE_CHARS,
    SlackMessage,
    read_submission,
    render_message,
    render_modal,
)
from bot.channels.slack.markup import escape, mrkdwn, plain, split_text
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
from tests.slack.limits import problems_in_message, problems_in_view


def _all_text(messages: list[SlackMessage]) -> str:
    out = []
    for message in messages:
        for block in message.blocks:
            for key in ("text",):
                if key in block:
                    out.append(block[key]["text"])
            for field in block.get("fields", []):
                out.append(field["text"])
            for element in block.get("elements", []):
                if element.get("type") == "mrkdwn":
                    out.append(element["text"])
    return "\n".join(out)


def _sentences(prefix: str, count: int) -> str:
    return " ".join(f"{prefix} zin {n} over de klas." for n in range(1, count + 1))


# -- markup --------------------------------------------------------------------------------


def test_user_text_cannot_ping_the_channel_or_break_the_markup() -> None:
    assert escape("<!channel> & <@U123>") == "&lt;!channel&gt; &amp; &lt;@U123&gt;"
    rendered = render_message(
        Message("x", (ItemList("Tot nu toe", (ListItem("<!here> kom", author="a&b"),)),)),
        round_id=None,
    )
    text = _all_text(rendered)
    assert "<!here>" not in text and "&lt;!here&gt; kom" in text and "a&amp;b" in text


def test_spans_become_mrkdwn_with_every_text_escaped() -> None:
    spans = (*light("Klik op *Meedoen* of typ `/dialoog help`: "), Span("<!here> & co"))
    assert mrkdwn(spans) == "Klik op *Meedoen* of typ `/dialoog help`: &lt;!here&gt; &amp; co"


def test_emphasis_hugs_its_words_on_every_line() -> None:
    spans = (
        Span("Rollen", bold=True),
        Span(": a"),
        Span(" niet beantwoord \nnog niet ", italic=True),
    )
    assert mrkdwn(spans) == "*Rollen*: a _niet beantwoord_ \n_nog niet_ "


def test_only_links_the_bot_made_become_links() -> None:
    assert mrkdwn((Span("de agenda", link="https://school.nl/feed"),)) == (
        "<https://school.nl/feed|de agenda>"
    )
    # An address that would break out of <...|...> is shown as text.
    assert mrkdwn((Span("x", link="https://a|<!channel>"),)) == "x"


def test_a_summary_flows_as_bold_titles_and_bullets() -> None:
    answer = (Span("Antwoord: "), Span("<b>zo</b>"))
    blocks = (
        Heading("Samenvatting: Incident", level=2),
        Paragraph.of((Span("Rollen", bold=True), Span(": Ann"))),
        Heading("Vragen", level=3),
        Bullets((Bullet((Span("Hoe?"),), under=(answer,)), Bullet((Span("Wie?"),)))),
        Heading("Advies", level=3),
        Bullets((Bullet((Span("Bel"), Span(" "), Span("(Dee)", italic=True))),)),
    )
    [message] = render_message(Message("x", blocks), round_id=None)
    assert [b["text"]["text"] for b in message.blocks] == [
        "*Samenvatting: Incident*",
        "*Rollen*: Ann",
        "*Vragen*\n• Hoe?\n    ◦ Antwoord: &lt;b&gt;zo&lt;/b&gt;\n• Wie?"
        "\n\n*Advies*\n• Bel _(Dee)_",
    ]
    assert problems_in_message(list(message.blocks)) == []


def test_what_people_type_in_slack_is_read_back_as_plain_text() -> None:
    typed = "Zie <https://school.nl/plan|het plan> &amp; vraag <@U0BOB|bob> in <#C1|team> 3 &lt; 4"
    assert plain(typed) == "Zie het plan (https://school.nl/plan) & vraag @bob in #team 3 < 4"


def test_splitting_keeps_every_character_and_prefers_sentence_ends() -> None:
    text = _sentences("Lange", 300)
    pieces = split_text(text, 3000)
    assert all(len(p) <= 3000 for p in pieces)
    assert " ".join(pieces) == text
    assert all(p.endswith(".") for p in pieces)


def test_splitting_never_cuts_an_escape_in_two() -> None:
    text = escape("&" * 2000)
    pieces = split_text(text, 2998)
    assert all(p.endswith(";") or p == "" for p in pieces)
    assert "".join(pieces) == text


# -- messages -------------------------------------------------------------------------------


def test_a_long_paragraph_becomes_several_sections_with_all_its_text() -> None:
    text = _sentences("Alinea", 400)  # about 11,000 characters
    rendered = render_message(Message("lang", (Paragraph(text),)), round_id=None)
    joined = " ".join(_all_text(rendered).split())
    for n in (1, 200, 400):
        assert f"Alinea zin {n} over de klas." in joined
    for message in rendered:
        assert problems_in_message(list(message.blocks)) == []


def test_a_card_too_long_for_one_message_continues_with_its_buttons_first() -> None:
    items = tuple(
        ListItem(_sentences(f"Bijdrage {n}", 30), author=f"collega {n}") for n in range(1, 41)
    )
    card = Message(
        "kaart",
        (
            Heading("Incidentmethode"),
            Paragraph("*Stap 2 van 12: Incidenten inbrengen*"),
            ItemList("Tot nu toe", items),
            Context("Nog 5 minuten"),
            Fields((("Gespreksleider", "ann"), ("Inbrenger", "nog niemand"))),
            Buttons((Button("join", "Meedoen"), Button("advance", "Volgende stap", "propose"))),
        ),
        slot="card",
    )
    rendered = render_message(card, round_id="r1")
    assert len(rendered) > 3
    for message in rendered:
        assert problems_in_message(list(message.blocks)) == []
        assert sum(len(str(b)) for b in message.blocks) < MESSAGE_CHARS * 2
    # The buttons stay on the first message: that one is the card, updated in place.
    assert [b["type"] for b in rendered[0].blocks].count("actions") == 1
    assert all(b["type"] != "actions" for m in rendered[1:] for b in m.blocks)
    # Each part says where it is, and together they hold every contribution.
    assert rendered[0].blocks[-1]["elements"][0]["text"] == f"1/{len(rendered)} …"
    assert rendered[1].blocks[0]["elements"][0]["text"] == f"… 2/{len(rendered)}"
    joined = " ".join(_all_text(rendered).split())
    for n in range(1, 41):
        assert f"Bijdrage {n} zin 30 over de klas. — _collega {n}_" in joined
    assert "Nog 5 minuten" in joined and "nog niemand" in joined


def test_buttons_carry_the_round_and_their_action() -> None:
    message = Message("m", (Buttons((Button("advance", "Volgende stap", "rules", "primary"),)),))
    (rendered,) = render_message(message, round_id="abc123")
    block = rendered.blocks[0]
    element = block["elements"][0]
    assert wire.read_action(element["action_id"], block["block_id"]) == ("advance", "abc123")
    assert element["value"] == "rules" and element["style"] == "primary"


def test_a_long_button_label_is_shortened_visibly() -> None:
    label = "Ik ben " + "heel erg lange rol " * 10
    (rendered,) = render_message(
        Message("m", (Buttons((Button("volunteer", label),)),)), round_id=None
    )
    text = rendered.blocks[0]["elements"][0]["text"]["text"]
    assert len(text) == 75 and text.endswith("…")


def test_a_button_value_slack_cannot_carry_is_an_error_not_a_cut() -> None:
    with pytest.raises(ValueError, match="exceeds 2000"):
        render_message(Message("m", (Buttons((Button("x", "x", "v" * 2001),)),)), round_id=None)


def test_many_fields_are_spread_over_sections_of_ten() -> None:
    pairs = tuple((f"Rol {n}", f"persoon {n}") for n in range(23))
    (rendered,) = render_message(Message("m", (Fields(pairs),)), round_id=None)
    assert [len(b["fields"]) for b in rendered.blocks] == [10, 10, 3]


def test_an_empty_context_is_left_out() -> None:
    (rendered,) = render_message(Message("m", (Paragraph("a"), Context(""))), round_id=None)
    assert [b["type"] for b in rendered.blocks] == ["section"]


# -- modals ---------------------------------------------------------------------------------


def _respond_panel(questions: int, length: int = 40) -> Message:
    forms = tuple(
        Form(
            "respond",
            f"Vraag {n}: " + "waarom " * (length // 7),
            "Verstuur",
            (TextInput("text", "Jouw antwoord"),),
            value=f"information:item{n}",
        )
        for n in range(questions)
    )
    return Message("Informatieronde", (Heading("Informatieronde"), *forms), audience="U1")


def test_a_modal_holds_several_forms_each_optional_until_sent() -> None:
    view = render_modal(_respond_panel(3), round_id="r1", channel="C1", language="nl")
    assert problems_in_view(view) == []
    meta = wire.ModalMeta.decode(view["private_metadata"])
    assert [f.value for f in meta.forms] == [f"information:item{n}" for n in range(3)]
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert len(inputs) == 3 and all(b["optional"] for b in inputs)


def test_forms_that_do_not_fit_one_modal_wait_for_the_next_and_it_says_so() -> None:
    view = render_modal(_respond_panel(80, 600), round_id="r1", channel="C1", language="en")
    assert problems_in_view(view) == []
    meta = wire.ModalMeta.decode(view["private_metadata"])
    assert 0 < len(meta.forms) < 80
    assert "There is more for you to fill in." in view["blocks"][-1]["elements"][0]["text"]


def test_choices_beyond_slacks_limits_are_split_and_shown_in_full() -> None:
    options = tuple(Option(f"i{n}", f"Incident {n}: " + "lang verhaal " * 10) for n in range(130))
    panel = Message(
        "Stem",
        (
            Heading("Incident kiezen"),
            Form(
                "vote",
                "Incident kiezen",
                "Verstuur",
                (ChoiceInput("items", "Jouw keuze", options, max_selected=2),),
                value="choose",
            ),
        ),
    )
    view = render_modal(panel, round_id="r1", channel="C1", language="nl")
    assert problems_in_view(view) == []
    selects = [b for b in view["blocks"] if b["type"] == "input"]
    assert [len(b["element"]["options"]) for b in selects] == [100, 30]
    assert selects[0]["label"]["text"] == "Jouw keuze (1/2)"
    shown = "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")
    assert "De keuzes voluit:" in shown and options[129].label in shown


def test_a_single_form_uses_slacks_own_required_check_and_a_small_choice_radio_buttons() -> None:
    panel = Message(
        "Evaluatie",
        (
            Heading("Evaluatie"),
            Form(
                "reflect",
                "Evaluatie",
                "Verstuur",
                (
                    ChoiceInput(
                        "rating", "Cijfer", tuple(Option(str(n), str(n)) for n in range(1, 6))
                    ),
                    TextInput("text", "Wat neem je mee?", required=False),
                    DateInput("due", "Uiterlijk op", initial=date(2026, 12, 8)),
                ),
                value="evaluation",
            ),
        ),
    )
    view = render_modal(panel, round_id="r1", channel="C1", language="nl")
    rating, takeaway, due = (b for b in view["blocks"] if b["type"] == "input")
    assert rating["element"]["type"] == "radio_buttons" and rating["optional"] is False
    assert takeaway["optional"] is True
    assert due["element"] == {"type": "datepicker", "action_id": "v", "initial_date": "2026-12-08"}


# -- submissions ----------------------------------------------------------------------------


def _text_state(value: str | None) -> dict[str, object]:
    return {"v": {"type": "plain_text_input", "value": value}}


def test_a_submission_yields_the_fields_of_each_filled_form() -> None:
    values = {
        "f0:text:0:1": _text_state("Ze keken toe."),
        "f1:text:0:1": _text_state(None),
        "f2:items:0:0": {
            "v": {"type": "multi_static_select", "selected_options": [{"value": "a"}]}
        },
        "f2:items:1:0": {
            "v": {"type": "multi_static_select", "selected_options": [{"value": "b"}]}
        },
    }
    submission = read_submission(values, forms=3)
    assert submission.filled == {0: {"text": "Ze keken toe."}, 2: {"items": ["a", "b"]}}
    assert submission.errors == {}


def test_a_required_input_left_empty_is_named_in_the_modal() -> None:
    values = {
        "f0:rating:0:1": {"v": {"type": "radio_buttons", "selected_option": None}},
        "f0:text:0:0": _text_state("Iets"),
    }
    assert read_submission(values, forms=1).errors == {"f0:rating:0:1": "modal.required"}


def test_a_modal_of_several_forms_sent_empty_asks_for_at_least_one() -> None:
    values = {"f0:text:0:1": _text_state(""), "f1:text:0:1": _text_state(None)}
    assert read_submission(values, forms=2).errors == {"f0:text:0:1": "modal.fill_one"}


@pytest.mark.parametrize(
    "values",
    [
        {"nonsense": _text_state("x")},
        {"f5:text:0:1": _text_state("x")},
        {"f0:text:0:1": {"v": {"type": "unknown_element"}}},
        {"f0:text:0:1": "not a mapping"},
    ],
)
def test_a_submission_none_of_our_modals_produces_is_refused(values: dict[str, object]) -> None:
    with pytest.raises(wire.WireError):
        read_submission(values, forms=1)
