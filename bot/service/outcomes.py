"""What the service answers: the outcome of a command, and a round as a channel needs it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.engine.errors import DomainError
from bot.engine.state import RoundState
from bot.i18n import Language
from bot.service.places import Place


@dataclass(frozen=True)
class Outcome:
    """What became of a command, for the channel to tell the person who sent it."""

    round_id: str | None
    accepted: bool
    error_code: str | None = None
    # The refusal in both languages; the channel picks the person's.
    errors: dict[str, str] | None = None
    # True when this is a repeated delivery of a command handled before.
    replayed: bool = False
    # A contribution the pupil-name guard held back: the id of its pending record.
    held: str | None = None
    # More held from the same form (an answer per question): their pending records.
    also_held: tuple[str, ...] = ()
    # The round's team's language as the command's transaction read it: what the
    # answer is told in. None when it was not read (a replay); not stored.
    team_language: Language | None = None

    def reply(self, language: Language) -> str | None:
        return self.errors.get(language) if self.errors else None

    def to_json(self) -> dict[str, Any]:
        return {
            "round_id": self.round_id,
            "accepted": self.accepted,
            "error_code": self.error_code,
            "errors": self.errors,
            "held": self.held,
            "also_held": list(self.also_held),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        return cls(
            round_id=data.get("round_id"),
            accepted=bool(data.get("accepted")),
            error_code=data.get("error_code"),
            errors=data.get("errors"),
            replayed=True,
            held=data.get("held"),
            also_held=tuple(data.get("also_held") or ()),
        )

    @classmethod
    def refused(cls, round_id: str | None, error: DomainError) -> Outcome:
        messages = {lang: error.message(lang) for lang in ("nl", "en")}
        return cls(round_id=round_id, accepted=False, error_code=error.code, errors=messages)


@dataclass(frozen=True)
class RoundInfo:
    """A round as a channel needs it: where it lives and what it looks like now."""

    round_id: str
    team_id: int
    place: Place
    state: RoundState
