"""In the browser: the author of the anonymous case the group chose reads the question in
their own view; the others read only that the author is being asked."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.channels.web.chatroom import place
from bot.runtime import Runtime
from tests.anonymous import BOBS, PROTOCOL, propose, school_folder, vote
from tests.web.conftest import ANN, BOB, CAS
from tests.web.test_web_browser import Tab, browser, database_url, expect

__all__ = ["browser", "database_url"]


@pytest.fixture
def protocols_dir(tmp_path: Path) -> str:
    return str(school_folder(tmp_path))


async def test_the_chosen_author_is_asked_privately_in_the_browser(
    server_url: str, runtime: Runtime, browser: Any
) -> None:
    ann = Tab(browser.pages[0] if browser.pages else await browser.new_page())
    await ann.page.goto(server_url)
    await ann.be("Ann")
    await ann.type(f"/dialoog start {PROTOCOL}")
    await expect(ann.card).to_contain_text("Anonieme incidentmethode")
    for name in ("Bob", "Cas"):
        await ann.be(name)
        await ann.press("Meedoen")
    await ann.be("Ann")
    await ann.press("Start de eerste stap")
    await ann.press("Volgende stap")
    await expect(ann.card).to_contain_text("Incidenten inbrengen")
    service = runtime.service
    info = service.active_round(place("team"))
    assert info is not None
    await asyncio.to_thread(propose, service, info.round_id, BOB, CAS)
    await ann.press("Volgende stap")
    await expect(ann.card).to_contain_text("Incident kiezen")
    await asyncio.to_thread(vote, service, info.round_id, (ANN, BOB, CAS), CAS)
    await expect(ann.card).to_contain_text("2 stemmen")
    await ann.press("Volgende stap")
    await expect(ann.card).to_contain_text("We vragen de schrijver privé")
    await expect(ann.card.get_by_role("button", name="Niet langer wachten")).to_be_visible()
    await expect(ann.page.get_by_text("Wil je hem inbrengen?")).to_have_count(0)
    await ann.shot("web-chat-anonymous-waiting.png", ann.card)

    await ann.be("Bob")
    question = ann.page.get_by_text("Wil je hem inbrengen?")
    await expect(question).to_be_visible()
    await ann.shot("web-chat-anonymous-question.png")
    await ann.page.get_by_role("button", name="Liever niet").click()
    await expect(
        ann.page.get_by_text("Helder. Je casus wordt vandaag niet ingebracht")
    ).to_be_visible()
    await ann.be("Ann")
    await expect(
        ann.page.get_by_text(f"De casus {BOBS} wordt vandaag niet ingebracht")
    ).to_be_visible()
    await expect(ann.page.get_by_text("Wil je hem inbrengen?")).to_have_count(0)
    assert ann.errors == []
