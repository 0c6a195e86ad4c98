"""What a protocol is: the pydantic v2 schema of one peer-learning method.

A protocol file is YAML; `protocols.loader` reads it, this schema checks its
shape, `protocols.checks` its meaning (references between steps and roles).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]

# A step's actors name declared roles, or this word for every participant.
EVERYONE = "everyone"

# Role ids with a meaning to the engine: the case owner alone answers and
# picks and receives `case_owner` items; the facilitator steers the round.
CASE_OWNER = "case_owner"
FACILITATOR = "facilitator"
# Roles that help the round along and still take part as one of "everyone
# else" (an advisor); any other role (case owner, teacher, ...) stands apart.
SUPPORTING_ROLES = frozenset({"facilitator", "timekeeper", "scribe"})


# More earlier steps than this in view at once is a recap of the whole round,
# not context: the card would bury the step's own prompt.
SHOWS_AT_MOST = 6


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text the bot shows, in Dutch and in English."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: Language) -> str:
        return self.nl if language == "nl" else self.en


class GroupSize(_Strict):
    min: int = Field(ge=1)
    max: int = Field(ge=1)


AssignHow = Literal["starter", "volunteer", "rotation", "vote", "everyone_else"]
"""How a role gets its holder.

starter: whoever started the round. volunteer: a participant who offers.
rotation: the team member who least recently held it. vote: the author of the
winning item of the vote step that names this role. everyone_else: every
participant without another role.
"""


class Role(_Strict):
    id: Identifier
    name: Text
    description: Text | None = None
    assign: AssignHow
    # A role that is not required may stay empty (the bot keeps time itself).
    required: bool = True


Visibility = Literal["open", "hidden", "case_owner"]
"""Who sees collected items while the step runs.

open: everyone at once. hidden: only the author, until the step ends, then
everyone. case_owner: the author and the case owner, also after the step.
"""


class _StepBase(_Strict):
    id: Identifier
    title: Text
    prompt: Text
    # Role ids, or "everyone". Who may act in this step.
    actors: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    # Length of the step in a live round (minutes) and in an async round (hours).
    minutes: int = Field(gt=0, le=600)
    hours: int = Field(default=24, gt=0, le=24 * 7 * 6)
    # An exchange (gossip, associations, designing together) is not done when
    # everyone has said the minimum: it stays open until the facilitator or
    # the deadline closes it.
    stays_open: bool = False
    # Tone and silence carry this step (gossip, associating, the talk after a
    # lesson): the bot suggests holding it live, on video, and keeps the record.
    best_spoken: bool = False
    # Roles that only read along in this step (the case owner while the group
    # gossips): what they write in the chat is not counted, and they are reminded.
    listeners: list[Identifier] = Field(default_factory=list)
    # Earlier steps (by id) whose outcome this step shows again, because the
    # method works on it here: the case, the questions with their answers, the
    # positions. `protocols.checks` says which steps can be shown.
    shows: list[Identifier] = Field(default_factory=list, max_length=SHOWS_AT_MOST)


class InstructionStep(_StepBase):
    """The bot posts guidance; optionally everyone acknowledges it."""

    kind: Literal["instruction"]
    acknowledge: bool = False


class SpeakStep(_StepBase):
    """A role has the floor. In chat, what the speaker writes is recorded."""

    kind: Literal["speak"]
    min_per_person: int = Field(default=0, ge=0)
    max_per_person: int = Field(default=10, ge=1, le=50)


class CollectStep(_StepBase):
    """The actors contribute texts."""

    kind: Literal["collect"]
    min_per_person: int = Field(default=1, ge=0)
    max_per_person: int = Field(default=5, ge=1, le=50)
    # In a live round, at most this many each, so the case owner has time to
    # answer them all (a question round of ten minutes holds about a dozen).
    live_max_per_person: int | None = Field(default=None, ge=1, le=50)
    visibility: Visibility = "open"
    anonymous: bool = False
    # The question round: a contribution must be a question (end in "?"), so
    # advice waits for its own step.
    questions_only: bool = False


class VoteStep(_StepBase):
    """Participants choose among the items of an earlier collect step."""

    kind: Literal["vote"]
    source: Identifier
    votes_per_person: int = Field(default=1, ge=1, le=10)
    # The author of the winning item takes this role.
    assigns_role: Identifier | None = None


class Label(_Strict):
    id: Identifier
    name: Text


class RespondStep(_StepBase):
    """A role answers the items of an earlier collect step, one by one."""

    kind: Literal["respond"]
    source: Identifier
    # When set, each answer carries one of these labels (warm / neutral / cold).
    labels: list[Label] = Field(default_factory=list)


class PickStep(_StepBase):
    """A role marks the items of an earlier step it finds most useful."""

    kind: Literal["pick"]
    source: Identifier
    min_picks: int = Field(default=1, ge=0)
    max_picks: int = Field(default=3, ge=1, le=20)


class RoundRobinStep(_StepBase):
    """Everyone in turn; the bot calls the next person."""

    kind: Literal["round_robin"]
    # When set, each person's own items of that step are shown at their turn.
    source: Identifier | None = None


class ActionsStep(_StepBase):
    """Action points with an owner and a due date, and the review of open ones."""

    kind: Literal["actions"]
    # Show the team's open action points and ask their owners for a report.
    review_open: bool = False
    min_actions: int = Field(default=0, ge=0)
    default_due_days: int = Field(default=14, gt=0, le=365)


class ReflectStep(_StepBase):
    """Everyone rates the round and says what they take away."""

    kind: Literal["reflect"]
    scale: int = Field(default=5, ge=2, le=10)


Step = Annotated[
    InstructionStep
    | SpeakStep
    | CollectStep
    | VoteStep
    | RespondStep
    | PickStep
    | RoundRobinStep
    | ActionsStep
    | ReflectStep,
    Field(discriminator="kind"),
]

STEP_KINDS: tuple[str, ...] = (
    "instruction",
    "speak",
    "collect",
    "vote",
    "respond",
    "pick",
    "round_robin",
    "actions",
    "reflect",
)

Mode = Literal["live", "async"]
_BOTH_MODES: tuple[Mode, ...] = ("live", "async")


class Protocol(_Strict):
    id: Identifier
    # Other names a user may type: `/dialoog start roddel` for `gossip`.
    aliases: list[Identifier] = Field(default_factory=list)
    version: int = Field(ge=1)
    title: Text
    summary: Text
    group_size: GroupSize
    modes: list[Mode] = Field(default_factory=lambda: list(_BOTH_MODES), min_length=1)
    roles: list[Role] = Field(min_length=1)
    ground_rules: list[Text] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)

    @property
    def live_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)

    @property
    def async_hours(self) -> int:
        return sum(step.hours for step in self.steps)

    def role(self, role_id: str) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def step_index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)
