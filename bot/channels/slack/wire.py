"""What our buttons and modals carry, so a click or a submission finds its round.

A button's action_id is `dlg:<action>:<n>` (unique within its block), its value
the neutral Button.value; the actions block's block_id is `dlg:<round id>:<n>`.
A modal's private_metadata is a small JSON object with the round, the channel,
the team's language and, per form, the action and value it performs; an input's
block_id is `f<form>:<input name>:<part>:<required>`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.errors import MalformedInput

PREFIX = "dlg"
FORM_CALLBACK = "dlg:form"
NO_ROUND = "-"


class WireError(MalformedInput):
    """A payload that none of our messages or modals produces."""


def action_id(action: str, index: int) -> str:
    return f"{PREFIX}:{action}:{index}"


def block_id(round_id: str | None, index: int) -> str:
    return f"{PREFIX}:{round_id or NO_ROUND}:{index}"


def read_action(action_id_: str, block_id_: str | None) -> tuple[str, str | None]:
    """(action, round id) of a clicked button."""
    prefix, _, rest = action_id_.partition(":")
    action, _, _index = rest.partition(":")
    if prefix != PREFIX or not action:
        raise WireError("action_id")
    round_id: str | None = None
    if block_id_:
        b_prefix, _, b_rest = block_id_.partition(":")
        candidate = b_rest.rpartition(":")[0]
        if b_prefix == PREFIX and candidate and candidate != NO_ROUND:
            round_id = candidate
    return action, round_id


@dataclass(frozen=True)
class FormRef:
    """One form of a modal: the action its submission performs, with its value."""

    action: str
    value: str


@dataclass(frozen=True)
class ModalMeta:
    round_id: str
    channel: str
    language: str
    forms: tuple[FormRef, ...]

    def encode(self) -> str:
        data = {
            "r": self.round_id,
            "c": self.channel,
            "l": self.language,
            "f": [[f.action, f.value] for f in self.forms],
        }
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def decode(cls, raw: str) -> ModalMeta:
        try:
            data: Any = json.loads(raw)
            forms = tuple(FormRef(str(a), str(v)) for a, v in data["f"])
            return cls(str(data["r"]), str(data["c"]), str(data.get("l", "nl")), forms)
        except (ValueError, KeyError, TypeError) as error:
            raise WireError(f"private_metadata: {type(error).__name__}") from None


@dataclass(frozen=True)
class InputRef:
    form: int
    name: str
    part: int
    required: bool

    def encode(self) -> str:
        return f"f{self.form}:{self.name}:{self.part}:{int(self.required)}"

    @classmethod
    def decode(cls, raw: str) -> InputRef:
        try:
            form, name, part, required = raw.split(":")
            if not form.startswith("f"):
                raise ValueError(raw)
            return cls(int(form[1:]), name, int(part), required == "1")
        except ValueError:
            raise WireError("block_id") from None
