"""The labelled sentences of data/sentences.txt, and the guard's figures on them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.guard import Finding, scan

DATA = Path(__file__).parent / "data" / "sentences.txt"
# Counted as a name: a first name alone, or a full name.
NAME_KINDS = {"name", "full_name"}
_MARK = re.compile(r"\{(?P<kind>[a-z_]+):(?P<text>[^{}]+)\}")
# The day the figures are measured on: the data's dates of birth are written for it.
TODAY = date(2025, 11, 1)
HELD_OUT = "# held-out"


@dataclass(frozen=True)
class Labelled:
    text: str
    # (kind, start, end) of what the sentence's author marked.
    marks: tuple[tuple[str, int, int], ...]
    # Written after the guard's rules were settled: the honest figures.
    held_out: bool = False


@dataclass(frozen=True)
class Figures:
    found: dict[str, int]
    total: dict[str, int]
    clean: int
    false_alarms: int
    stray: int  # findings in marked sentences that overlap no mark

    def recall(self, kind: str) -> float:
        return self.found.get(kind, 0) / self.total[kind]

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.clean


def read(path: Path = DATA) -> list[Labelled]:
    sentences = []
    held_out = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() == HELD_OUT:
            held_out = True
        if not line.strip() or line.startswith("#"):
            continue
        text, marks, at = "", [], 0
        for match in _MARK.finditer(line):
            text += line[at : match.start()]
            start = len(text)
            text += match.group("text")
            marks.append((match.group("kind"), start, len(text)))
            at = match.end()
        text += line[at:]
        sentences.append(Labelled(text, tuple(marks), held_out))
    return sentences


def measure(sentences: list[Labelled]) -> Figures:
    found: dict[str, int] = {}
    total: dict[str, int] = {}
    clean = false_alarms = stray = 0
    for sentence in sentences:
        findings = scan(sentence.text, today=TODAY)
        if not sentence.marks:
            clean += 1
            false_alarms += bool(findings)
            continue
        for kind, start, end in sentence.marks:
            total[kind] = total.get(kind, 0) + 1
            if any(_covers(f, kind, start, end) for f in findings):
                found[kind] = found.get(kind, 0) + 1
        stray += sum(
            not any(f.start < end and start < f.end for _, start, end in sentence.marks)
            for f in findings
        )
    return Figures(found, total, clean, false_alarms, stray)


def _covers(finding: Finding, kind: str, start: int, end: int) -> bool:
    same = finding.kind in NAME_KINDS if kind == "name" else finding.kind == kind
    return same and finding.start < end and start < finding.end
