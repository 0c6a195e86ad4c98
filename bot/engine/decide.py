"""decide(state, command, now) -> events: what a command does to a round, or why not."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine import timers
from bot.engine.errors import DomainError
from bot.engine.rules import question_rule
from bot.engine.state import Item, RoundState, evolve
from bot.engine.texts import TEXTS
from bot.i18n import Language, translate
from bot.words import listed, short_day
from protocols.schema import (
    EVERYONE,
    FACILITATOR,
    ActionsStep,
    CollectStep,
    InstructionStep,
    PickStep,
    Protocol,
    ReflectStep,
    RespondStep,
    Role,
    RoundRobinStep,
    SpeakStep,
    Step,
    VoteStep,
)

Events = list[ev.Event]
Reason = Literal["advanced", "complete", "deadline"]


def decide(state: RoundState | None, command: cmd.Command, now: datetime) -> Events:
    """The events a command leads to. Raises DomainError when it is refused."""
    if isinstance(command, cmd.StartRound):
        if state is not None:
            raise DomainError("already_started")
        return _start(command, now)
    if state is None:
        raise DomainError("no_round")
    if isinstance(command, cmd.Tick):
        return _tick(state, now)
    if not state.active:
        raise DomainError("round_over")
    return _decide_active(state, command, now)


def _decide_active(s: RoundState, c: cmd.Command, now: datetime) -> Events:
    match c:
        case cmd.Join():
            return _join(s, c, now)
        case cmd.Volunteer():
            return _volunteer(s, c, now)
        case cmd.AssignRole():
            return _assign(s, c, now)
        case cmd.Contribute():
            return _contribute(s, c, now)
        case cmd.Edit():
            return _edit(s, c, now)
        case cmd.Withdraw():
            return _withdraw(s, c, now)
        case cmd.Vote():
            return _vote(s, c, now)
        case cmd.AnswerOffer():
            return _answer_offer(s, c, now)
        case cmd.SkipOffer():
            return _skip_offer(s, c, now)
        case cmd.Respond():
            return _respond(s, c, now)
        case cmd.Pick():
            return _pick(s, c, now)
        case cmd.Acknowledge():
            return _acknowledge(s, c, now)
        case cmd.NextTurn():
            return _next_turn(s, c, now)
        case cmd.AddAction():
            return _add_action(s, c, now)
        case cmd.ReportAction():
            return _report_action(s, c, now)
        case cmd.SettleAction():
            return _settle_action(s, c, now)
        case cmd.Reflect():
            return _reflect(s, c, now)
        case cmd.Several():
            return _several(s, c, now)
        case cmd.Advance():
            return _advance(s, c, now)
        case cmd.Back():
            return _back(s, c, now)
        case cmd.Extend():
            return _extend(s, c, now)
        case cmd.Pause():
            return _pause(s, c, now)
        case cmd.Resume():
            return _resume(s, c, now)
        case cmd.Cancel():
            return _cancel(s, c, now)
        case cmd.Say():
            return chat_line(s, c, now)
        case cmd.ReturnQuestion():
            return _return_question(s, c, now)
        case cmd.Leave():
            return _leave(s, c, now)
        case cmd.HandOver():
            return _hand_over(s, c, now)
        case cmd.TakeOver():
            return _take_over(s, c, now)
        case cmd.StartRound() | cmd.Tick():
            raise AssertionError("handled by decide()")


# -- starting, joining, roles ------------------------------------------------------


def _start(c: cmd.StartRound, now: datetime) -> Events:
    protocol = Protocol.model_validate(c.protocol)
    events: Events = [
        ev.RoundStarted(
            at=now,
            round_id=c.round_id,
            protocol=protocol.model_dump(mode="json"),
            mode=c.mode,
            language=c.language,
            timezone=c.timezone,
            started_by=c.user,
            starter_name=c.name,
            scheduled=c.scheduled,
            open_actions=c.open_actions,
            role_history=c.role_history,
        )
    ]
    if c.scheduled:
        return events
    events.append(ev.ParticipantJoined(at=now, user=c.user, name=c.name))
    events += [
        ev.RoleAssigned(at=now, role=role.id, user=c.user, how="starter")
        for role in protocol.roles
        if role.assign == "starter" and c.mode in role.modes
    ]
    return events


def _join(s: RoundState, c: cmd.Join, now: datetime) -> Events:
    if c.user in s.participants:
        raise DomainError("already_joined")
    return [ev.ParticipantJoined(at=now, user=c.user, name=c.name)]


def _volunteer(s: RoundState, c: cmd.Volunteer, now: datetime) -> Events:
    _joined(s, c.user)
    role = _role(s, c.role)
    if not s.may_volunteer(role):
        how = _said(f"assign.{role.assign}")
        raise DomainError("role_not_volunteer", role=_lower(role.name.get), how=how)
    holders = s.holders(role.id)
    if c.user in holders:
        raise DomainError("already_holds_role", role=_lower(role.name.get))
    if holders:
        raise DomainError("role_taken", holder=s.name(holders[0]), role=_lower(role.name.get))
    return [ev.RoleAssigned(at=now, role=role.id, user=c.user, how="volunteer")]


def _assign(s: RoundState, c: cmd.AssignRole, now: datetime) -> Events:
    _steering(s, c.user)
    role = _role(s, c.role)
    if role.assign == "everyone_else":
        how = _said("assign.everyone_else")
        raise DomainError("role_not_volunteer", role=_lower(role.name.get), how=how)
    if c.to not in s.participants:
        raise DomainError("not_a_participant", user=c.to)
    holders = s.holders(role.id)
    if c.to in holders:
        raise DomainError("already_holds_role", role=_lower(role.name.get))
    if role.id == FACILITATOR:
        if c.to == s.case_owner:
            raise DomainError("case_owner_leads")
        # Giving someone the facilitator role is handing the lead over.
        return _lead(s, c.to, "handed_over", now)
    events: Events = [ev.RoleReleased(at=now, role=role.id, user=u) for u in holders]
    events.append(ev.RoleAssigned(at=now, role=role.id, user=c.to, how="facilitator"))
    return events


def _hand_over(s: RoundState, c: cmd.HandOver, now: datetime) -> Events:
    _steering(s, c.user)
    role = _role(s, FACILITATOR)
    if c.to not in s.participants:
        raise DomainError("not_a_participant", user=c.to)
    if c.to in s.holders(role.id):
        raise DomainError("already_holds_role", role=_lower(role.name.get))
    if c.to == s.case_owner:
        raise DomainError("case_owner_leads")
    return _lead(s, c.to, "handed_over", now)


def _take_over(s: RoundState, c: cmd.TakeOver, now: datetime) -> Events:
    _joined(s, c.user)
    role = _role(s, FACILITATOR)
    if not s.leader_wanted:
        raise DomainError("leader_present", facilitator=s.name(s.steerers()[0]))
    if c.user == s.case_owner:
        raise DomainError("case_owner_leads")
    if c.user in s.holders(role.id):
        raise DomainError("already_holds_role", role=_lower(role.name.get))
    return _lead(s, c.user, "took_over", now)


def _lead(
    s: RoundState, user: str, how: Literal["handed_over", "took_over"], now: datetime
) -> Events:
    events: Events = [
        ev.RoleReleased(at=now, role=FACILITATOR, user=u) for u in s.holders(FACILITATOR)
    ]
    events.append(ev.RoleAssigned(at=now, role=FACILITATOR, user=user, how=how))
    return events


def _leave(s: RoundState, c: cmd.Leave, now: datetime) -> Events:
    """Someone leaves: their roles go, and no step waits for them any more (an async
    step that waited only for them closes)."""
    _joined(s, c.user)
    events: Events = [
        ev.RoleReleased(at=now, role=role, user=c.user)
        for role, holders in s.roles.items()
        if c.user in holders
    ]
    events.append(ev.ParticipantLeft(at=now, user=c.user))
    step = s.step
    if isinstance(step, RoundRobinStep) and s.mode == "live":
        order, turn = s.actors(step), s.turns.get(step.id, 0)
        if c.user in order and order.index(c.user) < turn:
            # One place fewer before the floor: whoever has it keeps it.
            events.append(ev.TurnPassed(at=now, step_id=step.id, turn=turn - 1))
    if s.status != "running":
        return events
    return _and_maybe_close(s, events, now)


# -- moving the round on ---------------------------------------------------------


def _advance(s: RoundState, c: cmd.Advance, now: datetime) -> Events:
    _steering(s, c.user)
    _not_paused(s)
    if s.offer is not None:
        raise DomainError("offer_pending")
    current = s.step.id if s.step else None
    if c.step_id is not None and c.step_id != (current or ""):
        # A second click on the same "next step" button: the first one won.
        raise DomainError("stale_step", step=_current_title(s))
    step = s.step
    later = s.left_empty(step) if step is not None and not c.confirmed else None
    if step is not None and later is not None:
        raise DomainError("confirm_advance", step=step.title.get, later=later.title.get)
    return _move_on(s, now, reason="advanced", by_hand=True)


def _back(s: RoundState, c: cmd.Back, now: datetime) -> Events:
    """One step back. What was written in the step left stays (it is there again
    when the round comes back to it); the step before runs again with its own time."""
    _steering(s, c.user)
    step = _running_step(s)
    if c.step_id is not None and c.step_id != step.id:
        raise DomainError("stale_step", step=_current_title(s))
    if s.step_index == 0:
        raise DomainError("no_step_before")
    index = s.step_index - 1
    before = s.protocol.steps[index]
    return [
        ev.SteppedBack(
            at=now,
            from_step=step.id,
            index=index,
            step_id=before.id,
            deadline=_deadline(s, before, now),
            by=c.user,
        )
    ]


def _move_on(s: RoundState, now: datetime, *, reason: Reason, by_hand: bool) -> Events:
    """End the current step (if any) and start the next; async rounds skip steps
    that have nothing left to wait for."""
    step = s.step
    if step is None:
        return _next_step(s, now, by_hand=by_hand)
    closing = _end_step(s, step, now, reason)
    after = _applied(s, closing)
    if after.offer is not None:
        # The vote's winner is asked first; their answer moves the round on.
        return closing
    return closing + _next_step(after, now, by_hand=by_hand)


def _next_step(s: RoundState, now: datetime, *, by_hand: bool) -> Events:
    """Start the step after the current one (or finish the round)."""
    index = s.step_index + 1
    if index >= len(s.protocol.steps):
        return [ev.RoundFinished(at=now)]
    events: Events = []
    state = s
    if index == 0:
        events += _rotation(state, now)
        state = _applied(state, events)
    nxt = state.protocol.steps[index]
    if by_hand:
        _roles_filled(state, nxt)
    started = ev.StepStarted(
        at=now, index=index, step_id=nxt.id, deadline=_deadline(state, nxt, now)
    )
    events.append(started)
    state = evolve(state, started)
    if state.mode == "live" or nxt.stays_open or state.missing(nxt):
        return events
    return events + _move_on(state, now, reason="complete", by_hand=False)


def _end_step(s: RoundState, step: Step, now: datetime, reason: Reason) -> Events:
    events: Events = []
    if isinstance(step, VoteStep):
        winner, tally = _count(s, step)
        events.append(ev.VoteClosed(at=now, step_id=step.id, winner=winner, tally=tally))
        item = s.item(winner) if winner else None
        if step.assigns_role and item is not None and s.asks_first(step):
            # Anonymous items: the author hears it first, privately, and may say no.
            return [*events, _offer(s, step, item, now)]
        if step.assigns_role and item is not None:
            events += _give_role(s, step.assigns_role, item.author, now)
    events.append(ev.StepEnded(at=now, step_id=step.id, reason=reason))
    return events


def _give_role(s: RoundState, role: str, user: str, now: datetime) -> Events:
    """The vote's role to the winner's author, from whoever held it before."""
    events: Events = [
        ev.RoleReleased(at=now, role=role, user=u) for u in s.holders(role) if u != user
    ]
    if user not in s.holders(role):
        events.append(ev.RoleAssigned(at=now, role=role, user=user, how="vote"))
    return events


def _count(s: RoundState, step: VoteStep) -> tuple[str | None, dict[str, int]]:
    """Most votes wins; a tie goes to the item proposed first."""
    candidates = s.candidates(step)
    tally = {item.id: 0 for item in candidates}
    for chosen in s.votes.get(step.id, {}).values():
        for item_id in chosen:
            if item_id in tally:
                tally[item_id] += 1
    if not candidates:
        return None, tally
    winner = max(candidates, key=lambda i: (tally[i.id], -candidates.index(i)))
    return winner.id, tally


def _rotation(s: RoundState, now: datetime) -> Events:
    """Give each empty rotation role to the participant who least recently held it."""
    events: Events = []
    taken: set[str] = {u for holders in s.roles.values() for u in holders}
    for role in s.mode_roles:
        if role.assign != "rotation" or s.holders(role.id):
            continue
        history = s.role_history.get(role.id, {})
        free = [u for u in s.participants if u not in taken] or list(s.participants)
        if not free:
            continue
        order = list(s.participants)
        never = datetime.min.replace(tzinfo=now.tzinfo)
        chosen = min(free, key=lambda u: (history.get(u, never), order.index(u)))
        events.append(ev.RoleAssigned(at=now, role=role.id, user=chosen, how="rotation"))
        taken.add(chosen)
    return events


def _roles_filled(s: RoundState, step: Step) -> None:
    for role_id in step.actors:
        if role_id == EVERYONE:
            continue
        role = s.protocol.role(role_id)
        if role in s.mode_roles and role.required and not s.holders(role_id):
            how = _said("missing.volunteer" if role.assign == "volunteer" else "missing.assign")
            raise DomainError("role_missing", role=_lower(role.name.get), how=how)


def _deadline(s: RoundState, step: Step, now: datetime) -> datetime:
    if s.mode == "live":
        return now + timedelta(minutes=step.minutes)
    return now + timedelta(hours=step.hours)


def _tick(s: RoundState, now: datetime) -> Events:
    stage = timers.due_stage(s, now)
    step = s.step
    if stage is None or step is None:
        return []
    if stage == "deadline":
        if s.offer is not None and isinstance(step, VoteStep):
            # No answer in time counts as a no, in both modes.
            return _declined(s, step, now, how="lapsed")
        if s.mode == "live":
            return [ev.StepTimeUp(at=now, step_id=step.id)]
        return _move_on(s, now, reason="deadline", by_hand=False)
    # nearly_up goes to whoever steers; half and final to whoever is still missing.
    users = s.steerers() if stage == "nearly_up" else s.missing(step)
    return [ev.StepReminded(at=now, step_id=step.id, stage=stage, users=users)]


def _extend(s: RoundState, c: cmd.Extend, now: datetime) -> Events:
    _steering(s, c.user)
    _not_paused(s)
    step = _running_step(s)
    if c.step_id is not None and c.step_id != step.id:
        raise DomainError("stale_step", step=_current_title(s))
    base = max(s.deadline or now, now)
    return [ev.StepExtended(at=now, step_id=step.id, deadline=base + timedelta(minutes=c.minutes))]


def _pause(s: RoundState, c: cmd.Pause, now: datetime) -> Events:
    _steering(s, c.user)
    if s.status == "paused":
        raise DomainError("already_paused")
    _running_step(s)
    remaining = max(0, int(((s.deadline or now) - now).total_seconds()))
    return [ev.RoundPaused(at=now, remaining_seconds=remaining)]


def _resume(s: RoundState, c: cmd.Resume, now: datetime) -> Events:
    _steering(s, c.user)
    if s.status != "paused":
        raise DomainError("not_paused")
    deadline = now + timedelta(seconds=s.remaining_when_paused or 0)
    return [ev.RoundResumed(at=now, deadline=deadline)]


def _cancel(s: RoundState, c: cmd.Cancel, now: datetime) -> Events:
    _steering(s, c.user)
    if not c.confirmed and s.has_content:
        raise DomainError("confirm_cancel")
    return [ev.RoundCancelled(at=now, by=c.user)]


# -- a role offered to the author of an anonymous item -------------------------------

# Live, the group waits in the call: the author has the vote's own minutes, at most this.
OFFER_LIVE_MAX = timedelta(minutes=3)


def _offer(s: RoundState, step: VoteStep, item: Item, now: datetime) -> ev.RoleOffered:
    assert step.assigns_role is not None
    if s.mode == "live":
        window = min(timedelta(minutes=step.minutes), OFFER_LIVE_MAX)
    else:
        window = timedelta(hours=step.hours)
    return ev.RoleOffered(
        at=now,
        step_id=step.id,
        item_id=item.id,
        role=step.assigns_role,
        user=item.author,
        deadline=now + window,
    )


def _answer_offer(s: RoundState, c: cmd.AnswerOffer, now: datetime) -> Events:
    _joined(s, c.user)
    step = _running_step(s)
    offer = s.offer
    if offer is None or offer.item_id != c.item_id or offer.user != c.user:
        raise DomainError("no_offer")
    assert isinstance(step, VoteStep)
    if not c.accept:
        return _declined(s, step, now, how="declined")
    events: Events = [ev.OfferAccepted(at=now, step_id=step.id, item_id=offer.item_id)]
    events += _give_role(s, offer.role, offer.user, now)
    events.append(ev.StepEnded(at=now, step_id=step.id, reason="complete"))
    return events + _next_step(_applied(s, events), now, by_hand=False)


def _skip_offer(s: RoundState, c: cmd.SkipOffer, now: datetime) -> Events:
    _steering(s, c.user)
    step = _running_step(s)
    if s.offer is None or s.offer.item_id != c.item_id:
        # A second click, or the author answered meanwhile.
        raise DomainError("no_offer_open")
    assert isinstance(step, VoteStep)
    return _declined(s, step, now, how="skipped")


def _declined(
    s: RoundState, step: VoteStep, now: datetime, *, how: Literal["declined", "lapsed", "skipped"]
) -> Events:
    """The offer is off: ask the author of the next item the group voted for, else
    let the group vote again over what is left."""
    assert s.offer is not None
    events: Events = [ev.OfferDeclined(at=now, step_id=step.id, item_id=s.offer.item_id, how=how)]
    after = _applied(s, events)
    _winner, tally = after.vote_results.get(step.id, (None, {}))
    # sorted() is stable: among equal votes the item proposed first comes first.
    voted = sorted(
        (i for i in after.candidates(step) if tally.get(i.id, 0) > 0), key=lambda i: -tally[i.id]
    )
    if voted:
        return [*events, _offer(after, step, voted[0], now)]
    events.append(ev.VoteReopened(at=now, step_id=step.id, deadline=_deadline(after, step, now)))
    return _and_maybe_close(s, events, now)


# -- a line in the chat, and questions that are advice ------------------------------------


def chat_line(s: RoundState, c: cmd.Say, now: datetime) -> Events:
    """A line written in the chat counts by the same rules as the step's form: a
    contribution of an actor, the case owner's answer to the question it replies to
    (else the one up next), refused where the form would refuse it; anything else is
    conversation (no events)."""
    step = s.step
    if c.user not in s.participants or s.status != "running" or step is None:
        return []
    if s.listens_only(step, c.user):
        raise DomainError("listening_only", step=step.title.get)
    if c.user not in s.actors(step):
        if isinstance(step, RespondStep) and _is_question_round(s, step.source):
            # The information round: the others only ask, by the question round's rule.
            question_rule(c.text.strip())
        return []
    match step:
        case CollectStep() | SpeakStep() | RoundRobinStep():
            return _contribute(s, cmd.Contribute(user=c.user, text=c.text, step_id=step.id), now)
        case RespondStep():
            if step.labels:
                raise DomainError("answer_needs_label")
            question = s.item(c.reply_to) if c.reply_to else s.current_question(step)
            if question is None:
                return []
            answer = cmd.Respond(user=c.user, item_id=question.id, text=c.text, step_id=step.id)
            return _respond(s, answer, now)
    return []


def _is_question_round(s: RoundState, step_id: str) -> bool:
    source = s.protocol.step(step_id)
    return isinstance(source, CollectStep) and source.questions_only


def _return_question(s: RoundState, c: cmd.ReturnQuestion, now: datetime) -> Events:
    _steering(s, c.user)
    item = s.item(c.item_id)
    if item is None or not _is_question_round(s, item.step_id) or not s.may_see(item, c.user):
        raise DomainError("unknown_item")
    if item.id in s.responses:
        raise DomainError("already_answered")
    returned = ev.QuestionReturned(at=now, item_id=item.id, by=c.user)
    return _and_maybe_close(s, [returned], now) if s.status == "running" else [returned]


# -- taking part in a step -------------------------------------------------------------


def _contribute(s: RoundState, c: cmd.Contribute, now: datetime) -> Events:
    step = _acting_step(s, c.user, c.step_id, (CollectStep, SpeakStep, RoundRobinStep))
    text = _text(c.text)
    if isinstance(step, RoundRobinStep) and s.mode == "live":
        holder = s.turn_holder(step)
        if holder != c.user:
            raise DomainError("not_your_turn", name=s.name(holder) if holder else "-")
    count = len(s.items_of(step.id, c.user))
    if count >= _per_person_limit(step, s.mode):
        capped = isinstance(step, CollectStep) and count < step.max_per_person
        raise DomainError("live_cap_reached" if capped else "limit_reached", count=count)
    if isinstance(step, CollectStep) and step.questions_only:
        question_rule(text)
    item_id = s.next_item_id()
    added = ev.ContributionAdded(at=now, item_id=item_id, step_id=step.id, user=c.user, text=text)
    return _and_maybe_close(s, [added], now)


def _several(s: RoundState, c: cmd.Several, now: datetime) -> Events:
    """Each part on the state the parts before it left; one refusal refuses all."""
    if not c.parts:
        raise DomainError("nothing_filled_in")
    events: Events = []
    state = s
    for part in c.parts:
        new = decide(state, part, now)
        events += new
        state = _applied(state, new)
    return events


def _edit(s: RoundState, c: cmd.Edit, now: datetime) -> Events:
    item, step = _own_item(s, c.user, c.item_id)
    text = _text(c.text)
    if isinstance(step, CollectStep) and step.questions_only:
        question_rule(text)
    if text == item.text:
        return []
    return [ev.ContributionEdited(at=now, item_id=item.id, step_id=step.id, user=c.user, text=text)]


def _withdraw(s: RoundState, c: cmd.Withdraw, now: datetime) -> Events:
    item, step = _own_item(s, c.user, c.item_id)
    return [ev.ContributionWithdrawn(at=now, item_id=item.id, step_id=step.id, user=c.user)]


def _own_item(s: RoundState, user: str, item_id: str) -> tuple[Item, Step]:
    """The author's own item, while its step still runs (later steps draw on it)."""
    _joined(s, user)
    step = _running_step(s)
    item = s.item(item_id)
    if item is None or item.author != user:
        raise DomainError("not_your_item")
    if item.step_id != step.id:
        raise DomainError("item_step_over")
    return item, step


def _per_person_limit(step: Step, mode: str) -> int:
    if isinstance(step, CollectStep) and mode == "live" and step.live_max_per_person:
        return step.live_max_per_person
    if isinstance(step, CollectStep | SpeakStep):
        return step.max_per_person
    return 5


def _vote(s: RoundState, c: cmd.Vote, now: datetime) -> Events:
    step = _acting_step(s, c.user, c.step_id, (VoteStep,))
    assert isinstance(step, VoteStep)
    if s.offer is not None:
        raise DomainError("vote_closed")
    candidates = {i.id for i in s.candidates(step)}
    if not candidates:
        raise DomainError("nothing_to_vote")
    chosen = list(dict.fromkeys(c.item_ids))
    if any(i not in candidates for i in chosen):
        raise DomainError("unknown_item")
    if len(chosen) > step.votes_per_person:
        raise DomainError("too_many_choices", limit=step.votes_per_person)
    cast = ev.VoteCast(at=now, step_id=step.id, user=c.user, item_ids=chosen)
    return _and_maybe_close(s, [cast], now)


def _respond(s: RoundState, c: cmd.Respond, now: datetime) -> Events:
    step = _acting_step(s, c.user, c.step_id, (RespondStep,))
    assert isinstance(step, RespondStep)
    _choices(s, step.source, [c.item_id])
    labels = [label.id for label in step.labels]
    if labels and c.label not in labels:
        raise DomainError("unknown_label", labels=", ".join(labels))
    if not labels and c.label is not None:
        raise DomainError("unknown_label", labels="-")
    text = _text(c.text) if not labels or c.text.strip() else ""
    given = ev.ResponseGiven(
        at=now, step_id=step.id, item_id=c.item_id, user=c.user, text=text, label=c.label
    )
    return _and_maybe_close(s, [given], now)


def _pick(s: RoundState, c: cmd.Pick, now: datetime) -> Events:
    step = _acting_step(s, c.user, c.step_id, (PickStep,))
    assert isinstance(step, PickStep)
    chosen = _choices(s, step.source, c.item_ids)
    if len(chosen) > step.max_picks:
        raise DomainError("too_many_choices", limit=step.max_picks)
    available = len(s.items_of(step.source))
    if len(chosen) < min(step.min_picks, available):
        raise DomainError("too_few_choices", limit=step.min_picks)
    made = ev.PicksMade(at=now, step_id=step.id, user=c.user, item_ids=chosen)
    return _and_maybe_close(s, [made], now)


def _acknowledge(s: RoundState, c: cmd.Acknowledge, now: datetime) -> Events:
    step = _acting_step(s, c.user, c.step_id, (InstructionStep, ActionsStep))
    if c.user in s.acks.get(step.id, set()):
        return []
    return _and_maybe_close(s, [ev.Acknowledged(at=now, step_id=step.id, user=c.user)], now)


def _next_turn(s: RoundState, c: cmd.NextTurn, now: datetime) -> Events:
    _joined(s, c.user)
    step = _running_step(s)
    if not isinstance(step, RoundRobinStep) or s.mode != "live":
        raise DomainError("no_turns")
    holder = s.turn_holder(step)
    if holder is None:
        raise DomainError("no_turns")
    if c.user != holder and not s.steers(c.user):
        raise DomainError("not_your_turn", name=s.name(holder))
    return [ev.TurnPassed(at=now, step_id=step.id, turn=s.turns.get(step.id, 0) + 1)]


def _add_action(s: RoundState, c: cmd.AddAction, now: datetime) -> Events:
    step = _acting_step(s, c.user, None, (ActionsStep,))
    assert isinstance(step, ActionsStep)
    text = _text(c.text)
    owner = c.owner or c.user
    if owner not in s.participants:
        raise DomainError("not_a_participant", user=owner)
    today = now.astimezone(ZoneInfo(s.timezone)).date()
    due = c.due or today + timedelta(days=step.default_due_days)
    if due < today:
        raise DomainError("due_in_past", due=_day(due))
    action_id = f"{s.round_id}-a{len(s.actions) + 1}"
    added = ev.ActionAdded(
        at=now, action_id=action_id, step_id=step.id, text=text, owner=owner, due=due, by=c.user
    )
    return _and_maybe_close(s, [added], now)


def _report_action(s: RoundState, c: cmd.ReportAction, now: datetime) -> Events:
    _joined(s, c.user)
    _not_paused(s)
    action = next((a for a in s.open_actions if a.action_id == c.action_id), None)
    if action is None:
        raise DomainError("unknown_action")
    if c.user != action.owner and not s.steers(c.user):
        raise DomainError("not_action_owner", owner=action.owner_name)
    note = c.note.strip()
    if len(note) > cmd.MAX_TEXT:
        raise DomainError("text_too_long", length=len(note), limit=cmd.MAX_TEXT)
    reported = ev.ActionReported(
        at=now, action_id=action.action_id, status=c.status, note=note, by=c.user
    )
    return _and_maybe_close(s, [reported], now) if s.step else [reported]


def _settle_action(s: RoundState, c: cmd.SettleAction, now: datetime) -> Events:
    _joined(s, c.user)
    _not_paused(s)
    action = next((a for a in s.open_actions if a.action_id == c.action_id), None)
    if action is None or not s.to_settle(action):
        raise DomainError("unknown_action")
    if c.user != action.owner:
        raise DomainError("not_action_owner", owner=action.owner_name)
    text = c.text.strip()
    if len(text) > cmd.MAX_TEXT:
        raise DomainError("text_too_long", length=len(text), limit=cmd.MAX_TEXT)
    if c.decision == "rephrase" and not text:
        raise DomainError("rephrase_needs_text")
    if c.due is not None and c.due < now.date():
        raise DomainError("due_in_past", due=_day(c.due))
    settled = ev.ActionSettled(
        at=now,
        action_id=action.action_id,
        decision=c.decision,
        text=text if c.decision == "rephrase" else "",
        due=c.due if c.decision != "drop" else None,
        by=c.user,
    )
    return [settled]


def _reflect(s: RoundState, c: cmd.Reflect, now: datetime) -> Events:
    step = _acting_step(s, c.user, None, (ReflectStep,))
    assert isinstance(step, ReflectStep)
    if not 1 <= c.rating <= step.scale:
        raise DomainError("rating_range", scale=step.scale)
    text = c.text.strip()
    if len(text) > cmd.MAX_TEXT:
        raise DomainError("text_too_long", length=len(text), limit=cmd.MAX_TEXT)
    sources = [s for s in ev.LEARNING_SOURCES if s in c.sources]
    reflected = ev.Reflected(
        at=now, step_id=step.id, user=c.user, rating=c.rating, text=text, sources=sources
    )
    return _and_maybe_close(s, [reflected], now)


# -- shared checks -------------------------------------------------------------------------


def _and_maybe_close(s: RoundState, events: Events, now: datetime) -> Events:
    """An async step closes as soon as every required contribution is in,
    unless it stays open until the facilitator or the deadline closes it."""
    if s.mode != "async":
        return events
    after = _applied(s, events)
    step = after.step
    if (
        step is None
        or step.stays_open
        or after.status != "running"
        or after.offer is not None
        or after.missing(step)
    ):
        return events
    return events + _move_on(after, now, reason="complete", by_hand=False)


def _acting_step(
    s: RoundState, user: str, step_id: str | None, kinds: tuple[type[Step], ...]
) -> Step:
    _joined(s, user)
    step = _running_step(s)
    if step_id is not None and step_id != step.id:
        raise DomainError("stale_step", step=_current_title(s))
    if not isinstance(step, kinds):
        kind = step.kind
        hint = _said(f"hint.{kind}")
        raise DomainError("wrong_step", step=step.title.get, hint=hint)
    if user not in s.actors(step):
        names = [r.name for r in s.protocol.roles if r.id in step.actors]
        roles: Callable[[Language], str] = lambda lang: ", ".join(  # noqa: E731
            n.get(lang).lower() for n in names
        )
        hint = _said("hint.listen")
        raise DomainError("not_your_part", roles=roles, hint=hint)
    return step


def _running_step(s: RoundState) -> Step:
    _not_paused(s)
    step = s.step
    if step is None:
        raise DomainError("not_started")
    return step


def _joined(s: RoundState, user: str) -> None:
    if user not in s.participants:
        raise DomainError("not_joined")


def _steering(s: RoundState, user: str) -> None:
    if not s.steers(user):
        steering = s.steerers()
        if not steering:
            raise DomainError("nobody_leads")
        raise DomainError("only_facilitator", facilitator=s.name(steering[0]))


def _not_paused(s: RoundState) -> None:
    if s.status == "paused":
        raise DomainError("round_paused")


def _role(s: RoundState, role_id: str) -> Role:
    role = s.protocol.role(role_id)
    if role is None or role not in s.mode_roles:
        raise DomainError("unknown_role", role=role_id, roles=listed(r.name for r in s.mode_roles))
    return role


def _choices(s: RoundState, source: str, item_ids: Sequence[str]) -> list[str]:
    valid = {i.id for i in s.items_of(source)}
    chosen = list(dict.fromkeys(item_ids))
    if any(i not in valid for i in chosen):
        raise DomainError("unknown_item")
    return chosen


def _text(text: str) -> str:
    clean = text.strip()
    if not clean:
        raise DomainError("empty_text")
    if len(clean) > cmd.MAX_TEXT:
        raise DomainError("text_too_long", length=len(clean), limit=cmd.MAX_TEXT)
    return clean


def _current_title(s: RoundState) -> Callable[[Language], str]:
    step = s.step
    if step is None:
        return _said("status.gathering")
    return step.title.get


def _day(day: date) -> Callable[[Language], str]:
    """A date as the reader's language writes it ("di 15 dec")."""
    return lambda lang: short_day(lang, day)


def _said(key: str) -> Callable[[Language], str]:
    """One of the engine's texts, in whichever language the message is read."""
    return lambda lang: translate(TEXTS, key, lang)


def _lower(text: Callable[[Language], str]) -> Callable[[Language], str]:
    return lambda lang: text(lang).lower()


def _applied(s: RoundState, events: Sequence[ev.Event]) -> RoundState:
    for event in events:
        s = evolve(s, event)
    return s
