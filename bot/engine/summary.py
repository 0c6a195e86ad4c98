"""The summary of a round in Markdown: a fold over what the round recorded."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.engine.state import Item, RoundState
from bot.engine.texts import TEXTS
from bot.i18n import translate
from protocols.schema import (
    ActionsStep,
    CollectStep,
    InstructionStep,
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
    lang = state.language

    def t(key: str, **params: object) -> str:
        return translate(TEXTS, key, lang, **params)

    def item_line(item: Item) -> str:
        author = state.name(item.author) if state.shows_author(item) else t("card.anonymous")
        return f"{item.text} _({author})_"

    def visible(items: list[Item]) -> list[Item]:
        # A summary is written when the round is over: hidden items are revealed.
        return [i for i in items if _visible_after(state, i, viewer)]

    moment = (state.finished_at or state.started_at).astimezone(ZoneInfo(state.timezone))
    lines = [
        f"## {t('summary.title', title=state.protocol.title.get(lang))}",
        t(
            "summary.meta",
            date=moment.strftime("%Y-%m-%d"),
            count=len(state.participants),
            mode=t(f"mode.{state.mode}"),
        ),
    ]
    if state.status == "cancelled":
        lines.append(f"_{t('summary.cancelled')}_")
    roles = [
        f"{r.name.get(lang)}: {', '.join(state.name(u) for u in state.holders(r.id))}"
        for r in state.protocol.roles
        if state.holders(r.id)
    ]
    if roles:
        lines += ["", f"**{t('summary.roles')}**: " + " · ".join(roles)]

    if state.open_actions:
        lines += ["", f"### {t('summary.reports')}"]
        for a in state.open_actions:
            report = state.reports.get(a.action_id)
            status = t(f"report.{report.status}") if report else t("report.open")
            note = f": {report.note}" if report and report.note else ""
            lines.append(f"- {a.text} — {a.owner_name}: **{status}**{note}")

    for step in state.protocol.steps:
        if step.id not in state.ended_steps:
            continue
        body = _step_lines(state, step, t, item_line, visible)
        if body:
            lines += ["", f"### {step.title.get(lang)}", *body]
    return "\n".join(lines)


def _step_lines(state, step: Step, t, item_line, visible) -> list[str]:  # type: ignore[no-untyped-def]
    match step:
        case CollectStep() | SpeakStep() | RoundRobinStep():
            return [f"- {item_line(i)}" for i in visible(state.items_of(step.id))]
        case VoteStep():
            winner, tally = state.vote_results.get(step.id, (None, {}))
            item = state.item(winner) if winner else None
            if item is None:
                return []
            chosen = t("summary.chosen", name=state.name(item.author), text=item.text)
            return [f"- {chosen} ({t('summary.votes', count=tally.get(item.id, 0))})"]
        case RespondStep():
            out = []
            for item in visible(state.items_of(step.source)):
                response = state.responses.get(item.id)
                out.append(f"- {item_line(item)}")
                if response is None:
                    out.append(f"  - _{t('summary.no_answer')}_")
                else:
                    label = f"[{response.label}] " if response.label else ""
                    out.append(f"  - {t('summary.answer')}: {label}{response.text}".rstrip())
            return out
        case PickStep():
            picked = {i for chosen in state.picks.get(step.id, {}).values() for i in chosen}
            return [
                f"- ★ {item_line(i)} — {t('summary.picked')}"
                for i in visible(state.items_of(step.source))
                if i.id in picked
            ]
        case ActionsStep():
            return [
                f"- {a.text} — {state.name(a.owner)}, {a.due.isoformat()}"
                for a in state.actions_of(step.id)
            ]
        case ReflectStep():
            given = state.reflections.get(step.id, {})
            if not given:
                return []
            avg = sum(r.rating for r in given.values()) / len(given)
            out = [f"- {t('summary.rating', avg=f'{avg:.1f}', scale=step.scale, count=len(given))}"]
            out += [f"- {r.text} _({state.name(u)})_" for u, r in given.items() if r.text]
            return out
        case InstructionStep():
            return []
    return []


def _visible_after(state: RoundState, item: Item, viewer: str | None) -> bool:
    step = state.protocol.step(item.step_id)
    if isinstance(step, CollectStep) and step.visibility == "case_owner":
        return viewer is not None and viewer in (state.case_owner, item.author)
    return True
