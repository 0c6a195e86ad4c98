"""At the end of a round the case owner's copy shows in their private view alone."""

from __future__ import annotations

import asyncio

from bot.engine.messages import message_from_json, plain_text
from tests.playing import owners_part, play_to_last_step
from tests.web.conftest import ANN, BOB, CAS, WebChat, buttons, card_of, texts


async def test_the_case_owner_sees_their_copy_privately_and_no_one_else_does(web: WebChat) -> None:
    started = await web.say(ANN, "/dialoog start five_step")
    round_id = started["round_id"]
    for who in (BOB, CAS):
        await web.click(who, "join", round_id=round_id)
    service = web.runtime.service
    await asyncio.to_thread(play_to_last_step, service, round_id, ANN)
    await web.settled()
    card = card_of(await web.timeline(ANN))["message"]
    finish = next(b for b in buttons(card) if b["action"] == "advance")
    answer = await web.click(ANN, "advance", finish["value"], round_id=round_id)
    assert answer["accepted"], answer

    part = owners_part(service, round_id)
    owner = part.owner

    mine = await web.timeline(owner)
    copies = [m for m in mine["messages"] if m["message"]["text"].startswith("Jouw eigen kopie")]
    assert len(copies) == 1
    assert copies[0]["message"]["audience"] == owner
    body = plain_text(message_from_json(copies[0]["message"]).blocks)
    assert "Jouw kopie als inbrenger" in body
    for text in part.picked:
        assert text in body
    assert all(text in body for text in part.actions)
    for other in (ANN, BOB, CAS):
        if other != owner:
            assert not any("Jouw eigen kopie" in t for t in texts(await web.timeline(other)))
