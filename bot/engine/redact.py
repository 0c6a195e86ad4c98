"""What stays of an event once a round's content is purged: the same event with
every free text and every name emptied, so the log still folds, counts and shows
who held which role, and says nothing of what was said."""

from __future__ import annotations

from typing import Any

from bot.engine import events as ev


def redact(event: ev.Event) -> ev.Event:
    """The event without its texts (an event without any is returned as it is)."""
    match event:
        case ev.RoundStarted():
            actions = [
                a.model_copy(update={"text": "", "owner_name": "", "last_note": ""})
                for a in event.open_actions
            ]
            return event.model_copy(update={"starter_name": "", "open_actions": actions})
        case ev.ParticipantJoined():
            return event.model_copy(update={"name": ""})
        case (
            ev.ContributionAdded()
            | ev.ContributionEdited()
            | ev.ResponseGiven()
            | ev.ActionAdded()
            | ev.Reflected()
            | ev.ActionSettled()
        ):
            return event.model_copy(update={"text": ""})
        case ev.ActionReported():
            return event.model_copy(update={"note": ""})
    return event


def redact_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """`redact` on a stored payload (what storage's purge is given)."""
    return ev.event_to_payload(redact(ev.event_from_payload(payload)))
