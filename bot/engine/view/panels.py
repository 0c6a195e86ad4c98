"""What one person gets privately: the form for the step that runs with what they
wrote in it, what the case owner alone may read, and the panels a card's button
asks for (roles, the report on last time's actions, changing one's own item, the
step's context unfolded)."""

from __future__ import annotations

from datetime import datetime

from bot.engine import commands as cmd
from bot.engine import guide
from bot.engine.actions import CONFIRMED
from bot.engine.commands import MAX_TEXT
from bot.engine.messages import (
    Block,
    Button,
    Buttons,
    Context,
    Form,
    Heading,
    ItemList,
    Message,
    TextInput,
)
from bot.engine.recall import list_item as _list_item
from bot.engine.recall import recalls
from bot.engine.state import Item, RoundState
from bot.engine.texts import TEXTS
from bot.engine.view.common import CONTEXT, EDIT_FOCUS, REPORT, ROLES, View
from bot.engine.view.forms import assign_form, report_forms, step_forms
from bot.engine.vocabulary import Action
from bot.i18n import Language, translate
from protocols.schema import CollectStep, RoundRobinStep, SpeakStep, Step


def panel(state: RoundState, user: str, now: datetime, focus: str = "") -> Message | None:
    """What one person can do now, privately: the form for the current step,
    and what the case owner alone may read; or, by `focus` (the value of the
    button that asked), the facilitator's role form or the report on last
    time's actions. None when there is nothing for them."""
    v = View(state, now)
    s = state
    if focus == CONTEXT:
        # What the channel's card shows, in full: for anyone who can see the card.
        return _context_panel(v, user)
    if user not in s.participants or not s.active:
        return None
    if focus.startswith(EDIT_FOCUS):
        return _edit_panel(v, user, focus.removeprefix(EDIT_FOCUS))
    if focus == guide.RETURNS:
        return guide.return_panel(s, user)
    if focus in (ROLES, REPORT):
        blocks = assign_form(v) if focus == ROLES and s.steers(user) else []
        if focus == REPORT:
            blocks = report_forms(v, user)
        title = v.t(f"form.{focus}")
        return (
            Message(text=title, blocks=(Heading(title), *blocks), audience=user) if blocks else None
        )
    step = s.step
    if s.status != "running" or step is None:
        return None
    blocks = []
    if user in s.actors(step):
        forms = step_forms(v, step, user)
        blocks += forms
        # The form covers the card: what the step builds on comes along, below the
        # fields (a long recall never pushes a form out of a Slack modal).
        blocks += recalls(v, step) if forms else []
        blocks += _own_items(v, step, user)
    blocks += _private_items(v, user)
    if not blocks and any(
        a.owner == user and (a.action_id not in s.reports or s.to_settle(a)) for a in s.open_actions
    ):
        # One form per dialog: the report on last time's actions has its own
        # (the card's *Report back*); here only when the step has no form for them.
        return panel(state, user, now, REPORT)
    if not blocks:
        return None
    title = step.title.get(v.lang)
    return Message(text=title, blocks=(Heading(title), *blocks), audience=user)


def own_item_buttons(state: RoundState, user: str, item: Item) -> Buttons | None:
    """Change or withdraw one's own item, while its step runs."""
    step = state.step
    if item.author != user or step is None or item.step_id != step.id or not state.active:
        return None
    v = View(state, state.started_at)
    return Buttons(
        (
            Button(Action.OPEN_FORM, v.t("button.edit"), value=f"{EDIT_FOCUS}{item.id}"),
            Button(Action.WITHDRAW, v.t("button.withdraw"), value=item.id, style="danger"),
        )
    )


def confirming(command: object, language: Language) -> Buttons | None:
    """The button that confirms a command the round asked about first (moving on
    past an empty step a later one draws on; stopping a round with content)."""
    match command:
        case cmd.Advance(step_id=step_id):
            label = translate(TEXTS, "button.advance_anyway", language)
            return Buttons(
                (Button(Action.ADVANCE, label, f"{step_id or ''}:{CONFIRMED}", "primary"),)
            )
        case cmd.Cancel():
            label = translate(TEXTS, "button.cancel_confirmed", language)
            return Buttons((Button(Action.CANCEL, label, CONFIRMED, "danger"),))
    return None


def _own_items(v: View, step: Step, user: str) -> list[Block]:
    """What the person wrote in this step, each with its change and withdraw buttons."""
    own = v.s.items_of(step.id, user)
    if not isinstance(step, CollectStep | SpeakStep | RoundRobinStep) or not own:
        return []
    blocks: list[Block] = []
    for item in own:
        buttons = own_item_buttons(v.s, user, item)
        blocks.append(ItemList(v.t("form.yours"), (_list_item(v, item),)))
        if buttons is not None:
            blocks.append(buttons)
    return blocks


def _edit_panel(v: View, user: str, item_id: str) -> Message | None:
    item = v.s.item(item_id)
    if item is None or own_item_buttons(v.s, user, item) is None:
        return None
    step = v.s.protocol.step(item.step_id)
    questions = isinstance(step, CollectStep) and step.questions_only
    label = v.t("form.your_question" if questions else "form.your_text")
    title = v.t("form.edit")
    field = TextInput("text", label, initial=item.text, max_length=MAX_TEXT)
    form = Form(Action.EDIT, title, v.t("form.save"), (field,), value=item.id)
    return Message(text=title, blocks=(Heading(title), form), audience=user)


def _context_panel(v: View, user: str) -> Message | None:
    step = v.s.step
    if step is None:
        return None
    shown = recalls(v, step, fold=False)
    if not shown:
        return None
    title = step.title.get(v.lang)
    heading = v.t("recall.heading")
    return Message(text=heading, blocks=(Heading(title), Context(heading), *shown), audience=user)


def _private_items(v: View, user: str) -> list[Block]:
    s = v.s
    if user != s.case_owner:
        return []
    private = [i for i in s.items if s.for_case_owner(i)]
    if not private:
        return []
    return [ItemList(v.t("form.private"), tuple(_list_item(v, i) for i in private))]
