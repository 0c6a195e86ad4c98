"""The neutral message model: what the engine says, before any channel renders it.

Slack renders it as Block Kit, Teams as Adaptive Cards, the web chat as HTML.
Actions name what a click or a form means (see `bot.engine.actions`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field as PydField
from pydantic import TypeAdapter


@dataclass(frozen=True)
class Heading:
    text: str
    kind: Literal["heading"] = "heading"


@dataclass(frozen=True)
class Paragraph:
    """Text with light markup: *bold* and _italic_ only."""

    text: str
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class Context:
    """Small print: the timer, who is still expected, a hint."""

    text: str
    kind: Literal["context"] = "context"


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
    action: str
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

    action: str
    title: str
    submit_label: str
    inputs: tuple[Input, ...]
    value: str = ""
    kind: Literal["form"] = "form"


Block = Annotated[
    Heading | Paragraph | Context | Fields | ItemList | Recall | Buttons | Form | File,
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
