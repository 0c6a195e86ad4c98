"""The summary of a round in Markdown: a fold over what the round recorded."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.engine.state import Item, RoundState
from bot.engine.texts import TEXTS
from bot.i18n import translate
from bot.words import decimal, full_date, short_day
from protocols.schema import (
    ActionsStep,
    CollectStep,
    PickStep,
    ReflectStep,
    RespondStep,
    RoundRobinStep,
    SpeakStep,
    Step,
    VoteStep,
)


def summary(state: RoundState, viewer: str | None) -> str:
    """The round's summary for the channel (viewer None) or for one person, who
    also reads what was meant for them alone (the case owner's items)."""
    return _Summary(state, viewer).markdown()


def case_owner_copy(state: RoundState) -> str | None:
    """The case owner's own copy: what they picked and the actions they took on
    first, then the whole summary with what was meant for them alone. None when
    the round had no case owner."""
    owner = state.case_owner
    if owner is None:
        return None
    return _Summary(state, owner).owner_copy(owner)


class _Summary:
    def __init__(self, state: RoundState, viewer: str | None) -> None:
        self.s = state
        self.viewer = viewer
        self.lang = state.language

    def t(self, key: str, **params: object) -> str:
        return translate(TEXTS, key, self.lang, **params)

    def day(self, day: date) -> str:
        return short_day(self.lang, day)

    def markdown(self) -> str:
        s, t = self.s, self.t
        moment = (s.finished_at or s.started_at).astimezone(ZoneInfo(s.timezone))
        lines = [
            f"## {t('summary.title', title=s.protocol.title.get(self.lang))}",
            t(
                "summary.meta",
                date=full_date(self.lang, moment.date()),
                count=len(s.participants),
                mode=t(f"mode.{s.mode}"),
            ),
        ]
        if s.status == "cancelled":
            lines.append(f"_{t('summary.cancelled')}_")
        roles = [
            f"{r.name.get(self.lang)}: {', '.join(s.name(u) for u in s.holders(r.id))}"
            for r in s.protocol.roles
            if s.holders(r.id)
        ]
        if roles:
            lines += ["", f"**{t('summary.roles')}**: " + " · ".join(roles)]
        if s.open_actions:
            lines += ["", f"### {t('summary.reports')}"]
            for a in s.open_actions:
                key, said = s.progress(a)
                note = f": {said}" if said else ""
                if a.action_id in s.settled:
                    note += f" ({t('settled.' + s.settled[a.action_id])})"
                lines.append(f"- {a.text} — {a.owner_name}: **{t(key)}**{note}")
        for step in s.protocol.steps:
            if step.id not in s.ended_steps:
                continue
            body = self.step_lines(step)
            if body:
                lines += ["", f"### {step.title.get(self.lang)}", *body]
        return "\n".join(lines)

    def owner_copy(self, owner: str) -> str:
        s, t = self.s, self.t
        picked_ids = [i for chosen in s.picks.values() for i in chosen.get(owner, [])]
        picked = [item for i in dict.fromkeys(picked_ids) if (item := s.item(i)) is not None]
        actions = [a for a in s.actions if a.owner == owner]
        lines = [f"## {t('copy.title', title=s.protocol.title.get(self.lang))}", ""]
        lines.append(f"### {t('copy.picked')}")
        lines += [f"- ★ {self.item_line(i)}" for i in picked] or [f"- _{t('copy.none')}_"]
        lines += ["", f"### {t('copy.actions')}"]
        lines += [f"- {a.text} — {t('copy.due', due=self.day(a.due))}" for a in actions] or [
            f"- _{t('copy.none')}_"
        ]
        return "\n".join([*lines, "", self.markdown()])

    def item_line(self, item: Item) -> str:
        author = self.s.name(item.author) if self.s.shows_author(item) else self.t("card.anonymous")
        return f"{item.text} _({author})_"

    def visible(self, step_id: str) -> list[Item]:
        # Written when the round is over: hidden items are revealed by now; what
        # was for the case owner alone stays in their copy (and its author's).
        return [
            i
            for i in self.s.items_of(step_id)
            if not self.s.for_case_owner(i)
            or (self.viewer is not None and self.viewer in (self.s.case_owner, i.author))
        ]

    def step_lines(self, step: Step) -> list[str]:
        s, t = self.s, self.t
        match step:
            case CollectStep() | SpeakStep() | RoundRobinStep():
                return [f"- {self.item_line(i)}" for i in self.visible(step.id)]
            case VoteStep():
                winner, tally = s.vote_results.get(step.id, (None, {}))
                item = s.item(winner) if winner else None
                if item is None:
                    return []
                if s.shows_author(item):
                    chosen = t("summary.chosen", name=s.name(item.author), text=item.text)
                else:
                    chosen = t("summary.chosen_anonymous", text=item.text)
                return [f"- {chosen} ({t('summary.votes', count=tally.get(item.id, 0))})"]
            case RespondStep():
                out = []
                for item in self.visible(step.source):
                    response = s.responses.get(item.id)
                    out.append(f"- {self.item_line(item)}")
                    if response is None:
                        out.append(f"  - _{t('summary.no_answer')}_")
                    else:
                        label = f"[{response.label}] " if response.label else ""
                        out.append(f"  - {t('summary.answer')}: {label}{response.text}".rstrip())
                return out
            case PickStep():
                picked = {i for chosen in s.picks.get(step.id, {}).values() for i in chosen}
                return [
                    f"- ★ {self.item_line(i)} — {t('summary.picked')}"
                    for i in self.visible(step.source)
                    if i.id in picked
                ]
            case ActionsStep():
                return [
                    f"- {a.text} — {t('card.action', owner=s.name(a.owner), due=self.day(a.due))}"
                    for a in s.actions_of(step.id)
                ]
            case ReflectStep():
                given = s.reflections.get(step.id, {})
                if not given:
                    return []
                avg = sum(r.rating for r in given.values()) / len(given)
                rating = t(
                    "summary.rating",
                    avg=decimal(self.lang, avg),
                    scale=step.scale,
                    count=len(given),
                )
                return [f"- {rating}"] + [
                    f"- {r.text} _({s.name(u)})_" for u, r in given.items() if r.text
                ]
        return []
