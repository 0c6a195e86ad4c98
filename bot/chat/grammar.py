"""The `/dialoog` command language, in Dutch and English, shared by every channel."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Verb = Literal[
    "start",
    "protocols",
    "status",
    "stop",
    "leave",
    "take_over",
    "help",
    "language",
    "sector",
    "plan",
    "region",
    "study_day",
    "retention",
    "take_back",
    "data",
    "insights",
    "naming",
    "dossier",
    "unknown",
]

# Every word a user may type for a verb; the first is the one help shows.
WORDS: dict[Verb, tuple[str, ...]] = {
    "start": ("start", "begin", "starten"),
    "protocols": ("protocollen", "protocols", "protocol", "lijst", "list", "methodes"),
    "status": ("status", "stand"),
    "stop": ("stop", "stoppen", "einde", "end", "cancel"),
    "leave": ("verlaat", "verlaten", "leave"),
    "take_over": ("overnemen", "takeover", "take-over"),
    "help": ("help", "hulp", "?"),
    "language": ("taal", "language", "lang"),
    "sector": ("sector", "schooltype"),
    "plan": ("plan", "plannen", "planning", "schedule", "rooster"),
    "region": ("regio", "region", "vakanties", "holidays"),
    "study_day": ("studiedag", "studiedagen", "studyday", "studydays"),
    "retention": ("bewaren", "bewaartermijn", "retention", "keep"),
    "take_back": ("terugnemen", "take-back", "takeback"),
    # `/dialoog mijn gegevens`, `/dialoog my data`: what dialoog keeps about you.
    "data": ("gegevens", "data", "export", "privacy"),
    "insights": ("overzicht", "overview", "insights", "statistieken"),
    "naming": ("naam", "name"),
    "dossier": ("dossier", "record", "portfolio"),
}
_MINE = ("mijn", "my")
_MODES = {
    "async": "async",
    "asynchroon": "async",
    "verspreid": "async",
    "spread": "async",
    "live": "live",
    "nu": "live",
    "now": "live",
}


@dataclass(frozen=True)
class Parsed:
    verb: Verb
    # start: the protocol name (or None to choose); language: the language asked for;
    # retention: days or "standaard"; take_back: "aan" or "uit".
    argument: str | None = None
    mode: Literal["live", "async"] | None = None
    # unknown: what was typed, and the verb it most resembles.
    typed: str = ""
    suggestion: str | None = None


def parse(text: str) -> Parsed:
    """Read what followed `/dialoog` (or `@dialoog`): never fails, may be `unknown`."""
    words = text.strip().split()
    if not words:
        return Parsed("help")
    head, rest = words[0].lower(), [w.lower() for w in words[1:]]
    if head in _MINE and rest:
        # "mijn gegevens", "mijn dossier", "my data", "my record": the second word says which.
        head, rest = rest[0], rest[1:]
    verb = next((v for v, names in WORDS.items() if head in names), None)
    if verb is None:
        every = [name for names in WORDS.values() for name in names]
        close = difflib.get_close_matches(head, every, n=1, cutoff=0.6)
        return Parsed("unknown", typed=words[0], suggestion=close[0] if close else None)
    if verb == "start":
        mode = next((_MODES[w] for w in rest if w in _MODES), None)
        names = [w for w in rest if w not in _MODES]
        return Parsed(
            "start",
            argument=" ".join(names) or None,
            mode=mode,  # type: ignore[arg-type]
        )
    if verb in ("language", "sector", "retention", "take_back"):
        return Parsed(verb, argument=rest[0] if rest else None)
    if verb in ("region", "study_day", "insights", "naming"):
        return Parsed(verb, argument=" ".join(rest) or None)
    return Parsed(verb)
