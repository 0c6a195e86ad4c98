"""Words of a person: counts, dates, numbers and lists the way each language writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.i18n import translate
from bot.words import count, decimal, full_date, joined, listed, long_day, short_day, short_moment
from protocols.schema import Text

DEC_15 = date(2026, 12, 15)


@pytest.mark.parametrize(
    ("n", "dutch", "english"),
    [(0, "0 stemmen", "0 votes"), (1, "1 stem", "1 vote"), (3, "3 stemmen", "3 votes")],
)
def test_a_count_comes_with_the_noun_it_takes(n: int, dutch: str, english: str) -> None:
    catalog = {"votes": ("{count:stem|stemmen}", "{count:vote|votes}")}
    assert translate(catalog, "votes", "nl", count=n) == dutch
    assert translate(catalog, "votes", "en", count=n) == english


def test_a_decimal_count_is_written_as_the_language_writes_decimals() -> None:
    assert count("nl", 2.5, "dag", "dagen") == "2,5 dagen"
    assert count("en", 2.5, "day", "days") == "2.5 days"
    assert count("nl", 1.0, "dag", "dagen") == "1 dag"


def test_a_whole_number_has_no_decimals_and_a_fraction_the_languages_own_point() -> None:
    assert decimal("nl", 4.0) == "4"
    assert decimal("nl", 4.25) == "4,3" or decimal("nl", 4.25) == "4,2"
    assert decimal("nl", 4.5) == "4,5"
    assert decimal("en", 4.5) == "4.5"
    assert decimal("en", 3.96) == "4"


def test_dates_are_days_and_months_in_words() -> None:
    assert short_day("nl", DEC_15) == "di 15 dec"
    assert short_day("en", DEC_15) == "Tue 15 Dec"
    assert long_day("nl", DEC_15) == "dinsdag 15 december"
    assert full_date("nl", DEC_15) == "15 december 2026"
    moment = datetime(2026, 12, 15, 13, 30, tzinfo=UTC)
    assert short_moment("nl", moment, "Europe/Amsterdam") == "di 15 dec 14:30"


def test_a_list_reads_as_a_sentence_and_titles_in_the_readers_language() -> None:
    assert joined("nl", ["dinsdag", "donderdag"]) == "dinsdag en donderdag"
    assert joined("en", ["Monday", "Tuesday", "Friday"]) == "Monday, Tuesday and Friday"
    titles = listed(
        [Text(nl="Incidentmethode", en="Incident method"), Text(nl="Balint", en="Balint")]
    )
    assert titles("nl") == "Incidentmethode en Balint"
    assert titles("en") == "Incident method and Balint"
