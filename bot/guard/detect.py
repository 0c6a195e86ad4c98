"""Finding what identifies a pupil in a text.

The guard would rather ask once too often than let a pupil's name through, but a
teacher who is asked about every "Roos" and "Mark" stops reading the question. So:
a first name counts when it is written with a capital; a name that is also a word
counts at the start of a sentence only when a verb follows; a name after "collega",
"juf", "meneer" is an adult; the names of the round's own participants are theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.guard import names as lists

FindingKind = Literal["name", "full_name", "birth_date", "bsn", "student_number", "email", "phone"]
KINDS: tuple[FindingKind, ...] = (
    "name",
    "full_name",
    "birth_date",
    "bsn",
    "student_number",
    "email",
    "phone",
)


@dataclass(frozen=True)
class Finding:
    """Where something identifying stands in the text (never logged: it is content)."""

    kind: FindingKind
    start: int
    end: int
    # For names: the first name, case-folded, so one pupil gets one letter.
    who: str = ""
    # "Daans": the name with a genitive s, which a stand-in writes as "'s".
    possessive: bool = False


# Apostrophes: the typewriter one and the typographic one (U+2019).
_WORD = re.compile("[^\\W\\d_]+(?:[-'\u2019][^\\W\\d_]+)*")
_POSSESSIVE = re.compile("(?:['\u2019]s|['\u2019])$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)(?:[\s.\-]?\(0\))?(?:[\s.\-]?\d){9}(?![\d])")
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    "december|jan|feb|febr|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|january|february|"
    "march|may|june|july|august|october"
)
_DATE = re.compile(
    r"(?<![\d])(?:"
    r"(?P<d1>\d{1,2})[-/.](?P<m1>\d{1,2})[-/.](?P<y1>\d{4}|\d{2})"
    r"|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})"
    rf"|(?P<d3>\d{{1,2}})\s+(?P<m3>{_MONTHS})\.?\s+(?P<y3>\d{{4}})"
    r")(?![\d])",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.,])[A-Za-z]?\d+(?:[ .\-]\d+)*(?![\w])")
_BIRTH_WORDS = (
    "geboren",
    "geb",
    "geboortedatum",
    "geboortedag",
    "verjaardag",
    "jarig",
    "born",
    "birthday",
    "birth",
    "dob",
)
_BSN_WORDS = ("bsn", "burgerservicenummer", "sofinummer", "sofi", "sofi-nummer")
_STUDENT_WORDS = (
    "leerlingnummer",
    "leerlingnr",
    "llnr",
    "lln",
    "stamnummer",
    "studentnummer",
    "studentnr",
    "leerling-id",
    "leerlingid",
    "id-nummer",
    "idnummer",
    "student",
)
# Ends of sentences and starts of list items; \u2013 is the en dash.
_SENTENCE_END = '.!?\u2026\n"\u201c\u201d(\u2022*-\u2013'
# How far back (in characters) a keyword such as "BSN" or "geboren" still counts.
_NEAR = 30


def scan(
    text: str, *, known_names: Iterable[str] = (), today: date | None = None
) -> tuple[Finding, ...]:
    """Everything in `text` that looks like it identifies a pupil, in reading order.

    `known_names` are the people in the round (their own names are not news);
    `today` lets a date count as a pupil's birth date by its year alone.
    """
    known = {part.casefold() for name in known_names for part in _WORD.findall(name)}
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(finding: Finding) -> None:
        if not any(finding.start < end and start < finding.end for start, end in taken):
            found.append(finding)
            taken.append((finding.start, finding.end))

    for match in _EMAIL.finditer(text):
        add(Finding("email", match.start(), match.end()))
    for match in _DATE.finditer(text):
        if _is_birth_date(text, match, today):
            add(Finding("birth_date", match.start(), match.end()))
        else:
            # A date that is not a birth date is not a BSN or a phone number either.
            taken.append((match.start(), match.end()))
    for match in _PHONE.finditer(text):
        add(Finding("phone", match.start(), match.end()))
    for match in _NUMBER.finditer(text):
        kind = _number_kind(text, match)
        if kind is not None:
            add(Finding(kind, match.start(), match.end()))
    for finding in _names(text, known):
        add(finding)
    return tuple(sorted(found, key=lambda f: f.start))


# -- numbers and dates ----------------------------------------------------------------------


def _before(text: str, start: int) -> str:
    return text[max(0, start - _NEAR) : start].casefold()


def _has_word(window: str, words: Iterable[str]) -> bool:
    tokens = set(re.findall(r"[\w'-]+", window))
    return any(w in tokens for w in words) or "date of birth" in window


def _is_birth_date(text: str, match: re.Match[str], today: date | None) -> bool:
    if _has_word(_before(text, match.start()), _BIRTH_WORDS):
        return True
    year_text = match.group("y1") or match.group("y2") or match.group("y3")
    if today is None or len(year_text) != 4:
        return False
    # A full date some 3 to 20 years back is, in a teacher's text, a pupil's birthday.
    return 3 <= today.year - int(year_text) <= 20


def _number_kind(text: str, match: re.Match[str]) -> FindingKind | None:
    window = _before(text, match.start())
    raw = match.group()
    digits = re.sub(r"\D", "", raw)
    if _has_word(window, _STUDENT_WORDS) and 4 <= len(digits) <= 10:
        return "student_number"
    if raw[0].isalpha():
        return None
    if _has_word(window, _BSN_WORDS) and 8 <= len(digits) <= 9:
        return "bsn"
    if len(digits) in (8, 9) and passes_eleven_test(digits):
        return "bsn"
    return None


def passes_eleven_test(digits: str) -> bool:
    """The BSN's 11-proef: 9a + 8b + ... + 2h - 1i is a multiple of 11 (8 digits: a 0 first)."""
    digits = digits.zfill(9)
    if len(digits) != 9 or not digits.isdigit() or int(digits) == 0:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


# -- names ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def folded(self) -> str:
        return self.text.casefold()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper() and not (len(self.text) > 1 and self.text.isupper())


def _words(text: str) -> list[_Word]:
    words = []
    for match in _WORD.finditer(text):
        name = _POSSESSIVE.sub("", match.group())
        if not name:
            continue
        before = text[: match.start()].rstrip(" \t'\u2018")
        words.append(_Word(name, match.start(), match.start() + len(name), _ends_sentence(before)))
    return words


def _ends_sentence(before: str) -> bool:
    if not before:
        return True
    if before[-1] in _SENTENCE_END:
        return True
    # A numbered list: "1. ", "2) ".
    return bool(re.search(r"(?:^|\s)\d+[.)]$", before))


def _first_name(folded: str, first: frozenset[str]) -> str | None:
    """The first name a word is ("Jan-Willem", "Daans" -> "daan"), or None."""
    if folded in first:
        return folded
    if "-" in folded and all(part in first for part in folded.split("-")):
        return folded
    stem = folded[:-1]
    if folded.endswith("s") and len(stem) > 2 and stem in first and stem not in lists.AMBIGUOUS:
        return stem
    return None


def _names(text: str, known: set[str]) -> Iterable[Finding]:
    first = lists.first_names()
    words = _words(text)
    # Someone who writes without any capital writes names without one too.
    lower_case_writer = not any(c.isupper() for c in text)
    skip_until = -1
    for index, word in enumerate(words):
        if word.start < skip_until:
            continue
        name = _first_name(word.folded, first)
        if name is None or name in known:
            continue
        folded = name
        possessive = name != word.folded and not name.count("-")
        previous = words[index - 1].folded if index else ""
        following = words[index + 1 :]
        if previous in lists.COLLEAGUE_MARKERS:
            continue
        surname_end = _surname_end(text, word, following, first) if word.capitalised else None
        if surname_end is not None:
            if not _institution_follows(text, surname_end):
                yield Finding("full_name", word.start, surname_end, who=folded)
            skip_until = surname_end
            continue
        found = Finding("name", word.start, word.end, who=folded, possessive=possessive)
        if previous in lists.PUPIL_MARKERS and (word.capitalised or folded not in lists.AMBIGUOUS):
            yield found
            continue
        if folded in lists.NEVER_ALONE:
            continue
        if not word.capitalised:
            if lower_case_writer and folded not in lists.AMBIGUOUS:
                yield found
            continue
        if folded in lists.AMBIGUOUS and word.sentence_start:
            nxt = following[0] if following else None
            verb_follows = (
                nxt is not None
                and not nxt.sentence_start
                and nxt.text.islower()
                and nxt.folded not in lists.FUNCTION_WORDS
                and text[word.end : nxt.start].strip() == ""
                and not (len(following) > 1 and following[1].folded in lists.SUBJECTS)
            )
            if not verb_follows:
                continue
        yield found


def _surname_end(
    text: str, word: _Word, following: list[_Word], first: frozenset[str]
) -> int | None:
    """Where a surname after this first name ends ("Daan de Vries"), if one follows."""
    at = 0
    while at < len(following) and following[at].folded in lists.TUSSENVOEGSELS:
        at += 1
    if at >= len(following) or at > 3:
        return None
    candidate = following[at]
    previous_end = following[at - 1].end if at else word.end
    gap = text[previous_end : candidate.start]
    if gap.strip() != "" or candidate.sentence_start or not candidate.capitalised:
        return None
    if candidate.folded in lists.AMBIGUOUS or candidate.folded in lists.NEVER_ALONE:
        return None
    if at == 0 and candidate.folded in first:
        # Two first names in a row ("Daan Emma"?) is a list without commas, not a surname.
        return None
    return candidate.end


def _institution_follows(text: str, end: int) -> bool:
    rest = re.match(r"\s*([^\W\d_]+)", text[end:])
    return bool(rest and rest.group(1).casefold() in lists.INSTITUTIONS)
