"""The state of one round, folded from its events, and the questions asked of it."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from bot.engine import events as ev
from bot.i18n import Language
from protocols.schema import (
    CASE_OWNER,
    EVERYONE,
    FACILITATOR,
    SUPPORTING_ROLES,
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

# The third "not yet" on one action asks its owner to drop or rephrase it.
NOT_YET_LIMIT = 3

Status = Literal["gathering", "running", "paused", "finished", "cancelled"]


@dataclass(frozen=True)
class Item:
    """A text contributed in a collect, speak or round-robin step."""

    id: str
    step_id: str
    author: str
    text: str
    at: datetime
    # Changed by its author after it was first written.
    edited: bool = False


@dataclass(frozen=True)
class Offer:
    """A role offered privately to the author of the item a vote chose."""

    step_id: str
    item_id: str
    role: str
    user: str


@dataclass(frozen=True)
class Response:
    item_id: str
    user: str
    text: str
    label: str | None


@dataclass(frozen=True)
class ActionPoint:
    action_id: str
    step_id: str
    text: str
    owner: str
    due: date


@dataclass(frozen=True)
class Report:
    status: Literal["done", "partly", "not_yet"]
    note: str
    by: str


@dataclass(frozen=True)
class Reflection:
    rating: int
    text: str
    sources: tuple[str, ...] = ()


@dataclass
class RoundState:
    round_id: str
    protocol: Protocol
    mode: Literal["live", "async"]
    language: Language
    timezone: str
    started_by: str
    started_at: datetime
    starter_name: str = ""
    scheduled: bool = False
    status: Status = "gathering"
    # user -> display name, in the order people joined (turn order follows it).
    participants: dict[str, str] = field(default_factory=dict)
    # Those who left, with the name they went by (their words stay, and their name).
    former: dict[str, str] = field(default_factory=dict)
    # role -> holders; `everyone_else` roles are derived, never stored here.
    roles: dict[str, list[str]] = field(default_factory=dict)
    step_index: int = -1
    deadline: datetime | None = None
    time_up: bool = False
    # Reminder stages already sent for the current step (see `timers`).
    reminded: set[str] = field(default_factory=set)
    remaining_when_paused: int | None = None
    ended_steps: set[str] = field(default_factory=set)
    items: list[Item] = field(default_factory=list)
    # How many items were ever added: ids stay unique when one leaves the round.
    item_seq: int = 0
    # Questions the facilitator returned to their authors as advice in disguise.
    returned: dict[str, Item] = field(default_factory=dict)
    votes: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    vote_results: dict[str, tuple[str | None, dict[str, int]]] = field(default_factory=dict)
    # The role a vote gives, offered to the winning author and not yet answered.
    offer: Offer | None = None
    # Per vote step: the items whose authors did not take the role (in that order).
    declined: dict[str, list[str]] = field(default_factory=dict)
    responses: dict[str, Response] = field(default_factory=dict)
    picks: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    acks: dict[str, set[str]] = field(default_factory=dict)
    turns: dict[str, int] = field(default_factory=dict)
    actions: list[ActionPoint] = field(default_factory=list)
    open_actions: list[ev.OpenAction] = field(default_factory=list)
    reports: dict[str, Report] = field(default_factory=dict)
    # What owners decided for actions that kept coming back "not yet".
    settled: dict[str, str] = field(default_factory=dict)
    reflections: dict[str, dict[str, Reflection]] = field(default_factory=dict)
    role_history: dict[str, dict[str, datetime]] = field(default_factory=dict)
    finished_at: datetime | None = None
    version: int = 0

    # -- the round as a whole -------------------------------------------------

    @property
    def active(self) -> bool:
        return self.status in ("gathering", "running", "paused")

    @property
    def step(self) -> Step | None:
        if self.status in ("running", "paused") and 0 <= self.step_index < len(self.protocol.steps):
            return self.protocol.steps[self.step_index]
        return None

    def name(self, user: str) -> str:
        if user in self.participants:
            return self.participants[user]
        if user in self.former:
            return self.former[user]
        if user == self.started_by and self.starter_name:
            return self.starter_name
        return user

    def may_volunteer(self, role: Role) -> bool:
        """Whether a participant may take this role by offering to."""
        return role.assign == "volunteer" or (self.scheduled and role.assign == "starter")

    # -- roles ----------------------------------------------------------------

    @property
    def mode_roles(self) -> list[Role]:
        """The protocol's roles that exist in this round's mode (no timekeeper over days)."""
        return [r for r in self.protocol.roles if self.mode in r.modes]

    def holders(self, role_id: str) -> list[str]:
        """Who holds a role now, in join order."""
        role = self.protocol.role(role_id)
        if role is not None and role.assign == "everyone_else":
            return [u for u in self.participants if not self._stands_apart(u)]
        return list(self.roles.get(role_id, []))

    def roles_of(self, user: str) -> list[str]:
        return [r.id for r in self.mode_roles if user in self.holders(r.id)]

    def _stands_apart(self, user: str) -> bool:
        return any(
            user in holders and role not in SUPPORTING_ROLES for role, holders in self.roles.items()
        )

    def progress(self, action: ev.OpenAction) -> tuple[str, str]:
        """An action's latest report as (text key, note): this round's, else the
        one from the last time it came back ("report.last.<status>"), else none yet."""
        report = self.reports.get(action.action_id)
        if report is not None:
            return f"report.{report.status}", report.note
        if action.last_status is not None:
            return f"report.last.{action.last_status}", action.last_note
        return "report.open", ""

    def to_settle(self, action: ev.OpenAction) -> bool:
        """Whether its owner is asked now to drop or rephrase it: reported "not yet"
        in this round for the third time (or more), and not yet decided."""
        report = self.reports.get(action.action_id)
        return (
            report is not None
            and report.status == "not_yet"
            and action.not_yet_reports + 1 >= NOT_YET_LIMIT
            and action.action_id not in self.settled
        )

    def steers(self, user: str) -> bool:
        """The facilitator moves the round on; while nobody holds that role, whoever
        started it (unless they left)."""
        return user in self.steerers()

    def steerers(self) -> list[str]:
        """Who steers now: the facilitators who joined, else whoever started (a
        round planned by someone who is not there is steered by its planner), or
        nobody once the starter left without handing over."""
        facilitators = [u for u in self.roles.get(FACILITATOR, []) if u in self.participants]
        if facilitators:
            return facilitators
        return [] if self.started_by in self.former else [self.started_by]

    @property
    def leader_wanted(self) -> bool:
        """Whether the round needs someone to take over leading it: its facilitator
        is also its case owner, or nobody is left to steer. A method without the role
        (a lesson visit: its teacher steers) has nobody to hand it to."""
        if self.protocol.role(FACILITATOR) is None:
            return False
        steering = self.steerers()
        return not steering or (self.case_owner is not None and self.case_owner in steering)

    @property
    def case_owner(self) -> str | None:
        owners = self.roles.get(CASE_OWNER, [])
        return owners[0] if owners else None

    def actors(self, step: Step) -> list[str]:
        """Who may act in a step, in join order."""
        if EVERYONE in step.actors:
            return list(self.participants)
        chosen = {u for role in step.actors for u in self.holders(role)}
        return [u for u in self.participants if u in chosen]

    # -- items ------------------------------------------------------------------

    def items_of(self, step_id: str, author: str | None = None) -> list[Item]:
        return [
            i for i in self.items if i.step_id == step_id and (author is None or i.author == author)
        ]

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def next_item_id(self) -> str:
        return f"i{self.item_seq + 1}"

    def current_question(self, step: Step | None = None) -> Item | None:
        """In a respond step: the question answered next (the first unanswered one
        its actors may read). A line in the chat without a reply answers this one."""
        step = step or self.step
        if not isinstance(step, RespondStep):
            return None
        readers = self.actors(step)
        for item in self.items_of(step.source):
            if item.id in self.responses:
                continue
            if not readers or any(self.may_see(item, u) for u in readers):
                return item
        return None

    def listens_only(self, step: Step, user: str) -> bool:
        """Whether the person only reads along in this step (a `listeners` role)."""
        return user not in self.actors(step) and any(
            user in self.holders(role) for role in step.listeners
        )

    @property
    def has_content(self) -> bool:
        """Whether people wrote, chose or agreed anything in this round yet."""
        return bool(
            self.items
            or self.responses
            or self.votes
            or self.picks
            or self.actions
            or self.reports
            or self.reflections
        )

    def left_empty(self, step: Step) -> Step | None:
        """The later step that would go wrong if this one ended empty now: a vote or a
        pick with nothing to choose, or work on items the method expects (questions
        to answer). An optional step (a second question round) may stay empty."""
        if self.items_of(step.id):
            return None
        expected = _required_items(step, self.mode) > 0
        for later in self.protocol.steps[self.protocol.steps.index(step) + 1 :]:
            if getattr(later, "source", None) != step.id:
                continue
            if expected or isinstance(later, VoteStep | PickStep):
                return later
        return None

    def for_case_owner(self, item: Item) -> bool:
        """Whether an item is meant for the case owner alone (and its author)."""
        step = self.protocol.step(item.step_id)
        return isinstance(step, CollectStep) and step.visibility == "case_owner"

    def may_see(self, item: Item, viewer: str | None) -> bool:
        """Whether a viewer (None: the whole channel) may read an item now."""
        if viewer is not None and viewer == item.author:
            return True
        if self.for_case_owner(item):
            return viewer is not None and viewer == self.case_owner
        step = self.protocol.step(item.step_id)
        if isinstance(step, CollectStep) and step.visibility == "hidden":
            return item.step_id in self.ended_steps
        return True

    def shows_author(self, item: Item) -> bool:
        step = self.protocol.step(item.step_id)
        return not (isinstance(step, CollectStep) and step.anonymous)

    def asks_first(self, step: Step) -> bool:
        """Whether the role this vote gives is offered to the winner's author privately
        before anyone learns who it is: when the items it chooses from are anonymous."""
        if not isinstance(step, VoteStep) or not step.assigns_role:
            return False
        source = self.protocol.step(step.source)
        return isinstance(source, CollectStep) and source.anonymous

    def candidates(self, step: VoteStep) -> list[Item]:
        """What a vote chooses from: the source's items, less those whose author turned
        the role down. Only that item goes: taking away the author's other items too
        would tell everyone that they were written by one person."""
        declined = self.declined.get(step.id, [])
        return [i for i in self.items_of(step.source) if i.id not in declined]

    def turn_holder(self, step: Step) -> str | None:
        """In a live round-robin step: whose turn it is (None once all have had one)."""
        order = self.actors(step)
        turn = self.turns.get(step.id, 0)
        return order[turn] if turn < len(order) else None

    # -- what a step still needs (an async step closes when nothing is missing) --

    def missing(self, step: Step) -> list[str]:
        """The actors whose required part of this step is still missing."""
        actors = self.actors(step)
        match step:
            case CollectStep() | SpeakStep() | RoundRobinStep():
                need = _required_items(step, self.mode)
                return [u for u in actors if len(self.items_of(step.id, u)) < need]
            case VoteStep():
                if self.offer is not None or not self.candidates(step):
                    # Waiting for the author, whom no list may name; or nothing to vote on.
                    return []
                return [u for u in actors if u not in self.votes.get(step.id, {})]
            case RespondStep():
                answered = self.responses
                unanswered = [i for i in self.items_of(step.source) if i.id not in answered]
                return actors if unanswered else []
            case PickStep():
                return [u for u in actors if u not in self.picks.get(step.id, {})]
            case InstructionStep():
                if self.mode == "live" and not step.acknowledge:
                    return []
                return [u for u in actors if u not in self.acks.get(step.id, set())]
            case ActionsStep():
                waiting = set()
                if step.review_open:
                    waiting |= {
                        a.owner for a in self.open_actions if a.action_id not in self.reports
                    }
                if self.mode == "async":
                    # Async, each actor says when they are done recording.
                    waiting |= {u for u in actors if u not in self.acks.get(step.id, set())}
                elif len(self.actions_of(step.id)) < step.min_actions:
                    waiting |= set(actors)
                return [u for u in self.participants if u in waiting]
            case ReflectStep():
                return [u for u in actors if u not in self.reflections.get(step.id, {})]
        return []

    def actions_of(self, step_id: str) -> list[ActionPoint]:
        return [a for a in self.actions if a.step_id == step_id]

    def copy(self) -> RoundState:
        """A state that `_apply` may change without touching this one. Only the
        containers are new: what they hold (items, reports, names, times) is
        immutable and shared, as is the protocol. A deep copy of every value cost
        more than folding the event itself."""
        new = copy.copy(self)
        for name in _CONTAINERS:
            setattr(new, name, _fresh(getattr(self, name)))
        return new


def _fresh(value: Any) -> Any:
    """A copy of the dicts, lists and sets in a value, sharing everything else."""
    if isinstance(value, dict):
        return {key: _fresh(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_fresh(inner) for inner in value]
    if isinstance(value, set):
        return set(value)
    return value


# The state's fields that hold containers (dicts, lists, sets); the rest are values.
_CONTAINERS = tuple(
    f.name for f in dataclasses.fields(RoundState) if f.default_factory is not dataclasses.MISSING
)


def _required_items(step: Step, mode: str) -> int:
    if isinstance(step, CollectStep):
        return step.min_per_person
    if isinstance(step, SpeakStep):
        # Live, the speaker may talk in the call; async, writing is the talk.
        return max(1, step.min_per_person) if mode == "async" else step.min_per_person
    if isinstance(step, RoundRobinStep):
        return 1
    return 0


# -- evolve: the pure fold ---------------------------------------------------------


def fold(events: Iterable[ev.Event]) -> RoundState:
    """The state after a log of events; the first must be RoundStarted."""
    iterator = iter(events)
    first = next(iterator, None)
    if not isinstance(first, ev.RoundStarted):
        raise ValueError("a round's log begins with round_started")
    state = _started(first)
    for event in iterator:
        _apply(state, event)
    return state


def evolve(state: RoundState, event: ev.Event) -> RoundState:
    """The state after one more event; the given state is left as it was."""
    new = state.copy()
    _apply(new, event)
    return new


def _started(event: ev.RoundStarted) -> RoundState:
    return RoundState(
        round_id=event.round_id,
        protocol=Protocol.model_validate(event.protocol),
        mode=event.mode,
        language=event.language,
        timezone=event.timezone,
        started_by=event.started_by,
        started_at=event.at,
        starter_name=event.starter_name,
        scheduled=event.scheduled,
        open_actions=list(event.open_actions),
        role_history={role: dict(h) for role, h in event.role_history.items()},
        version=1,
    )


def _apply(s: RoundState, e: ev.Event) -> None:
    s.version += 1
    match e:
        case ev.RoundStarted():
            raise ValueError("round_started can only begin a log")
        case ev.ParticipantJoined(user=user, name=name):
            s.participants[user] = name
            s.former.pop(user, None)
        case ev.ParticipantLeft(user=user):
            s.former[user] = s.participants.pop(user, user)
        case ev.QuestionReturned(item_id=item_id):
            item = s.item(item_id)
            if item is not None:
                s.items.remove(item)
                s.returned[item_id] = item
        case ev.RoleAssigned(role=role, user=user):
            holders = s.roles.setdefault(role, [])
            if user not in holders:
                holders.append(user)
        case ev.RoleReleased(role=role, user=user):
            if user in s.roles.get(role, []):
                s.roles[role].remove(user)
        case ev.StepStarted(index=index, deadline=deadline):
            s.status = "running"
            s.step_index = index
            s.deadline = deadline
            s.time_up = False
            s.reminded = set()
        case ev.ContributionAdded():
            s.items.append(Item(e.item_id, e.step_id, e.user, e.text, e.at))
            s.item_seq += 1
        case ev.ContributionEdited(item_id=item_id, text=text):
            s.items = [
                dataclasses.replace(i, text=text, edited=True) if i.id == item_id else i
                for i in s.items
            ]
        case ev.ContributionWithdrawn(item_id=item_id):
            s.items = [i for i in s.items if i.id != item_id]
        case ev.VoteCast(step_id=step_id, user=user, item_ids=item_ids):
            s.votes.setdefault(step_id, {})[user] = list(item_ids)
        case ev.VoteClosed(step_id=step_id, winner=winner, tally=tally):
            s.vote_results[step_id] = (winner, dict(tally))
        case ev.RoleOffered():
            s.offer = Offer(e.step_id, e.item_id, e.role, e.user)
            s.deadline = e.deadline
            s.time_up = False
            s.reminded = set()
        case ev.OfferDeclined(step_id=step_id, item_id=item_id):
            s.offer = None
            s.declined.setdefault(step_id, []).append(item_id)
        case ev.OfferAccepted(step_id=step_id, item_id=item_id):
            _winner, tally = s.vote_results.get(step_id, (None, {}))
            s.vote_results[step_id] = (item_id, tally)
        case ev.VoteReopened(step_id=step_id, deadline=deadline):
            s.votes.pop(step_id, None)
            s.vote_results.pop(step_id, None)
            s.deadline = deadline
            s.time_up = False
            s.reminded = set()
        case ev.ResponseGiven():
            s.responses[e.item_id] = Response(e.item_id, e.user, e.text, e.label)
        case ev.PicksMade(step_id=step_id, user=user, item_ids=item_ids):
            s.picks.setdefault(step_id, {})[user] = list(item_ids)
        case ev.Acknowledged(step_id=step_id, user=user):
            s.acks.setdefault(step_id, set()).add(user)
        case ev.TurnPassed(step_id=step_id, turn=turn):
            s.turns[step_id] = turn
        case ev.ActionAdded():
            s.actions.append(ActionPoint(e.action_id, e.step_id, e.text, e.owner, e.due))
        case ev.ActionReported(action_id=action_id, status=status, note=note, by=by):
            s.reports[action_id] = Report(status, note, by)
        case ev.ActionSettled(action_id=action_id, decision=decision):
            s.settled[action_id] = decision
        case ev.Reflected(step_id=step_id, user=user, rating=rating, text=text, sources=sources):
            s.reflections.setdefault(step_id, {})[user] = Reflection(rating, text, tuple(sources))
        case ev.SteppedBack(index=index, step_id=step_id, deadline=deadline):
            # The step left keeps what was written in it; the one before opens again.
            s.step_index = index
            s.deadline = deadline
            s.time_up = False
            s.reminded = set()
            s.ended_steps.discard(step_id)
        case ev.StepExtended(deadline=deadline):
            s.deadline = deadline
            s.time_up = False
            s.reminded -= {"final", "nearly_up"}
        case ev.StepReminded(stage=stage):
            s.reminded.add(stage)
        case ev.StepTimeUp():
            s.time_up = True
        case ev.StepEnded(step_id=step_id):
            s.ended_steps.add(step_id)
            s.offer = None
        case ev.RoundPaused(remaining_seconds=remaining):
            s.status = "paused"
            s.remaining_when_paused = remaining
        case ev.RoundResumed(deadline=deadline):
            s.status = "running" if s.step_index >= 0 else "gathering"
            s.deadline = deadline
            s.remaining_when_paused = None
        case ev.RoundFinished(at=at):
            s.status = "finished"
            s.deadline = None
            s.finished_at = at
        case ev.RoundCancelled(at=at):
            s.status = "cancelled"
            s.deadline = None
            s.finished_at = at
        case ev.ParticipantErased():
            # The redaction is in the earlier events themselves.
            pass
