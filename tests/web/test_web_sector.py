"""The sector a team chose, through the web chat's endpoint: the card of a new round
speaks of leerkracht in a primary school and of docent in a secondary school."""

from __future__ import annotations

import json

from tests.web.conftest import ANN, WebChat, card_of


async def _card_after_start(web: WebChat, sector: str) -> str:
    said = await web.say(ANN, f"/dialoog sector {sector}")
    assert said["accepted"], said
    started = await web.say(ANN, "/dialoog start lesson_visit")
    assert started["accepted"], started
    return json.dumps(card_of(await web.timeline(ANN))["message"], ensure_ascii=False)


async def test_a_primary_school_team_sees_leerkracht_on_the_card(web: WebChat) -> None:
    card = await _card_after_start(web, "po")
    assert "Leerkracht" in card and "Docent" not in card


async def test_a_secondary_school_team_sees_docent_on_the_card(web: WebChat) -> None:
    card = await _card_after_start(web, "vo")
    assert "Docent" in card and "Leerkracht" not in card


async def test_a_wrong_sector_is_refused_with_what_would_work(web: WebChat) -> None:
    said = await web.say(ANN, "/dialoog sector basis")
    assert not said["accepted"]
    assert "`/dialoog sector po`" in json.dumps(said, ensure_ascii=False)
