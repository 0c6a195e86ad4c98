"""Which round a typed command means when several run in one channel.

`stop`, `verlaat` and `overnemen` act on one round. When the person's words fit
more than one, they get a choice (a button per round, in the team's language)
and the click carries the verb and the round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.chat.texts import TEXTS
from bot.engine import commands as cmd
from bot.engine.messages import Button, Buttons, Message, Paragraph
from bot.engine.view import format_moment
from bot.engine.vocabulary import Action
from bot.i18n import Language, translate
from bot.service.rounds import RoundInfo

# The typed verbs that act on one round, and what each needs of it.
VERBS = ("stop", "leave", "take_over")
# Said when no round fits the verb.
_NONE = {"stop": "no_round", "leave": "not_in_a_round", "take_over": "nobody_to_take_over"}


@dataclass(frozen=True)
class Meant:
    """The round a verb acts on, or (when several fit) the question which one;
    `nothing` names the text to say when none fits."""

    round_id: str | None = None
    choice: Message | None = None
    nothing: str | None = None


def meant(verb: str, rounds: Sequence[RoundInfo], user: str, language: Language) -> Meant:
    fitting = _fitting(verb, rounds, user)
    if not fitting:
        return Meant(nothing=_NONE[verb])
    if len(fitting) == 1:
        return Meant(round_id=fitting[0].round_id)
    return Meant(choice=_choice(verb, fitting, language))


def command_of(verb: str, user: str) -> cmd.Command:
    match verb:
        case "stop":
            return cmd.Cancel(user=user)
        case "leave":
            return cmd.Leave(user=user)
        case "take_over":
            return cmd.TakeOver(user=user)
    raise ValueError(verb)


def chosen(value: str) -> tuple[str, str]:
    """(verb, round id) from a choice button's value. Raises ValueError."""
    verb, _, round_id = value.partition(":")
    if verb not in VERBS or not round_id:
        raise ValueError("not a choice of ours")
    return verb, round_id


def _fitting(verb: str, rounds: Sequence[RoundInfo], user: str) -> list[RoundInfo]:
    mine = [r for r in rounds if user in r.state.participants]
    match verb:
        case "stop":
            # Whoever leads one round means that one; the engine refuses the others.
            return [r for r in rounds if r.state.steers(user)] or list(rounds)
        case "leave":
            return mine
        case "take_over":
            return [r for r in mine if r.state.leader_wanted]
    return []


def _choice(verb: str, rounds: Sequence[RoundInfo], language: Language) -> Message:
    question = translate(TEXTS, "which_round", language)
    buttons = tuple(
        Button(Action.CHOOSE_ROUND, _label(r, language), value=f"{verb}:{r.round_id}")
        for r in rounds
    )
    return Message(text=question, blocks=(Paragraph(question), Buttons(buttons)))


def _label(info: RoundInfo, language: Language) -> str:
    s = info.state
    title = s.protocol.title.get(language)
    if s.mode == "live":
        return translate(TEXTS, "which_round.live", language, title=title)
    since = format_moment(s.started_at, s.timezone, language)
    return translate(TEXTS, "which_round.async", language, title=title, since=since)
