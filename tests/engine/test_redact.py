"""What the purge keeps of an event: no free text, no name; everything else."""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime

from pydantic import BaseModel

from bot.engine import events as ev
from bot.engine.redact import redact, redact_payload

AT = datetime(2026, 3, 3, 15, 30, tzinfo=UTC)
# Text fields that hold ids or codes of our own, never what a person wrote.
_CODES = {
    "kind",
    "round_id",
    "language",
    "timezone",
    "started_by",
    "user",
    "role",
    "how",
    "step_id",
    "item_id",
    "from_step",
    "winner",
    "label",
    "action_id",
    "owner",
    "by",
    "mode",
    "status",
    "reason",
    "stage",
    "item_ids",
    "users",
}


def _string_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    found = set()
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if typing.get_origin(annotation) is dict:
            continue  # ids to ids or counts (role history, a vote's tally)
        for kind in {annotation, *typing.get_args(annotation)}:
            if kind is str:
                found.add(prefix + name)
            for arg in typing.get_args(kind):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    found |= _string_fields(arg, f"{prefix}{name}[].")
    return found


def test_every_text_field_of_every_event_is_either_emptied_or_an_id() -> None:
    kinds = typing.get_args(typing.get_args(ev.Event)[0])
    texts = {
        f"{k.__name__}.{f}"
        for k in kinds
        for f in _string_fields(k)
        if f.split(".")[-1] not in _CODES
    }
    # A new free-text field must be added to redact() and then here.
    assert texts == {
        "RoundStarted.starter_name",
        "RoundStarted.open_actions[].text",
        "RoundStarted.open_actions[].owner_name",
        "RoundStarted.open_actions[].last_note",
        "ParticipantJoined.name",
        "ContributionAdded.text",
        "ContributionEdited.text",
        "ResponseGiven.text",
        "ActionAdded.text",
        "ActionReported.note",
        "ActionSettled.text",
        "Reflected.text",
    }


def test_redacting_empties_texts_and_names_and_keeps_the_rest() -> None:
    started = ev.RoundStarted(
        at=AT,
        round_id="r1",
        protocol={"id": "incident"},
        mode="live",
        language="nl",
        timezone="Europe/Amsterdam",
        started_by="U1",
        starter_name="Anna",
        open_actions=[
            ev.OpenAction(
                action_id="a1",
                text="Bel de ouders van Sanne",
                owner="U2",
                owner_name="Bas",
                due=date(2026, 3, 10),
            )
        ],
    )
    emptied = redact(started)
    assert isinstance(emptied, ev.RoundStarted)
    assert (emptied.starter_name, emptied.open_actions[0].text) == ("", "")
    assert (emptied.open_actions[0].owner, emptied.open_actions[0].due) == ("U2", date(2026, 3, 10))
    reflected = ev.Reflected(at=AT, step_id="s9", user="U2", rating=4, text="Sanne huilde")
    assert redact_payload(ev.event_to_payload(reflected)) == ev.event_to_payload(
        reflected.model_copy(update={"text": ""})
    )
    vote = ev.VoteCast(at=AT, step_id="s1", user="U3", item_ids=["i1"])
    assert redact(vote) == vote
