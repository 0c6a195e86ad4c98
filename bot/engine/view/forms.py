"""The private forms: one per step kind for the step that runs (looked up by the
step's kind), the facilitator's role form, and the report on last time's actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine import events as ev
from bot.engine.actions import part_name
from bot.engine.messages import (
    Block,
    ChoiceInput,
    DateInput,
    Form,
    Input,
    Option,
    TextInput,
)
from bot.engine.state import Item
from bot.engine.view.common import View
from bot.engine.vocabulary import Action
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

# A question as the label of its answer: every open question in one form must fit
# one Teams card (24 KB); the full text is on the card.
_QUESTION_LABEL = 500


def step_forms(v: View, step: Step, user: str) -> list[Block]:
    """The form `user` fills in for the step that runs, if the step has one for them now."""
    form = _BY_KIND.get(step.kind)
    return form(v, step, user) if form is not None else []


def _write(v: View, step: CollectStep | SpeakStep, user: str) -> list[Block]:
    if len(v.s.items_of(step.id, user)) >= step.max_per_person:
        return []
    questions = isinstance(step, CollectStep) and step.questions_only
    label = v.t("form.your_question" if questions else "form.your_text")
    return [_form(v, Action.CONTRIBUTE, step, (TextInput("text", label),))]


def _turn(v: View, step: RoundRobinStep, user: str) -> list[Block]:
    if v.s.mode == "live" and v.s.turn_holder(step) != user:
        return []
    return [_form(v, Action.CONTRIBUTE, step, (TextInput("text", v.t("form.your_text")),))]


def _vote(v: View, step: VoteStep, user: str) -> list[Block]:
    s = v.s
    if s.offer is not None:
        return []
    options = _options(v, s.candidates(step), user)
    if not options:
        return []
    label = v.t("form.vote_label")
    choice = ChoiceInput("items", label, options, max_selected=step.votes_per_person)
    return [_form(v, Action.VOTE, step, (choice,))]


def _respond(v: View, step: RespondStep, user: str) -> list[Block]:
    # One form for every open question: one submit sends all answers given.
    s = v.s
    answers: list[Input] = []
    for item in s.items_of(step.source):
        if not s.may_see(item, user) or item.id in s.responses:
            continue
        question = _short(item.text, _QUESTION_LABEL)
        text = part_name("text", item.id)
        if step.labels:
            labels = tuple(Option(lbl.id, lbl.name.get(v.lang)) for lbl in step.labels)
            label = part_name("label", item.id)
            answers.append(ChoiceInput(label, question, labels, min_selected=0, required=False))
            answers.append(TextInput(text, v.t("form.answer"), required=False))
        else:
            answers.append(TextInput(text, question, required=False))
    return [_form(v, Action.RESPOND, step, tuple(answers))] if answers else []


def _pick(v: View, step: PickStep, user: str) -> list[Block]:
    options = _options(v, v.s.items_of(step.source), user)
    if not options:
        return []
    choice = ChoiceInput(
        "items",
        v.t("form.pick_label"),
        options,
        min_selected=min(step.min_picks, len(options)),
        max_selected=min(step.max_picks, len(options)),
        required=step.min_picks > 0,
    )
    return [_form(v, Action.PICK, step, (choice,))]


def _add_action(v: View, step: ActionsStep, user: str) -> list[Block]:
    s = v.s
    owners = tuple(Option(u, s.name(u)) for u in s.participants)
    today = v.now.astimezone(ZoneInfo(s.timezone)).date()
    due = today + timedelta(days=step.default_due_days)
    inputs = (
        TextInput("text", v.t("form.action_text")),
        ChoiceInput("owner", v.t("form.action_owner"), owners),
        DateInput("due", v.t("form.action_due"), initial=due),
    )
    return [_form(v, Action.ADD_ACTION, step, inputs)]


def _reflect(v: View, step: ReflectStep, user: str) -> list[Block]:
    scale = tuple(Option(str(n), str(n)) for n in range(1, step.scale + 1))
    sources = tuple(Option(src, v.t(f"source.{src}")) for src in ev.LEARNING_SOURCES)
    rating = (
        ChoiceInput("rating", v.t("form.rating", scale=step.scale), scale),
        TextInput("text", v.t("form.takeaway"), required=False),
        ChoiceInput(
            "sources",
            v.t("form.sources"),
            sources,
            min_selected=0,
            max_selected=len(sources),
            required=False,
        ),
    )
    return [_form(v, Action.REFLECT, step, rating)]


# Keyed on `Step.kind`; each function takes the step of its kind. An instruction
# step has no form (it is read, and acknowledged on the card).
_BY_KIND: dict[str, Callable[[View, Any, str], list[Block]]] = {
    "collect": _write,
    "speak": _write,
    "round_robin": _turn,
    "vote": _vote,
    "respond": _respond,
    "pick": _pick,
    "actions": _add_action,
    "reflect": _reflect,
}


def _form(v: View, action: Action, step: Step, inputs: tuple[Input, ...]) -> Form:
    return Form(action, step.title.get(v.lang), v.t("form.send"), inputs, value=step.id)


def _options(v: View, items: list[Item], viewer: str) -> tuple[Option, ...]:
    return tuple(Option(i.id, _short(i.text)) for i in items if v.s.may_see(i, viewer))


def _short(text: str, limit: int = 150) -> str:
    # Choice labels are short on every platform (Slack: 75); the full text is on the card.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def assign_form(v: View) -> list[Block]:
    """The facilitator hands a role to a participant (or takes it from someone)."""
    s = v.s
    roles = tuple(
        Option(r.id, r.name.get(v.lang)) for r in s.mode_roles if r.assign != "everyone_else"
    )
    people = tuple(Option(u, name) for u, name in s.participants.items())
    inputs = (
        ChoiceInput("role", v.t("form.role"), roles),
        ChoiceInput("user", v.t("form.person"), people),
    )
    return [Form(Action.ASSIGN, v.t("form.roles"), v.t("form.send"), inputs)]


def report_forms(v: View, user: str) -> list[Block]:
    """One form for the person's open actions: a report on each, or for one that keeps
    coming back "not yet", the choice to drop, rephrase or keep it."""
    s = v.s
    statuses = tuple(Option(k, v.t(f"report.{k}")) for k in ("done", "partly", "not_yet"))
    decisions = tuple(Option(k, v.t(f"settled.{k}")) for k in ("drop", "rephrase", "keep"))
    inputs: list[Input] = []
    for a in s.open_actions:
        if a.owner != user:
            continue
        if s.to_settle(a):
            inputs += [
                ChoiceInput(
                    part_name("decision", a.action_id),
                    f"{a.text}: {v.t('form.settle_decision')}",
                    decisions,
                ),
                TextInput(part_name("text", a.action_id), v.t("form.settle_text"), required=False),
                DateInput(part_name("due", a.action_id), v.t("form.settle_due")),
            ]
        elif a.action_id not in s.reports:
            inputs += [
                ChoiceInput(
                    part_name("status", a.action_id),
                    f"{a.text}: {v.t('form.report_status')}",
                    statuses,
                    min_selected=0,
                    required=False,
                ),
                TextInput(part_name("note", a.action_id), v.t("form.report_note"), required=False),
            ]
    if not inputs:
        return []
    return [Form(Action.REPORT_ACTION, v.t("form.report"), v.t("form.send"), tuple(inputs))]
