"""The bot's own texts in Dutch and English, kept as catalogs of format strings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

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


def translate(catalog: Catalog, key: str, language: Language, **params: object) -> str:
    dutch, english = catalog[key]
    template = dutch if language == "nl" else english
    return template.format(**params) if params else template
