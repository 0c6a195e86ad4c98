"""The read-only insights page behind its link: numbers only, 404 once revoked;
the school's page for its coordinator, counts per team, nobody named."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.config import Settings
from bot.runtime import Runtime
from bot.service import Person, Place
from tests.fakes.clock import ManualClock
from tests.fakes.server import wired
from tests.history import ANN, BOB, Played, play, seed

PLACE = Place("web", "local", "team-a", "Team A")
OTHER = Place("web", "local", "team-b", "Team B")
COORDINATOR = Person("web:coord", "Coördinator")


@pytest.fixture
def runtime(database_url: str, clock: ManualClock) -> Iterator[Runtime]:
    settings = Settings(
        DIALOOG_DATABASE_URL=database_url,
        DIALOOG_PUBLIC_URL="https://dialoog.school.example",
        DIALOOG_SCHOOL_COORDINATORS="web:coord, U0OTHER",
    )
    with wired(settings, clock) as built:
        yield built


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def _link(runtime: Runtime, place: Place, person: Person, text: str) -> str:
    reply = runtime.chat.command(place, person, text)
    assert reply.accepted, reply.messages[0].text
    found = re.search(r"https://dialoog\.school\.example(/overzicht/\S+)", reply.messages[0].text)
    assert found, reply.messages[0].text
    return found.group(1)


async def _get(http: aiohttp.ClientSession, url: str) -> tuple[int, str, dict[str, str]]:
    async with http.get(url) as response:
        return response.status, await response.text(), dict(response.headers)


async def test_the_team_page_shows_the_numbers_and_nothing_anyone_wrote(
    runtime: Runtime, server_url: str, http: aiohttp.ClientSession, clock: ManualClock
) -> None:
    ids = await asyncio.to_thread(seed, runtime.service, clock, PLACE)
    path = _link(runtime, PLACE, ANN, "overzicht link")
    status, page, headers = await _get(http, server_url + path)
    assert status == 200
    assert "<h1>Overzicht Team A · schooljaar 2026-2027</h1>" in page
    assert "<strong>Rondes gehouden: 3</strong>" in page
    assert "<tr><td>Ann</td><td class=n>3</td></tr>" in page
    assert "<tr><td>1 liever niet bij naam</td><td class=n>2</td></tr>" in page
    assert "<tr><td>geschrapt</td><td class=n>1</td></tr>" in page
    assert "Dee" not in page
    for round_id in ids:
        state = runtime.service.round(round_id)
        assert state is not None
        for item in state.items:
            assert item.text not in page
        for given in state.reflections.values():
            assert all(not r.text or r.text not in page for r in given.values())
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "script-src" not in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    chart = re.search(r'<img src="([^"]+)"', page)
    assert chart is not None
    status, drawing, headers = await _get(http, server_url + chart.group(1))
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    assert "<svg" in drawing and "Rondes per maand" in drawing


async def test_a_revoked_link_answers_404_and_a_new_one_works(
    runtime: Runtime, server_url: str, http: aiohttp.ClientSession, clock: ManualClock
) -> None:
    await asyncio.to_thread(seed, runtime.service, clock, PLACE)
    old = _link(runtime, PLACE, ANN, "overzicht link")
    assert _link(runtime, PLACE, ANN, "overview link") == old, "asking again gives the same"
    reply = runtime.chat.command(PLACE, ANN, "overzicht link intrekken")
    assert "werkt niet meer" in reply.messages[0].text
    for url in (old, f"{old}/chart.svg"):
        status, body, _ = await _get(http, server_url + url)
        assert (status, body) == (404, "not found")
    new = _link(runtime, PLACE, ANN, "overzicht link")
    assert new != old
    assert (await _get(http, server_url + new))[0] == 200
    assert (await _get(http, server_url + old))[0] == 404


async def test_only_someone_who_led_a_round_here_gets_the_link(
    runtime: Runtime, server_url: str, http: aiohttp.ClientSession, clock: ManualClock
) -> None:
    await asyncio.to_thread(seed, runtime.service, clock, PLACE)
    reply = runtime.chat.command(PLACE, BOB, "overzicht link")
    assert not reply.accepted and reply.error_code == "not_facilitator"
    reply = runtime.chat.command(PLACE, BOB, "overzicht link intrekken")
    assert not reply.accepted
    for guess in ("/overzicht/" + "A" * 43, "/overzicht/kort", "/overzicht/school/" + "B" * 43):
        assert (await _get(http, server_url + guess))[0] == 404


async def test_the_school_page_counts_per_team_and_names_nobody(
    runtime: Runtime, server_url: str, http: aiohttp.ClientSession, clock: ManualClock
) -> None:
    await asyncio.to_thread(seed, runtime.service, clock, PLACE)
    await asyncio.to_thread(
        play,
        runtime.service,
        clock,
        OTHER,
        Played("incident", datetime(2026, 10, 13, 13, tzinfo=UTC), (BOB, ANN)),
    )
    refused = runtime.chat.command(PLACE, ANN, "overzicht school")
    assert not refused.accepted and "DIALOOG_SCHOOL_COORDINATORS" in refused.messages[0].text
    path = _link(runtime, PLACE, COORDINATOR, "overzicht school")
    status, page, _ = await _get(http, server_url + path)
    assert status == 200
    assert "<h1>Overzicht van de school · schooljaar 2026-2027</h1>" in page
    assert "<tr><td>Team A</td><td class=n>3</td></tr>" in page
    assert "<tr><td>Team B</td><td class=n>1</td></tr>" in page
    assert "Collega's die meededen: 4" in html.unescape(page)
    for name in ("Ann", "Bob", "Cas", "Dee"):
        assert f">{name}<" not in page
    # A school link opens no team page, and a team link no school page.
    token = path.rsplit("/", 1)[1]
    assert (await _get(http, f"{server_url}/overzicht/{token}"))[0] == 404
    runtime.chat.command(PLACE, COORDINATOR, "overzicht school intrekken")
    assert (await _get(http, server_url + path))[0] == 404
