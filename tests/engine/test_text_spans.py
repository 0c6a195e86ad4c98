"""Text is structure: the catalogs' light markup is read once, here, and what people
wrote is a span of its own that no channel turns into markup."""

from __future__ import annotations

from bot.engine import commands as cmd
from bot.engine import summary
from bot.engine.messages import (
    Bullets,
    Context,
    Heading,
    Message,
    Paragraph,
    Span,
    fill,
    light,
    message_from_json,
    message_to_json,
    plain_text,
    spelled_out,
)
from tests.engine.conftest import Play, protocol, step

LURE = "**vet** _schuin_ `code` [klik](https://evil.example) <!channel>"


def test_the_catalogs_light_markup_is_read_into_spans() -> None:
    assert light("Klik op *Meedoen* of typ `/dialoog help`, _later_ mag ook.") == (
        Span("Klik op "),
        Span("Meedoen", bold=True),
        Span(" of typ "),
        Span("/dialoog help", code=True),
        Span(", "),
        Span("later", italic=True),
        Span(" mag ook."),
    )


def test_stars_and_underscores_inside_words_or_sums_are_text() -> None:
    assert light("3 * 4 = 12 en snake_case_naam") == (Span("3 * 4 = 12 en snake_case_naam"),)


def test_a_texts_parameters_stay_literal_and_whole_in_the_style_around_them() -> None:
    spans = fill("*{name}* schreef: {text}", name="Ann *de* Vries", text=LURE)
    assert spans == (Span("Ann *de* Vries", bold=True), Span(" schreef: "), Span(LURE))


def test_a_parameter_may_carry_a_format_and_a_line_break() -> None:
    spans = fill("Gemiddeld {avg:.1f}: {text}", avg=3.25, text="regel 1\nregel 2")
    assert spans == (Span("Gemiddeld "), Span("3.2"), Span(": "), Span("regel 1\nregel 2"))


def test_a_summary_keeps_what_people_wrote_as_one_unstyled_span() -> None:
    play = Play(protocol(step("cases", "collect", ["advisor"]), step("end", "instruction")))
    play.join("bob", "cas")
    play.advance()
    play.do(cmd.Contribute(user="cas", text=LURE))
    play.advance()
    play.advance()
    told = summary(play.s, viewer=None)
    assert isinstance(told[0], Heading) and told[0].level == 2
    written = [span for b in told if isinstance(b, Bullets) for p in b.items for span in p.spans]
    assert Span(LURE) in written
    assert not [s for s in written if "vet" in s.text and (s.bold or s.italic or s.link)]
    assert LURE in plain_text(told)


def test_messages_with_spans_travel_through_the_outbox_as_they_are() -> None:
    message = Message(
        "x",
        (
            Heading("Samenvatting", level=2),
            Paragraph.of((Span("Rollen", bold=True), Span(": Ann"))),
            Context("Nog *5* minuten"),
        ),
    )
    assert message_from_json(message_to_json(message)) == message
    assert message.blocks[1].text == "Rollen: Ann"  # type: ignore[union-attr]


def test_a_stored_message_from_before_spans_still_reads() -> None:
    old = {"text": "x", "blocks": [{"kind": "paragraph", "text": "Klik *hier*"}]}
    message = message_from_json(old)
    assert message.blocks == (Paragraph("Klik *hier*"),)


def test_spelled_out_gives_every_paragraph_and_note_its_spans() -> None:
    message = spelled_out(Message("x", (Paragraph("Klik *hier*"), Context("_zacht_"))))
    assert [b.spans for b in message.blocks] == [  # type: ignore[union-attr]
        (Span("Klik "), Span("hier", bold=True)),
        (Span("zacht", italic=True),),
    ]
