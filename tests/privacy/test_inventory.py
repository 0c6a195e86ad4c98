"""The data inventory in docs/privacy.md (and .en.md) describes every column of
every table, exactly once, with the same category in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storage.models import Base

DOCS = Path(__file__).resolve().parents[2] / "docs"
CATEGORIES = {
    "privacy.md": {"identiteit": "identity", "inhoud": "content", "metadata": "metadata"},
    "privacy.en.md": {"identity": "identity", "content": "content", "metadata": "metadata"},
}
_NAME = re.compile(r"`([a-z_]+(?:\.[a-z_]+)?)`")


def inventory(document: str) -> dict[tuple[str, str], str]:
    """(table, column) -> category, from the inventory sections of a privacy page.

    A section is a heading naming its tables in backticks; in its rows a plain
    column name belongs to the heading's first table, `table.column` to that table.
    """
    categories = CATEGORIES[document]
    text = (DOCS / document).read_text(encoding="utf-8")
    found: dict[tuple[str, str], str] = {}
    tables: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("### "):
            tables = _NAME.findall(line.split(" — ")[0])
            continue
        if not tables or not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[1] not in categories:
            pytest.fail(f"{document}:{number}: category {cells[1]!r} is not one of {[*categories]}")
        for name in _NAME.findall(cells[0]):
            table, _, column = name.rpartition(".")
            key = (table or tables[0], column)
            assert key not in found, f"{document}:{number}: {key[0]}.{key[1]} described twice"
            found[key] = categories[cells[1]]
    return found


def _columns() -> set[tuple[str, str]]:
    return {(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns}


@pytest.mark.parametrize("document", sorted(CATEGORIES))
def test_the_inventory_describes_every_column_of_every_table(document: str) -> None:
    described = set(inventory(document))
    missing = sorted(f"{t}.{c}" for t, c in _columns() - described)
    unknown = sorted(f"{t}.{c}" for t, c in described - _columns())
    assert missing == [], f"docs/{document} does not describe these columns"
    assert unknown == [], f"docs/{document} describes columns that do not exist"


def test_both_languages_give_every_column_the_same_category() -> None:
    dutch, english = inventory("privacy.md"), inventory("privacy.en.md")
    differ = sorted(f"{t}.{c}" for (t, c), kind in dutch.items() if english.get((t, c)) != kind)
    assert differ == []


def test_the_texts_the_purge_empties_are_listed_as_content() -> None:
    described = inventory("privacy.en.md")
    purged = [
        ("round_events", "payload"),
        ("outbox", "payload"),
        ("web_messages", "payload"),
        ("processed_commands", "outcome"),
        ("action_points", "text"),
        ("action_points", "report"),
    ]
    assert {key: described[key] for key in purged} == dict.fromkeys(purged, "content")
