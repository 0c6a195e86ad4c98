"""The round card in the channel: the step that runs, its timer, who holds which
role, and the buttons, everyone's first and then the facilitator's."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.engine import guide
from bot.engine.actions import extend_value
from bot.engine.messages import (
    Block,
    Button,
    Buttons,
    Context,
    Fields,
    Heading,
    ItemList,
    ListItem,
    Message,
    Paragraph,
)
from bot.engine.recall import recalls
from bot.engine.state import RoundState
from bot.engine.view.common import (
    CARD,
    CONTEXT,
    EXTEND_MINUTES,
    REPORT,
    ROLES,
    View,
    open_actions,
)
from bot.engine.view.steps import step_blocks, step_hints
from bot.engine.vocabulary import Action
from bot.words import joined
from protocols.schema import (
    EVERYONE,
    ActionsStep,
    InstructionStep,
    RoundRobinStep,
    Step,
)

# The button that opens a person's form, per step kind.
_FORM_BUTTON = {
    "speak": "button.write",
    "collect": "button.write",
    "round_robin": "button.write",
    "vote": "button.vote",
    "respond": "button.respond",
    "pick": "button.pick",
    "actions": "button.add_action",
    "reflect": "button.reflect",
}

# What only whoever steers the round can do: a row of their own on the card.
_STEERING = {
    Action.ADVANCE,
    Action.EXTEND,
    Action.PAUSE,
    Action.RESUME,
    Action.CANCEL,
    Action.SKIP_OFFER,
}


def card(state: RoundState, now: datetime) -> Message:
    """The round card in the channel, updated in place as the round moves on."""
    v = View(state, now)
    s = state
    blocks: list[Block] = [Heading(s.protocol.title.get(v.lang))]
    step = s.step
    if s.status == "gathering":
        blocks.append(Paragraph(s.protocol.summary.get(v.lang)))
        blocks.append(Context(_duration(v)))
        if s.protocol.ground_rules:
            rules = tuple(ListItem(r.get(v.lang)) for r in s.protocol.ground_rules)
            blocks.append(ItemList(v.t("card.ground_rules"), rules))
        if any(st.best_spoken for st in s.protocol.steps):
            blocks.append(Context(v.t("card.best_live")))
        blocks.append(Context(v.t("card.gathering")))
    elif s.status in ("finished", "cancelled"):
        blocks.append(Paragraph(v.t(f"status.{s.status}")))
    elif step is not None:
        n = s.step_index + 1
        title = v.t("card.step", n=n, total=len(s.protocol.steps), title=step.title.get(v.lang))
        blocks.append(Paragraph(f"*{title}*"))
        blocks.append(Paragraph(step.prompt.get(v.lang)))
        blocks += step_hints(v, step)
        blocks += recalls(v, step, open_value=CONTEXT)
        blocks += step_blocks(v, step, viewer=None)
        blocks.append(Context(_timer(v)))
        missing = s.missing(step)
        if missing and s.mode == "async":
            names = ", ".join(s.name(u) for u in missing)
            blocks.append(v.context("card.waiting_for", names=names))
    blocks.append(_roles(v))
    blocks += guide.card_blocks(s)
    if s.open_actions and s.active and not isinstance(step, ActionsStep):
        blocks.append(open_actions(v))
    if s.active:
        blocks += _button_rows(v, [*_card_buttons(v), *guide.steering_buttons(s)])
    fallback = f"{s.protocol.title.get(v.lang)} · " + (
        v.t(f"status.{s.status}") if step is None else step.title.get(v.lang)
    )
    return Message(text=fallback, blocks=tuple(blocks), slot=CARD)


def _roles(v: View) -> Fields:
    s = v.s
    pairs = []
    for role in s.mode_roles:
        holders = s.holders(role.id)
        names = ", ".join(s.name(u) for u in holders) if holders else v.t("card.nobody")
        pairs.append((role.name.get(v.lang), names))
    return Fields(tuple(pairs))


def _duration(v: View) -> str:
    """How long the round takes in the mode it runs in (never the other mode's time)."""
    p = v.s.protocol
    if v.s.mode == "live":
        return v.t("card.duration_live", minutes=max(5, 5 * round(p.live_minutes / 5)))
    return v.t("card.duration_async", days=max(1, round(p.async_hours / 24)))


def _timer(v: View) -> str:
    s = v.s
    if s.status == "paused":
        minutes = math.ceil((s.remaining_when_paused or 0) / 60)
        return v.t("card.paused", minutes=minutes)
    if s.deadline is None:
        return ""
    if s.mode == "async":
        return v.t("card.open_until", when=v.when(s.deadline))
    left = (s.deadline - v.now).total_seconds()
    if left <= 0:
        return v.t("card.time_up")
    # Whole minutes, rounded up: the card is redrawn as each one passes (see
    # timers.next_redraw); the end time holds even between two redraws.
    until = s.deadline.astimezone(ZoneInfo(s.timezone)).strftime("%H:%M")
    return v.t("card.time_left", minutes=math.ceil(left / 60), until=until)


def _button_rows(v: View, buttons: list[Button]) -> list[Block]:
    """Everyone's buttons, then the facilitator's under their name: a card is one
    message for all, so it says whom the buttons that are not for all are for."""
    steering = [b for b in buttons if b.action in _STEERING or b.value in (ROLES, guide.RETURNS)]
    rows: list[Block] = [Buttons(tuple(b for b in buttons if b not in steering))]
    if steering:
        names = joined(v.lang, [v.s.name(u) for u in v.s.steerers()])
        rows += [v.context("card.for_facilitator", names=names), Buttons(tuple(steering))]
    return rows


def _for_whom(v: View, step: Step) -> str:
    """ "Beantwoord (inbrenger)": a step's form button names its role when only that
    role acts in the step."""
    roles = [v.s.protocol.role(r) for r in step.actors]
    if EVERYONE in step.actors or any(r is None or r.assign == "everyone_else" for r in roles):
        return ""
    named = [r.name.get(v.lang).lower() for r in roles if r is not None]
    return f" ({joined(v.lang, named)})"


def _card_buttons(v: View) -> list[Button]:
    s = v.s
    buttons = [Button(Action.JOIN, v.t("button.join")), *guide.card_buttons(s)]
    if s.status == "gathering":
        for role in s.mode_roles:
            if s.may_volunteer(role) and not s.holders(role.id):
                label = v.t("button.volunteer", role=role.name.get(v.lang).lower())
                buttons.append(Button(Action.VOLUNTEER, label, value=role.id))
        buttons.append(Button(Action.ADVANCE, v.t("button.start"), value="", style="primary"))
        return [*buttons, *_steering_tail(v)]
    step = s.step
    if step is None:
        return buttons
    if s.status == "paused":
        buttons.append(Button(Action.RESUME, v.t("button.resume"), style="primary"))
        buttons.append(Button(Action.CANCEL, v.t("button.cancel"), style="danger"))
        return buttons
    if s.offer is not None:
        # Only the author can answer now; whoever steers may stop waiting.
        skip = Button(Action.SKIP_OFFER, v.t("button.skip_offer"), value=s.offer.item_id)
        buttons += [skip, Button(Action.PAUSE, v.t("button.pause"))]
        return [*buttons, *_steering_tail(v)]
    return [*buttons, *_step_buttons(v, step), *_moving_on(v, step)]


def _step_buttons(v: View, step: Step) -> list[Button]:
    """What the participants do in this step: open its form, say they have read it,
    pass the turn, report on last time."""
    s = v.s
    buttons = []
    form_key = _FORM_BUTTON.get(step.kind)
    if form_key:
        buttons.append(Button(Action.OPEN_FORM, v.t(form_key) + _for_whom(v, step), value=step.id))
    if isinstance(step, InstructionStep) and (step.acknowledge or s.mode == "async"):
        buttons.append(Button(Action.ACKNOWLEDGE, v.t("button.read"), value=step.id))
    if isinstance(step, ActionsStep) and s.mode == "async":
        buttons.append(Button(Action.ACKNOWLEDGE, v.t("button.done"), value=step.id))
    if isinstance(step, RoundRobinStep) and s.mode == "live" and s.turn_holder(step):
        buttons.append(Button(Action.NEXT_TURN, v.t("button.next_turn"), value=step.id))
    if s.open_actions:
        buttons.append(Button(Action.OPEN_FORM, v.t("button.report"), value=REPORT))
    return buttons


def _moving_on(v: View, step: Step) -> list[Button]:
    """Whoever steers: back, on (or finish), more time, pause, roles, stop."""
    s = v.s
    buttons = []
    if s.step_index > 0:
        buttons.append(Button(Action.BACK, v.t("button.back"), value=step.id))
    last = s.step_index == len(s.protocol.steps) - 1
    on = v.t("button.finish" if last else "button.advance")
    buttons.append(Button(Action.ADVANCE, on, value=step.id, style="primary"))
    if s.mode == "live":
        minutes = EXTEND_MINUTES
        extend = Button(Action.EXTEND, v.t("button.extend_live"), extend_value(minutes, step.id))
    else:
        minutes = 24 * 60
        extend = Button(Action.EXTEND, v.t("button.extend_async"), extend_value(minutes, step.id))
    buttons += [extend, Button(Action.PAUSE, v.t("button.pause"))]
    return [*buttons, *_steering_tail(v)]


def _steering_tail(v: View) -> list[Button]:
    return [
        Button(Action.OPEN_FORM, v.t("button.roles"), value=ROLES),
        Button(Action.CANCEL, v.t("button.cancel"), style="danger"),
    ]
