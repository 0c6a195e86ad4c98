"""Sector words: the same method says leerkracht and groep 6 in a primary school,
docent and klas 2 in a secondary school, docent and studenten in an mbo."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from protocols.checks import check_protocol
from protocols.loader import load_library
from protocols.problems import format_path
from protocols.schema import Protocol
from protocols.sector import SECTORS, for_sector, texts

LIBRARY = load_library()
MINI: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "valid" / "mini.yaml").read_text(encoding="utf-8")
)


def _method(protocol_id: str, sector: str | None) -> Protocol:
    found = LIBRARY.get(protocol_id)
    assert found is not None
    return for_sector(found, sector)  # type: ignore[arg-type]


@pytest.mark.parametrize("sector", [*SECTORS, None])
def test_every_sector_word_in_the_library_is_filled_in(sector: str | None) -> None:
    for protocol in LIBRARY:
        rendered = for_sector(protocol, sector)  # type: ignore[arg-type]
        left = [format_path(loc) for loc, _, text in texts(rendered.model_dump()) if "{" in text]
        assert left == [], protocol.id


def test_a_primary_school_says_leerkracht_and_groep_6() -> None:
    observation = _method("peer_observation", "po")
    assert observation.roles[0].name.nl == "Leerkracht"
    research = _method("lesson_study", "po").step("research_question")
    assert research is not None and "groep 6" in research.prompt.nl


def test_a_secondary_school_says_docent_and_klas_2() -> None:
    observation = _method("peer_observation", "vo")
    assert observation.roles[0].name.nl == "Docent"
    research = _method("lesson_study", "vo").step("research_question")
    assert research is not None and "klas 2" in research.prompt.nl


def test_an_mbo_college_says_studenten_and_students() -> None:
    incident = _method("incident", "mbo")
    assert "Namen van studenten zijn niet nodig." in incident.ground_rules[0].nl
    assert "students' names" in incident.ground_rules[0].en


def test_without_a_sector_the_words_are_neutral() -> None:
    observation = _method("peer_observation", None)
    assert observation.roles[0].name.nl == "Leraar"
    assert observation.roles[0].name.en == "Teacher"


def test_an_unknown_sector_word_is_named_with_the_words_that_exist() -> None:
    data = copy.deepcopy(MINI)
    data["steps"][3]["prompt"]["nl"] = "Vraag het de {leerkracht}."
    found = [
        f"{format_path(f.loc)}: {f.message}" for f in check_protocol(Protocol.model_validate(data))
    ]
    assert len(found) == 1
    assert found[0].startswith("steps[3].prompt.nl: {leerkracht} is not a sector word in nl; ")
    assert "{leraar}" in found[0]
