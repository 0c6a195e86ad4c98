"""What people (and the clock) ask of a round. Each is decided against the state."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.engine.events import LearningSource, OpenAction

# Contributions are chat messages, not documents; Slack's own limit is 3000
# characters per text block, and a longer one would be split on every channel.
MAX_TEXT = 3000


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ByUser(_Command):
    user: str = Field(min_length=1)


class StartRound(_Command):
    kind: Literal["start"] = "start"
    round_id: str
    protocol: dict[str, object]
    mode: Literal["live", "async"] = "live"
    language: Literal["nl", "en"] = "nl"
    timezone: str = "Europe/Amsterdam"
    user: str
    name: str
    open_actions: list[OpenAction] = Field(default_factory=list)
    role_history: dict[str, dict[str, datetime]] = Field(default_factory=dict)
    # Started by the clock for a schedule: the one who planned it is not taken to
    # be there, and whoever joins may take the roles that go to the starter.
    scheduled: bool = False


class Join(_ByUser):
    kind: Literal["join"] = "join"
    name: str = Field(min_length=1, max_length=200)


class Volunteer(_ByUser):
    kind: Literal["volunteer"] = "volunteer"
    role: str


class AssignRole(_ByUser):
    """The facilitator gives a role to a participant."""

    kind: Literal["assign"] = "assign"
    role: str
    to: str


class Contribute(_ByUser):
    kind: Literal["contribute"] = "contribute"
    text: str
    # The step the person's form was opened for; a stale form is refused.
    step_id: str | None = None


class Edit(_ByUser):
    """The author changes their own contribution while its step runs."""

    kind: Literal["edit"] = "edit"
    item_id: str
    text: str


class Withdraw(_ByUser):
    """The author takes back their own contribution while its step runs."""

    kind: Literal["withdraw"] = "withdraw"
    item_id: str


class Vote(_ByUser):
    kind: Literal["vote"] = "vote"
    item_ids: list[str] = Field(min_length=1)
    step_id: str | None = None


class AnswerOffer(_ByUser):
    """The author of the item a vote chose says whether they take the role it gives."""

    kind: Literal["answer_offer"] = "answer_offer"
    item_id: str
    accept: bool


class SkipOffer(_ByUser):
    """The facilitator stops waiting for the author's answer: as if they declined."""

    kind: Literal["skip_offer"] = "skip_offer"
    item_id: str


class Respond(_ByUser):
    kind: Literal["respond"] = "respond"
    item_id: str
    text: str = ""
    label: str | None = None
    step_id: str | None = None


class Pick(_ByUser):
    kind: Literal["pick"] = "pick"
    item_ids: list[str]
    step_id: str | None = None


class Acknowledge(_ByUser):
    kind: Literal["acknowledge"] = "acknowledge"
    step_id: str | None = None


class NextTurn(_ByUser):
    kind: Literal["next_turn"] = "next_turn"


class AddAction(_ByUser):
    kind: Literal["add_action"] = "add_action"
    text: str
    # Whose action it is; the one who adds it when left out.
    owner: str | None = None
    due: date | None = None


class ReportAction(_ByUser):
    kind: Literal["report_action"] = "report_action"
    action_id: str
    status: Literal["done", "partly", "not_yet"]
    note: str = ""


class SettleAction(_ByUser):
    kind: Literal["settle_action"] = "settle_action"
    action_id: str
    decision: Literal["drop", "rephrase", "keep"]
    text: str = ""
    due: date | None = None


class Reflect(_ByUser):
    kind: Literal["reflect"] = "reflect"
    rating: int
    text: str = ""
    sources: list[LearningSource] = Field(default_factory=list)


# What one form may hold several of: an answer per question, a report per action.
Part = Annotated[Respond | ReportAction | SettleAction, Field(discriminator="kind")]


class Several(_ByUser):
    """One form's submit holding several parts: decided together, all or none, so a
    refusal keeps every answer in the form and nothing half-saved."""

    kind: Literal["several"] = "several"
    parts: list[Part] = Field(max_length=100)

    @model_validator(mode="after")
    def _one_author(self) -> Several:
        if any(part.user != self.user for part in self.parts):
            raise ValueError("every part is the submitter's")
        return self


class Advance(_ByUser):
    kind: Literal["advance"] = "advance"
    # The step the facilitator saw when clicking; a second click is refused.
    step_id: str | None = None
    # False from the card's button: moving on past an empty step that a later
    # step draws on (an empty vote ahead) is asked about first.
    confirmed: bool = True


class Back(_ByUser):
    """The facilitator goes back one step."""

    kind: Literal["back"] = "back"
    step_id: str | None = None


class Extend(_ByUser):
    kind: Literal["extend"] = "extend"
    minutes: int = Field(default=5, gt=0, le=7 * 24 * 60)
    # The step the button was for; a click after that step ended is refused.
    step_id: str | None = None


class Pause(_ByUser):
    kind: Literal["pause"] = "pause"


class Resume(_ByUser):
    kind: Literal["resume"] = "resume"


class Cancel(_ByUser):
    kind: Literal["cancel"] = "cancel"
    # False from the card's button: stopping a round that has content is asked
    # about first. A typed stop is meant and stops at once.
    confirmed: bool = True


class Say(_ByUser):
    """A line written in the round's thread or chat, not in a form: it counts by the
    step's rules (a question, an answer, a contribution), or it is conversation."""

    kind: Literal["say"] = "say"
    text: str
    # The question this line replies to, when the platform says so (a web chat's
    # reply button, a Teams reply to the question's own message).
    reply_to: str | None = None
    step_id: str | None = None


class ReturnQuestion(_ByUser):
    """The facilitator marks a question as advice in disguise ("verkapt advies"): it
    goes back to its author and leaves the round."""

    kind: Literal["return_question"] = "return_question"
    item_id: str


class Leave(_ByUser):
    """Someone leaves the round; what they still had to do is no longer waited for."""

    kind: Literal["leave"] = "leave"


class HandOver(_ByUser):
    """The facilitator hands the role on to another participant."""

    kind: Literal["hand_over"] = "hand_over"
    to: str


class TakeOver(_ByUser):
    """A participant takes over leading the round when nobody else can: the
    facilitator became the case owner, or left."""

    kind: Literal["take_over"] = "take_over"


class Tick(_Command):
    """The clock: closes async steps past their deadline, tells a live one time is up."""

    kind: Literal["tick"] = "tick"


Command = Annotated[
    StartRound
    | Join
    | Volunteer
    | AssignRole
    | Contribute
    | Edit
    | Withdraw
    | Vote
    | AnswerOffer
    | SkipOffer
    | Respond
    | Pick
    | Acknowledge
    | NextTurn
    | AddAction
    | ReportAction
    | SettleAction
    | Reflect
    | Several
    | Advance
    | Back
    | Extend
    | Pause
    | Resume
    | Cancel
    | Say
    | ReturnQuestion
    | Leave
    | HandOver
    | TakeOver
    | Tick,
    Field(discriminator="kind"),
]
