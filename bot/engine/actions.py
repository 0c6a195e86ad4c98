"""What a click or a submitted form means: the one translation every channel shares.

A channel extracts (action, value, fields) from its platform's payload; this
module turns them into a command, or says why it cannot.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pydantic import ValidationError

from bot.engine import commands as cmd
from bot.engine.vocabulary import Action
from bot.errors import MalformedInput

FieldValue = str | list[str]


class MalformedAction(MalformedInput):
    """A payload that no button or form of ours produces (tampered or outdated)."""


def command_for(
    action: str, value: str, fields: Mapping[str, FieldValue], *, user: str, name: str
) -> cmd.Command:
    """The command an action stands for. Raises MalformedAction."""
    try:
        return _build(action, value, fields, user=user, name=name)
    except (ValidationError, KeyError, ValueError, TypeError) as error:
        # Say what was wrong, never the values: they may be a contribution's text.
        raise MalformedAction(f"{action}: {type(error).__name__}") from None


def _build(
    action: str, value: str, f: Mapping[str, FieldValue], *, user: str, name: str
) -> cmd.Command:
    step = value or None
    match action:
        case Action.JOIN:
            return cmd.Join(user=user, name=name)
        case Action.VOLUNTEER:
            return cmd.Volunteer(user=user, role=value)
        case Action.ASSIGN:
            return cmd.AssignRole(user=user, role=_one(f, "role", value), to=_one(f, "user"))
        case Action.ADVANCE:
            return cmd.Advance(user=user, step_id=value)
        case Action.EXTEND:
            return cmd.Extend(user=user, minutes=int(value or "5"))
        case Action.PAUSE:
            return cmd.Pause(user=user)
        case Action.RESUME:
            return cmd.Resume(user=user)
        case Action.CANCEL:
            return cmd.Cancel(user=user)
        case Action.ACKNOWLEDGE:
            return cmd.Acknowledge(user=user, step_id=step)
        case Action.NEXT_TURN:
            return cmd.NextTurn(user=user)
        case Action.TAKE_OVER:
            return cmd.TakeOver(user=user)
        case Action.RETURN_QUESTION:
            return cmd.ReturnQuestion(user=user, item_id=_one(f, "item", value))
        case Action.CONTRIBUTE:
            return cmd.Contribute(user=user, text=_one(f, "text"), step_id=step)
        case Action.VOTE:
            return cmd.Vote(user=user, item_ids=_many(f, "items"), step_id=step)
        case Action.RESPOND:
            step_id, _, item_id = value.partition(":")
            label = _one(f, "label", "") or None
            return cmd.Respond(
                user=user,
                item_id=item_id,
                text=_one(f, "text", ""),
                label=label,
                step_id=step_id or None,
            )
        case Action.PICK:
            return cmd.Pick(user=user, item_ids=_many(f, "items"), step_id=step)
        case Action.ADD_ACTION:
            due = _one(f, "due", "")
            return cmd.AddAction(
                user=user,
                text=_one(f, "text"),
                owner=_one(f, "owner", "") or None,
                due=date.fromisoformat(due) if due else None,
            )
        case Action.REPORT_ACTION:
            return cmd.ReportAction(
                user=user,
                action_id=value,
                status=_one(f, "status"),  # pydantic checks it is a known status
                note=_one(f, "note", ""),
            )
        case Action.SETTLE_ACTION:
            due = _one(f, "due", "")
            return cmd.SettleAction(
                user=user,
                action_id=value,
                decision=_one(f, "decision"),  # pydantic checks it is a known decision
                text=_one(f, "text", ""),
                due=date.fromisoformat(due) if due else None,
            )
        case Action.REFLECT:
            return cmd.Reflect(
                user=user,
                rating=int(_one(f, "rating")),
                text=_one(f, "text", ""),
                sources=_many(f, "sources"),  # pydantic checks each is a known source
            )
    raise ValueError("unknown action")


def _one(f: Mapping[str, FieldValue], key: str, default: str | None = None) -> str:
    raw = f.get(key, default)
    if raw is None:
        raise KeyError(key)
    if isinstance(raw, list):
        if len(raw) != 1:
            raise ValueError(key)
        return raw[0]
    return raw


def _many(f: Mapping[str, FieldValue], key: str) -> list[str]:
    raw = f.get(key, [])
    return [raw] if isinstance(raw, str) else list(raw)
