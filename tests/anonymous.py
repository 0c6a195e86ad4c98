"""A school's own protocol with anonymous incidents, and what the channel tests check
with it: that nothing shown to others puts an anonymous case next to its author."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.engine import commands as cmd
from bot.service import RoundService

PROTOCOL = "incident_anoniem"
# Two anonymous incidents: the group votes Bob's, who says no; then Cas's, who says yes.
BOBS = "Een leerling die mijn les elke week stillegt"
CASS = "Een ouder die mijn cijfers in twijfel trekt"

_LIBRARY = Path(__file__).resolve().parents[1] / "protocols" / "library"


def school_folder(tmp_path: Path) -> Path:
    """A protocols folder holding the incident method with anonymous incidents."""
    source = (_LIBRARY / "incident.yaml").read_text(encoding="utf-8")
    own = (
        source.replace("id: incident\naliases: [incidentmethode]\n", f"id: {PROTOCOL}\n", 1)
        .replace("  nl: Incidentmethode\n", "  nl: Anonieme incidentmethode\n", 1)
        .replace("  en: Incident method\n", "  en: Anonymous incident method\n", 1)
        .replace(
            "  - id: propose\n    kind: collect\n",
            "  - id: propose\n    kind: collect\n    anonymous: true\n",
            1,
        )
    )
    assert own.count(PROTOCOL) == 1 and "anonymous: true" in own
    folder = tmp_path / "protocols"
    folder.mkdir()
    (folder / f"{PROTOCOL}.yaml").write_text(own, encoding="utf-8")
    return folder


def propose(service: RoundService, round_id: str, bob: str, cas: str) -> None:
    """At the step 'propose': Bob and Cas each bring an incident."""
    for user, text in ((bob, BOBS), (cas, CASS)):
        outcome = service.handle(round_id, cmd.Contribute(user=user, text=text))
        assert outcome.accepted, outcome.error_code


def vote(service: RoundService, round_id: str, voters: Iterable[str], cas: str) -> None:
    """At the step 'choose': everyone votes Bob's incident but Cas, who votes her own."""
    state = service.round(round_id)
    assert state is not None and state.step is not None and state.step.id == "choose"
    bobs, cass = (i.id for i in state.items_of("propose"))
    for user in voters:
        chosen = cass if user == cas else bobs
        outcome = service.handle(round_id, cmd.Vote(user=user, item_ids=[chosen]))
        assert outcome.accepted, outcome.error_code


def beside(parts: Iterable[Any], text: str, *author: str) -> list[str]:
    """Every part (a block, a card element, a rendered message) that holds the text and
    any of the author's names or ids as a word, as JSON: what must never go out to others."""
    named = re.compile(
        "|".join(rf"(?<![^\W_]){re.escape(a)}(?![^\W_])" for a in author), re.IGNORECASE
    )
    found = []
    for part in parts:
        shown = json.dumps(part, ensure_ascii=False)
        if text in shown and named.search(shown):
            found.append(shown)
    return found
