"""The one-click fix: every pupil becomes "leerling A", "leerling B", ...; other
identifying details make way for a word that says what stood there."""

from __future__ import annotations

from collections.abc import Sequence
from string import ascii_uppercase

from bot.guard.detect import Finding, FindingKind
from bot.guard.texts import TEXTS
from bot.i18n import Language, translate


def pseudonymise(text: str, findings: Sequence[Finding], language: Language) -> str:
    """`text` with each finding replaced; one pupil keeps one letter throughout."""
    letters: dict[str, str] = {}
    out, at = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        out.append(text[at : finding.start])
        out.append(_stand_in(finding, letters, language))
        at = finding.end
    out.append(text[at:])
    return "".join(out)


def _stand_in(finding: Finding, letters: dict[str, str], language: Language) -> str:
    if finding.kind in ("name", "full_name"):
        if finding.who not in letters:
            letters[finding.who] = _letter(len(letters))
        pupil = translate(TEXTS, "pupil", language, letter=letters[finding.who])
        return f"{pupil}'s" if finding.possessive else pupil
    kind: FindingKind = finding.kind
    return translate(TEXTS, f"removed.{kind}", language)


def _letter(index: int) -> str:
    # A, B, ..., Z, then AA, AB: a case with 27 pupils still reads.
    letters = ascii_uppercase
    return (
        letters[index] if index < len(letters) else letters[index // 26 - 1] + letters[index % 26]
    )
