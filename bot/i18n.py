"""The bot's own texts in Dutch and English, kept as catalogs of format strings."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, Literal

from bot.words import count

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")

# key -> (Dutch, English). Format fields use str.format names.
Catalog = Mapping[str, tuple[str, str]]


def language_of(value: str | None, default: Language = "nl") -> Language:
    """The supported language a user or team setting names, else the default."""
    if value:
        short = value.strip().lower()[:2]
        if short == "nl":
            return "nl"
        if short == "en":
            return "en"
    return default


class _Formatter(string.Formatter):
    """str.format, and a count with its noun: `{count:stem|stemmen}` is "1 stem" or
    "3 stemmen" (bot.words.count; a decimal in the language's own way)."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec and isinstance(value, int | float) and not isinstance(value, bool):
            one, _, many = format_spec.partition("|")
            return count(self.language, value, one, many)
        return str(super().format_field(value, format_spec))


_FORMATTERS = {language: _Formatter(language) for language in LANGUAGES}


def format_field(language: Language, value: object, spec: str) -> str:
    """One field of a catalog text as translate() writes it (a count takes its noun)."""
    return _FORMATTERS[language].format_field(value, spec)


def translate(catalog: Catalog, key: str, language: Language, **params: object) -> str:
    dutch, english = catalog[key]
    template = dutch if language == "nl" else english
    return _FORMATTERS[language].format(template, **params) if params else template
