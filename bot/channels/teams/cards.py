"""Adaptive Cards (schema 1.5) for the neutral messages, and the way back from a
card's Action.Submit. Pure functions: no Bot Framework types, no I/O.

A message becomes one or more cards. Teams refuses a message above about 28 KB,
so a long message is split over several cards, each under `max_bytes`; nothing is
ever left out. Each form gets a card of its own, because Action.Submit sends and
validates every input on its card.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.channels.teams.texts import TEXTS
from bot.engine.actions import FieldValue
from bot.engine.messages import (
    Block,
    Bullets,
    Button,
    Buttons,
    ChoiceInput,
    Context,
    DateInput,
    Fields,
    File,
    Form,
    Heading,
    Input,
    ItemList,
    ListItem,
    Message,
    Paragraph,
    Recall,
    Spans,
    TextInput,
    hug,
    inline,
)
from bot.errors import MalformedInput, Permanent
from bot.i18n import Language, translate

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
# Teams refuses messages above about 28 KB (the whole activity). The card gets
# this much; the rest is room for the activity around it.
MAX_CARD_BYTES = 24_000
# Teams shows a handful of buttons per row and hides the rest in a menu.
MAX_ACTIONS = 5
# Short choice lists show as radio buttons or check boxes, long ones as a dropdown.
_EXPANDED_CHOICES = 6
# The key under which our buttons carry what they mean; the rest of a submit is inputs.
DATA_KEY = "dialoog"

Card = dict[str, Any]
Element = dict[str, Any]


class CardTooLarge(Permanent):
    """A single form that does not fit in one card (it cannot be split): Teams would refuse it."""


class MalformedSubmit(MalformedInput):
    """A card submit that none of our cards produces."""


@dataclass(frozen=True)
class Mention:
    """Someone to address at the top of a card (Teams notifies them)."""

    id: str
    name: str


@dataclass(frozen=True)
class Submit:
    round_id: str | None
    action: str
    value: str
    fields: dict[str, FieldValue]
    # Sent from a form card (not a button on the round card).
    form: bool = False


# -- rendering -----------------------------------------------------------------------


def render(
    message: Message,
    *,
    round_id: str | None,
    language: Language,
    max_bytes: int = MAX_CARD_BYTES,
    mention: Mention | None = None,
) -> list[Card]:
    """The message as Adaptive Cards, in order, each at most `max_bytes` (as JSON)."""
    cards: list[Card] = []
    flow: list[Element] = []
    pinned: list[Element] = []
    for block in message.blocks:
        if isinstance(block, Form):
            form = _form_card(block, round_id, language)
            merged = _card([*flow, *form["body"]])
            if flow and size_of(merged) <= max_bytes and not pinned:
                cards.append(merged)
            else:
                cards += _pack(flow, pinned, max_bytes, language)
                if size_of(form) > max_bytes:
                    raise CardTooLarge(f"form {block.action} is {size_of(form)} bytes")
                cards.append(form)
            flow, pinned = [], []
        elif isinstance(block, Buttons):
            pinned += _action_sets(block.buttons, round_id)
        elif isinstance(block, File):
            flow.append(_file(block, max_bytes, language))
        else:
            flow += _elements(block, max_bytes)
    if flow or pinned or not cards:
        cards += _pack(flow or [_text(message.text)], pinned, max_bytes, language)
    if mention is not None:
        cards[0] = _mentioning(cards[0], mention)
    return cards


def size_of(data: object) -> int:
    """Bytes on the wire: the connector sends JSON with non-ASCII escaped."""
    return len(json.dumps(data, ensure_ascii=True, separators=(",", ":")))


def _card(body: Sequence[Element]) -> Card:
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": list(body),
        "msteams": {"width": "Full"},
    }


def _pack(
    flow: Sequence[Element], pinned: Sequence[Element], max_bytes: int, language: Language
) -> list[Card]:
    """Fill cards in order; buttons stay on the first card, where people look for them."""
    if not flow and not pinned:
        return []
    # Room for the "part n of m" notes that a split adds.
    note = size_of(_note("(" + "x" * 60 + ")"))
    budget = max_bytes - size_of(_card([])) - note
    first_budget = budget - sum(size_of(e) + 1 for e in pinned)
    if first_budget <= 0:
        # Buttons alone fill a card: let them flow like anything else.
        flow, pinned, first_budget = [*flow, *pinned], [], budget
    parts: list[list[Element]] = [[]]
    used = 0
    for element in flow:
        cost = size_of(element) + 1
        limit = first_budget if len(parts) == 1 else budget
        if parts[-1] and used + cost > limit:
            parts.append([])
            used = 0
        parts[-1].append(element)
        used += cost
    parts[0] += pinned
    total = len(parts)
    if total > 1:
        parts[0].append(_note(translate(TEXTS, "part_first", language, total=total)))
        for n, part in enumerate(parts[1:], start=2):
            part.insert(0, _note(translate(TEXTS, "part_next", language, n=n, total=total)))
    return [_card(part) for part in parts]


def _mentioning(card: Card, mention: Mention) -> Card:
    tag = f"<at>{mention.name}</at>"
    entity = {"type": "mention", "text": tag, "mentioned": {"id": mention.id, "name": mention.name}}
    msteams = {**card.get("msteams", {}), "entities": [entity]}
    return {**card, "body": [_text(tag), *card["body"]], "msteams": msteams}


# -- blocks -------------------------------------------------------------------------------


def _elements(block: Block, max_bytes: int) -> list[Element]:
    # Any one text block must fit in a card with room to spare.
    chunk = max(200, max_bytes // 3)
    match block:
        case Heading(text=text, level=level):
            # Card markdown has no headings: a title is a bold text block, by size.
            size = {1: "Large", 2: "Medium"}.get(level)
            return [_text(as_written(p), size=size, weight="Bolder") for p in _split(text, chunk)]
        case Paragraph():
            lines = _lines(markdown(inline(block)), chunk)
            return [_text(line, spacing="None" if n else None) for n, line in enumerate(lines)]
        case Context():
            lines = _lines(markdown(inline(block)), chunk)
            return [_note(line, spacing="None" if n else None) for n, line in enumerate(lines)]
        case Bullets(items=points):
            return [
                element
                for point in points
                for spans, mark in [(point.spans, "- "), *((u, "  - ") for u in point.under)]
                for element in _point(mark, spans, chunk)
            ]
        case Fields(pairs=pairs):
            return _fact_sets(pairs, chunk)
        case ItemList(title=title, items=items):
            out = [_text(no_links(part), weight="Bolder") for part in _split(title, chunk)]
            return out + _items(items, chunk)
        case Recall():
            return _recall(block, chunk)
    raise AssertionError(f"not a flowing block: {block!r}")


def _items(items: Sequence[ListItem], chunk: int) -> list[Element]:
    out: list[Element] = []
    for item in items:
        mark = "✓ " if item.marked else ""
        parts = _split(mark + item.text, chunk)
        out += [
            _text(as_written(p), spacing="Small" if n == 0 else "None") for n, p in enumerate(parts)
        ]
        byline = " · ".join(part for part in (item.author, item.note) if part)
        if byline:
            out += [_note(as_written(p), spacing="None") for p in _split(byline, chunk)]
    return out


def _recall(block: Recall, chunk: int) -> list[Element]:
    """An earlier step's outcome as one container that folds: a click on its title
    shows or hides the items (Action.ToggleVisibility), and the arrow turns with it.
    One element, so a card that is split never puts the title and the items apart;
    one too large for a card is shown open, split like a list."""
    title = no_links(block.title)
    body = _items(block.items, chunk)
    target = f"recall-{block.step_id}"
    closed, opened = f"{target}-closed", f"{target}-open"
    toggle = {"type": "Action.ToggleVisibility", "targetElements": [target, closed, opened]}
    header_closed = {**_text(f"▸ {title}", weight="Bolder"), "id": closed}
    header_open = {**_text(f"▾ {title}", weight="Bolder"), "id": opened}
    header_closed["isVisible"] = block.folded
    header_open["isVisible"] = not block.folded
    folding: Element = {
        "type": "Container",
        "style": "emphasis",
        "items": [
            {"type": "Container", "selectAction": toggle, "items": [header_closed, header_open]},
            {"type": "Container", "id": target, "isVisible": not block.folded, "items": body},
        ],
    }
    if size_of(folding) > chunk:
        return [_text(f"▾ {title}", weight="Bolder"), *body]
    return [folding]


def _file(file: File, max_bytes: int, language: Language) -> Element:
    """An image inline (a data URI: Teams fetches nothing from us); anything else,
    or an image too large for a card, as a note: its words are in the message."""
    if file.is_image:
        image: Element = {
            "type": "Image",
            "url": f"data:{file.media_type};base64,{file.data}",
            "altText": file.alt,
            "size": "Stretch",
        }
        # Room for the rest of the card around it.
        if size_of(image) <= max_bytes * 3 // 4:
            return image
    return _note(translate(TEXTS, "file_as_text", language, name=file.name))


def _point(mark: str, spans: Spans, chunk: int) -> list[Element]:
    """One point of a list: a text block per line, the list mark on the first."""
    lines = list(_lines(markdown(spans), chunk)) or [""]
    return [_text((mark if n == 0 else "") + line, spacing="None") for n, line in enumerate(lines)]


def _text(
    text: str, *, size: str | None = None, weight: str | None = None, spacing: str | None = None
) -> Element:
    element: Element = {"type": "TextBlock", "text": text, "wrap": True}
    if size:
        element["size"] = size
    if weight:
        element["weight"] = weight
    if spacing:
        element["spacing"] = spacing
    return element


def _note(text: str, *, spacing: str | None = None) -> Element:
    element = _text(text, size="Small", spacing=spacing)
    element["isSubtle"] = True
    return element


def _fact_sets(pairs: Sequence[tuple[str, str]], chunk: int) -> list[Element]:
    sets: list[Element] = []
    facts: list[dict[str, str]] = []
    for title, value in pairs:
        for n, part in enumerate(_split(value, chunk)):
            fact = {"title": no_links(title) if n == 0 else "", "value": as_written(part)}
            if facts and size_of(facts) + size_of(fact) > chunk:
                sets.append({"type": "FactSet", "facts": facts})
                facts = []
            facts.append(fact)
    if facts:
        sets.append({"type": "FactSet", "facts": facts})
    return sets


def _action_sets(buttons: Sequence[Button], round_id: str | None) -> list[Element]:
    actions = [_submit(b.label, round_id, b.action, b.value, style=b.style) for b in buttons]
    return [
        {"type": "ActionSet", "actions": actions[i : i + MAX_ACTIONS]}
        for i in range(0, len(actions), MAX_ACTIONS)
    ]


def _submit(
    title: str,
    round_id: str | None,
    action: str,
    value: str,
    *,
    style: str = "default",
    multi: Sequence[str] = (),
    form: bool = False,
) -> Element:
    data: dict[str, Any] = {"round": round_id, "action": action, "value": value}
    if multi:
        data["multi"] = list(multi)
    if form:
        data["form"] = True
    submit: Element = {"type": "Action.Submit", "title": title, "data": {DATA_KEY: data}}
    if style == "primary":
        submit["style"] = "positive"
    elif style == "danger":
        submit["style"] = "destructive"
    return submit


def _form_card(form: Form, round_id: str | None, language: Language) -> Card:
    body: list[Element] = [_text(form.title, weight="Bolder")]
    body += [_input(i, language) for i in form.inputs]
    multi = [i.name for i in form.inputs if isinstance(i, ChoiceInput) and i.max_selected > 1]
    submit = _submit(
        form.submit_label,
        round_id,
        form.action,
        form.value,
        style="primary",
        multi=multi,
        form=True,
    )
    body.append({"type": "ActionSet", "actions": [submit]})
    return _card(body)


def _input(field: Input, language: Language) -> Element:
    match field:
        case TextInput():
            element: Element = {
                "type": "Input.Text",
                "id": field.name,
                "label": field.label,
                "isMultiline": field.multiline,
                "maxLength": field.max_length,
            }
            if field.placeholder:
                element["placeholder"] = field.placeholder
            if field.initial:
                element["value"] = field.initial
            if field.required:
                element["isRequired"] = True
                element["errorMessage"] = translate(TEXTS, "required_text", language)
            return element
        case ChoiceInput():
            element = {
                "type": "Input.ChoiceSet",
                "id": field.name,
                "label": field.label,
                "choices": [{"title": o.label, "value": o.value} for o in field.options],
                "isMultiSelect": field.max_selected > 1,
                "style": "expanded" if len(field.options) <= _EXPANDED_CHOICES else "compact",
                "wrap": True,
            }
            if field.required and field.min_selected > 0:
                element["isRequired"] = True
                element["errorMessage"] = translate(TEXTS, "required_choice", language)
            return element
        case DateInput():
            element = {"type": "Input.Date", "id": field.name, "label": field.label}
            if field.initial is not None:
                element["value"] = field.initial.isoformat()
            return element
    raise AssertionError(f"unknown input {field!r}")


# -- text ---------------------------------------------------------------------------------

# What card Markdown acts on in a person's text: emphasis, code, links.
_MARKUP = re.compile(r"([\\`*_~\[\]])")
_LINK = re.compile(r"([\[\]])")
# What a link's address may not hold inside (...).
_URL_UNSAFE = re.compile(r"[()\s]")


def markdown(spans: Spans) -> str:
    """Spans as card Markdown: every text as written (escaped), styles as marks;
    a command (code) is bold, as Teams shows no code inline."""
    out = []
    for span in spans:
        text = as_written(span.text)
        if span.link and not _URL_UNSAFE.search(span.link):
            out.append(f"[{text}]({span.link})")
            continue
        marks = ("**" if span.bold or span.code else "") + ("_" if span.italic else "")
        out.append(hug(text, marks))
    return "".join(out)


def as_written(text: str) -> str:
    """What a person wrote, shown as they typed it: card Markdown would make
    `[klik hier](https://...)` a link with a label of their choosing, `**x**` bold.
    Slack's mrkdwn is escaped the same way (&, < and >)."""
    return _MARKUP.sub(r"\\\1", text)


def no_links(text: str) -> str:
    """Text without the brackets card Markdown makes links (and images) of."""
    return _LINK.sub(r"\\\1", text)


def _lines(text: str, chunk: int) -> Iterator[str]:
    # One text block per line: a card's markdown does not reliably keep single newlines.
    for line in text.split("\n"):
        if line.strip():
            yield from _split(line, chunk)


def _split(text: str, chunk: int) -> list[str]:
    """`text` in pieces of at most `chunk` bytes (as JSON), broken at spaces where possible."""
    if size_of(text) <= chunk:
        return [text]
    pieces: list[str] = []
    rest = text
    while size_of(rest) > chunk:
        cut = _fit(rest, chunk)
        space = rest.rfind(" ", 0, cut)
        if space > cut // 2:
            cut = space + 1
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def _fit(text: str, chunk: int) -> int:
    """The longest prefix length of `text` that fits in `chunk` bytes."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if size_of(text[:middle]) <= chunk:
            low = middle
        else:
            high = middle - 1
    return low


# -- the way back -------------------------------------------------------------------------


def read_submit(value: object) -> Submit | None:
    """What an Action.Submit of ours means; None when the value is not ours at all.

    Raises MalformedSubmit for a payload that claims to be ours but is not well formed.
    """
    if not isinstance(value, Mapping) or DATA_KEY not in value:
        return None
    data = value[DATA_KEY]
    if not isinstance(data, Mapping):
        raise MalformedSubmit("data is not an object")
    action, round_id, argument = data.get("action"), data.get("round"), data.get("value", "")
    multi = data.get("multi") or []
    if not isinstance(action, str) or not action:
        raise MalformedSubmit("no action")
    if round_id is not None and not isinstance(round_id, str):
        raise MalformedSubmit("round is not a string")
    if not isinstance(argument, str):
        raise MalformedSubmit("value is not a string")
    if not isinstance(multi, list) or not all(isinstance(m, str) for m in multi):
        raise MalformedSubmit("multi is not a list of names")
    fields: dict[str, FieldValue] = {}
    for name, raw in value.items():
        if name in (DATA_KEY, "msteams") or not isinstance(name, str):
            continue
        if not isinstance(raw, str):
            raise MalformedSubmit("an input is not text")
        # A multi-select ChoiceSet submits its values comma-separated.
        fields[name] = [part for part in raw.split(",") if part] if name in multi else raw
    return Submit(
        round_id=round_id or None,
        action=action,
        value=argument,
        fields=fields,
        form=data.get("form") is True,
    )
