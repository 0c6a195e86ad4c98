"""The body of the card for the step that runs: one function per step kind, looked
up by the step's kind. `viewer` None is what the whole channel may read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.engine.messages import Block, Context, ItemList, ListItem, Paragraph
from bot.engine.recall import answer_note
from bot.engine.recall import list_item as _list_item
from bot.engine.view.common import View, offered_role, open_actions
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


def step_hints(v: View, step: Step) -> list[Block]:
    """What the step's form means for how it runs here: spoken, capped, open."""
    hints: list[Block] = []
    if step.best_spoken:
        hints.append(Context(v.t(f"card.best_spoken.{v.s.mode}")))
    if isinstance(step, CollectStep) and step.live_max_per_person and v.s.mode == "live":
        hints.append(Context(v.t("card.live_cap", count=step.live_max_per_person)))
    if step.stays_open and v.s.mode == "async":
        hints.append(Context(v.t("card.stays_open")))
    return hints


def step_blocks(v: View, step: Step, viewer: str | None) -> list[Block]:
    """What the step has brought so far, as the card shows it."""
    return _BY_KIND[step.kind](v, step, viewer)


def _collected(v: View, step: CollectStep | SpeakStep, viewer: str | None) -> list[Block]:
    s = v.s
    items = s.items_of(step.id)
    shown = [i for i in items if s.may_see(i, viewer)]
    blocks: list[Block] = []
    if shown:
        blocks.append(ItemList(v.t("card.collected"), tuple(_list_item(v, i) for i in shown)))
    hidden = len(items) - len(shown)
    if hidden and isinstance(step, CollectStep):
        key = "card.hidden" if step.visibility == "hidden" else "card.owner_only"
        blocks.append(Context(v.t(key, count=hidden)))
    return blocks


def _vote(v: View, step: VoteStep, viewer: str | None) -> list[Block]:
    s = v.s
    offered = s.item(s.offer.item_id) if s.offer is not None else None
    if offered is not None:
        # Waiting for the author's answer: the item, never who wrote it.
        return [v.paragraph("card.offer_waiting", text=offered.text, role=offered_role(v))]
    tally: dict[str, int] = {}
    for chosen in s.votes.get(step.id, {}).values():
        for item_id in chosen:
            tally[item_id] = tally.get(item_id, 0) + 1
    listed = tuple(
        _list_item(v, i, note=v.t("card.votes", count=tally.get(i.id, 0)))
        for i in s.candidates(step)
        if s.may_see(i, viewer)
    )
    return [ItemList(v.t("card.candidates"), listed)]


def _respond(v: View, step: RespondStep, viewer: str | None) -> list[Block]:
    s = v.s
    listed = tuple(
        _list_item(v, i, note=answer_note(v, i.id, missing="card.no_answer"))
        for i in s.items_of(step.source)
        if s.may_see(i, viewer)
    )
    return [ItemList(v.t("card.questions"), listed)]


def _pick(v: View, step: PickStep, viewer: str | None) -> list[Block]:
    s = v.s
    picked = {i for chosen in s.picks.get(step.id, {}).values() for i in chosen}
    listed = tuple(
        _list_item(v, i, marked=i.id in picked)
        for i in s.items_of(step.source)
        if s.may_see(i, viewer)
    )
    return [ItemList(v.t("card.choices"), listed)]


def _round_robin(v: View, step: RoundRobinStep, viewer: str | None) -> list[Block]:
    s = v.s
    blocks: list[Block] = []
    if s.mode == "live":
        holder = s.turn_holder(step)
        if holder:
            blocks.append(v.paragraph("card.turn", name=s.name(holder)))
        else:
            blocks.append(Paragraph(v.t("card.turns_done")))
        if holder and step.source:
            # Never beside the name of the turn holder when the items are anonymous.
            own = [
                i
                for i in s.items_of(step.source, holder)
                if s.may_see(i, viewer) and s.shows_author(i)
            ]
            if own:
                blocks.append(ItemList(s.name(holder), tuple(_list_item(v, i) for i in own)))
    items = [i for i in s.items_of(step.id) if s.may_see(i, viewer)]
    if items:
        blocks.append(ItemList(v.t("card.collected"), tuple(_list_item(v, i) for i in items)))
    return blocks


def _actions(v: View, step: ActionsStep, viewer: str | None) -> list[Block]:
    s = v.s
    blocks: list[Block] = []
    if step.review_open and s.open_actions:
        blocks.append(open_actions(v))
    new = s.actions_of(step.id)
    if new:
        listed = tuple(
            ListItem(a.text, note=v.t("card.action", owner=s.name(a.owner), due=v.day(a.due)))
            for a in new
        )
        blocks.append(ItemList(v.t("card.new_actions"), listed))
    return blocks


def _reflect(v: View, step: ReflectStep, viewer: str | None) -> list[Block]:
    done = len(v.s.reflections.get(step.id, {}))
    return [Context(v.t("card.reflected", count=done, total=len(v.s.actors(step))))]


def _instruction(v: View, step: InstructionStep, viewer: str | None) -> list[Block]:
    s = v.s
    blocks: list[Block] = []
    if s.protocol.ground_rules:
        rules = tuple(ListItem(r.get(v.lang)) for r in s.protocol.ground_rules)
        blocks.append(ItemList(v.t("card.ground_rules"), rules))
    if step.acknowledge or s.mode == "async":
        done = len(s.acks.get(step.id, set()))
        blocks.append(Context(v.t("card.read_hint")))
        blocks.append(Context(v.t("card.read", count=done, total=len(s.actors(step)))))
    return blocks


# Keyed on `Step.kind`; each function takes the step of its kind.
_BY_KIND: dict[str, Callable[[View, Any, str | None], list[Block]]] = {
    "collect": _collected,
    "speak": _collected,
    "vote": _vote,
    "respond": _respond,
    "pick": _pick,
    "round_robin": _round_robin,
    "actions": _actions,
    "reflect": _reflect,
    "instruction": _instruction,
}
