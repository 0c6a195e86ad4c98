"""One person's professional-development record (bekwaamheidsdossier): their
rounds with dates, methods and roles, their own reflections and their own
action points with outcomes. Never what someone else wrote; their case only
when they were its case owner. Markdown, which every platform shows and any
converter (pandoc, a word processor) turns into PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.engine.state import RoundState
from bot.i18n import Language
from bot.insights.texts import t
from bot.words import full_date
from protocols.schema import CASE_OWNER, ReflectStep, SpeakStep


@dataclass(frozen=True)
class OwnAction:
    """One of the person's action points as the projection holds it now."""

    text: str
    due: date
    status: str
    report: str | None


@dataclass(frozen=True)
class DossierRound:
    state: RoundState
    team: str
    actions: Sequence[OwnAction]


def dossier_markdown(
    user: str, name: str, rounds: Sequence[DossierRound], language: Language, now: datetime
) -> str:
    lines = [
        f"# {t(language, 'dossier.title', name=name)}",
        "",
        t(language, "dossier.intro", date=full_date(language, now.date()), count=len(rounds)),
    ]
    for entry in rounds:
        lines += ["", *_round(user, entry, language)]
    if not rounds:
        lines += ["", f"_{t(language, 'dossier.none')}_"]
    return "\n".join(lines) + "\n"


def _round(user: str, entry: DossierRound, language: Language) -> list[str]:
    s = entry.state
    moment = (s.finished_at or s.started_at).astimezone(ZoneInfo(s.timezone))
    title = s.protocol.title.get(language)
    roles = [r.name.get(language) for r in s.protocol.roles if user in s.holders(r.id)]
    held = ", ".join(roles) or t(language, "dossier.taking_part")
    lines = [
        f"## {full_date(language, moment.date())} · {title} · {entry.team}",
        "",
        f"- {t(language, 'dossier.roles')}: {held}",
    ]
    if user in s.holders(CASE_OWNER):
        case = _own_case(s, user)
        if case:
            lines += ["", f"### {t(language, 'dossier.case')}", *(f"> {text}" for text in case)]
    reflections = [
        (step, given[user])
        for step in s.protocol.steps
        if isinstance(step, ReflectStep) and user in (given := s.reflections.get(step.id, {}))
    ]
    if reflections:
        lines += ["", f"### {t(language, 'dossier.reflection')}"]
        for step, r in reflections:
            scale = step.scale
            lines.append(f"- {t(language, 'dossier.rating', rating=r.rating, scale=scale)}")
            if r.text:
                lines.append(f"- {r.text}")
            if r.sources:
                named = ", ".join(t(language, f"source.{src}") for src in r.sources)
                lines.append(f"- {t(language, 'dossier.sources', sources=named)}")
    if entry.actions:
        lines += ["", f"### {t(language, 'dossier.actions')}"]
        for a in entry.actions:
            outcome = t(language, f"outcome.{a.status}")
            report = f" — {a.report}" if a.report else ""
            lines.append(f"- {a.text} ({full_date(language, a.due)}): **{outcome}**{report}")
    return lines


def _own_case(s: RoundState, user: str) -> list[str]:
    """The case as its owner brought it: the chosen item, and what they told in the
    steps that are theirs alone (the case sketch)."""
    texts: list[str] = []
    for winner, _tally in s.vote_results.values():
        item = s.item(winner) if winner else None
        if item is not None and item.author == user:
            texts.append(item.text)
    for step in s.protocol.steps:
        if isinstance(step, SpeakStep) and list(step.actors) == [CASE_OWNER]:
            texts += [i.text for i in s.items_of(step.id, author=user)]
            break
    return texts
