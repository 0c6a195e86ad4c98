"""The insights of a team (or a school) over a period: counts only, no texts."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.engine.events import LEARNING_SOURCES

# How an action point ended. "open" is not an end yet, but it is counted.
OUTCOMES = ("done", "partly", "not_yet", "dropped", "open")
SOURCES = LEARNING_SOURCES
# A school year runs from August 1 to July 31.
SCHOOL_YEAR_START_MONTH = 8


@dataclass(frozen=True)
class Period:
    """From `start` up to and excluding `end`, in the team's own calendar."""

    start: date
    end: date

    @classmethod
    def school_year(cls, first_year: int) -> Period:
        return cls(date(first_year, SCHOOL_YEAR_START_MONTH, 1), date(first_year + 1, 8, 1))

    @classmethod
    def school_year_of(cls, day: date) -> Period:
        first = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
        return cls.school_year(first)

    @property
    def label(self) -> str:
        return f"{self.start.year}-{self.end.year}"

    def months(self) -> list[str]:
        """Every month of the period as "YYYY-MM"."""
        out, year, month = [], self.start.year, self.start.month
        while date(year, month, 1) < self.end:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def holds(self, day: date) -> bool:
        return self.start <= day < self.end


@dataclass(frozen=True)
class RoundFact:
    """What insights need to know of one round: no text anyone wrote."""

    round_id: str
    team: str
    protocol_id: str
    started_at: datetime
    finished: bool
    participants: tuple[str, ...]
    # Learning sources named in this round's reflections, one entry per naming.
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionFact:
    action_id: str
    round_id: str
    status: str
    agreed_at: datetime
    # When its owner first reported on it (done / partly / not yet), if ever.
    first_report_at: datetime | None = None


@dataclass(frozen=True)
class Insights:
    period: Period
    held: int
    per_month: tuple[tuple[str, int], ...]
    per_method: tuple[tuple[str, int], ...]
    # (person, rounds taken part in), most first; the unnamed are counted apart.
    named: tuple[tuple[str, int], ...]
    unnamed_people: int
    unnamed_rounds: int
    outcomes: tuple[tuple[str, int], ...]
    actions: int
    # Days from the round where an action was agreed to its first report.
    followup_median_days: float | None
    followed_up: int
    sources: tuple[tuple[str, int], ...]
    per_team: tuple[tuple[str, int], ...] = ()
    # A school's view: counts per team, nobody named.
    school: bool = False

    @property
    def people(self) -> int:
        return len(self.named) + self.unnamed_people


def compute(
    period: Period,
    rounds: Iterable[RoundFact],
    actions: Iterable[ActionFact],
    *,
    timezone: str,
    names: Mapping[str, str] | None = None,
    unnamed: Iterable[str] = (),
) -> Insights:
    """Count what the period's finished rounds add up to.

    `names` gives the display name of everyone who may be named; people in
    `unnamed` (or without a name when `names` is None: the school view) are only
    counted. Rounds outside the period and rounds that did not finish are left out.
    """
    zone = ZoneInfo(timezone)
    held = [r for r in rounds if r.finished and period.holds(r.started_at.astimezone(zone).date())]
    held_ids = {r.round_id for r in held}
    months = Counter(r.started_at.astimezone(zone).strftime("%Y-%m") for r in held)
    methods = Counter(r.protocol_id for r in held)
    taking_part = Counter(user for r in held for user in dict.fromkeys(r.participants))
    hidden = set(unnamed)
    named: list[tuple[str, int]] = []
    unnamed_people = unnamed_rounds = 0
    for user, count in taking_part.items():
        name = names.get(user) if names is not None and user not in hidden else None
        if name:
            named.append((name, count))
        else:
            unnamed_people += 1
            unnamed_rounds += count
    agreed = [a for a in actions if a.round_id in held_ids]
    outcome = Counter(a.status for a in agreed)
    waits = [
        (a.first_report_at - a.agreed_at).total_seconds() / 86400
        for a in agreed
        if a.first_report_at is not None
    ]
    sources = Counter(s for r in held for s in r.sources if s in SOURCES)
    return Insights(
        period=period,
        held=len(held),
        per_month=tuple((m, months.get(m, 0)) for m in period.months()),
        per_method=_most_first(methods),
        named=tuple(sorted(named, key=lambda pair: (-pair[1], pair[0].lower()))),
        unnamed_people=unnamed_people,
        unnamed_rounds=unnamed_rounds,
        outcomes=tuple((o, outcome.get(o, 0)) for o in OUTCOMES),
        actions=len(agreed),
        followup_median_days=round(statistics.median(waits), 1) if waits else None,
        followed_up=len(waits),
        sources=tuple((s, sources.get(s, 0)) for s in SOURCES),
        per_team=_most_first(Counter(r.team for r in held)),
        school=names is None,
    )


def _most_first(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def first_reports(reports: Sequence[tuple[str, datetime]]) -> dict[str, datetime]:
    """The earliest report per action, from (action id, when) pairs."""
    first: dict[str, datetime] = {}
    for action_id, at in reports:
        if action_id not in first or at < first[action_id]:
            first[action_id] = at
    return first
