"""What the guard counts as identifying a pupil, and what it leaves alone."""

from __future__ import annotations

from datetime import date

import pytest

from bot.guard import pseudonymise, scan
from bot.guard.detect import passes_eleven_test


def found(text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in scan(text, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),
        ("12345678", False),
        ("01234567", False),
    ],
)
def test_a_bsn_is_recognised_by_the_eleven_test(digits: str, valid: bool) -> None:
    assert passes_eleven_test(digits) is valid


def test_a_nine_digit_number_that_fails_the_eleven_test_is_no_bsn() -> None:
    assert found("Het ordernummer is 123456789.") == []
    assert found("Het ordernummer is 123456782.") == [("bsn", "123456782")]


def test_a_bsn_by_name_counts_even_with_a_typo_in_it() -> None:
    assert found("Zijn BSN is 123456789.") == [("bsn", "123456789")]


@pytest.mark.parametrize(
    "text",
    [
        "Wil je de tijd bewaken?",
        "Ben je het daarmee eens?",
        "Mark de vragen die je raken.",
        "Beste collega's, dank jullie wel.",
        "Ik wil de roos op het bord laten staan.",
        "De mark van de toets was te streng.",
        "Dan weet ik waar ik sta.",
        "Bij Frans werkt de klas goed mee.",
    ],
)
def test_words_that_are_also_names_are_left_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Roos huilde na de les.", "Roos"),
        ("Ik sprak Roos na de les.", "Roos"),
        ("Mark gooide zijn pen door de klas.", "Mark"),
        ("Daarna zei Ben niets meer.", "Ben"),
    ],
)
def test_words_that_are_also_names_count_where_they_are_names(text: str, name: str) -> None:
    assert found(text) == [("name", name)]


def test_colleagues_and_the_rounds_own_people_are_not_pupils() -> None:
    assert found("Mijn collega Bas en juf Anna herkennen het.") == []
    assert found("Zoals Daan al zei: Emma praat niet meer.", known_names=["Daan Smit"]) == [
        ("name", "Emma")
    ]


def test_a_full_name_is_one_finding() -> None:
    assert found("Het gaat om Sanne van der Berg uit 2B.") == [("full_name", "Sanne van der Berg")]
    assert found("Op het Johan de Witt College doen ze dat anders.") == []


def test_a_date_is_a_birth_date_by_its_words_or_by_a_pupils_age() -> None:
    today = date(2025, 11, 1)
    assert found("Geboren 3-4-2019, vroeg geboren.", today=today) == [("birth_date", "3-4-2019")]
    assert found("De ouderavond is op 12-03-2025.", today=today) == []
    assert found("Ze kwam op 14-03-2011 ter wereld.", today=today) == [("birth_date", "14-03-2011")]


def test_contact_details_and_student_numbers_are_found() -> None:
    text = "Mail piet@voorbeeld.nl, bel 06-12345678; leerlingnummer 204518."
    assert found(text) == [
        ("email", "piet@voorbeeld.nl"),
        ("phone", "06-12345678"),
        ("student_number", "204518"),
    ]


def test_the_replacement_gives_each_pupil_one_letter_in_the_teams_language() -> None:
    text = "Daan de Vries pest Emma; Daan lacht erom. Bel 06-12345678."
    assert pseudonymise(text, scan(text), "nl") == (
        "leerling A pest leerling B; leerling A lacht erom. Bel [telefoonnummer weggelaten]."
    )
    assert pseudonymise(text, scan(text), "en") == (
        "pupil A pest pupil B; pupil A lacht erom. Bel [phone number removed]."
    )
    assert scan(pseudonymise(text, scan(text), "nl")) == ()
