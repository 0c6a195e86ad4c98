"""A refused form comes back as it was sent: the same form, holding what the person
typed, under the reason it was refused. Nothing typed is lost (a channel whose form
closed on submit, like a Teams card, shows it again; one whose form stays open keeps
its own)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

from bot.engine.actions import FieldValue
from bot.engine.messages import DateInput, Form, Heading, Input, Message, Paragraph, TextInput
from bot.engine.view import EDIT_FOCUS, REPORT, ROLES
from bot.engine.vocabulary import Action

# Which of a person's panels holds the form of an action (the step's own by default).
_FOCUS: dict[str, str] = {
    Action.EDIT: EDIT_FOCUS,
    Action.REPORT_ACTION: REPORT,
    Action.ASSIGN: ROLES,
}


def focus_of(action: str, value: str) -> str:
    """The panel focus that shows the form an action came from."""
    focus = _FOCUS.get(action, "")
    return f"{focus}{value}" if focus == EDIT_FOCUS else focus


def refilled(
    panel: Message | None, action: str, value: str, fields: Mapping[str, FieldValue], error: str
) -> Message | None:
    """The panel's form for this action, holding the submitted texts and dates, with
    the refusal above it; None when the panel no longer has that form."""
    if panel is None:
        return None
    form = next(
        (b for b in panel.blocks if isinstance(b, Form) and (b.action, b.value) == (action, value)),
        None,
    )
    if form is None:
        return None
    inputs = tuple(_holding(field, fields) for field in form.inputs)
    heading = next((b for b in panel.blocks if isinstance(b, Heading)), Heading(form.title))
    return dataclasses.replace(
        panel,
        blocks=(heading, Paragraph(error), dataclasses.replace(form, inputs=inputs)),
    )


def _holding(field: Input, fields: Mapping[str, FieldValue]) -> Input:
    given = fields.get(field.name)
    if not isinstance(given, str):
        return field
    if isinstance(field, TextInput):
        return dataclasses.replace(field, initial=given)
    if isinstance(field, DateInput):
        try:
            return dataclasses.replace(field, initial=date.fromisoformat(given))
        except ValueError:
            return field
    return field
