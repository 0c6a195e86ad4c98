"""How erasure rewrites a string: the person's texts, names and id, nothing else."""

from __future__ import annotations

from bot.privacy.erasure import Scrubber

LONG = "Een leerling in 2B liep weg uit mijn les"


def scrubber() -> Scrubber:
    return Scrubber("slack-U0BOB42", "erased-1", [LONG, "Ja?"], ["Bob", "Bob de Vries"], "nl")


def test_a_quoted_text_of_theirs_becomes_the_tombstone_inside_another_text() -> None:
    assert scrubber().text(f"Gekozen casus: {LONG}.") == "Gekozen casus: [verwijderd]."


def test_a_short_text_is_erased_only_where_it_is_the_whole_value() -> None:
    scrub = scrubber()
    assert scrub.text("Ja?") == "[verwijderd]"
    assert scrub.text("Ja? Dat denk ik ook.") == "Ja? Dat denk ik ook."


def test_their_name_is_replaced_as_a_word_never_inside_another_word() -> None:
    scrub = scrubber()
    assert scrub.text("Bob de Vries vertelde, en Bob ook") == (
        "Verwijderde deelnemer vertelde, en Verwijderde deelnemer ook"
    )
    assert scrub.text("Bobbie en Jakob") == "Bobbie en Jakob"


def test_their_id_becomes_the_pseudonym_in_keys_values_and_texts() -> None:
    scrub = scrubber()
    assert scrub.deep({"slack-U0BOB42": ["slack-U0BOB42", 3], "at": "<@slack-U0BOB42>"}) == {
        "erased-1": ["erased-1", 3],
        "at": "<@erased-1>",
    }


def test_a_long_text_shortened_in_a_choice_label_is_erased_too() -> None:
    long = "x" * 200
    scrub = Scrubber("U1", "erased-1", [long], [], "en")
    assert scrub.text(long[:149] + "…") == "[erased]…"
