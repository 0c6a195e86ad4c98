"""view: what the channel shows now, what each person gets privately, and the
notices a batch of new events calls for. Pure: the time comes in as an argument."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.engine import events as ev
from bot.engine import guide
from bot.engine.messages import (
    Block,
    Button,
    Buttons,
    ChoiceInput,
    Context,
    DateInput,
    Fields,
    Form,
    Heading,
    Input,
    ItemList,
    ListItem,
    Message,
    Option,
    Paragraph,
    TextInput,
    plain_text,
)
from bot.engine.recall import answer_note, recalls
from bot.engine.recall import list_item as _list_item
from bot.engine.state import Item, RoundState
from bot.engine.summary import case_owner_copy, summary
from bot.engine.texts import TEXTS
from bot.engine.vocabulary import Action
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

CARD = "card"
# What a live step's "more time" adds, on the card and when time is up.
EXTEND_MINUTES = 5

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


class _View:
    """Binds a state, a moment and the team's language for the functions below."""

    def __init__(self, state: RoundState, now: datetime) -> None:
        self.s = state
        self.now = now
        self.lang = state.language

    def t(self, key: str, **params: object) -> str:
        return translate(TEXTS, key, self.lang, **params)

    def when(self, moment: datetime) -> str:
        return format_moment(moment, self.s.timezone, self.lang)

    def day(self, day: date) -> str:
        return format_day(day, self.lang)


def card(state: RoundState, now: datetime) -> Message:
    """The round card in the channel, updated in place as the round moves on."""
    v = _View(state, now)
    s = state
    blocks: list[Block] = [Heading(s.protocol.title.get(v.lang))]
    step = s.step
    if s.status == "gathering":
        blocks.append(Paragraph(s.protocol.summary.get(v.lang)))
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
        blocks += _step_hints(v, step)
        blocks += recalls(v, step, open_value=CONTEXT)
        blocks += _step_blocks(v, step, viewer=None)
        blocks.append(Context(_timer(v)))
        missing = s.missing(step)
        if missing and s.mode == "async":
            names = ", ".join(s.name(u) for u in missing)
            blocks.append(Context(v.t("card.waiting_for", names=names)))
    blocks.append(_roles(v))
    blocks += guide.card_blocks(s)
    if s.open_actions and s.active and not isinstance(step, ActionsStep):
        blocks.append(_open_actions(v))
    if s.active:
        blocks.append(Buttons(tuple([*_card_buttons(v), *guide.steering_buttons(s)])))
    fallback = f"{s.protocol.title.get(v.lang)} · " + (
        v.t(f"status.{s.status}") if step is None else step.title.get(v.lang)
    )
    return Message(text=fallback, blocks=tuple(blocks), slot=CARD)


ROLES = "roles"
REPORT = "report"
# The panel that holds what the current step shows of earlier steps, unfolded
# (where a channel cannot fold, the card links to it).
CONTEXT = "context"


def panel(state: RoundState, user: str, now: datetime, focus: str = "") -> Message | None:
    """What one person can do now, privately: the form for the current step,
    and what the case owner alone may read; or, by `focus` (the value of the
    button that asked), the facilitator's role form or the report on last
    time's actions. None when there is nothing for them."""
    v = _View(state, now)
    s = state
    if focus == CONTEXT:
        # What the channel's card shows, in full: for anyone who can see the card.
        return _context_panel(v, user)
    if user not in s.participants or not s.active:
        return None
    if focus == guide.RETURNS:
        return guide.return_panel(s, user)
    if focus in (ROLES, REPORT):
        blocks = _assign_form(v) if focus == ROLES and s.steers(user) else []
        if focus == REPORT:
            blocks = _report_forms(v, user)
        title = v.t(f"form.{focus}")
        return (
            Message(text=title, blocks=(Heading(title), *blocks), audience=user) if blocks else None
        )
    step = s.step
    if s.status != "running" or step is None:
        return None
    blocks = []
    if user in s.actors(step):
        blocks += _forms(v, step, user)
        # The form covers the card: what the step builds on comes along, below the
        # fields (a long recall never pushes a form out of a Slack modal).
        blocks += recalls(v, step) if blocks else []
    blocks += _private_items(v, step, user)
    if any(
        a.owner == user and (a.action_id not in s.reports or s.to_settle(a)) for a in s.open_actions
    ):
        blocks += _report_forms(v, user)
    if not blocks:
        return None
    title = step.title.get(v.lang)
    return Message(text=title, blocks=(Heading(title), *blocks), audience=user)


def notices(before: RoundState | None, new: Sequence[ev.Event], after: RoundState) -> list[Message]:
    """The messages a batch of new events calls for, besides the updated card."""
    v = _View(after, new[-1].at if new else after.started_at)
    s = after
    out: list[Message] = []
    for event in new:
        match event:
            case ev.RoundStarted(scheduled=scheduled):
                title = s.protocol.title.get(v.lang)
                mode = v.t(f"mode.{s.mode}")
                if scheduled:
                    text = v.t("notify.scheduled", title=title, mode=mode)
                else:
                    text = v.t("notify.started", title=title, name=s.name(s.started_by), mode=mode)
                out.append(Message(text=text, blocks=(Paragraph(text),)))
            case ev.StepStarted(index=index, step_id=step_id):
                step = s.protocol.steps[index]
                text = v.t(
                    "notify.step",
                    n=index + 1,
                    title=step.title.get(v.lang),
                    prompt=step.prompt.get(v.lang),
                )
                out.append(Message(text=text, blocks=(Paragraph(text),)))
            case ev.VoteClosed(step_id=step_id, winner=winner):
                item = s.item(winner) if winner else None
                text = v.t("notify.no_case") if item is None else _chosen(v, step_id, item)
                out.append(Message(text=text, blocks=(Paragraph(text),)))
            case ev.StepEnded(step_id=step_id):
                ended = s.protocol.step(step_id)
                if isinstance(ended, CollectStep) and ended.visibility == "hidden":
                    items = s.items_of(step_id)
                    if items:
                        title = v.t("notify.revealed", title=ended.title.get(v.lang))
                        listed = tuple(_list_item(v, i) for i in items)
                        out.append(Message(text=title, blocks=(ItemList(title, listed),)))
            case ev.StepTimeUp(step_id=step_id):
                out += _time_up(v, step_id)
            case ev.StepReminded(step_id=step_id, stage=stage, users=users):
                reminded = s.protocol.step(step_id)
                assert reminded is not None
                title = reminded.title.get(v.lang)
                if stage == "nearly_up" and s.deadline is not None:
                    left = max(1, math.ceil((s.deadline - v.now).total_seconds() / 60))
                    text = v.t("notify.nearly_up", title=title, minutes=left)
                else:
                    when = v.when(s.deadline) if s.deadline else ""
                    text = v.t(f"notify.reminder_{stage}", title=title, when=when)
                for user in users:
                    out.append(Message(text=text, blocks=(Paragraph(text),), audience=user))
            case ev.TurnPassed(step_id=step_id):
                rr = s.protocol.step(step_id)
                holder = s.turn_holder(rr) if rr else None
                if holder:
                    text = v.t("notify.turn", name=s.name(holder))
                    out.append(Message(text=text, blocks=(Paragraph(text),)))
            case ev.ContributionAdded(step_id=step_id, item_id=item_id):
                owner = s.case_owner
                collect = s.protocol.step(step_id)
                item = s.item(item_id)
                if (
                    collect is not None
                    and item is not None
                    and s.for_case_owner(item)
                    and owner
                    and item.author != owner
                ):
                    title = collect.title.get(v.lang)
                    text = v.t("notify.for_case_owner", title=title, text=item.text)
                    out.append(Message(text=text, blocks=(Paragraph(text),), audience=owner))
            case ev.ActionReported(action_id=action_id):
                action = next((a for a in s.open_actions if a.action_id == action_id), None)
                if action is not None and s.to_settle(action):
                    text = v.t("notify.settle", n=action.not_yet_reports + 1, text=action.text)
                    ask = Button(Action.OPEN_FORM, v.t("button.settle"), value=REPORT)
                    blocks = (Paragraph(text), Buttons((ask,)))
                    out.append(Message(text=text, blocks=blocks, audience=action.owner))
            case ev.RoundPaused():
                out.append(_plain(v.t("notify.paused")))
            case ev.RoundResumed():
                out.append(_plain(v.t("notify.resumed")))
            case ev.RoundCancelled(by=by):
                out.append(_plain(v.t("notify.cancelled", name=s.name(by))))
            case ev.RoundFinished():
                out.append(_plain(v.t("notify.finished")))
                public = summary(s, viewer=None)
                out.append(Message(text=plain_text(public), blocks=public))
                copy = case_owner_copy(s)
                if copy is not None and s.case_owner is not None:
                    # Always, not only when it differs from the channel's: the case
                    # owner keeps their own record of what they chose and took on.
                    intro = v.t("notify.private_summary")
                    out.append(
                        Message(
                            text=intro,
                            blocks=(Paragraph(intro), *copy),
                            audience=s.case_owner,
                        )
                    )
            case _:
                pass
    return out + guide.notices(before, new, after)


def _time_up(v: _View, step_id: str) -> list[Message]:
    """Time up, told to the whole group gently, and to whoever steers with the choice
    to take a little longer or move on."""
    s = v.s
    timed = s.protocol.step(step_id)
    assert timed is not None
    title = timed.title.get(v.lang)
    names = [s.name(u) for u in s.steerers()]
    joined = (
        v.t("notify.names_or", first=", ".join(names[:-1]), last=names[-1])
        if len(names) > 1
        else names[0]
    )
    group = v.t("notify.time_up_group", title=title, names=joined)
    out = [_plain(group)]
    text = v.t("notify.time_up", title=title)
    last = s.protocol.steps[-1].id == step_id
    choices = Buttons(
        (
            Button(
                Action.EXTEND,
                v.t("button.extend_minutes", minutes=EXTEND_MINUTES),
                str(EXTEND_MINUTES),
            ),
            Button(
                Action.ADVANCE,
                v.t("button.finish" if last else "button.advance"),
                value=step_id,
                style="primary",
            ),
        )
    )
    for user in s.steerers():
        out.append(Message(text=text, blocks=(Paragraph(text), choices), audience=user))
    return out


def _context_panel(v: _View, user: str) -> Message | None:
    step = v.s.step
    if step is None:
        return None
    shown = recalls(v, step, fold=False)
    if not shown:
        return None
    title = step.title.get(v.lang)
    heading = v.t("recall.heading")
    return Message(text=heading, blocks=(Heading(title), Context(heading), *shown), audience=user)


# -- pieces of the card ---------------------------------------------------------------


def _step_hints(v: _View, step: Step) -> list[Block]:
    """What the step's form means for how it runs here: spoken, capped, open."""
    hints: list[Block] = []
    if step.best_spoken:
        hints.append(Context(v.t("card.best_spoken")))
    if isinstance(step, CollectStep) and step.live_max_per_person and v.s.mode == "live":
        hints.append(Context(v.t("card.live_cap", count=step.live_max_per_person)))
    if step.stays_open and v.s.mode == "async":
        hints.append(Context(v.t("card.stays_open")))
    return hints


def _step_blocks(v: _View, step: Step, viewer: str | None) -> list[Block]:
    s = v.s
    match step:
        case CollectStep() | SpeakStep():
            items = s.items_of(step.id)
            shown = [i for i in items if s.may_see(i, viewer)]
            blocks: list[Block] = []
            if shown:
                listed = tuple(_list_item(v, i) for i in shown)
                blocks.append(ItemList(v.t("card.collected"), listed))
            hidden = len(items) - len(shown)
            if hidden and isinstance(step, CollectStep):
                key = "card.hidden" if step.visibility == "hidden" else "card.owner_only"
                blocks.append(Context(v.t(key, count=hidden)))
            return blocks
        case VoteStep():
            tally: dict[str, int] = {}
            for chosen in s.votes.get(step.id, {}).values():
                for item_id in chosen:
                    tally[item_id] = tally.get(item_id, 0) + 1
            listed = tuple(
                _list_item(v, i, note=v.t("card.votes", count=tally.get(i.id, 0)))
                for i in s.items_of(step.source)
                if s.may_see(i, viewer)
            )
            return [ItemList(v.t("card.candidates"), listed)]
        case RespondStep():
            listed = tuple(
                _list_item(v, i, note=_answer(v, i.id))
                for i in s.items_of(step.source)
                if s.may_see(i, viewer)
            )
            return [ItemList(v.t("card.questions"), listed)]
        case PickStep():
            picked = {i for chosen in s.picks.get(step.id, {}).values() for i in chosen}
            listed = tuple(
                _list_item(v, i, marked=i.id in picked)
                for i in s.items_of(step.source)
                if s.may_see(i, viewer)
            )
            return [ItemList(v.t("card.choices"), listed)]
        case RoundRobinStep():
            blocks = []
            if s.mode == "live":
                holder = s.turn_holder(step)
                turn = v.t("card.turn", name=s.name(holder)) if holder else v.t("card.turns_done")
                blocks.append(Paragraph(turn))
                if holder and step.source:
                    # Never beside the name of the turn holder when the items are anonymous.
                    own = [
                        i
                        for i in s.items_of(step.source, holder)
                        if s.may_see(i, viewer) and s.shows_author(i)
                    ]
                    if own:
                        blocks.append(
                            ItemList(s.name(holder), tuple(_list_item(v, i) for i in own))
                        )
            items = [i for i in s.items_of(step.id) if s.may_see(i, viewer)]
            if items:
                blocks.append(
                    ItemList(v.t("card.collected"), tuple(_list_item(v, i) for i in items))
                )
            return blocks
        case ActionsStep():
            blocks = []
            if step.review_open and s.open_actions:
                blocks.append(_open_actions(v))
            new = s.actions_of(step.id)
            if new:
                listed = tuple(
                    ListItem(
                        a.text, note=v.t("card.action", owner=s.name(a.owner), due=v.day(a.due))
                    )
                    for a in new
                )
                blocks.append(ItemList(v.t("card.new_actions"), listed))
            return blocks
        case ReflectStep():
            done = len(s.reflections.get(step.id, {}))
            total = len(s.actors(step))
            return [Context(v.t("card.reflected", count=done, total=total))]
        case InstructionStep():
            blocks = []
            if s.protocol.ground_rules:
                rules = tuple(ListItem(r.get(v.lang)) for r in s.protocol.ground_rules)
                blocks.append(ItemList(v.t("card.ground_rules"), rules))
            if step.acknowledge or s.mode == "async":
                done = len(s.acks.get(step.id, set()))
                blocks.append(Context(v.t("card.read", count=done, total=len(s.actors(step)))))
            return blocks
    return []


def _chosen(v: _View, step_id: str, item: Item) -> str:
    """The vote's outcome: the author only when items show theirs, a role only when
    the vote gives one."""
    if not v.s.shows_author(item):
        return v.t("notify.chosen_anonymous", text=item.text)
    step = v.s.protocol.step(step_id)
    role_id = step.assigns_role if isinstance(step, VoteStep) else None
    role = v.s.protocol.role(role_id) if role_id else None
    name = v.s.name(item.author)
    text = v.t("notify.chosen", name=name, text=item.text)
    if role is None:
        return text
    return text + "\n" + v.t("notify.chosen_role", name=name, role=role.name.get(v.lang).lower())


def _answer(v: _View, item_id: str) -> str:
    return answer_note(v, item_id, missing="card.no_answer")


def _open_actions(v: _View) -> ItemList:
    s = v.s
    listed = []
    for a in s.open_actions:
        key, said = s.progress(a)
        note = v.t("card.action", owner=a.owner_name, due=v.day(a.due)) + f" · {v.t(key)}"
        if said:
            note += f": {said}"
        if a.action_id in s.settled:
            note += f" · {v.t('settled.' + s.settled[a.action_id])}"
        listed.append(ListItem(a.text, note=note, marked=a.action_id in s.reports))
    return ItemList(v.t("card.open_actions"), tuple(listed))


def _roles(v: _View) -> Fields:
    s = v.s
    pairs = []
    for role in s.protocol.roles:
        holders = s.holders(role.id)
        names = ", ".join(s.name(u) for u in holders) if holders else v.t("card.nobody")
        pairs.append((role.name.get(v.lang), names))
    return Fields(tuple(pairs))


def _timer(v: _View) -> str:
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


def _card_buttons(v: _View) -> list[Button]:
    s = v.s
    buttons = [Button(Action.JOIN, v.t("button.join")), *guide.card_buttons(s)]
    if s.status == "gathering":
        for role in s.protocol.roles:
            if s.may_volunteer(role) and not s.holders(role.id):
                label = v.t("button.volunteer", role=role.name.get(v.lang).lower())
                buttons.append(Button(Action.VOLUNTEER, label, value=role.id))
        buttons.append(Button(Action.ADVANCE, v.t("button.start"), value="", style="primary"))
        buttons.append(Button(Action.OPEN_FORM, v.t("button.roles"), value=ROLES))
        buttons.append(Button(Action.CANCEL, v.t("button.cancel"), style="danger"))
        return buttons
    step = s.step
    if step is None:
        return buttons
    if s.status == "paused":
        buttons.append(Button(Action.RESUME, v.t("button.resume"), style="primary"))
        buttons.append(Button(Action.CANCEL, v.t("button.cancel"), style="danger"))
        return buttons
    form_key = _FORM_BUTTON.get(step.kind)
    if form_key:
        buttons.append(Button(Action.OPEN_FORM, v.t(form_key), value=step.id))
    if isinstance(step, InstructionStep) and (step.acknowledge or s.mode == "async"):
        buttons.append(Button(Action.ACKNOWLEDGE, v.t("button.read"), value=step.id))
    if isinstance(step, ActionsStep) and s.mode == "async":
        buttons.append(Button(Action.ACKNOWLEDGE, v.t("button.done"), value=step.id))
    if isinstance(step, RoundRobinStep) and s.mode == "live" and s.turn_holder(step):
        buttons.append(Button(Action.NEXT_TURN, v.t("button.next_turn"), value=step.id))
    if s.open_actions:
        buttons.append(Button(Action.OPEN_FORM, v.t("button.report"), value=REPORT))
    last = s.step_index == len(s.protocol.steps) - 1
    buttons.append(
        Button(
            Action.ADVANCE,
            v.t("button.finish" if last else "button.advance"),
            value=step.id,
            style="primary",
        )
    )
    extend = (
        ("button.extend_live", str(EXTEND_MINUTES))
        if s.mode == "live"
        else ("button.extend_async", str(24 * 60))
    )
    buttons.append(Button(Action.EXTEND, v.t(extend[0]), value=extend[1]))
    buttons.append(Button(Action.PAUSE, v.t("button.pause")))
    buttons.append(Button(Action.OPEN_FORM, v.t("button.roles"), value=ROLES))
    buttons.append(Button(Action.CANCEL, v.t("button.cancel"), style="danger"))
    return buttons


# -- private forms ----------------------------------------------------------------------


def _forms(v: _View, step: Step, user: str) -> list[Block]:
    s = v.s
    send = v.t("form.send")
    title = step.title.get(v.lang)
    match step:
        case CollectStep() | SpeakStep():
            if len(s.items_of(step.id, user)) >= step.max_per_person:
                return []
            questions = isinstance(step, CollectStep) and step.questions_only
            label = v.t("form.your_question" if questions else "form.your_text")
            return [
                Form(Action.CONTRIBUTE, title, send, (TextInput("text", label),), value=step.id)
            ]
        case RoundRobinStep():
            if s.mode == "live" and s.turn_holder(step) != user:
                return []
            return [
                Form(
                    Action.CONTRIBUTE,
                    title,
                    send,
                    (TextInput("text", v.t("form.your_text")),),
                    value=step.id,
                )
            ]
        case VoteStep():
            options = _options(v, s.items_of(step.source), user)
            if not options:
                return []
            choice = ChoiceInput(
                "items", v.t("form.vote_label"), options, max_selected=step.votes_per_person
            )
            return [Form(Action.VOTE, title, send, (choice,), value=step.id)]
        case RespondStep():
            forms: list[Block] = []
            for item in s.items_of(step.source):
                if not s.may_see(item, user) or item.id in s.responses:
                    continue
                answer: list[Input] = []
                if step.labels:
                    labels = tuple(Option(lbl.id, lbl.name.get(v.lang)) for lbl in step.labels)
                    answer.append(ChoiceInput("label", v.t("form.label"), labels))
                answer.append(TextInput("text", v.t("form.answer"), required=not step.labels))
                value = f"{step.id}:{item.id}"
                forms.append(Form(Action.RESPOND, item.text, send, tuple(answer), value=value))
            return forms
        case PickStep():
            options = _options(v, s.items_of(step.source), user)
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
            return [Form(Action.PICK, title, send, (choice,), value=step.id)]
        case ActionsStep():
            owners = tuple(Option(u, s.name(u)) for u in s.participants)
            today = v.now.astimezone(ZoneInfo(s.timezone)).date()
            due = today + timedelta(days=step.default_due_days)
            inputs = (
                TextInput("text", v.t("form.action_text")),
                ChoiceInput("owner", v.t("form.action_owner"), owners),
                DateInput("due", v.t("form.action_due"), initial=due),
            )
            return [Form(Action.ADD_ACTION, title, send, inputs, value=step.id)]
        case ReflectStep():
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
            return [Form(Action.REFLECT, title, send, rating, value=step.id)]
    return []


def _options(v: _View, items: list[Item], viewer: str) -> tuple[Option, ...]:
    return tuple(Option(i.id, _short(i.text)) for i in items if v.s.may_see(i, viewer))


def _short(text: str, limit: int = 150) -> str:
    # Choice labels are short on every platform (Slack: 75); the full text is on the card.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _private_items(v: _View, step: Step, user: str) -> list[Block]:
    s = v.s
    if user != s.case_owner:
        return []
    private = [i for i in s.items if s.for_case_owner(i)]
    if not private:
        return []
    return [ItemList(v.t("form.private"), tuple(_list_item(v, i) for i in private))]


def _assign_form(v: _View) -> list[Block]:
    """The facilitator hands a role to a participant (or takes it from someone)."""
    s = v.s
    roles = tuple(
        Option(r.id, r.name.get(v.lang)) for r in s.protocol.roles if r.assign != "everyone_else"
    )
    people = tuple(Option(u, name) for u, name in s.participants.items())
    inputs = (
        ChoiceInput("role", v.t("form.role"), roles),
        ChoiceInput("user", v.t("form.person"), people),
    )
    return [Form(Action.ASSIGN, v.t("form.roles"), v.t("form.send"), inputs)]


def _report_forms(v: _View, user: str) -> list[Block]:
    s = v.s
    statuses = tuple(Option(k, v.t(f"report.{k}")) for k in ("done", "partly", "not_yet"))
    decisions = tuple(Option(k, v.t(f"settled.{k}")) for k in ("drop", "rephrase", "keep"))
    forms: list[Block] = []
    for a in s.open_actions:
        if a.owner != user:
            continue
        inputs: tuple[Input, ...]
        if s.to_settle(a):
            inputs = (
                ChoiceInput("decision", v.t("form.settle_decision"), decisions),
                TextInput("text", v.t("form.settle_text"), required=False),
                DateInput("due", v.t("form.settle_due")),
            )
            forms.append(
                Form(Action.SETTLE_ACTION, a.text, v.t("form.send"), inputs, value=a.action_id)
            )
        elif a.action_id not in s.reports:
            inputs = (
                ChoiceInput("status", v.t("form.report_status"), statuses),
                TextInput("note", v.t("form.report_note"), required=False),
            )
            forms.append(
                Form(Action.REPORT_ACTION, a.text, v.t("form.send"), inputs, value=a.action_id)
            )
    return forms


def _plain(text: str) -> Message:
    return Message(text=text, blocks=(Paragraph(text),))


# -- dates in the team's language ------------------------------------------------------

_DAYS = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def format_day(day: date, language: str) -> str:
    return f"{_DAYS[language][day.weekday()]} {day.day} {_MONTHS[language][day.month - 1]}"


def format_moment(moment: datetime, timezone: str, language: str) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{format_day(local.date(), language)} {local:%H:%M}"
