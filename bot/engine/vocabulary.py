"""Every action a button or a form of dialoog can carry, named once.

The views build their buttons and forms from these; every channel accepts
exactly these (the web chat's allow-list, Slack's and Teams' payloads are read
back into them); the chat layer routes on them. A new button is a new member
here and nowhere else.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    # Outside any round: the choice of methods starts one.
    START = "start"
    # Which of the channel's rounds a typed command means; the value is "verb:round".
    CHOOSE_ROUND = "choose_round"
    # Only asks the channel to show the person's form; no command.
    OPEN_FORM = "open_form"
    # Buttons on a round's card.
    JOIN = "join"
    VOLUNTEER = "volunteer"
    ADVANCE = "advance"
    EXTEND = "extend"
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"
    ACKNOWLEDGE = "acknowledge"
    NEXT_TURN = "next_turn"
    # Whoever takes over leading when the facilitator cannot (bot.engine.guide).
    TAKE_OVER = "take_over"
    # A round's forms.
    ASSIGN = "assign"
    CONTRIBUTE = "contribute"
    VOTE = "vote"
    RESPOND = "respond"
    PICK = "pick"
    REFLECT = "reflect"
    ADD_ACTION = "add_action"
    REPORT_ACTION = "report_action"
    SETTLE_ACTION = "settle_action"
    # The facilitator returns a question as advice in disguise; the value is its item id.
    RETURN_QUESTION = "return_question"
    # The pupil-name guard's question (bot/chat/guarded.py); each value is the held text's id.
    GUARD_REPLACE = "guard_replace"
    GUARD_EDIT = "guard_edit"  # opens the form below
    GUARD_REWRITE = "guard_rewrite"  # that form's submit, with the changed text
    GUARD_POST = "guard_post"
    # `/dialoog plan` (bot/scheduler/planner.py): outside any round.
    PLAN_NEW = "plan_new"
    PLAN_CREATE = "plan_create"
    PLAN_PAUSE = "plan_pause"
    PLAN_RESUME = "plan_resume"
    PLAN_DELETE = "plan_delete"
    PLAN_FEED = "plan_feed"


# Form submissions that get a short private "saved"; clicks show on the card itself.
FORMS = frozenset(
    {
        Action.CONTRIBUTE,
        Action.VOTE,
        Action.RESPOND,
        Action.PICK,
        Action.REFLECT,
        Action.ADD_ACTION,
        Action.REPORT_ACTION,
        Action.SETTLE_ACTION,
    }
)
GUARD = frozenset(
    {Action.GUARD_REPLACE, Action.GUARD_EDIT, Action.GUARD_REWRITE, Action.GUARD_POST}
)
# The guard's choices that settle its question (a channel may take the question away).
GUARD_SETTLES = frozenset({Action.GUARD_REPLACE, Action.GUARD_REWRITE, Action.GUARD_POST})
PLANNING = frozenset(
    {
        Action.PLAN_NEW,
        Action.PLAN_CREATE,
        Action.PLAN_PAUSE,
        Action.PLAN_RESUME,
        Action.PLAN_DELETE,
        Action.PLAN_FEED,
    }
)
# What a click may carry without a round: the rest act on one.
OUTSIDE_ROUND = PLANNING | {Action.START, Action.CHOOSE_ROUND}

# The names of the free-text inputs of the forms (the others are choices and dates):
# what a channel gives back to a writer whose form was refused, so nothing is lost.
FREE_TEXT_FIELDS = ("text", "note")


def action_of(name: str) -> Action | None:
    """The action a payload names; None for one that no button or form of ours carries."""
    try:
        return Action(name)
    except ValueError:
        return None
