"""Every two-language catalog says everything in both languages, with the same
{placeholders}: a text that drops or adds one fails only for the people who read it."""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Mapping

import pytest

import bot
from bot.engine.errors import DomainError


def _catalogs() -> dict[str, Mapping[str, tuple[str, str]]]:
    """Every module-level `NAME: Catalog` in bot/ (found by its annotation)."""
    found = {}
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        module = importlib.import_module(info.name)
        for name, annotation in getattr(module, "__annotations__", {}).items():
            if annotation == "Catalog" and name in vars(module):
                found[f"{info.name}.{name}"] = vars(module)[name]
    return found


CATALOGS = _catalogs()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_catalogs_are_found() -> None:
    # The engine's texts and errors, the chat's, every channel's, the scheduler's, ...
    assert len(CATALOGS) >= 12, sorted(CATALOGS)
    assert "bot.engine.errors.MESSAGES" in CATALOGS
    assert "bot.scheduler.texts.TEXTS" in CATALOGS


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_every_text_exists_in_dutch_and_english_with_the_same_placeholders(name: str) -> None:
    wrong = []
    for key, pair in CATALOGS[name].items():
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(pair)):
            wrong.append(f"{key}: not a Dutch and an English text")
        elif _fields(pair[0]) != _fields(pair[1]):
            wrong.append(f"{key}: nl {sorted(_fields(pair[0]))} en {sorted(_fields(pair[1]))}")
    assert wrong == []


def test_a_placeholder_one_language_lacks_is_caught() -> None:
    # The check itself can fail: a catalog as a translator might leave it.
    assert _fields("Hallo {name}, je hebt {count} stemmen") != _fields("Hello {name}")
    assert _fields("{avg:.1f} van {scale}") == _fields("{avg} of {scale}")


def test_a_domain_error_can_be_told_in_both_languages() -> None:
    for code in CATALOGS["bot.engine.errors.MESSAGES"]:
        fields = _fields(CATALOGS["bot.engine.errors.MESSAGES"][code][0])
        # A number fits every field, also a count that takes its noun ({count:stem|stemmen}).
        error = DomainError(code, **dict.fromkeys(fields, 1))
        assert error.message("nl") and error.message("en")
