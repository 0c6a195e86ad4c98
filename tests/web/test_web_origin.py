"""The web chat is for this computer's own page only: another website, or a page
whose DNS name was rebound to 127.0.0.1, is refused in words and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from bot.config import Settings
from bot.runtime import Runtime
from tests.fakes.clock import ManualClock
from tests.fakes.server import running, wired
from tests.web.conftest import ANN, PAGE_HEADERS, WebChat

START = json.dumps({"as": ANN, "text": "/dialoog start incident"})


async def _post(web: WebChat, headers: dict[str, str], body: str = START) -> tuple[int, Any]:
    async with web.http.post(f"{web.api()}/say", data=body, headers=headers) as response:
        return response.status, await response.json()


async def test_a_post_from_another_website_starts_nothing(web: WebChat) -> None:
    before = web.counts()
    # What a form or a no-cors fetch on evil.example can send: a "simple" request.
    status, data = await _post(
        web, {"Content-Type": "text/plain", "Origin": "https://evil.example"}
    )
    assert status == 403
    assert data["error"] == "foreign_origin"
    assert data["message"].startswith("Een verzoek van een andere website is geweigerd")
    # Also with the page's own headers copied: the Origin gives it away.
    status, data = await _post(web, {**PAGE_HEADERS, "Origin": "https://evil.example"})
    assert (status, data["error"]) == (403, "foreign_origin")
    # And what a browser says of a cross-site request without an Origin header.
    status, data = await _post(web, {**PAGE_HEADERS, "Sec-Fetch-Site": "cross-site"})
    assert (status, data["error"]) == (403, "foreign_origin")
    await web.settled()
    assert web.counts() == before


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({"Content-Type": "text/plain", "X-Dialoog-Web": "1"}, 415, "not_json"),
        ({"Content-Type": "application/x-www-form-urlencoded"}, 415, "not_json"),
        ({"Content-Type": "application/json"}, 403, "not_from_the_page"),
        ({"Content-Type": "application/json", "X-Dialoog-Web": "yes"}, 403, "not_from_the_page"),
    ],
)
async def test_a_change_needs_json_and_the_pages_own_header(
    web: WebChat, headers: dict[str, str], status: int, code: str
) -> None:
    before = web.counts()
    answer = await _post(web, headers)
    assert answer[0] == status and answer[1]["error"] == code
    await web.settled()
    assert web.counts() == before


async def test_the_page_itself_may_say_its_origin(web: WebChat) -> None:
    status, data = await _post(web, {**PAGE_HEADERS, "Origin": web.base})
    assert status == 200, data
    await web.settled()
    timeline = await web.timeline(ANN)
    assert any(m["message"]["slot"] == "card" for m in timeline["messages"])


@pytest.mark.parametrize("path", ["/", "/web/static/app.js", "/web/api/channels/team?as=web:ann"])
async def test_a_foreign_host_name_reads_nothing(web: WebChat, path: str) -> None:
    await web.say(ANN, "/dialoog start incident")
    port = web.base.rsplit(":", 1)[1]
    # DNS rebinding: evil.example now resolves to 127.0.0.1, the browser says its name.
    headers = {"Host": f"evil.example:{port}"}
    async with web.http.get(f"{web.base}{path}", headers=headers) as response:
        assert response.status == 403
        data = await response.json()
    assert data["error"] == "foreign_host"
    assert f"open http://127.0.0.1:{port}/" in data["message"]
    assert "Incidentmethode" not in json.dumps(data)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
async def test_this_computers_own_names_are_served(web: WebChat, host: str) -> None:
    port = web.base.rsplit(":", 1)[1]
    async with web.http.get(f"{web.base}/", headers={"Host": f"{host}:{port}"}) as response:
        assert response.status == 200


@pytest.fixture
def public_runtime(database_url: str, clock: ManualClock) -> Iterator[Runtime]:
    settings = Settings(
        DIALOOG_DATABASE_URL=database_url,
        DIALOOG_WEB_CHAT="on",
        DIALOOG_PUBLIC_URL="https://intervisie.school.example",
    )
    with wired(settings, clock) as built:
        yield built


async def test_the_public_url_names_one_more_host(public_runtime: Runtime) -> None:
    async with running(public_runtime) as url, aiohttp.ClientSession() as http:
        headers = {"Host": "intervisie.school.example"}
        async with http.get(f"{url}/", headers=headers) as response:
            assert response.status == 200
        async with http.get(f"{url}/", headers={"Host": "evil.example"}) as response:
            assert response.status == 403
