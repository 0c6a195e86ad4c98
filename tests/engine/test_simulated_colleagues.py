"""Every built-in method, played by simulated colleagues in each of its modes, shows the
method done well: questions end in "?", advice only where a step asks for it, the case
owner never advises herself, no case sentence in another step, nothing said twice; and
what the bot shows meanwhile reads as a person writes (no "stem(men)", no ISO dates,
no other mode's time)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest

from bot.engine import DomainError, card, notices, panel, summary
from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine.messages import (
    Block,
    Buttons,
    Context,
    Fields,
    Heading,
    ItemList,
    Message,
    Paragraph,
    plain_text,
)
from bot.engine.simulate import category, fill_in
from bot.engine.simulated_texts import SAMPLES
from protocols.loader import load_library
from protocols.schema import CollectStep, VoteStep
from tests.engine.conftest import Play

PEOPLE = ("bob", "cas", "dee", "eve")
ADVICE_WORDS = re.compile(
    r"\b(ik zou|je zou|misschien helpt|probeer|mijn tip|mijn advies|might help|"
    r"i would (?!have)|you could|try |my tip|my advice)",
    re.IGNORECASE,
)
# The steps that ask for advice or ideas say so in their title (the method's words, not
# the simulation's): "Je advies", "Tips", "Kleine stappen", "Mogelijkheden", "Roddelen".
ASKS_ADVICE = re.compile(r"advie|adviez|tips|kleine stappen|mogelijkheden|roddel", re.IGNORECASE)
CASES = set(SAMPLES["case"]["nl"] + SAMPLES["case"]["en"])
BRACKET_PLURAL = re.compile(r"\w\((n|en|s|men|e|'s)\)")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
METHODS = [(p.id, mode) for p in load_library() for mode in p.modes]


@dataclass
class Said:
    step_id: str
    user: str
    text: str
    kind: str


def _texts(block: Block) -> list[str]:
    match block:
        case Heading() | Paragraph() | Context():
            return [block.text]
        case ItemList():
            return [block.title] + [
                f"{i.text} {i.author or ''} {i.note or ''}" for i in block.items
            ]
        case Fields():
            return [f"{k}: {v}" for k, v in block.pairs]
        case Buttons():
            return [b.label for b in block.buttons]
    return []


def _shown(messages: list[Message]) -> list[str]:
    texts = [t for m in messages for b in m.blocks for t in _texts(b)]
    return texts + [plain_text(m.blocks) for m in messages] + [m.text for m in messages]


@cache
def _play(method: str, mode: str) -> tuple[Play, list[Said], list[str]]:
    """The round played once, for both tests below (a module's worth of rounds is slow)."""
    protocol = load_library().get(method)
    assert protocol is not None
    play = Play(protocol.model_dump(mode="json"), mode=mode)
    play.join(*PEOPLE)
    for role in play.s.mode_roles:
        if role.assign == "volunteer" and role.required and not play.s.holders(role.id):
            taken = {u for holders in play.s.roles.values() for u in holders}
            free = [u for u in PEOPLE if u not in taken]
            play.do(cmd.Volunteer(user=free[0], role=role.id))
    said: list[Said] = []
    shown: list[str] = _shown([card(play.s, play.now)])
    play.advance()
    for _ in range(400):
        if not play.s.active:
            break
        step = play.s.step
        assert step is not None
        for command in fill_in(play.s):
            before = play.s
            try:
                events = play.do(command)
            except DomainError as refused:
                # An async step may close half-way through a batch: the rest is stale.
                assert refused.code in ("stale_step", "wrong_step", "round_over"), refused.code
                continue
            for event in events:
                if isinstance(event, ev.ContributionAdded):
                    done = play.s.protocol.step(event.step_id)
                    assert done is not None
                    kind = category(before, done, event.user)
                    said.append(Said(event.step_id, event.user, event.text, kind))
            shown += _shown([card(play.s, play.now), *notices(before, events, play.s)])
            shown += _shown([m for u in play.s.participants if (m := panel(play.s, u, play.now))])
        if play.s.active and play.s.step is step:
            play.advance()
    assert not play.s.active, f"{method} ({mode}) did not finish"
    return play, said, [*shown, plain_text(summary(play.s, viewer=None))]


@pytest.mark.parametrize(("method", "mode"), METHODS)
def test_simulated_colleagues_play_the_method_well(method: str, mode: str) -> None:
    play, said, _shown_texts = _play(method, mode)
    if any(isinstance(s, CollectStep) for s in play.s.protocol.steps):
        assert said, "the colleagues said something"
    owner = play.s.case_owner
    # Where cases are put forward: the steps a vote chooses from.
    proposing = {s.source for s in play.s.protocol.steps if isinstance(s, VoteStep)}
    for item in said:
        step = play.s.protocol.step(item.step_id)
        assert step is not None
        where = f"{method}/{mode} {item.step_id} by {item.user}: {item.text}"
        if isinstance(step, CollectStep) and step.questions_only:
            assert item.text.endswith("?"), where
        asks_advice = bool(ASKS_ADVICE.search(step.title.nl))
        if ADVICE_WORDS.search(item.text):
            assert asks_advice, f"advice where none was asked: {where}"
        if owner is not None and item.user == owner:
            assert not ADVICE_WORDS.search(item.text), f"the case owner advises herself: {where}"
        if item.text in CASES:
            assert item.step_id in proposing, f"a case sentence in another step: {where}"
    texts = [i.text for i in said] + [r.text for r in play.s.responses.values() if r.text]
    repeated = {t for t in texts if texts.count(t) > 1}
    assert repeated == set(), f"{method}/{mode} said twice: {repeated}"


@pytest.mark.parametrize(("method", "mode"), METHODS)
def test_what_the_bot_shows_reads_as_a_person_writes(method: str, mode: str) -> None:
    shown = _play(method, mode)[2]
    everything = "\n".join(shown)
    assert not BRACKET_PLURAL.search(everything), BRACKET_PLURAL.search(everything)
    assert not ISO_DATE.search(everything), ISO_DATE.search(everything)
    assert not re.search(r"\b\d+\.0\b", everything), "4.0 van 5"
    if mode == "async":
        for live in ("Live duurt", "camera", "ijdbewaker", "+5 min"):
            assert live not in everything, live
    else:
        assert "Verspreid over dagen duurt" not in everything
