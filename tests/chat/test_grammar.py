"""The /dialoog command language, in Dutch and English."""

from __future__ import annotations

import pytest

from bot.chat.grammar import parse


@pytest.mark.parametrize(
    ("typed", "verb", "argument", "mode"),
    [
        ("", "help", None, None),
        ("hulp", "help", None, None),
        ("start incident", "start", "incident", None),
        ("Start Incident async", "start", "incident", "async"),
        ("start roddelmethode asynchroon", "start", "roddelmethode", "async"),
        ("begin", "start", None, None),
        ("start live five step", "start", "five step", "live"),
        ("protocollen", "protocols", None, None),
        ("protocols", "protocols", None, None),
        ("status", "status", None, None),
        ("stop", "stop", None, None),
        ("einde", "stop", None, None),
        ("taal en", "language", "en", None),
        ("language", "language", None, None),
        ("mijn gegevens", "data", None, None),
        ("My data", "data", None, None),
        ("gegevens", "data", None, None),
        ("overzicht", "insights", None, None),
        ("overview 2025-2026", "insights", "2025-2026", None),
        ("overzicht link intrekken", "insights", "link intrekken", None),
        ("naam uit", "naming", "uit", None),
        ("name on", "naming", "on", None),
        ("mijn dossier", "dossier", None, None),
        ("my record", "dossier", None, None),
    ],
)
def test_commands_are_understood_in_both_languages(
    typed: str, verb: str, argument: str | None, mode: str | None
) -> None:
    parsed = parse(typed)
    assert (parsed.verb, parsed.argument, parsed.mode) == (verb, argument, mode)


def test_a_misspelt_command_suggests_the_nearest() -> None:
    parsed = parse("strat incident")
    assert parsed.verb == "unknown"
    assert (parsed.typed, parsed.suggestion) == ("strat", "start")


def test_gibberish_suggests_nothing() -> None:
    assert parse("xyzzy").suggestion is None
