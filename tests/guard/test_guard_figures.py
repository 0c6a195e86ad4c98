"""The guard measured on labelled teacher sentences (data/sentences.txt).

The bar (issue 15): recall of at least 0.9 on names and on BSNs, and false alarms
on at most 5 % of the sentences without personal data. It holds for the whole set
and for its held-out part, written after the rules were settled.
"""

from __future__ import annotations

import pytest

from tests.guard.labelled import Figures, measure, read

SENTENCES = read()


def _report(label: str, figures: Figures) -> None:
    recalls = ", ".join(
        f"{kind} {figures.found.get(kind, 0)}/{figures.total[kind]} = {figures.recall(kind):.3f}"
        for kind in sorted(figures.total)
    )
    print(
        f"\n{label}: recall {recalls}; false alarms {figures.false_alarms}/{figures.clean}"
        f" = {figures.false_alarm_rate:.3f}; findings outside the marks {figures.stray}"
    )


def test_the_labelled_set_is_big_enough_and_balanced() -> None:
    clean = [s for s in SENTENCES if not s.marks]
    assert len(SENTENCES) >= 200
    assert len(clean) >= 100
    assert sum(kind == "bsn" for s in SENTENCES for kind, _, _ in s.marks) >= 20
    assert sum(kind == "name" for s in SENTENCES for kind, _, _ in s.marks) >= 100


@pytest.mark.parametrize("part", ["all", "held-out"])
def test_guard_finds_names_and_bsns_without_flooding_false_alarms(part: str) -> None:
    sentences = [s for s in SENTENCES if part == "all" or s.held_out]
    figures = measure(sentences)
    _report(f"{part} ({len(sentences)} sentences)", figures)
    assert figures.recall("name") >= 0.9
    assert figures.recall("bsn") >= 0.9
    assert figures.false_alarm_rate <= 0.05
