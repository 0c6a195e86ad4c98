"""The neutral message model: what the engine says, before any channel renders it.

Slack renders it as Block Kit, Teams as Adaptive Cards, the web chat as HTML.
Actions name what a click or a form means (see `bot.engine.actions`).

Text is structure, not markup: a paragraph is a run of `Span`s (bold, italic,
code, a link, line breaks as newlines), a summary is headings and `Bullets`. No
channel parses Markdown; each renders spans in its own dialect and escapes every
span's text, so what someone wrote never becomes bold or a link. The catalogs'
own light markup (`*bold*`, `_italic_`, a `command`) is read here, once, by
`light` and `fill` (a text's parameters stay literal).
"""

from __future__ import annotations

import base64
import functools
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field as PydField
from pydantic import TypeAdapter

from bot.engine.vocabulary import Action
from bot.i18n import Catalog, Language, format_field


@dataclass(frozen=True)
class Span:
    """Literal text in one style. A newline in `text` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    # Where the text links to: only addresses the bot made, never what someone wrote.
    link: str | None = None


Spans = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    """A title: 1 the message's own, 2 a section (a summary's), 3 a part of one."""

    text: str
    kind: Literal["heading"] = "heading"
    level: Literal[1, 2, 3] = 1


@dataclass(frozen=True)
class Paragraph:
    """Text. `spans` is its structure; without them `text` is a catalog text in the
    light markup (*bold*, _italic_, `command`), read by `inline`. With them,
    `text` is the same words without styles (for previews)."""

    text: str
    kind: Literal["paragraph"] = "paragraph"
    spans: Spans = ()

    @classmethod
    def of(cls, spans: Iterable[Span]) -> Paragraph:
        spans = tuple(spans)
        return cls(plain(spans), spans=spans)


@dataclass(frozen=True)
class Context:
    """Small print: the timer, who is still expected, a hint. Text as in Paragraph."""

    text: str
    kind: Literal["context"] = "context"
    spans: Spans = ()


@dataclass(frozen=True)
class Bullet:
    """One point of a list, with points under it (an answer under its question)."""

    spans: Spans
    under: tuple[Spans, ...] = ()


@dataclass(frozen=True)
class Bullets:
    """A list of points (a summary's section). Not `ItemList`: no authors, no marks."""

    items: tuple[Bullet, ...]
    kind: Literal["bullets"] = "bullets"


@dataclass(frozen=True)
class Fields:
    pairs: tuple[tuple[str, str], ...]
    kind: Literal["fields"] = "fields"


@dataclass(frozen=True)
class ListItem:
    text: str
    author: str | None = None
    note: str | None = None
    marked: bool = False


@dataclass(frozen=True)
class ItemList:
    title: str
    items: tuple[ListItem, ...]
    kind: Literal["item_list"] = "item_list"


@dataclass(frozen=True)
class Recall:
    """What an earlier step brought, shown again where a later step works on it
    (the protocol's `shows:`). A `folded` recall may be shown by its title alone,
    to be opened on request; a step's latest recall is never folded."""

    step_id: str
    title: str
    items: tuple[ListItem, ...]
    folded: bool = False
    # What a channel that cannot fold offers instead: a link to the whole text
    # (a button with the `open` action and value), labelled so.
    open_label: str = ""
    open_action: str = ""
    open_value: str = ""
    kind: Literal["recall"] = "recall"


@dataclass(frozen=True)
class Button:
    action: Action
    label: str
    value: str = ""
    style: Literal["primary", "danger", "default"] = "default"


@dataclass(frozen=True)
class Buttons:
    buttons: tuple[Button, ...]
    kind: Literal["buttons"] = "buttons"


@dataclass(frozen=True)
class TextInput:
    name: str
    label: str
    multiline: bool = True
    required: bool = True
    max_length: int = 3000
    placeholder: str = ""
    # What the field already holds (the person's own text, to change).
    initial: str = ""
    kind: Literal["text_input"] = "text_input"


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class ChoiceInput:
    name: str
    label: str
    options: tuple[Option, ...]
    min_selected: int = 1
    max_selected: int = 1
    required: bool = True
    kind: Literal["choice_input"] = "choice_input"


@dataclass(frozen=True)
class DateInput:
    name: str
    label: str
    initial: date | None = None
    kind: Literal["date_input"] = "date_input"


@dataclass(frozen=True)
class File:
    """A file that goes with the message: a chart image, a document.

    `data` is the content in base64 (messages travel as JSON through the
    outbox). `alt` says in words what an image shows, for screen readers;
    the numbers themselves are always in the message's text blocks too.
    """

    name: str
    media_type: str
    data: str
    alt: str = ""
    kind: Literal["file"] = "file"

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    def content(self) -> bytes:
        return base64.b64decode(self.data)

    @classmethod
    def of(cls, name: str, media_type: str, content: bytes, alt: str = "") -> File:
        return cls(name, media_type, base64.b64encode(content).decode("ascii"), alt)


Input = Annotated[TextInput | ChoiceInput | DateInput, PydField(discriminator="kind")]


@dataclass(frozen=True)
class Form:
    """A form one person fills in; submitting it performs `action` with `value`."""

    action: Action
    title: str
    submit_label: str
    inputs: tuple[Input, ...]
    value: str = ""
    kind: Literal["form"] = "form"


Block = Annotated[
    Heading | Paragraph | Context | Bullets | Fields | ItemList | Recall | Buttons | Form | File,
    PydField(discriminator="kind"),
]


@dataclass(frozen=True)
class Message:
    """One message. audience None is the round's channel thread; else a user id,
    privately. A slot names a message that is updated in place (the round card)."""

    text: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    audience: str | None = None
    slot: str | None = None


_MESSAGE = TypeAdapter(Message)


def message_to_json(message: Message) -> dict[str, Any]:
    """A message as JSON, for the outbox."""
    data: dict[str, Any] = _MESSAGE.dump_python(message, mode="json")
    return data


def message_from_json(data: dict[str, Any]) -> Message:
    return _MESSAGE.validate_python(data)


# -- text as spans --------------------------------------------------------------------

# The catalogs' light markup: `command`, **bold**, *bold*, _italic_ (not inside words).
_LIGHT = re.compile(
    r"`(?P<code>[^`\n]+)`"
    r"|\*\*(?P<strong>[^*\n]+)\*\*"
    r"|(?<![\w*])\*(?=\S)(?P<bold>[^*\n]+?)(?<=\S)\*(?![\w*])"
    r"|(?<!\w)_(?=\S)(?P<italic>[^_\n]+?)(?<=\S)_(?!\w)"
)
# Stand-ins for a text's parameters while its markup is read (private-use characters).
_SLOT = 0xE000
_SLOTS = re.compile("([\ue000-\uf8ff])")


# Kept: the same catalog texts are read for every card drawn (a click's whole card).
@functools.lru_cache(maxsize=4096)
def light(text: str) -> Spans:
    """A catalog text's light markup as spans. Only for texts of our own catalogs:
    what someone wrote goes in through `fill`'s parameters, or as a Span of its own."""
    out: list[Span] = []
    last = 0
    for match in _LIGHT.finditer(text):
        if match.start() > last:
            out.append(Span(text[last : match.start()]))
        if match["code"] is not None:
            out.append(Span(match["code"], code=True))
        elif match["italic"] is not None:
            out += [replace(s, italic=True) for s in light(match["italic"])]
        else:
            out += [replace(s, bold=True) for s in light(match["strong"] or match["bold"])]
        last = match.end()
    if last < len(text):
        out.append(Span(text[last:]))
    return tuple(out)


def fill(template: str, language: Language = "nl", /, **params: object) -> Spans:
    """A catalog template (str.format fields) as spans: its markup read, each
    parameter a literal span of its own in the style around it. So a name or a
    contribution never turns into markup, and stays whole for erasure. A field is
    written as `translate` writes it in that language (`{count:stem|stemmen}`)."""
    values: list[str] = []
    parts: list[str] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        parts.append(literal)
        if name is not None:
            parts.append(chr(_SLOT + len(values)))
            values.append(_field(language, params[name], spec, conversion))
    out: list[Span] = []
    for span in light("".join(parts)):
        for n, piece in enumerate(_SLOTS.split(span.text)):
            if n % 2:
                out.append(replace(span, text=values[ord(piece) - _SLOT]))
            elif piece:
                out.append(replace(span, text=piece))
    return tuple(out)


def translated(catalog: Catalog, key: str, language: Language, /, **params: object) -> Spans:
    """A catalog text as spans, as `translate` writes it: a number joins the words
    around it (it is the catalog's own); every other parameter is what someone wrote
    (a name, a contribution), a literal span of its own, as in `fill`."""
    dutch, english = catalog[key]
    template = dutch if language == "nl" else english
    numbers = {k: v for k, v in params.items() if isinstance(v, int | float)}
    words = {k: v for k, v in params.items() if k not in numbers}
    return fill(_written(template, language, numbers), language, **words)


def _written(template: str, language: Language, params: Mapping[str, object]) -> str:
    """`template` with the given fields written in and the others left as fields."""

    def literal(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    parts: list[str] = []
    for text, name, spec, conversion in string.Formatter().parse(template):
        parts.append(literal(text))
        if name is None:
            continue
        if name in params:
            parts.append(literal(_field(language, params[name], spec, conversion)))
        else:
            parts.append(
                f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            )
    return "".join(parts)


def _field(language: Language, value: object, spec: str | None, conversion: str | None) -> str:
    if conversion:
        value = repr(value) if conversion == "r" else str(value)
    return format_field(language, value, spec or "")


def inline(block: Paragraph | Context) -> Spans:
    """What a paragraph or a note says, as spans (its own, or its catalog text read)."""
    return block.spans or light(block.text)


_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)


def hug(text: str, mark: str) -> str:
    """`text` with `mark` before and its mirror after the words of each line: chat
    markups end emphasis at a line's end and want it to touch the words it marks."""
    if not mark:
        return text
    lines = []
    for line in text.split("\n"):
        edges = _EDGES.match(line)
        assert edges is not None  # the pattern matches every string
        before, words, after = edges.groups()
        lines.append(f"{before}{mark}{words}{mark[::-1]}{after}" if words else line)
    return "\n".join(lines)


def spelled_out(message: Message) -> Message:
    """The message with every paragraph and note as spans, for a renderer that reads
    nothing else (the web chat's page). Not for storing: stored copies keep the
    catalog text, so an erasure finds a person's words whole."""
    blocks = tuple(
        replace(b, spans=inline(b)) if isinstance(b, Paragraph | Context) else b
        for b in message.blocks
    )
    return replace(message, blocks=blocks)


def plain(spans: Iterable[Span]) -> str:
    return "".join(span.text for span in spans)


def plain_text(blocks: Sequence[Block]) -> str:
    """The words of some blocks without styles: a preview, a notification's text."""
    lines: list[str] = []
    for block in blocks:
        match block:
            case Heading(text=text):
                lines += ["", text] if lines else [text]
            case Paragraph() | Context():
                lines.append(plain(inline(block)))
            case Bullets(items=items):
                for item in items:
                    lines.append(f"- {plain(item.spans)}")
                    lines += [f"  - {plain(under)}" for under in item.under]
            case ItemList(title=title, items=list_items):
                lines += [title] + [f"- {item.text}" for item in list_items]
    return "\n".join(lines)
