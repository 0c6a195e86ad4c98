"""The summary of a round as headings, paragraphs and lists: a fold over what the
round recorded. What people wrote is a span of its own, never markup."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.engine import events as ev
from bot.engine.messages import Block, Bullet, Bullets, Heading, Paragraph, Span, Spans, fill
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

Summary = tuple[Block, ...]


def summary(state: RoundState, viewer: str | None) -> Summary:
    """The round's summary for the channel (viewer None) or for one person, who
    also reads what was meant for them alone (the case owner's items)."""
    return _Summary(state, viewer).blocks()


def case_owner_copy(state: RoundState) -> Summary | None:
    """The case owner's own copy: what they picked and the actions they took on
    first, then the whole summary with what was meant for them alone. None when
    the round had no case owner."""
    owner = state.case_owner
    if owner is None:
        return None
    return _Summary(state, owner).owner_copy(owner)


def _points(lines: list[Spans]) -> list[Block]:
    return [Bullets(tuple(Bullet(line) for line in lines))] if lines else []


class _Summary:
    def __init__(self, state: RoundState, viewer: str | None) -> None:
        self.s = state
        self.viewer = viewer
        self.lang = state.language

    def t(self, key: str, **params: object) -> str:
        return translate(TEXTS, key, self.lang, **params)

    def day(self, day: date) -> str:
        return short_day(self.lang, day)

    def spans(self, key: str, **params: object) -> Spans:
        """A catalog text with its parameters as literal spans."""
        dutch, english = TEXTS[key]
        return fill(dutch if self.lang == "nl" else english, self.lang, **params)

    def blocks(self) -> Summary:
        s, t = self.s, self.t
        moment = (s.finished_at or s.started_at).astimezone(ZoneInfo(s.timezone))
        out: list[Block] = [
            Heading(t("summary.title", title=s.protocol.title.get(self.lang)), level=2),
            Paragraph.of(
                self.spans(
                    "summary.meta",
                    date=full_date(self.lang, moment.date()),
                    count=len(s.participants),
                    mode=t(f"mode.{s.mode}"),
                )
            ),
        ]
        if s.status == "cancelled":
            out.append(Paragraph.of([Span(t("summary.cancelled"), italic=True)]))
        roles = [
            f"{r.name.get(self.lang)}: {', '.join(s.name(u) for u in s.holders(r.id))}"
            for r in s.protocol.roles
            if s.holders(r.id)
        ]
        if roles:
            label = Span(t("summary.roles"), bold=True)
            out.append(Paragraph.of([label, Span(": "), Span(" · ".join(roles))]))
        if s.open_actions:
            out.append(Heading(t("summary.reports"), level=3))
            out += _points([self.report_line(a) for a in s.open_actions])
        shown = set(s.ended_steps)
        if s.status == "cancelled" and 0 <= s.step_index < len(s.protocol.steps):
            # Stopped mid-step: that step ended with the round, and what it holds counts.
            shown.add(s.protocol.steps[s.step_index].id)
        for step in s.protocol.steps:
            if step.id not in shown:
                continue
            body = self.step_points(step)
            if body:
                out += [Heading(step.title.get(self.lang), level=3), Bullets(tuple(body))]
        return tuple(out)

    def report_line(self, a: ev.OpenAction) -> Spans:
        s, t = self.s, self.t
        key, said = s.progress(a)
        line = [Span(a.text), Span(f" — {a.owner_name}: "), Span(t(key), bold=True)]
        if said:
            line += [Span(": "), Span(said)]
        if a.action_id in s.settled:
            line.append(Span(f" ({t('settled.' + s.settled[a.action_id])})"))
        return tuple(line)

    def owner_copy(self, owner: str) -> Summary:
        s, t = self.s, self.t
        picked_ids = [i for chosen in s.picks.values() for i in chosen.get(owner, [])]
        picked = [item for i in dict.fromkeys(picked_ids) if (item := s.item(i)) is not None]
        actions = [a for a in s.actions if a.owner == owner]
        none = (Span(t("copy.none"), italic=True),)
        return (
            Heading(t("copy.title", title=s.protocol.title.get(self.lang)), level=2),
            Heading(t("copy.picked"), level=3),
            *_points([(Span("★ "), *self.item_spans(i)) for i in picked] or [none]),
            Heading(t("copy.actions"), level=3),
            *_points(
                [(Span(a.text), Span(f" — {t('copy.due', due=self.day(a.due))}")) for a in actions]
                or [none]
            ),
            *self.blocks(),
        )

    def item_spans(self, item: Item) -> Spans:
        author = self.s.name(item.author) if self.s.shows_author(item) else self.t("card.anonymous")
        return (Span(item.text), Span(" "), Span(f"({author})", italic=True))

    def visible(self, step_id: str) -> list[Item]:
        # Written when the round is over: hidden items are revealed by now; what
        # was for the case owner alone stays in their copy (and its author's).
        return [
            i
            for i in self.s.items_of(step_id)
            if not self.s.for_case_owner(i)
            or (self.viewer is not None and self.viewer in (self.s.case_owner, i.author))
        ]

    def step_points(self, step: Step) -> list[Bullet]:
        s, t = self.s, self.t
        match step:
            case CollectStep() | SpeakStep() | RoundRobinStep():
                return [Bullet(self.item_spans(i)) for i in self.visible(step.id)]
            case VoteStep():
                winner, tally = s.vote_results.get(step.id, (None, {}))
                item = s.item(winner) if winner else None
                if item is None:
                    return []
                if s.shows_author(item):
                    chosen = self.spans("summary.chosen", name=s.name(item.author), text=item.text)
                else:
                    chosen = self.spans("summary.chosen_anonymous", text=item.text)
                votes = t("summary.votes", count=tally.get(item.id, 0))
                return [Bullet((*chosen, Span(f" ({votes})")))]
            case RespondStep():
                out = []
                for item in self.visible(step.source):
                    response = s.responses.get(item.id)
                    if response is None:
                        answer: Spans = (Span(t("summary.no_answer"), italic=True),)
                    else:
                        label = f"[{response.label}] " if response.label else ""
                        answer = (Span(f"{t('summary.answer')}: {label}"), Span(response.text))
                    out.append(Bullet(self.item_spans(item), under=(answer,)))
                return out
            case PickStep():
                picked = {i for chosen in s.picks.get(step.id, {}).values() for i in chosen}
                return [
                    Bullet((Span("★ "), *self.item_spans(i), Span(f" — {t('summary.picked')}")))
                    for i in self.visible(step.source)
                    if i.id in picked
                ]
            case ActionsStep():
                return [
                    Bullet(
                        (
                            Span(a.text),
                            Span(
                                f" — {t('card.action', owner=s.name(a.owner), due=self.day(a.due))}"
                            ),
                        )
                    )
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
                return [Bullet((Span(rating),))] + [
                    Bullet((Span(r.text), Span(" "), Span(f"({s.name(u)})", italic=True)))
                    for u, r in given.items()
                    if r.text
                ]
        return []
