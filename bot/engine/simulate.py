"""Simulated colleagues: contributions for the current step that show the method done
well, so one person alone can see a whole round (the web chat's "colleagues fill in").

What each colleague writes fits the step and their role: questions end in "?", advice
comes only in a step that asks for it, the case owner never advises herself but speaks
about her own case, and nobody says what was said before in the round.
"""

from __future__ import annotations

from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine.simulated_texts import QUESTION_STEPS, SAMPLES
from bot.engine.state import RoundState
from protocols.schema import (
    CASE_OWNER,
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

# What a step asks for, by its id in the built-in methods ("method.step" first: the
# same id can ask for something else in another method); a school's own step falls back
# on its kind and role. ADVICE marks what belongs only where ideas and advice are asked.
_BY_STEP: dict[str, str] = {
    "reading_club.core": "work",
    "research_cycle.analysis": "work",
    "lesson_study.discussion": "observation",
    "propose": "case",
    "first_impressions": "impression",
    "associate": "impression",
    "analysis": "analysis",
    "forces": "analysis",
    "position": "position",
    "positions": "position_explained",
    "core": "core",
    "summary": "summary",
    "advice": "advice",
    "advice_round": "advice",
    "tips": "advice",
    "small_steps": "advice",
    "options": "advice",
    "gossip": "gossip",
    "appreciation": "appreciation",
    "own_factors": "success_own",
    "context_factors": "success_context",
    "lessons": "lesson",
    "conclusions": "lesson",
    "discussion": "discussion",
    "insights": "insight",
    "visit": "observation",
    "lesson_visit": "observation",
    "research_lesson": "observation",
    "second_lesson": "observation",
    "pupil_interviews": "observation",
    "feedback": "observation",
    "second_discussion": "observation",
}
ADVICE = frozenset({"advice", "gossip"})
# The case owner's own steps where she tells her case (the chosen one, in her words).
_TELLS_THE_CASE = frozenset(
    {"sketch", "case", "describe", "story", "situation", "topic", "question"}
)
# What someone else says when a speak step gives them the floor.
_FLOOR = {
    "problem_statement": "problem_statement",
    "summary": "facilitator_summary",
    "article": "article",
    "pupil_goals": "pupil_goals",
    "observation_form": "observation_form",
    "teach": "teach",
    "question": "observation_question",
    "case_pupils": "case_pupils",
    "teacher_first": "teacher_first",
}
_OWNER_SAYS = {
    "problem_check": "recognises",
    "core_check": "recognises",
    "forces_check": "recognises",
    "outcome": "what_i_did",
}


def fill_in(state: RoundState, *, leave_out: str | None = None) -> list[cmd.Command]:
    """One fitting command for each participant (but `leave_out`) whose part of the
    current step is still missing."""
    step = state.step
    if step is None or state.status != "running":
        return []
    offer = state.offer
    if offer is not None:
        # A simulated colleague whose case the group chose is glad to bring it.
        if offer.user == leave_out:
            return []
        return [cmd.AnswerOffer(user=offer.user, item_id=offer.item_id, accept=True)]
    said = _Said(state)
    commands: list[cmd.Command] = []
    for n, user in enumerate(state.actors(step)):
        if user == leave_out:
            continue
        commands += _for(state, step, user, n, said)
    commands += [
        cmd.ReportAction(
            user=a.owner,
            action_id=a.action_id,
            status="partly",
            note=said.pick("report", state, a.owner, 0) or "",
        )
        for a in state.open_actions
        if a.owner != leave_out
        and a.owner in state.participants
        and a.action_id not in state.reports
        and isinstance(step, ActionsStep)
        and step.review_open
    ]
    return commands


def category(state: RoundState, step: Step, user: str) -> str:
    """What this person writes in this step: a key of the samples."""
    if isinstance(step, CollectStep) and step.questions_only:
        return QUESTION_STEPS.get(step.id, "question")
    owner = user == state.case_owner
    if isinstance(step, SpeakStep):
        # The facilitator's own step stays theirs, also when they brought the case.
        owner = owner and CASE_OWNER in step.actors
        if owner and step.id in _TELLS_THE_CASE:
            return "tells_case"
        if owner:
            return _OWNER_SAYS.get(step.id, "owner_floor")
        return _FLOOR.get(step.id, "floor")
    known = _BY_STEP.get(f"{state.protocol.id}.{step.id}", _BY_STEP.get(step.id))
    if owner and known not in (None, "case"):
        # In a step for everyone the case owner speaks about her own case; she is
        # not one of the advisors of it.
        return "owner_floor"
    if known is not None:
        return known
    if isinstance(step, CollectStep) and step.max_per_person == 1 and step.min_per_person == 0:
        return "case"
    return "work"


class _Said:
    """What has been said in the round, so no colleague says it again."""

    def __init__(self, state: RoundState) -> None:
        self.used = {i.text for i in state.items} | {r.text for r in state.responses.values()}

    def pick(self, kind: str, state: RoundState, user: str, n: int) -> str | None:
        options = SAMPLES[kind][state.language]
        start = (list(state.participants).index(user) if user in state.participants else n) + n
        for offset in range(len(options)):
            text = options[(start + offset) % len(options)]
            if text not in self.used:
                self.used.add(text)
                return text
        return None


def _contribute(s: RoundState, step: Step, user: str, n: int, said: _Said) -> list[cmd.Command]:
    kind = category(s, step, user)
    text = _the_case(s, user, n, said) if kind == "tells_case" else said.pick(kind, s, user, n)
    if text is None:
        return []
    return [cmd.Contribute(user=user, text=text, step_id=step.id)]


def _the_case(s: RoundState, user: str, n: int, said: _Said) -> str | None:
    """The case owner tells the case the group chose, and how it went on."""
    chosen = [
        item
        for winner, _tally in s.vote_results.values()
        if winner and (item := s.item(winner)) is not None and item.author == user
    ]
    more = said.pick("tells_case", s, user, n)
    if not chosen or more is None:
        return more
    text = f"{chosen[-1].text} {more}"
    said.used.add(text)
    return text


def _for(s: RoundState, step: Step, user: str, n: int, said: _Said) -> list[cmd.Command]:
    missing = user in s.missing(step)
    match step:
        case CollectStep():
            # Where bringing something is voluntary, a simulated colleague brings one.
            volunteers = step.min_per_person == 0 and not s.items_of(step.id, user)
            if not missing and not volunteers:
                return []
            return _contribute(s, step, user, n, said)
        case SpeakStep():
            if not missing:
                return []
            return _contribute(s, step, user, n, said)
        case RoundRobinStep():
            if s.mode == "live":
                if s.turn_holder(step) != user:
                    return []
                return [*_contribute(s, step, user, n, said), cmd.NextTurn(user=user)]
            if not missing:
                return []
            return _contribute(s, step, user, n, said)
        case VoteStep():
            if not missing:
                return []
            items = s.candidates(step)
            if not items:
                return []
            # Nobody votes for their own case when there is another.
            others = [i for i in items if i.author != user] or items
            return [cmd.Vote(user=user, item_ids=[others[0].id], step_id=step.id)]
        case RespondStep():
            labels = [label.id for label in step.labels]
            out: list[cmd.Command] = []
            for i, item in enumerate(s.items_of(step.source)):
                if item.id in s.responses:
                    continue
                text = said.pick("answer", s, user, n + i) or ""
                label = labels[i % len(labels)] if labels else None
                if not text and not labels:
                    continue
                out.append(
                    cmd.Respond(user=user, item_id=item.id, text=text, label=label, step_id=step.id)
                )
            return out
        case PickStep():
            if not missing:
                return []
            items = s.items_of(step.source)
            chosen = [i.id for i in items[: max(step.min_picks, min(2, step.max_picks))]]
            return [cmd.Pick(user=user, item_ids=chosen, step_id=step.id)]
        case ActionsStep():
            actions: list[cmd.Command] = []
            first = s.actors(step)[0]
            # The case owner's own step ("what will you do") is hers; else the first actor's.
            owner = s.case_owner if s.case_owner in s.actors(step) else first
            action = said.pick("action", s, user, n) if not s.actions_of(step.id) else None
            if user == owner and action is not None:
                actions.append(cmd.AddAction(user=user, text=action))
            if s.mode == "async" and missing:
                actions.append(cmd.Acknowledge(user=user, step_id=step.id))
            return actions
        case ReflectStep():
            if not missing:
                return []
            rating = min(step.scale, 4)
            source = ev.LEARNING_SOURCES[n % len(ev.LEARNING_SOURCES)]
            text = said.pick("takeaway", s, user, n) or ""
            return [cmd.Reflect(user=user, rating=rating, text=text, sources=[source])]
        case InstructionStep():
            if not missing:
                return []
            return [cmd.Acknowledge(user=user, step_id=step.id)]
    return []


__all__ = ["ADVICE", "category", "fill_in"]
