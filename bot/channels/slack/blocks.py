"""Block Kit for the neutral messages: pure functions, within Slack's limits.

Long content is split, never cut: a long paragraph becomes several sections, a
long list several sections, and a message with more than Slack allows becomes
several messages, each marked "1/3", "2/3", ... Only labels (button texts,
option texts, modal titles) are shortened, visibly, where Slack allows no more.

Limits (Block Kit reference; slack_sdk.models encodes the same numbers):
50 blocks per message and 100 per modal; 3000 characters per section or
context text, 2000 per field and 10 fields per section; 150 per header; 75 per
button text, 2000 per button value, 25 elements per actions block; 100 options
per select, 75 per option text and 150 per option value; 24 per modal title and
submit label, 3000 for private_metadata, 2000 per input label, 150 per
placeholder, 3000 per text input. Slack also refuses a message whose blocks
hold some 12,000 characters in all (msg_blocks_too_long, not documented as a
number), so a message here holds at most MESSAGE_CHARS.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.channels.slack import wire
from bot.channels.slack.markup import bullets, escape, mrkdwn, shorten, split_text
from bot.channels.slack.texts import TEXTS
from bot.engine.actions import FieldValue
from bot.engine.commands import MAX_TEXT
from bot.engine.errors import DomainError
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
    Option,
    Paragraph,
    Recall,
    TextInput,
    inline,
)
from bot.engine.vocabulary import Action
from bot.i18n import Language, language_of, translate

Json = dict[str, Any]

MESSAGE_BLOCKS = 50
MODAL_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS_PER_SECTION = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ELEMENTS = 25
OPTIONS = 100
OPTION_TEXT = 75
OPTION_VALUE = 150
MODAL_TITLE = 24
METADATA = 3000
INPUT_LABEL = 2000
PLACEHOLDER = 150
INPUT_LENGTH = 3000
RADIO_OPTIONS = 10
# Cumulative text per message; Slack's undocumented ceiling is about 12,000.
MESSAGE_CHARS = 10_000
# A modal has no published size limit; stay well inside what is known to work.
MODAL_CHARS = 20_000
# A folded recall shows this much of its first item; the rest is one click away.
RECALL_PREVIEW = 200
# Block ids of recall sections, apart from the actions blocks' (0, 1, ...).
RECALL_BLOCK_IDS = 100
# The notification text shown where blocks are not (push, screen readers' summary).
FALLBACK_TEXT = 300


@dataclass(frozen=True)
class SlackMessage:
    """One chat.postMessage / chat.update / response_url body."""

    text: str
    blocks: tuple[Json, ...]

    def payload(self) -> Json:
        return {"text": self.text, "blocks": list(self.blocks)}


# -- messages -------------------------------------------------------------------------


def render_message(message: Message, *, round_id: str | None) -> list[SlackMessage]:
    """A neutral message as one Slack message, or several when it is too long.

    Buttons stay in the first message (the round card is updated in place, and
    its buttons with it); content that does not fit follows in order.
    """
    blocks = message_blocks(message.blocks, round_id=round_id)
    fallback = escape(shorten(message.text, FALLBACK_TEXT)) or " "
    if not blocks:
        blocks = [_section(fallback)]
    actions = [b for b in blocks if b["type"] == "actions"]
    content = [b for b in blocks if b["type"] != "actions"]
    if _fits(blocks, MESSAGE_BLOCKS, MESSAGE_CHARS):
        return [SlackMessage(fallback, tuple(blocks))]
    # Leave room in each message for its "1/3" marker.
    first_room_blocks = MESSAGE_BLOCKS - len(actions) - 1
    first_room_chars = MESSAGE_CHARS - sum(_chars(b) for b in actions) - 20
    first, rest = _take(content, first_room_blocks, first_room_chars)
    chunks = [first]
    while rest:
        chunk, rest = _take(rest, MESSAGE_BLOCKS - 1, MESSAGE_CHARS - 20)
        chunks.append(chunk)
    total = len(chunks)
    out = []
    for n, chunk in enumerate(chunks, start=1):
        marker = _context(f"{n}/{total} …" if n == 1 else f"… {n}/{total}")
        body = [*chunk, *actions, marker] if n == 1 else [marker, *chunk]
        out.append(SlackMessage(f"{fallback} ({n}/{total})", tuple(body)))
    return out


def message_blocks(blocks: Iterable[Block], *, round_id: str | None) -> list[Json]:
    """Each neutral block as Slack blocks, every one within its own limits."""
    out: list[Json] = []
    actions = 0
    # Section titles and their lists (a summary) flow on in as few sections as fit.
    flow: list[str] = []
    for block in blocks:
        if not _flows(block):
            out += _packed(flow)
            flow = []
        match block:
            case Heading(text=text, level=1):
                out += _heading(text)
            case Heading(text=text):
                if text.strip():
                    flow += [*([""] if flow else []), f"*{escape(text.strip())}*"]
            case Bullets(items=items):
                flow += bullets(items)
            case Paragraph() | Context():
                text = mrkdwn(inline(block))
                if text.strip():
                    shape = _section if isinstance(block, Paragraph) else _context
                    out += [shape(p) for p in split_text(text, SECTION_TEXT)]
            case Fields(pairs=pairs):
                out += _fields(pairs)
            case ItemList():
                out += _item_list(block)
            case Recall():
                out += _recall(block, round_id, RECALL_BLOCK_IDS + len(out))
            case Buttons(buttons=buttons):
                for group in _groups(buttons, ACTION_ELEMENTS):
                    out.append(_actions(group, round_id, actions))
                    actions += 1
            case Form(title=title):
                # A form belongs in a modal; in a message it is a button that opens it.
                out.append(_actions((Button(Action.OPEN_FORM, title),), round_id, actions))
                actions += 1
            case File():
                # Not a block: the sender uploads it (see SlackSender._upload).
                pass
    return out + _packed(flow)


def _flows(block: Block) -> bool:
    return isinstance(block, Bullets) or (isinstance(block, Heading) and block.level > 1)


def _heading(text: str) -> list[Json]:
    text = text.strip()
    if not text:
        return []
    if len(text) <= HEADER_TEXT and "\n" not in text:
        return [{"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}]
    return [_section(piece) for piece in split_text(f"*{escape(text)}*", SECTION_TEXT)]


def _section(text: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Json:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _fields(pairs: tuple[tuple[str, str], ...]) -> list[Json]:
    out: list[Json] = []
    batch: list[Json] = []
    for label, value in pairs:
        text = f"*{escape(label)}*\n{escape(value)}"
        if len(text) > FIELD_TEXT:
            if batch:
                out.append({"type": "section", "fields": batch})
                batch = []
            out += [_section(piece) for piece in split_text(text, SECTION_TEXT)]
            continue
        batch.append({"type": "mrkdwn", "text": text})
        if len(batch) == FIELDS_PER_SECTION:
            out.append({"type": "section", "fields": batch})
            batch = []
    if batch:
        out.append({"type": "section", "fields": batch})
    return out


def _item_line(item: ListItem) -> str:
    mark = "✓" if item.marked else "•"
    line = f"{mark} {escape(item.text)}"
    if item.author:
        line += f" — _{escape(item.author)}_"
    if item.note:
        line += f"\n      ↳ {escape(item.note)}"
    return line


def _item_list(block: ItemList) -> list[Json]:
    """A titled list, packed into as few sections as fit; a long item spans several."""
    pieces = [f"*{escape(block.title)}*"] if block.title.strip() else []
    return _packed(pieces + [_item_line(item) for item in block.items])


def _packed(lines: list[str]) -> list[Json]:
    """Lines packed into as few sections as fit; a long line spans several."""
    pieces = [piece for line in lines for piece in split_text(line, SECTION_TEXT)]
    sections: list[str] = []
    for piece in pieces:
        if sections and len(sections[-1]) + 1 + len(piece) <= SECTION_TEXT:
            sections[-1] += "\n" + piece
        elif piece.strip():  # a blank line that would open a section is left out
            sections.append(piece)
    return [_section(text) for text in sections]


def _recall(block: Recall, round_id: str | None, index: int) -> list[Json]:
    """An earlier step's outcome. Block Kit cannot fold, so a folded recall is its
    title, the start of its first item and a button that opens it all in a modal;
    an open one is a titled list like any other."""
    if not block.folded or not block.open_action:
        return _item_list(ItemList(block.title, block.items))
    first = block.items[0]
    line = f"*▸ {escape(block.title)}*\n{escape(shorten(first.text, RECALL_PREVIEW))}"
    if first.author:
        line += f" — _{escape(first.author)}_"
    if len(block.items) > 1:
        line += f"  _(+{len(block.items) - 1})_"
    section = _section(line)
    section["block_id"] = wire.block_id(round_id, index)
    section["accessory"] = {
        "type": "button",
        "action_id": wire.action_id(block.open_action, 0),
        "text": {"type": "plain_text", "text": shorten(block.open_label, BUTTON_TEXT)},
        "value": block.open_value,
    }
    return [section]


def _actions(buttons: Iterable[Button], round_id: str | None, index: int) -> Json:
    elements = []
    for n, button in enumerate(buttons):
        if len(button.value) > BUTTON_VALUE:
            # Our values are ids; a longer one is a bug upstream, not content to cut.
            raise ValueError(f"button value of {button.action} exceeds {BUTTON_VALUE}")
        element: Json = {
            "type": "button",
            "action_id": wire.action_id(button.action, n),
            "text": {"type": "plain_text", "text": shorten(button.label, BUTTON_TEXT)},
            "value": button.value,
        }
        if button.style != "default":
            element["style"] = button.style
        elements.append(element)
    return {"type": "actions", "block_id": wire.block_id(round_id, index), "elements": elements}


def _groups(buttons: tuple[Button, ...], size: int) -> Iterator[tuple[Button, ...]]:
    for start in range(0, len(buttons), size):
        yield buttons[start : start + size]


def _take(blocks: list[Json], max_blocks: int, max_chars: int) -> tuple[list[Json], list[Json]]:
    """The longest prefix that fits (at least one block), and the rest."""
    taken: list[Json] = []
    chars = 0
    for n, block in enumerate(blocks):
        size = _chars(block)
        if taken and (len(taken) + 1 > max_blocks or chars + size > max_chars):
            return taken, blocks[n:]
        taken.append(block)
        chars += size
    return taken, []


def _fits(blocks: list[Json], max_blocks: int, max_chars: int) -> bool:
    if len(blocks) > max_blocks:
        return False
    # The blocks as JSON are longer than the text they hold (keys, quotes, escapes):
    # a short card is known to fit without walking every block in Python.
    return len(json.dumps(blocks)) <= max_chars or sum(_chars(b) for b in blocks) <= max_chars


def _chars(value: Any) -> int:
    """Characters of text a block holds (what Slack's cumulative limit counts)."""
    if isinstance(value, dict):
        return sum(_chars(v) for k, v in value.items() if k not in ("type", "style"))
    if isinstance(value, list):
        return sum(_chars(v) for v in value)
    if isinstance(value, str):
        return len(value)
    return 0


# -- modals ---------------------------------------------------------------------------


def render_modal(panel: Message, *, round_id: str, channel: str, language: Language) -> Json:
    """A person's panel (their form or forms for this step) as a modal view.

    Several forms share one modal; whatever does not fit (100 blocks, the
    metadata's 3000 characters) waits for the next time the modal is opened,
    and the modal says so.
    """

    def t(key: str) -> str:
        return translate(TEXTS, key, language)

    heading = next((b.text for b in panel.blocks if isinstance(b, Heading)), panel.text)
    forms = [b for b in panel.blocks if isinstance(b, Form)]
    several = len(forms) > 1
    blocks: list[Json] = []
    if len(heading) > MODAL_TITLE:
        blocks += _heading(heading)
    refs: list[wire.FormRef] = []
    more = False
    for block in panel.blocks:
        if isinstance(block, Heading):
            continue
        if not isinstance(block, Form):
            blocks += message_blocks((block,), round_id=round_id)
            continue
        form_blocks = _form_blocks(block, len(refs), several=several, heading=heading, t=t)
        candidate = [*refs, wire.FormRef(block.action, block.value)]
        meta = wire.ModalMeta(round_id, channel, language, tuple(candidate)).encode()
        room = MODAL_BLOCKS - 1  # keep one for the "more to fill in" note
        if refs and (
            len(blocks) + len(form_blocks) > room
            or len(meta) > METADATA
            or sum(_chars(b) for b in [*blocks, *form_blocks]) > MODAL_CHARS
        ):
            more = True
            break
        blocks += form_blocks
        refs = candidate
    if more:
        blocks.append(_context(escape(t("modal.more"))))
    if len(blocks) > MODAL_BLOCKS:
        # Only a case owner's long list of private items gets here; each of those
        # items also reached them as a direct message.
        blocks = [*blocks[: MODAL_BLOCKS - 1], _context(escape(t("modal.too_long")))]
    submit = forms[0].submit_label if forms else t("modal.close")
    view: Json = {
        "type": "modal",
        "callback_id": wire.FORM_CALLBACK,
        "title": {"type": "plain_text", "text": shorten(heading, MODAL_TITLE) or "dialoog"},
        "close": {"type": "plain_text", "text": shorten(t("modal.close"), MODAL_TITLE)},
        "private_metadata": wire.ModalMeta(round_id, channel, language, tuple(refs)).encode(),
        "blocks": blocks,
    }
    if refs:
        view["submit"] = {"type": "plain_text", "text": shorten(submit, MODAL_TITLE)}
    return view


def _form_blocks(form: Form, index: int, *, several: bool, heading: str, t: Any) -> list[Json]:
    out: list[Json] = []
    if several or form.title != heading:
        out += [_section(p) for p in split_text(f"*{escape(form.title)}*", SECTION_TEXT)]
    for field in form.inputs:
        out += _input_blocks(field, index, optional_all=several, t=t)
    return out


def _input_blocks(field: Input, form: int, *, optional_all: bool, t: Any) -> list[Json]:
    match field:
        case TextInput():
            # No max_length: Slack's own cap stops a long paste with an English note;
            # ours says the length and the limit in the team's language, in the modal.
            element: Json = {
                "type": "plain_text_input",
                "action_id": "v",
                "multiline": field.multiline,
            }
            if field.placeholder:
                element["placeholder"] = _plain(shorten(field.placeholder, PLACEHOLDER))
            if field.initial:
                element["initial_value"] = field.initial[:INPUT_LENGTH]
            return [_input(field.name, field.label, element, form, 0, field.required, optional_all)]
        case DateInput():
            element = {"type": "datepicker", "action_id": "v"}
            if field.initial is not None:
                element["initial_date"] = field.initial.isoformat()
            return [_input(field.name, field.label, element, form, 0, True, optional_all)]
        case ChoiceInput():
            return _choice_blocks(field, form, optional_all=optional_all, t=t)
    return []


def _choice_blocks(field: ChoiceInput, form: int, *, optional_all: bool, t: Any) -> list[Json]:
    out: list[Json] = []
    shortened = [o for o in field.options if len(o.label) > OPTION_TEXT]
    if shortened:
        lines = [f"*{escape(t('modal.choices'))}*"] + [
            f"• {escape(o.label)}" for o in field.options
        ]
        out += [_section(p) for p in split_text("\n".join(lines), SECTION_TEXT)]
    parts = list(_groups_of(field.options, OPTIONS))
    for part, options in enumerate(parts):
        label = field.label if len(parts) == 1 else f"{field.label} ({part + 1}/{len(parts)})"
        slack_options = [_option(o) for o in options]
        element: Json = {"action_id": "v", "options": slack_options}
        if field.max_selected > 1:
            # A multi-select enforces the maximum in Slack itself; checkboxes cannot.
            element["type"] = "multi_static_select"
            element["max_selected_items"] = min(field.max_selected, len(options))
        elif len(options) <= RADIO_OPTIONS:
            element["type"] = "radio_buttons"
        else:
            element["type"] = "static_select"
        required = field.required and len(parts) == 1
        out.append(_input(field.name, label, element, form, part, required, optional_all))
    return out


def _groups_of(options: tuple[Option, ...], size: int) -> Iterator[tuple[Option, ...]]:
    for start in range(0, len(options), size):
        yield options[start : start + size]


def _option(option: Option) -> Json:
    if len(option.value) > OPTION_VALUE:
        raise ValueError(f"option value exceeds {OPTION_VALUE}")
    return {"text": _plain(shorten(option.label, OPTION_TEXT)), "value": option.value}


def _input(
    name: str,
    label: str,
    element: Json,
    form: int,
    part: int,
    required: bool,
    optional_all: bool,
) -> Json:
    ref = wire.InputRef(form, name, part, required)
    return {
        "type": "input",
        "block_id": ref.encode(),
        "label": _plain(shorten(label, INPUT_LABEL)),
        "element": element,
        # With several forms in one modal, each may be left empty; we check on submit.
        "optional": optional_all or not required,
    }


def _plain(text: str) -> Json:
    return {"type": "plain_text", "text": text or " "}


# -- submissions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """What a submitted modal holds: per form, its fields; and what is missing."""

    filled: dict[int, dict[str, FieldValue]]
    # block_id -> message key (modal.required / modal.fill_one), to show in the modal.
    errors: dict[str, str]
    # form index -> its first input's block_id, where an error about the whole form shows.
    first_blocks: dict[int, str] = dataclasses.field(default_factory=dict)
    # (form index, input name) -> its block_id, where an error about that input shows.
    blocks: dict[tuple[int, str], str] = dataclasses.field(default_factory=dict)

    def too_long(self, language: str) -> dict[str, str]:
        """The texts longer than a contribution may be: refused in the modal with
        their length and the limit, and kept there (Slack's own cap would cut them)."""
        lang = language_of(language)
        errors: dict[str, str] = {}
        for (form, name), block in self.blocks.items():
            value = self.filled.get(form, {}).get(name)
            if isinstance(value, str) and len(value) > MAX_TEXT:
                refusal = DomainError("text_too_long", length=len(value), limit=MAX_TEXT)
                errors[block] = refusal.message(lang).replace("*", "")
        return errors


def read_submission(values: Mapping[str, Any], forms: int) -> Submission:
    """The fields of each form that was filled in, and the required ones left empty."""
    fields: dict[int, dict[str, FieldValue]] = {}
    required: dict[int, dict[str, str]] = {}
    first_block: str | None = None
    first_blocks: dict[int, str] = {}
    blocks: dict[tuple[int, str], str] = {}
    for block_id_, actions in values.items():
        ref = wire.InputRef.decode(block_id_)
        if ref.form >= forms:
            raise wire.WireError("form index")
        first_block = first_block or block_id_
        first_blocks.setdefault(ref.form, block_id_)
        blocks.setdefault((ref.form, ref.name), block_id_)
        state = actions.get("v") if isinstance(actions, Mapping) else None
        value = _value_of(state)
        if ref.required:
            required.setdefault(ref.form, {})[ref.name] = block_id_
        if value in (None, "", []):
            continue
        assert value is not None
        given = fields.setdefault(ref.form, {})
        previous = given.get(ref.name)
        if isinstance(previous, list) and isinstance(value, list):
            given[ref.name] = previous + value
        elif previous is None:
            given[ref.name] = value
    errors: dict[str, str] = {}
    if not fields and first_block is not None:
        errors[first_block] = "modal.fill_one" if forms > 1 else "modal.required"
    for index, names in required.items():
        if forms > 1 and index not in fields:
            continue
        for name, block in names.items():
            if name not in fields.get(index, {}):
                errors[block] = "modal.required"
    return Submission(filled=fields, errors=errors, first_blocks=first_blocks, blocks=blocks)


def _value_of(state: Any) -> FieldValue | None:
    if not isinstance(state, Mapping):
        raise wire.WireError("input state")
    kind = state.get("type")
    if kind == "plain_text_input":
        value = state.get("value")
        return value.strip() if isinstance(value, str) else None
    if kind in ("static_select", "radio_buttons"):
        option = state.get("selected_option")
        return str(option["value"]) if isinstance(option, Mapping) else None
    if kind in ("multi_static_select", "checkboxes"):
        options = state.get("selected_options") or []
        return [str(o["value"]) for o in options]
    if kind == "datepicker":
        value = state.get("selected_date")
        return value if isinstance(value, str) else None
    raise wire.WireError("input type")


def error_texts(errors: Mapping[str, str], language: str) -> dict[str, str]:
    """The modal's per-input errors in the team's language."""
    lang = language_of(language)
    return {block: translate(TEXTS, key, lang) for block, key in errors.items()}
