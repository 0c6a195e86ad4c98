"""What earlier steps brought, shown again where a step works on it (`shows:`).

A step of the incident method such as "compare what the case owner did with
your positions" needs the situation, the answers and the positions in view;
the protocol names those steps in `shows:` and this module turns each into a
`Recall` block: the items the whole channel may read, as they stand now.
Recalls come in the order of the protocol (the order things happened); all
but the latest are folded, so the step's own prompt stays on top.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Protocol

from bot.engine.messages import ListItem, Recall
from bot.engine.state import Item, RoundState
from bot.engine.vocabulary import Action
from protocols.schema import (
    ActionsStep,
    CollectStep,
    PickStep,
    RespondStep,
    RoundRobinStep,
    SpeakStep,
    Step,
    VoteStep,
)


class Voice(Protocol):
    """What a recall needs of the view: the round, its texts and its dates."""

    s: RoundState

    def t(self, key: str, **params: object) -> str: ...

    def day(self, day: date) -> str: ...


def recalls(v: Voice, step: Step, *, fold: bool = True, open_value: str = "") -> list[Recall]:
    """The recalls a step shows, for the whole channel; empty ones are left out
    (a live step that was spoken, not written). `fold=False` opens them all;
    `open_value` is the panel (see view.panel) that shows them all unfolded."""
    s = v.s
    wanted = set(step.shows)
    found: list[Recall] = []
    for index, earlier in enumerate(s.protocol.steps):
        if earlier.id not in wanted or earlier.id == step.id:
            continue
        items = _items(v, earlier)
        if items:
            title = v.t("recall.title", n=index + 1, title=earlier.title.get(v.s.language))
            found.append(
                Recall(
                    earlier.id,
                    title,
                    items,
                    folded=fold,
                    open_label=v.t("recall.read_all") if open_value else "",
                    open_action=Action.OPEN_FORM if open_value else "",
                    open_value=open_value,
                )
            )
    if found:
        # The latest is what the group just did: open, right above the prompt's work.
        found[-1] = dataclasses.replace(found[-1], folded=False)
    return found


def _items(v: Voice, step: Step) -> tuple[ListItem, ...]:
    s = v.s
    match step:
        case CollectStep() | SpeakStep():
            return _listed(v, s.items_of(step.id))
        case VoteStep():
            winner, _tally = s.vote_results.get(step.id, (None, {}))
            item = s.item(winner) if winner else None
            return _listed(v, [item]) if item is not None else ()
        case RespondStep():
            return tuple(
                list_item(v, item, note=answer_note(v, item.id))
                for item in s.items_of(step.source)
                if s.may_see(item, None)
            )
        case PickStep():
            picked = {i for chosen in s.picks.get(step.id, {}).values() for i in chosen}
            return _listed(v, [i for i in s.items_of(step.source) if i.id in picked], marked=True)
        case RoundRobinStep():
            source = s.items_of(step.source) if step.source else []
            return _listed(v, [*source, *s.items_of(step.id)])
        case ActionsStep():
            return tuple(
                ListItem(a.text, note=v.t("card.action", owner=s.name(a.owner), due=v.day(a.due)))
                for a in s.actions_of(step.id)
            )
    # Instruction and reflect steps have nothing to show (protocols.checks says so).
    return ()


def _listed(v: Voice, items: list[Item], *, marked: bool = False) -> tuple[ListItem, ...]:
    return tuple(list_item(v, i, marked=marked) for i in items if v.s.may_see(i, None))


def list_item(v: Voice, item: Item, *, note: str | None = None, marked: bool = False) -> ListItem:
    """An item as a list line: its author's name, unless the items are anonymous."""
    author = v.s.name(item.author) if v.s.shows_author(item) else v.t("card.anonymous")
    return ListItem(item.text, author=author, note=note, marked=marked)


def answer_note(v: Voice, item_id: str, *, missing: str = "recall.no_answer") -> str:
    """The answer to a question (with its label), or the `missing` text."""
    response = v.s.responses.get(item_id)
    if response is None:
        return v.t(missing)
    return " · ".join(part for part in (response.label, response.text) if part)
