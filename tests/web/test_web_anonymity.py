"""The web chat: a vote over anonymous incidents asks the winner's author in their own
view before anyone learns whose it is; a no stays between them and the bot."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.anonymous import BOBS, CASS, PROTOCOL, beside, propose, school_folder, vote
from tests.web.conftest import ANN, BOB, CAS, WebChat, buttons, card_of


@pytest.fixture
def protocols_dir(tmp_path: Path) -> str:
    return str(school_folder(tmp_path))


def _question(timeline: dict[str, Any]) -> dict[str, Any] | None:
    return next(
        (
            m["message"]
            for m in timeline["messages"]
            if "Wil je hem inbrengen?" in m["message"]["text"]
        ),
        None,
    )


def _parts(timeline: dict[str, Any]) -> list[object]:
    """What a person's view shows, block by block and item by item."""
    parts: list[object] = []
    for row in timeline["messages"]:
        message = row["message"]
        parts.append(message["text"])
        for block in message["blocks"]:
            if block["kind"] == "item_list":
                parts += [{"title": block["title"], **item} for item in block["items"]]
            else:
                parts.append(block)
    return parts


async def _advance(web: WebChat, round_id: str) -> None:
    card = card_of(await web.timeline(ANN))["message"]
    step = next(b for b in buttons(card) if b["action"] == "advance")
    answer = await web.click(ANN, "advance", step["value"], round_id=round_id)
    assert answer["accepted"], answer


async def test_the_winner_is_asked_in_their_own_view_and_a_no_never_reaches_the_others(
    web: WebChat,
) -> None:
    started = await web.say(ANN, f"/dialoog start {PROTOCOL}")
    round_id = started["round_id"]
    for who in (BOB, CAS):
        await web.click(who, "join", round_id=round_id)
    await _advance(web, round_id)
    await _advance(web, round_id)
    service = web.runtime.service
    await asyncio.to_thread(propose, service, round_id, BOB, CAS)
    await _advance(web, round_id)
    await asyncio.to_thread(vote, service, round_id, (ANN, BOB, CAS), CAS)
    await web.settled()
    seen = await _seen(web)
    await _advance(web, round_id)
    seen += await _seen(web)

    card = card_of(await web.timeline(ANN))["message"]
    assert "We vragen de schrijver privé" in str(card["blocks"])
    assert [b["action"] for b in buttons(card)].count("advance") == 0
    assert _question(await web.timeline(ANN)) is None
    assert _question(await web.timeline(CAS)) is None
    asked = _question(await web.timeline(BOB))
    assert asked is not None and asked["audience"] == BOB and BOBS in asked["text"]
    no = next(b for b in buttons(asked) if b["action"] == "decline_role")
    answer = await web.click(BOB, "decline_role", no["value"], round_id=round_id)
    assert answer["accepted"] and answer["settles"], answer
    assert "niemand hoort" in str(answer)
    seen += await _seen(web)

    asked = _question(await web.timeline(CAS))
    assert asked is not None and CASS in asked["text"]
    yes = next(b for b in buttons(asked) if b["action"] == "accept_role")
    answer = await web.click(CAS, "accept_role", yes["value"], round_id=round_id)
    assert answer["accepted"], answer
    card = card_of(await web.timeline(ANN))["message"]
    assert "De situatie schetsen" in card["text"]

    seen += await _seen(web)

    # Nowhere but in Bob's own view is his incident beside him, at any moment.
    state = service.round(round_id)
    assert state is not None and state.case_owner == CAS
    assert any(BOBS in str(p) for p in seen), "it was shown"
    assert beside(seen, BOBS, state.name(BOB), BOB) == []


async def _seen(web: WebChat) -> list[object]:
    """What Ann and Cas see now (the card shows only its latest version)."""
    return [part for who in (ANN, CAS) for part in _parts(await web.timeline(who))]
