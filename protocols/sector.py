"""Sector words: a primary school says leerkracht and groep 6, a secondary school
docent and klas 2, an mbo college docent and studenten.

A protocol text writes `{leraar}`, `{leerlingen}`, `{klas}` (English: `{teacher}`,
`{pupils}`, `{class}`, ...); `for_sector` fills them in for a team's sector when a
round starts. A capital first letter (`{Leraar}`) gives a capitalised word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal, get_args

from protocols.schema import LANGUAGES, Language, Protocol

Sector = Literal["po", "vo", "mbo"]
SECTORS: tuple[Sector, ...] = get_args(Sector)

# token -> the word per sector; None is a team that has not said its sector.
_Words = dict[Sector | None, str]
WORDS: dict[Language, dict[str, _Words]] = {
    "nl": {
        "leraar": {None: "leraar", "po": "leerkracht", "vo": "docent", "mbo": "docent"},
        "leraren": {None: "leraren", "po": "leerkrachten", "vo": "docenten", "mbo": "docenten"},
        "leerling": {None: "leerling", "po": "leerling", "vo": "leerling", "mbo": "student"},
        "leerlingen": {
            None: "leerlingen",
            "po": "leerlingen",
            "vo": "leerlingen",
            "mbo": "studenten",
        },
        "klas": {None: "klas", "po": "groep", "vo": "klas", "mbo": "klas"},
        "klassen": {None: "klassen", "po": "groepen", "vo": "klassen", "mbo": "klassen"},
        "jaargroep": {None: "klas 2", "po": "groep 6", "vo": "klas 2", "mbo": "het tweede jaar"},
    },
    "en": {
        "teacher": {None: "teacher", "po": "teacher", "vo": "teacher", "mbo": "teacher"},
        "teachers": {None: "teachers", "po": "teachers", "vo": "teachers", "mbo": "teachers"},
        "pupil": {None: "pupil", "po": "pupil", "vo": "pupil", "mbo": "student"},
        "pupils": {None: "pupils", "po": "pupils", "vo": "pupils", "mbo": "students"},
        "class": {None: "class", "po": "class", "vo": "class", "mbo": "class"},
        "classes": {None: "classes", "po": "classes", "vo": "classes", "mbo": "classes"},
        "year_group": {None: "Year 8", "po": "Year 5", "vo": "Year 8", "mbo": "second-year"},
    },
}


def sector_of(value: str | None) -> Sector | None:
    """A stored or typed sector, or None when it is none of po, vo, mbo."""
    cleaned = (value or "").strip().lower()
    return next((sector for sector in SECTORS if sector == cleaned), None)


TOKEN = re.compile(r"\{([A-Za-z_]+)\}")


def word(language: Language, token: str, sector: Sector | None) -> str | None:
    """The word a token stands for, or None if the token is unknown in that language."""
    words = WORDS[language].get(token.lower())
    if words is None:
        return None
    found = words[sector]
    return found[0].upper() + found[1:] if token[0].isupper() else found


def fill(text: str, language: Language, sector: Sector | None) -> str:
    """`text` with every known token filled in; an unknown one is left as it is."""

    def replace(match: re.Match[str]) -> str:
        return word(language, match.group(1), sector) or match.group(0)

    return TOKEN.sub(replace, text)


def unknown_tokens(text: str, language: Language) -> Iterator[str]:
    for match in TOKEN.finditer(text):
        if word(language, match.group(1), None) is None:
            yield match.group(0)


def for_sector(protocol: Protocol, sector: Sector | None) -> Protocol:
    """The protocol with its texts in the words of a sector."""
    return Protocol.model_validate(_walk(protocol.model_dump(mode="json"), sector))


def _walk(value: Any, sector: Sector | None) -> Any:
    if isinstance(value, dict):
        if set(value) == {"nl", "en"} and all(isinstance(v, str) for v in value.values()):
            return {lang: fill(text, lang, sector) for lang, text in value.items()}
        return {key: _walk(item, sector) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, sector) for item in value]
    return value


def texts(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Language, str]]:
    """Every text of a dumped protocol: (path, language, text)."""
    if isinstance(value, dict):
        if set(value) == {"nl", "en"} and all(isinstance(v, str) for v in value.values()):
            for lang in LANGUAGES:
                yield (*path, lang), lang, value[lang]
            return
        for key, item in value.items():
            yield from texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, (*path, index))
