"""Simulated colleagues: plausible contributions for the current step, so one
person alone can see a whole round (the web chat's "colleagues fill in")."""

from __future__ import annotations

from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine.state import RoundState
from bot.i18n import Language
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

_SAMPLES: dict[str, dict[Language, tuple[str, ...]]] = {
    "question": {
        "nl": (
            "Wat gebeurde er vlak daarvoor in de les?",
            "Hoe reageerde de rest van de klas?",
            "Wat wist je op dat moment van deze leerling?",
            "Wat wilde je op dat moment bereiken?",
            "Wie waren er nog meer bij?",
        ),
        "en": (
            "What happened just before, in the lesson?",
            "How did the rest of the class react?",
            "What did you know about this pupil at that moment?",
            "What did you want to achieve at that moment?",
            "Who else was there?",
        ),
    },
    "case": {
        "nl": (
            "Een leerling liep midden in de les weg en ik moest meteen kiezen: erachteraan of niet.",
            "Een ouder sprak me na de ouderavond boos aan op de gang.",
            "Twee leerlingen kregen ruzie tijdens het groepswerk.",
            "Mijn uitleg kwam niet aan; halverwege haakte de helft van de klas af.",
        ),
        "en": (
            "A pupil walked out in the middle of the lesson and I had to choose at once: follow or not.",
            "A parent confronted me angrily in the corridor after parents' evening.",
            "Two pupils started a fight during group work.",
            "My explanation did not land; halfway through, half the class had switched off.",
        ),
    },
    "thought": {
        "nl": (
            "Ik herken dit. Bij mij hielp het om het gesprek na de les te voeren, rustig en alleen.",
            "Ik denk dat de kern is: wie bepaalt hier de grens, en weet de leerling dat?",
            "Misschien helpt het om een collega te vragen een keer mee te kijken.",
            "Ik zou de klas vooraf vertellen wat je verwacht, en het dan ook zo doen.",
            "Wat me opvalt: je neemt veel op je eigen schouders.",
        ),
        "en": (
            "I recognise this. What helped me was talking after the lesson, calmly and one to one.",
            "I think the core is: who sets the limit here, and does the pupil know it?",
            "It might help to ask a colleague to come and watch once.",
            "I would tell the class beforehand what you expect, and then stick to it.",
            "What strikes me: you carry a lot on your own shoulders.",
        ),
    },
    "floor": {
        "nl": (
            "Ik heb de leerling toen apart genomen en gezegd dat ik hem na de les wilde spreken.",
            "Wat ik meeneem: eerst vragen wat er aan de hand is, dan pas ingrijpen.",
            "Het raakte me meer dan ik dacht; ik wilde het vooral snel oplossen.",
        ),
        "en": (
            "I took the pupil aside and said I wanted to talk after the lesson.",
            "What I take away: first ask what is going on, then step in.",
            "It touched me more than I thought; mostly I wanted to solve it fast.",
        ),
    },
    "answer": {
        "nl": ("Goede vraag. Dat weet ik niet precies meer; ik denk dat ik vooral schrok.",),
        "en": ("Good question. I don't remember exactly; I think I was mostly startled.",),
    },
    "action": {
        "nl": ("Ik probeer het komende week uit in 2B en vertel de volgende keer hoe het ging.",),
        "en": ("I'll try it out in 2B next week and report back next time.",),
    },
    "takeaway": {
        "nl": ("Ik neem mee dat eerst doorvragen meer oplevert dan meteen adviseren.",),
        "en": ("I take away that asking first gets you further than advising at once.",),
    },
    "report": {
        "nl": ("Eén keer gedaan; het ging beter dan ik dacht.",),
        "en": ("Did it once; it went better than I expected.",),
    },
}


def _sample(kind: str, language: Language, n: int) -> str:
    options = _SAMPLES[kind][language]
    return options[n % len(options)]


def fill_in(state: RoundState, *, leave_out: str | None = None) -> list[cmd.Command]:
    """One plausible command for each participant (but `leave_out`) whose part
    of the current step is still missing."""
    step = state.step
    if step is None or state.status != "running":
        return []
    offer = state.offer
    if offer is not None:
        # A simulated colleague whose case the group chose is glad to bring it.
        if offer.user == leave_out:
            return []
        return [cmd.AnswerOffer(user=offer.user, item_id=offer.item_id, accept=True)]
    commands: list[cmd.Command] = []
    for n, user in enumerate(state.actors(step)):
        if user == leave_out:
            continue
        commands += _for(state, step, user, n + len(state.items))
    commands += [
        cmd.ReportAction(
            user=a.owner,
            action_id=a.action_id,
            status="partly",
            note=_sample("report", state.language, 0),
        )
        for a in state.open_actions
        if a.owner != leave_out
        and a.owner in state.participants
        and a.action_id not in state.reports
        and isinstance(step, ActionsStep)
        and step.review_open
    ]
    return commands


def _for(s: RoundState, step: Step, user: str, n: int) -> list[cmd.Command]:
    lang = s.language
    missing = user in s.missing(step)
    match step:
        case CollectStep():
            # Where bringing something is voluntary, a simulated colleague brings one.
            volunteers = step.min_per_person == 0 and not s.items_of(step.id, user)
            if not missing and not volunteers:
                return []
            if step.questions_only:
                kind = "question"
            elif step.max_per_person == 1:
                kind = "case"
            else:
                kind = "thought"
            return [cmd.Contribute(user=user, text=_sample(kind, lang, n), step_id=step.id)]
        case SpeakStep():
            if not missing:
                return []
            # The first time someone has the floor they tell the case; later they react.
            first = next(st for st in s.protocol.steps if isinstance(st, SpeakStep))
            kind = "case" if step.id == first.id else "floor"
            return [cmd.Contribute(user=user, text=_sample(kind, lang, n), step_id=step.id)]
        case RoundRobinStep():
            if s.mode == "live":
                if s.turn_holder(step) != user:
                    return []
                return [
                    cmd.Contribute(user=user, text=_sample("thought", lang, n), step_id=step.id),
                    cmd.NextTurn(user=user),
                ]
            if not missing:
                return []
            return [cmd.Contribute(user=user, text=_sample("thought", lang, n), step_id=step.id)]
        case VoteStep():
            if not missing:
                return []
            items = s.items_of(step.source)
            if not items:
                return []
            others = [i for i in items if i.author != user] or items
            return [cmd.Vote(user=user, item_ids=[others[0].id], step_id=step.id)]
        case RespondStep():
            labels = [label.id for label in step.labels]
            return [
                cmd.Respond(
                    user=user,
                    item_id=item.id,
                    text=_sample("answer", lang, n),
                    label=labels[i % len(labels)] if labels else None,
                    step_id=step.id,
                )
                for i, item in enumerate(s.items_of(step.source))
                if item.id not in s.responses
            ]
        case PickStep():
            if not missing:
                return []
            items = s.items_of(step.source)
            chosen = [i.id for i in items[: max(step.min_picks, min(2, step.max_picks))]]
            return [cmd.Pick(user=user, item_ids=chosen, step_id=step.id)]
        case ActionsStep():
            out: list[cmd.Command] = []
            if not s.actions_of(step.id) and user == s.actors(step)[0]:
                out.append(cmd.AddAction(user=user, text=_sample("action", lang, n)))
            if s.mode == "async" and missing:
                out.append(cmd.Acknowledge(user=user, step_id=step.id))
            return out
        case ReflectStep():
            if not missing:
                return []
            rating = min(step.scale, 4)
            source = ev.LEARNING_SOURCES[n % len(ev.LEARNING_SOURCES)]
            return [
                cmd.Reflect(
                    user=user, rating=rating, text=_sample("takeaway", lang, n), sources=[source]
                )
            ]
        case InstructionStep():
            if not missing:
                return []
            return [cmd.Acknowledge(user=user, step_id=step.id)]
    return []
