"""Every text the bot can say, in every catalog and every built-in method: words of a
person, not of a program. A new text with "(n)" or "stem(men)" fails here."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import pytest

import bot
from protocols.loader import Library

# "bijdrage(n)", "stem(men)", "actiepunt(en)", "collega('s)", "vote(s)", "Dag(en)".
BRACKET_PLURAL = re.compile(r"\w\((n|en|s|men|e|'s|es)\)")
PLURAL_SPEC = re.compile(r"\{\w+:([^{}|]*)\|([^{}]*)\}")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _catalogs() -> Iterator[tuple[str, str, tuple[str, str]]]:
    """(module, key, (Dutch, English)) for every catalog in bot/: any module-level
    mapping whose values are pairs of texts."""
    seen: set[int] = set()
    for found in pkgutil.walk_packages(bot.__path__, "bot."):
        module = importlib.import_module(found.name)
        for name, value in vars(module).items():
            if not isinstance(value, dict) or not value or id(value) in seen:
                continue
            seen.add(id(value))
            pairs = list(value.values())
            if all(
                isinstance(p, tuple) and len(p) == 2 and all(isinstance(t, str) for t in p)
                for p in pairs
            ):
                for key, pair in value.items():
                    yield f"{found.name}.{name}", str(key), pair


CATALOG_TEXTS = list(_catalogs())


def test_every_catalog_is_read() -> None:
    read = {key for _module, key, _pair in CATALOG_TEXTS}
    for module, name in (
        ("bot.engine.texts", "TEXTS"),
        ("bot.engine.errors", "MESSAGES"),
        ("bot.chat.texts", "TEXTS"),
        ("bot.scheduler.texts", "TEXTS"),
        ("bot.insights.texts", "TEXTS"),
        ("bot.privacy.texts", "TEXTS"),
        ("bot.guard.texts", "TEXTS"),
        ("bot.channels.slack.texts", "TEXTS"),
        ("bot.channels.teams.texts", "TEXTS"),
        ("bot.channels.web.texts", "UI"),
        ("bot.channels.web.texts", "ERRORS"),
    ):
        catalog = getattr(importlib.import_module(module), name)
        assert set(catalog) <= read, f"{module}.{name}"


def test_no_text_in_any_catalog_writes_a_plural_in_brackets() -> None:
    found = [
        f"{module}[{key!r}]: {text}"
        for module, key, pair in CATALOG_TEXTS
        for text in pair
        if BRACKET_PLURAL.search(text)
    ]
    assert found == []


def test_every_counted_noun_has_its_singular_and_plural_in_both_languages() -> None:
    for module, key, (dutch, english) in CATALOG_TEXTS:
        # Not always as many in both: Dutch says "3 keer" where English says "3 times".
        for one, many in PLURAL_SPEC.findall(dutch) + PLURAL_SPEC.findall(english):
            assert one.strip() and many.strip(), f"{module}[{key!r}]"


def test_no_catalog_writes_a_date_the_way_a_machine_does() -> None:
    found = [
        f"{module}[{key!r}]"
        for module, key, pair in CATALOG_TEXTS
        for text in pair
        # What a person types may be a date like that (`/dialoog studiedag 2027-02-16`).
        if ISO_DATE.search(re.sub(r"`[^`]*`", "", text))
    ]
    assert found == []


def _method_texts(library: Library) -> Iterator[tuple[str, str]]:
    for protocol in library:
        dumped = protocol.model_dump(mode="json")

        def walk(node: object, where: str) -> Iterator[tuple[str, str]]:
            if isinstance(node, dict):
                if set(node) == {"nl", "en"}:
                    yield where, str(node["nl"])
                    yield where, str(node["en"])
                    return
                for k, v in node.items():
                    yield from walk(v, f"{where}.{k}")
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    yield from walk(v, f"{where}[{i}]")

        yield from walk(dumped, protocol.id)


def test_no_built_in_method_writes_a_plural_in_brackets(library: Library) -> None:
    assert [w for w, text in _method_texts(library) if BRACKET_PLURAL.search(text)] == []


@pytest.mark.parametrize(
    "said",
    [
        # A summary is shown on the card of both modes: its mode's time is the card's.
        r"\b[Ll]ive,? (reken je op |ongeveer |about |allow )?\d+",
        r"[Ss]pread over days, about",
        # The card's button says *Gelezen*, and only when there is one.
        r"Bevestig dat je meedoet",
    ],
)
def test_no_method_says_what_the_card_says_for_the_mode(library: Library, said: str) -> None:
    found = [
        w
        for w, text in _method_texts(library)
        if (".summary" in w or ".prompt" in w) and re.search(said, text)
    ]
    assert found == []
