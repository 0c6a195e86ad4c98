"""Rounds played through the web chat's HTTP endpoints, with texts we can look for.

Test modules that use these import the web chat's fixtures too:
`from tests.web.conftest import runtime, web`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from storage.models import Base
from tests.web.conftest import ANN, BOB, CAS, WebChat, buttons, card_of
from tests.web.flows import filled

NAMES = {ANN: "Ann", BOB: "Bob", CAS: "Cas"}


@dataclass
class Played:
    """A finished round and every text each colleague typed in it."""

    round_id: str
    written: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _secret(texts: list[str], who: str, tag: str) -> str:
    # Ends in "?" so that it is welcome in a question round too.
    text = f"{NAMES[who]} schrijft geheim {tag}-{len(texts) + 1}: hoe ging dat?"
    texts.append(text)
    return text


async def _my_part(chat: WebChat, who: str, played: Played, tag: str) -> None:
    card = card_of(await chat.timeline(who))["message"]
    openers = [b for b in buttons(card) if b["action"] == "open_form" and b["value"] != "report"]
    if not openers:
        return
    reply = await chat.click(who, "open_form", openers[0]["value"], round_id=played.round_id)
    if reply["form"] is None:
        return

    def write() -> str:
        return _secret(played.written[who], who, tag)

    for block in reply["form"]["blocks"]:
        if block["kind"] != "form" or not any(
            element["kind"] == "text_input" for element in block["inputs"]
        ):
            continue
        fields = filled(block, write)
        answer = await chat.click(
            who, block["action"], block["value"], fields, round_id=played.round_id
        )
        assert answer["accepted"], answer["messages"]


async def play_round(chat: WebChat, tag: str) -> Played:
    """Ann starts an incident round and Bob keeps time; Ann and Bob fill in every form
    with texts of their own, Cas lets the simulated colleague answer; the round runs
    to its end."""
    line = f"Bob zegt in het kanaal {tag}: ik ben er zo."
    await chat.say(BOB, line)
    started = await chat.say(ANN, "/dialoog start incident")
    assert started["accepted"], started
    played = Played(started["round_id"])
    played.written[BOB].append(line)
    for who in (BOB, CAS):
        assert (await chat.click(who, "join", round_id=played.round_id))["accepted"]
    volunteered = await chat.click(BOB, "volunteer", "timekeeper", round_id=played.round_id)
    assert volunteered["accepted"], volunteered["messages"]
    # Ann starts the first step; then everyone does their part, step by step.
    await _advance(chat, ANN, played.round_id)
    for _ in range(40):
        timeline = await chat.timeline(ANN)
        if timeline["round"] is None:
            return played
        await _my_part(chat, ANN, played, tag)
        await _my_part(chat, BOB, played, tag)
        assert (await chat.fill_in(CAS, played.round_id))["accepted"]
        await _advance(chat, ANN, played.round_id)
    raise AssertionError("the round did not finish")


async def _advance(chat: WebChat, who: str, round_id: str) -> None:
    card = card_of(await chat.timeline(who))["message"]
    advance = next(b for b in buttons(card) if b["action"] == "advance")
    moved = await chat.click(who, "advance", advance["value"], round_id=round_id)
    assert moved["accepted"], moved["messages"]


def everything_stored(engine: Engine) -> str:
    """Every row of every table, read through the models (so decrypted), as one text."""
    rows: list[str] = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows.extend(repr(tuple(row)) for row in connection.execute(select(table)))
    # repr() escapes non-ASCII; the texts we look for are ASCII, the names too.
    return "\n".join(rows)
