"""Slack's Block Kit limits, checked independently of the code under test.

The numbers are Slack's documented ones (Block Kit reference), plus the
cumulative ~12,000 characters per message that Slack enforces with
msg_blocks_too_long. slack-sdk's own models check some of these too; they are
run as a second opinion.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

Json = dict[str, Any]

MESSAGE_BLOCKS = 50
MODAL_BLOCKS = 100
MESSAGE_CHARS = 12_000


def problems_in_message(blocks: list[Json]) -> list[str]:
    out = [] if len(blocks) <= MESSAGE_BLOCKS else [f"{len(blocks)} blocks in a message"]
    total = _chars(blocks)
    if total > MESSAGE_CHARS:
        out.append(f"{total} characters in a message")
    for block in blocks:
        out += problems_in_block(block)
    return out


def problems_in_view(view: Json) -> list[str]:
    out = []
    for key in ("title", "submit", "close"):
        if key in view and not 1 <= len(view[key]["text"]) <= 24:
            out.append(f"view {key} of {len(view[key]['text'])} characters")
    if not 1 <= len(view["blocks"]) <= MODAL_BLOCKS:
        out.append(f"{len(view['blocks'])} blocks in a modal")
    if len(view.get("private_metadata", "")) > 3000:
        out.append("private_metadata over 3000")
    if len(view.get("callback_id", "")) > 255:
        out.append("callback_id over 255")
    for block in view["blocks"]:
        out += problems_in_block(block)
    try:
        View(**view).to_dict()
    except Exception as error:
        out.append(f"slack-sdk: {error}")
    return out


def problems_in_block(block: Json) -> list[str]:
    out: list[str] = []
    kind = block["type"]
    if len(block.get("block_id", "")) > 255:
        out.append("block_id over 255")
    if kind == "section":
        if "text" in block:
            out += _text(block["text"], 3000, "section text")
        fields = block.get("fields", [])
        if len(fields) > 10:
            out.append(f"{len(fields)} fields")
        for field in fields:
            out += _text(field, 2000, "field")
    elif kind == "header":
        out += _text(block["text"], 150, "header")
    elif kind == "context":
        if len(block["elements"]) > 10:
            out.append("context with more than 10 elements")
        for element in block["elements"]:
            out += _text(element, 3000, "context text")
    elif kind == "actions":
        if len(block["elements"]) > 25:
            out.append("actions with more than 25 elements")
        for element in block["elements"]:
            out += _text(element["text"], 75, "button text")
            if len(element.get("value", "")) > 2000:
                out.append("button value over 2000")
            if len(element.get("action_id", "")) > 255:
                out.append("action_id over 255")
    elif kind == "input":
        out += _text(block["label"], 2000, "input label")
        element = block["element"]
        options = element.get("options", [])
        if len(options) > 100:
            out.append(f"{len(options)} options")
        if element["type"] in ("radio_buttons", "checkboxes") and len(options) > 10:
            out.append(f"{len(options)} radio buttons or checkboxes")
        for option in options:
            out += _text(option["text"], 75, "option text")
            if len(option["value"]) > 150:
                out.append("option value over 150")
        if "placeholder" in element:
            out += _text(element["placeholder"], 150, "placeholder")
        if element.get("max_length", 0) > 3000:
            out.append("text input longer than 3000")
    try:
        Block.parse(block).to_dict()  # type: ignore[union-attr]
    except Exception as error:
        out.append(f"slack-sdk: {error}")
    return out


def _text(obj: Json, limit: int, what: str) -> list[str]:
    text = obj.get("text", "")
    if not text.strip():
        return [f"empty {what}"]
    if len(text) > limit:
        return [f"{what} of {len(text)} characters (limit {limit})"]
    return []


def _chars(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_chars(v) for k, v in value.items() if k not in ("type", "style"))
    if isinstance(value, list):
        return sum(_chars(v) for v in value)
    return len(value) if isinstance(value, str) else 0
