"""The messages a batch of new events calls for, besides the updated card: one
function per kind of event, looked up by the event's type. Each reads the round as
it stands after the batch (and, where it must, as it stood before)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from bot.engine import events as ev
from bot.engine import guide
from bot.engine.actions import extend_value
from bot.engine.messages import Button, Buttons, ItemList, Message, Paragraph, Span, plain_text
from bot.engine.recall import list_item as _list_item
from bot.engine.state import Item, RoundState
from bot.engine.summary import case_owner_copy, summary
from bot.engine.view.common import (
    EXTEND_MINUTES,
    REPORT,
    View,
    notice,
    offered_role,
    plain_notice,
)
from bot.engine.vocabulary import Action
from protocols.schema import CollectStep, VoteStep

_E = TypeVar("_E", bound=ev.Event)
# What tells of one event: given the view of the round after the batch, the state
# before it, and the event.
_Told = Callable[[View, RoundState | None, _E], list[Message]]
_ON: dict[type[object], _Told[Any]] = {}


def notices(before: RoundState | None, new: Sequence[ev.Event], after: RoundState) -> list[Message]:
    """The messages a batch of new events calls for, besides the updated card."""
    v = View(after, new[-1].at if new else after.started_at)
    out: list[Message] = []
    for event in new:
        told = _ON.get(type(event))
        if told is not None:
            out += told(v, before, event)
    return out + guide.notices(before, new, after)


def _on(kind: type[_E]) -> Callable[[_Told[_E]], _Told[_E]]:
    """Registers what tells of one type of event."""

    def register(told: _Told[_E]) -> _Told[_E]:
        _ON[kind] = told
        return told

    return register


@_on(ev.RoundStarted)
def _started(v: View, before: RoundState | None, event: ev.RoundStarted) -> list[Message]:
    s = v.s
    title = s.protocol.title.get(v.lang)
    mode = v.t(f"mode.{s.mode}")
    if event.scheduled:
        return [plain_notice(v.t("notify.scheduled", title=title, mode=mode))]
    return [notice(v, "notify.started", title=title, name=s.name(s.started_by), mode=mode)]


@_on(ev.StepStarted)
def _step(v: View, before: RoundState | None, event: ev.StepStarted) -> list[Message]:
    step = v.s.protocol.steps[event.index]
    title, prompt = step.title.get(v.lang), step.prompt.get(v.lang)
    return [plain_notice(v.t("notify.step", n=event.index + 1, title=title, prompt=prompt))]


# How a role was given that the thread hears of (a vote's role has its own notice).
_TOLD = ("volunteer", "facilitator", "rotation")


@_on(ev.RoleAssigned)
def _role_assigned(v: View, before: RoundState | None, event: ev.RoleAssigned) -> list[Message]:
    """Everyone reads who holds a role now; whoever was given one (not took it) also
    reads privately what it asks of them."""
    role = v.s.protocol.role(event.role)
    if event.how not in _TOLD or role is None:
        return []
    name = role.name.get(v.lang).lower()
    out = [notice(v, "notify.role", name=v.s.name(event.user), role=name)]
    if event.how != "volunteer":
        told = v.t("notify.your_role", role=name)
        if role.description is not None:
            told += " " + role.description.get(v.lang)
        out.append(plain_notice(told, audience=event.user))
    return out


# While a vote's winner's author is asked: the item to everyone, the question to its
# author alone, and never who that is.


@_on(ev.RoleOffered)
def _offered(v: View, before: RoundState | None, event: ev.RoleOffered) -> list[Message]:
    s = v.s
    item = s.item(event.item_id)
    if item is None:
        return []
    role = offered_role(v)
    again = bool(s.declined.get(event.step_id))
    public = notice(
        v, "notify.offered_next" if again else "notify.offered", text=item.text, role=role
    )
    ask = {"text": item.text, "role": role, "when": v.when(event.deadline)}
    buttons = (
        Button(Action.ACCEPT_ROLE, v.t("button.accept_role", role=role), item.id, "primary"),
        Button(Action.DECLINE_ROLE, v.t("button.decline_role"), item.id),
    )
    blocks = (v.paragraph("notify.offer", **ask), Buttons(buttons))
    return [public, Message(text=v.t("notify.offer", **ask), blocks=blocks, audience=event.user)]


@_on(ev.OfferDeclined)
def _declined(v: View, before: RoundState | None, event: ev.OfferDeclined) -> list[Message]:
    item = v.s.item(event.item_id)
    if item is None:
        return []
    # The same words however it came about: how is nobody's business.
    out = [notice(v, "notify.offer_declined", text=item.text)]
    offer = before.offer if before is not None else None
    if event.how != "declined" and offer is not None and offer.item_id == item.id:
        out.append(notice(v, f"notify.offer_{event.how}", audience=offer.user, text=item.text))
    return out


@_on(ev.OfferAccepted)
def _accepted(v: View, before: RoundState | None, event: ev.OfferAccepted) -> list[Message]:
    s = v.s
    item = s.item(event.item_id)
    step = s.protocol.step(event.step_id)
    role_id = step.assigns_role if isinstance(step, VoteStep) else None
    given = s.protocol.role(role_id) if role_id else None
    if item is None or given is None:
        return []
    name, role = s.name(item.author), given.name.get(v.lang).lower()
    return [notice(v, "notify.offer_accepted", name=name, text=item.text, role=role)]


@_on(ev.VoteReopened)
def _vote_again(v: View, before: RoundState | None, event: ev.VoteReopened) -> list[Message]:
    step = v.s.protocol.step(event.step_id)
    left = v.s.candidates(step) if isinstance(step, VoteStep) else []
    return [plain_notice(v.t("notify.vote_again" if left else "notify.no_case_left"))]


@_on(ev.VoteClosed)
def _vote_closed(v: View, before: RoundState | None, event: ev.VoteClosed) -> list[Message]:
    s = v.s
    item = s.item(event.winner) if event.winner else None
    voted = s.protocol.step(event.step_id)
    if item is None:
        return [plain_notice(v.t("notify.no_case"))]
    if voted is not None and s.asks_first(voted):
        # Its author is asked first: the offer's own notice tells the group.
        return []
    return [_chosen(v, event.step_id, item)]


def _chosen(v: View, step_id: str, item: Item) -> Message:
    """The vote's outcome: the author only when items show theirs, a role only when
    the vote gives one."""
    if not v.s.shows_author(item):
        return notice(v, "notify.chosen_anonymous", text=item.text)
    step = v.s.protocol.step(step_id)
    role_id = step.assigns_role if isinstance(step, VoteStep) else None
    role = v.s.protocol.role(role_id) if role_id else None
    name = v.s.name(item.author)
    if role is None:
        return notice(v, "notify.chosen", name=name, text=item.text)
    role_name = role.name.get(v.lang).lower()
    text = v.t("notify.chosen", name=name, text=item.text)
    text += "\n" + v.t("notify.chosen_role", name=name, role=role_name)
    spans = (
        *v.spans("notify.chosen", name=name, text=item.text),
        Span("\n"),
        *v.spans("notify.chosen_role", name=name, role=role_name),
    )
    return Message(text=text, blocks=(Paragraph.of(spans),))


@_on(ev.StepEnded)
def _revealed(v: View, before: RoundState | None, event: ev.StepEnded) -> list[Message]:
    ended = v.s.protocol.step(event.step_id)
    if not isinstance(ended, CollectStep) or ended.visibility != "hidden":
        return []
    items = v.s.items_of(event.step_id)
    if not items:
        return []
    title = v.t("notify.revealed", title=ended.title.get(v.lang))
    listed = tuple(_list_item(v, i) for i in items)
    return [Message(text=title, blocks=(ItemList(title, listed),))]


@_on(ev.StepTimeUp)
def _time_up(v: View, before: RoundState | None, event: ev.StepTimeUp) -> list[Message]:
    """Time up, told to the whole group gently, and to whoever steers with the choice
    to take a little longer or move on."""
    s = v.s
    timed = s.protocol.step(event.step_id)
    assert timed is not None
    title = timed.title.get(v.lang)
    names = [s.name(u) for u in s.steerers()]
    who = (
        v.t("notify.names_or", first=", ".join(names[:-1]), last=names[-1])
        if len(names) > 1
        else names[0]
    )
    out = [notice(v, "notify.time_up_group", title=title, names=who)]
    text = v.t("notify.time_up", title=title)
    last = s.protocol.steps[-1].id == event.step_id
    more = v.t("button.extend_minutes", minutes=EXTEND_MINUTES)
    on = v.t("button.finish" if last else "button.advance")
    choices = Buttons(
        (
            Button(Action.EXTEND, more, extend_value(EXTEND_MINUTES, event.step_id)),
            Button(Action.ADVANCE, on, value=event.step_id, style="primary"),
        )
    )
    for user in s.steerers():
        out.append(Message(text=text, blocks=(Paragraph(text), choices), audience=user))
    return out


@_on(ev.StepReminded)
def _reminded(v: View, before: RoundState | None, event: ev.StepReminded) -> list[Message]:
    s = v.s
    reminded = s.protocol.step(event.step_id)
    assert reminded is not None
    title = reminded.title.get(v.lang)
    if event.stage == "nearly_up" and s.deadline is not None:
        left = max(1, math.ceil((s.deadline - v.now).total_seconds() / 60))
        text = v.t("notify.nearly_up", title=title, minutes=left)
    else:
        when = v.when(s.deadline) if s.deadline else ""
        text = v.t(f"notify.reminder_{event.stage}", title=title, when=when)
    return [plain_notice(text, audience=user) for user in event.users]


@_on(ev.TurnPassed)
def _turn(v: View, before: RoundState | None, event: ev.TurnPassed) -> list[Message]:
    rr = v.s.protocol.step(event.step_id)
    holder = v.s.turn_holder(rr) if rr else None
    return [notice(v, "notify.turn", name=v.s.name(holder))] if holder else []


@_on(ev.ContributionAdded)
def _for_case_owner(
    v: View, before: RoundState | None, event: ev.ContributionAdded
) -> list[Message]:
    """What is for the case owner alone reaches them as it comes in."""
    s = v.s
    owner = s.case_owner
    collect = s.protocol.step(event.step_id)
    item = s.item(event.item_id)
    if collect is None or item is None or not owner or item.author == owner:
        return []
    if not s.for_case_owner(item):
        return []
    title = collect.title.get(v.lang)
    return [notice(v, "notify.for_case_owner", audience=owner, title=title, text=item.text)]


@_on(ev.ActionReported)
def _settle(v: View, before: RoundState | None, event: ev.ActionReported) -> list[Message]:
    """An action that keeps coming back "not yet": its owner is asked what to do with it."""
    s = v.s
    action = next((a for a in s.open_actions if a.action_id == event.action_id), None)
    if action is None or not s.to_settle(action):
        return []
    said = {"n": action.not_yet_reports + 1, "text": action.text}
    ask = Button(Action.OPEN_FORM, v.t("button.settle"), value=REPORT)
    blocks = (v.paragraph("notify.settle", **said), Buttons((ask,)))
    return [Message(text=v.t("notify.settle", **said), blocks=blocks, audience=action.owner)]


@_on(ev.RoundPaused)
def _paused(v: View, before: RoundState | None, event: ev.RoundPaused) -> list[Message]:
    return [plain_notice(v.t("notify.paused"))]


@_on(ev.RoundResumed)
def _resumed(v: View, before: RoundState | None, event: ev.RoundResumed) -> list[Message]:
    return [plain_notice(v.t("notify.resumed"))]


@_on(ev.SteppedBack)
def _back(v: View, before: RoundState | None, event: ev.SteppedBack) -> list[Message]:
    back = v.s.protocol.steps[event.index]
    name, title = v.s.name(event.by), back.title.get(v.lang)
    return [notice(v, "notify.back", name=name, n=event.index + 1, title=title)]


@_on(ev.RoundCancelled)
def _cancelled(v: View, before: RoundState | None, event: ev.RoundCancelled) -> list[Message]:
    s = v.s
    if not s.has_content:
        return [notice(v, "notify.cancelled", name=s.name(event.by))]
    # Stopping keeps what there is: the summary of it, in the thread.
    public = summary(s, viewer=None)
    return [
        notice(v, "notify.cancelled_summary", name=s.name(event.by)),
        Message(text=plain_text(public), blocks=public),
    ]


@_on(ev.RoundFinished)
def _finished(v: View, before: RoundState | None, event: ev.RoundFinished) -> list[Message]:
    s = v.s
    public = summary(s, viewer=None)
    out = [
        plain_notice(v.t("notify.finished")),
        Message(text=plain_text(public), blocks=public),
    ]
    copy = case_owner_copy(s)
    if copy is not None and s.case_owner is not None:
        # Always, not only when it differs from the channel's: the case owner keeps
        # their own record of what they chose and took on.
        intro = v.t("notify.private_summary")
        out.append(Message(text=intro, blocks=(Paragraph(intro), *copy), audience=s.case_owner))
    return out
