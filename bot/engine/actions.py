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

# What a confirming button adds to the value of "advance" and "cancel": the card's
# own buttons ask first, the question's buttons carry this.
CONFIRMED = "confirmed"


def extend_value(minutes: int, step_id: str) -> str:
    """An extend button's value: how long, and for which step (a late click on an old
    time-up message must not extend the step that runs by then)."""
    return f"{minutes}:{step_id}"


# A form with several parts (an answer per question) names each part's inputs
# "<input>@<key>": "text@i3" is the answer to item i3.
PART = "@"


def part_name(name: str, key: str) -> str:
    return f"{name}{PART}{key}"


def parts_of(fields: Mapping[str, FieldValue]) -> dict[str, dict[str, FieldValue]]:
    """The fields of a form with parts, by part key, in the order the form gave them."""
    found: dict[str, dict[str, FieldValue]] = {}
    for name, value in fields.items():
        field, sep, key = name.partition(PART)
        if sep and field and key:
            found.setdefault(key, {})[field] = value
    return found


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
        case Action.ACCEPT_ROLE | Action.DECLINE_ROLE:
            return cmd.AnswerOffer(user=user, item_id=value, accept=action == Action.ACCEPT_ROLE)
        case Action.SKIP_OFFER:
            return cmd.SkipOffer(user=user, item_id=value)
        case Action.JOIN:
            return cmd.Join(user=user, name=name)
        case Action.VOLUNTEER:
            return cmd.Volunteer(user=user, role=value)
        case Action.ASSIGN:
            return cmd.AssignRole(user=user, role=_one(f, "role", value), to=_one(f, "user"))
        case Action.ADVANCE:
            step_id, _, sure = value.partition(":")
            return cmd.Advance(user=user, step_id=step_id, confirmed=sure == CONFIRMED)
        case Action.BACK:
            return cmd.Back(user=user, step_id=step)
        case Action.EXTEND:
            minutes, _, step_id = value.partition(":")
            return cmd.Extend(user=user, minutes=int(minutes or "5"), step_id=step_id or None)
        case Action.PAUSE:
            return cmd.Pause(user=user)
        case Action.RESUME:
            return cmd.Resume(user=user)
        case Action.CANCEL:
            return cmd.Cancel(user=user, confirmed=value == CONFIRMED)
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
        case Action.EDIT:
            return cmd.Edit(user=user, item_id=value, text=_one(f, "text"))
        case Action.WITHDRAW:
            return cmd.Withdraw(user=user, item_id=value)
        case Action.VOTE:
            return cmd.Vote(user=user, item_ids=_many(f, "items"), step_id=step)
        case Action.RESPOND if any(PART in name for name in f):
            return cmd.Several(user=user, parts=_answers(user, value, f))
        case Action.REPORT_ACTION if any(PART in name for name in f):
            # Reports and, for an action that keeps coming back, the owner's decision.
            return cmd.Several(user=user, parts=_reports(user, f))
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
        case Action.REFLECT:
            return cmd.Reflect(
                user=user,
                rating=int(_one(f, "rating")),
                text=_one(f, "text", ""),
                sources=_many(f, "sources"),  # pydantic checks each is a known source
            )
    raise ValueError("unknown action")


def _answers(user: str, step_id: str, f: Mapping[str, FieldValue]) -> list[cmd.Part]:
    """One answer per question that got a label or a text; the rest wait for later."""
    parts: list[cmd.Part] = []
    for item_id, given in parts_of(f).items():
        text, label = _one(given, "text", ""), _one(given, "label", "") or None
        if text.strip() or label:
            parts.append(
                cmd.Respond(
                    user=user, item_id=item_id, text=text, label=label, step_id=step_id or None
                )
            )
    return parts


def _reports(user: str, f: Mapping[str, FieldValue]) -> list[cmd.Part]:
    """A report per action whose status was chosen, a decision per action to settle."""
    parts: list[cmd.Part] = []
    for action_id, given in parts_of(f).items():
        due = _one(given, "due", "")
        if _one(given, "status", ""):
            parts.append(
                cmd.ReportAction(
                    user=user,
                    action_id=action_id,
                    status=_one(given, "status"),  # pydantic checks it is a known status
                    note=_one(given, "note", ""),
                )
            )
        elif _one(given, "decision", ""):
            parts.append(
                cmd.SettleAction(
                    user=user,
                    action_id=action_id,
                    decision=_one(given, "decision"),  # pydantic checks it is known
                    text=_one(given, "text", ""),
                    due=date.fromisoformat(due) if due else None,
                )
            )
    return parts


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
