"""Erasing a person: their words leave every round, their name leaves what others see.

The design (docs/architecture.md, "Erasure"): the events that hold the person's
texts are redacted in place — each keeps its seq, kind and time; the texts become
a tombstone ("[verwijderd]"), the user id a pseudonym, the name a label — and one
`participant_erased` event is appended to every round they were part of, so the
log says it was redacted and every cached fold is rebuilt. A replay folds the
redacted log like any other. The stored copies of what the bot showed (outbox,
web chat timeline, stored answers, action points) are rewritten the same way, and
each round's card is queued again so the chat copies on Slack, Teams and the web
update in place; so do the other posts of the round's thread that quoted them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

import storage
from bot.engine import events as ev
from bot.engine.messages import message_to_json
from bot.engine.redact import redact_payload
from bot.engine.state import fold
from bot.engine.view import card
from bot.i18n import Language, language_of, translate
from bot.privacy.export import collect, web_channels
from bot.privacy.subject import Subject
from bot.privacy.texts import TEXTS
from storage import people

__all__ = ["ErasureReport", "Scrubber", "erase"]

# Below this length a user id is replaced only where it is a whole value, never
# inside a text (a short id could be part of an ordinary word).
_ID_IN_TEXT = 6
# Option labels in forms show a long text shortened to this many characters + "…".
_SHORTENED = 149
# A text shorter than this ("Ja?") is replaced only where it is a whole value: inside
# someone else's sentence it is more likely theirs than a quote.
_QUOTED = 12


@dataclass
class ErasureReport:
    """What changed, as counts (safe for the audit log and the console)."""

    pseudonym: str
    rounds: int = 0
    events: int = 0
    copies: int = 0
    rows: dict[str, int] = field(default_factory=dict)


class Scrubber:
    """Rewrites strings: the person's texts to a tombstone, their names to a label,
    their user id to the pseudonym."""

    def __init__(
        self,
        user: str,
        pseudonym: str,
        texts: Iterable[str],
        names: Iterable[str],
        language: Language,
    ) -> None:
        self.user = user
        self.pseudonym = pseudonym
        self.tombstone = translate(TEXTS, "tombstone", language)
        self.label = translate(TEXTS, "erased_name", language)
        every = {t.strip() for t in texts if t.strip()}
        self._whole = every
        quoted = {t for t in every if len(t) >= _QUOTED}
        quoted |= {t[:_SHORTENED] for t in quoted if len(t) > _SHORTENED}
        self._texts = sorted(quoted, key=len, reverse=True)
        plain = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
        self._names = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in plain) + r")(?!\w)")
            if plain
            else None
        )

    def text(self, value: str) -> str:
        if value == self.user:
            return self.pseudonym
        if value.strip() in self._whole:
            return self.tombstone
        for written in self._texts:
            value = value.replace(written, self.tombstone)
        if self._names is not None:
            value = self._names.sub(self.label, value)
        if len(self.user) >= _ID_IN_TEXT:
            value = value.replace(self.user, self.pseudonym)
        return value

    def deep(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.deep(item) for item in value]
        if isinstance(value, dict):
            return {
                (self.text(k) if isinstance(k, str) else k): self.deep(v) for k, v in value.items()
            }
        return value


def erase(
    session: Session, subject: Subject, tenant: storage.Tenant, now: datetime
) -> ErasureReport:
    """Erase the person in one transaction (the caller's); returns what changed."""
    user = subject.user_id
    report = ErasureReport(pseudonym=f"erased-{secrets.token_hex(6)}")
    data = collect(session, subject, tenant, now)
    texts = data.texts()
    logs = [
        (round_row, team, storage.load_events(session, round_row.id))
        for round_row, team in people.tenant_rounds(session, tenant.id)
    ]
    names = _names(data.memberships, logs, user)
    names |= {
        line.author_name
        for line in people.web_lines_by(session, web_channels(session, tenant), user)
    }
    scrubbers = {
        language: Scrubber(user, report.pseudonym, texts, names, language)
        for language in ("nl", "en")
    }

    for round_row, team, rows in logs:
        if not rows:
            continue
        scrub = scrubbers[_round_language(rows[0].payload, team.language)]
        changed = 0
        for row in rows:
            redacted = _redact(row.payload, user, scrub)
            # A redacted event must still read back as its kind: the log stays replayable.
            ev.event_from_payload(redacted)
            actor = scrub.text(row.actor) if row.actor is not None else None
            if redacted != row.payload or actor != row.actor:
                people.redact_event(session, row.id, redacted, actor=actor)
                changed += 1
        if changed:
            report.rounds += 1
            report.events += changed
            _append_tombstone(session, round_row.id, report.pseudonym, now)
            _requeue_card(session, round_row.id, team, tenant.platform, now)

    team_ids = [team.id for team in storage.list_teams(session, tenant.id)]
    round_ids = [round_row.id for round_row, _team, _rows in logs]
    outbox, web, answers = people.rendered_copies(
        session, team_ids, round_ids, web_channels(session, tenant)
    )
    team_language = {team.id: language_of(team.language) for _r, team, _rows in logs}
    default = scrubbers[language_of(_tenant_language(logs))]
    channels = {team.id: team.external_id for _r, team, _rows in logs}
    for message in outbox:
        scrub = scrubbers.get(team_language.get(message.team_id, "nl"), default)
        if _rewrite(message, "payload", scrub):
            report.copies += 1
            _requeue_copy(session, message, channels, now)
    for line in web:
        report.copies += _rewrite(line, "payload", default)
    for answer in answers:
        report.copies += _rewrite(answer, "outcome", default)
    for action in people.team_actions(session, team_ids):
        if action.owner_user_id == user:
            action.text = default.tombstone
            action.report = default.tombstone if action.report else None
            report.copies += 1
        else:
            report.copies += _rewrite(action, "text", default)
            if action.report is not None:
                report.copies += _rewrite(action, "report", default)
    session.flush()
    report.rows = people.drop_person(
        session,
        tenant.id,
        user,
        pseudonym=report.pseudonym,
        label=default.label,
        web_channels=web_channels(session, tenant),
    )
    return report


def _tenant_language(
    logs: list[tuple[storage.Round, storage.Team, list[storage.RoundEvent]]],
) -> str:
    return logs[0][1].language if logs else "nl"


def _names(
    memberships: list[dict[str, str]],
    logs: list[tuple[storage.Round, storage.Team, list[storage.RoundEvent]]],
    user: str,
) -> set[str]:
    """Every name the person went by: in memberships and in the rounds' logs."""
    names = {m["display_name"] for m in memberships}
    for _round, _team, rows in logs:
        for row in rows:
            payload = row.payload
            if payload.get("kind") == "participant_joined" and payload.get("user") == user:
                names.add(str(payload.get("name", "")))
            if payload.get("kind") == "round_started":
                if payload.get("started_by") == user:
                    names.add(str(payload.get("starter_name", "")))
                for action in payload.get("open_actions", []):
                    if action.get("owner") == user:
                        names.add(str(action.get("owner_name", "")))
    return {name for name in names if name}


def _round_language(first: dict[str, Any], fallback: str) -> Language:
    return language_of(str(first.get("language") or fallback))


def _redact(payload: dict[str, Any], user: str, scrub: Scrubber) -> dict[str, Any]:
    """The event with the person's own texts tombstoned, then ids and names replaced.

    Which fields are free text is the purge's definition (bot.engine.redact, whose
    test holds every event kind to it): of an event the person is the author of
    (its `user`, `by` or `owner`), every such text becomes the tombstone.
    """
    redacted = dict(payload)
    if payload.get("kind") == "round_started":
        # Started by them or not, it carries the open actions of everyone.
        redacted["open_actions"] = [
            {**action, "text": scrub.tombstone} if action.get("owner") == user else action
            for action in payload.get("open_actions", [])
        ]
    elif user in (payload.get("user"), payload.get("by"), payload.get("owner")):
        emptied = redact_payload(payload)
        for key, value in payload.items():
            if isinstance(value, str) and value and emptied.get(key) == "":
                redacted[key] = scrub.label if key == "name" else scrub.tombstone
    # The protocol is the library's, not a person's: left as it was.
    return {k: (v if k == "protocol" else scrub.deep(v)) for k, v in redacted.items()}


def _rewrite(row: Any, attribute: str, scrub: Scrubber) -> int:
    before = getattr(row, attribute)
    after = scrub.deep(before)
    if after == before:
        return 0
    setattr(row, attribute, after)
    return 1


def _append_tombstone(session: Session, round_id: str, pseudonym: str, now: datetime) -> None:
    row = storage.get_round_for_update(session, round_id)
    assert row is not None  # read in this transaction
    event = ev.ParticipantErased(at=now, user=pseudonym)
    storage.append_events(
        session,
        round_id,
        row.version,
        [storage.NewEvent(kind=event.kind, payload=ev.event_to_payload(event), occurred_at=now)],
        snapshot=storage.RoundSnapshot(
            status=row.status, current_step=row.current_step, deadline=row.deadline
        ),
        now=now,
    )


def _requeue_copy(
    session: Session, message: storage.OutboxMessage, channels: dict[int, str], now: datetime
) -> None:
    """A message the bot posted in the round's channel thread (a notice, the summary)
    that quoted the person: queue its rewritten version as an update of that very
    post, under a slot of its own, so the platform shows it without their words.
    Private messages are not sent again; the card has its own update."""
    if (
        message.status != "sent"
        or message.external_id is None
        or message.round_id is None
        or message.slot is not None
        or message.destination.get("user") is not None
        or message.team_id not in channels
    ):
        return
    slot = f"erased:{message.id}"
    storage.record_posted(
        session,
        round_id=message.round_id,
        slot=slot,
        platform=message.platform,
        channel=channels[message.team_id],
        external_id=message.external_id,
        now=now,
    )
    storage.enqueue(
        session,
        [
            storage.OutgoingMessage(
                team_id=message.team_id,
                platform=message.platform,
                destination={"round": message.round_id, "user": None},
                payload=message.payload,
                round_id=message.round_id,
                slot=slot,
            )
        ],
        now=now,
    )


def _requeue_card(
    session: Session, round_id: str, team: storage.Team, platform: str, now: datetime
) -> None:
    """Queue the round's card again from the redacted log: Slack, Teams and the web
    chat update it in place, so the copies others see lose the person's words too."""
    state = fold(
        ev.event_from_payload(row.payload) for row in storage.load_events(session, round_id)
    )
    storage.enqueue(
        session,
        [
            storage.OutgoingMessage(
                team_id=team.id,
                platform=platform,
                destination={"round": round_id, "user": None},
                payload=message_to_json(card(state, now)),
                round_id=round_id,
                slot="card",
            )
        ],
        now=now,
    )
