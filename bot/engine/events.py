"""What happened in a round: the append-only log the state is folded from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

# The three sources teachers learn from (PROTOCOLS.md), as a reflection names them.
LearningSource = Literal["practice", "colleagues", "theory"]
LEARNING_SOURCES: tuple[LearningSource, ...] = ("practice", "colleagues", "theory")


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    at: AwareDatetime


class OpenAction(BaseModel):
    """An action point agreed in an earlier round, still open when this one starts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action_id: str
    text: str
    owner: str
    owner_name: str
    due: date
    # What its owner reported the last time it came back, so the report is kept.
    last_status: Literal["partly", "not_yet"] | None = None
    last_note: str = ""
    # How often its owner has reported "not yet" so far.
    not_yet_reports: int = 0


class RoundStarted(_Event):
    kind: Literal["round_started"] = "round_started"
    round_id: str
    protocol: dict[str, Any]
    mode: Literal["live", "async"]
    language: Literal["nl", "en"]
    timezone: str
    started_by: str
    starter_name: str = ""
    scheduled: bool = False
    open_actions: list[OpenAction] = Field(default_factory=list)
    # For rotation: when each team member last held each role (absent: never).
    role_history: dict[str, dict[str, datetime]] = Field(default_factory=dict)


class ParticipantJoined(_Event):
    kind: Literal["participant_joined"] = "participant_joined"
    user: str
    name: str


class RoleAssigned(_Event):
    kind: Literal["role_assigned"] = "role_assigned"
    role: str
    user: str
    how: Literal[
        "starter", "volunteer", "rotation", "vote", "facilitator", "handed_over", "took_over"
    ]


class ParticipantLeft(_Event):
    """Someone left the round: their roles were released just before (events of
    their own), and no step waits for them any more."""

    kind: Literal["participant_left"] = "participant_left"
    user: str


class QuestionReturned(_Event):
    """The facilitator found a question to be advice in disguise: it went back to its
    author (privately) and no longer counts in the round. Its text stays where it was
    written (the contribution's event)."""

    kind: Literal["question_returned"] = "question_returned"
    item_id: str
    by: str


class RoleReleased(_Event):
    kind: Literal["role_released"] = "role_released"
    role: str
    user: str


class StepStarted(_Event):
    kind: Literal["step_started"] = "step_started"
    index: int
    step_id: str
    deadline: AwareDatetime


class ContributionAdded(_Event):
    kind: Literal["contribution_added"] = "contribution_added"
    item_id: str
    step_id: str
    user: str
    text: str


class VoteCast(_Event):
    kind: Literal["vote_cast"] = "vote_cast"
    step_id: str
    user: str
    item_ids: list[str]


class VoteClosed(_Event):
    kind: Literal["vote_closed"] = "vote_closed"
    step_id: str
    winner: str | None
    tally: dict[str, int]


class ResponseGiven(_Event):
    kind: Literal["response_given"] = "response_given"
    step_id: str
    item_id: str
    user: str
    text: str
    label: str | None = None


class PicksMade(_Event):
    kind: Literal["picks_made"] = "picks_made"
    step_id: str
    user: str
    item_ids: list[str]


class Acknowledged(_Event):
    kind: Literal["acknowledged"] = "acknowledged"
    step_id: str
    user: str


class TurnPassed(_Event):
    kind: Literal["turn_passed"] = "turn_passed"
    step_id: str
    # Index into the step's turn order of whoever has the floor now.
    turn: int


class ActionAdded(_Event):
    kind: Literal["action_added"] = "action_added"
    action_id: str
    step_id: str
    text: str
    owner: str
    due: date
    by: str


class ActionReported(_Event):
    kind: Literal["action_reported"] = "action_reported"
    action_id: str
    status: Literal["done", "partly", "not_yet"]
    note: str
    by: str


class ActionSettled(_Event):
    """The owner of an action that keeps coming back "not yet" decided what to do."""

    kind: Literal["action_settled"] = "action_settled"
    action_id: str
    decision: Literal["drop", "rephrase", "keep"]
    # The new wording and date, when rephrased (the date also when kept).
    text: str = ""
    due: date | None = None
    by: str


class Reflected(_Event):
    kind: Literal["reflected"] = "reflected"
    step_id: str
    user: str
    rating: int
    text: str
    # Which sources of learning the person named; counted by the insights.
    sources: list[LearningSource] = Field(default_factory=list)


class StepExtended(_Event):
    kind: Literal["step_extended"] = "step_extended"
    step_id: str
    deadline: AwareDatetime


class StepReminded(_Event):
    """The clock reminded people: half-way and near the deadline (async, those whose
    part is missing), or shortly before time is up (live, the facilitator)."""

    kind: Literal["step_reminded"] = "step_reminded"
    step_id: str
    stage: Literal["half", "final", "nearly_up"]
    users: list[str]


class StepTimeUp(_Event):
    kind: Literal["step_time_up"] = "step_time_up"
    step_id: str


class StepEnded(_Event):
    kind: Literal["step_ended"] = "step_ended"
    step_id: str
    reason: Literal["advanced", "complete", "deadline"]


class RoundPaused(_Event):
    kind: Literal["round_paused"] = "round_paused"
    remaining_seconds: int


class RoundResumed(_Event):
    kind: Literal["round_resumed"] = "round_resumed"
    deadline: AwareDatetime | None


class RoundFinished(_Event):
    kind: Literal["round_finished"] = "round_finished"


class RoundCancelled(_Event):
    kind: Literal["round_cancelled"] = "round_cancelled"
    by: str


class ParticipantErased(_Event):
    """A person was erased: the events before this one were redacted in place (their
    texts tombstoned, their id replaced by `user`, a pseudonym). Folds change nothing;
    the event marks where the log was rewritten, so cached folds are rebuilt."""

    kind: Literal["participant_erased"] = "participant_erased"
    user: str


Event = Annotated[
    RoundStarted
    | ParticipantJoined
    | ParticipantLeft
    | QuestionReturned
    | RoleAssigned
    | RoleReleased
    | StepStarted
    | ContributionAdded
    | VoteCast
    | VoteClosed
    | ResponseGiven
    | PicksMade
    | Acknowledged
    | TurnPassed
    | ActionAdded
    | ActionReported
    | ActionSettled
    | Reflected
    | StepExtended
    | StepReminded
    | StepTimeUp
    | StepEnded
    | RoundPaused
    | RoundResumed
    | RoundFinished
    | RoundCancelled
    | ParticipantErased,
    Field(discriminator="kind"),
]

_EVENT = TypeAdapter(Event)


def event_from_payload(payload: dict[str, Any]) -> Event:
    """Read back an event stored as JSON (the storage keeps kind and payload)."""
    event: Event = _EVENT.validate_python(payload)
    return event


def event_to_payload(event: Event) -> dict[str, Any]:
    payload: dict[str, Any] = event.model_dump(mode="json")
    return payload
