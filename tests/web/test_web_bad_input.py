"""Bad input to the web chat gets a clear answer in the team's language and changes nothing."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest

from bot.channels.web.requests import MAX_BODY
from bot.config import Settings
from bot.runtime import build_runtime
from tests.fakes.clock import ManualClock
from tests.fakes.server import running
from tests.web.conftest import ANN, BOB, PAGE_HEADERS, WebChat


@pytest.fixture
async def round_id(web: WebChat) -> str:
    started = await web.say(ANN, "/dialoog start incident")
    await web.click(BOB, "join", round_id=started["round_id"])
    rid: str = started["round_id"]
    return rid


async def unchanged(web: WebChat, before: tuple[int, int]) -> None:
    await web.settled()
    assert web.counts() == before


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{", "bad_json"),
        (b"", "bad_json"),
        (b"\xff\xfe", "bad_json"),
        (b"[1, 2]", "bad_request"),
        (b'"click"', "bad_request"),
    ],
)
async def test_a_body_that_is_no_json_object_is_refused(
    web: WebChat, round_id: str, raw: bytes, code: str
) -> None:
    before = web.counts()
    for path in ("say", "click", "fill-in"):
        answer = await web.post_raw(path, raw)
        assert answer.status == 400
        assert answer.data["error"] == code
        assert "Er is niets veranderd." in answer.data["message"]
    await unchanged(web, before)


async def test_an_unknown_action_is_refused(web: WebChat, round_id: str) -> None:
    before = web.counts()
    body = {"as": ANN, "action": "delete_everything", "value": "", "round_id": round_id}
    answer = await web.post("click", body)
    assert answer.status == 400
    assert answer.data == {
        "error": "unknown_action",
        "message": "Die knop of dat formulier kent dialoog niet. Er is niets veranderd.",
    }
    await unchanged(web, before)


async def test_a_click_on_a_round_without_its_round_id_is_refused(
    web: WebChat, round_id: str
) -> None:
    before = web.counts()
    answer = await web.post("click", {"as": ANN, "action": "advance", "value": ""})
    assert answer.status == 400
    assert answer.data["error"] == "bad_request"
    assert "'round_id' ontbreekt" in answer.data["message"]
    await unchanged(web, before)


async def test_a_round_that_does_not_exist_answers_404(web: WebChat, round_id: str) -> None:
    before = web.counts()
    for path, body in (
        ("click", {"as": ANN, "action": "advance", "round_id": "no-such-round"}),
        ("fill-in", {"as": ANN, "round_id": "no-such-round"}),
    ):
        answer = await web.post(path, body)
        assert answer.status == 404
        assert answer.data["error"] == "no_round"
    await unchanged(web, before)


async def test_a_round_of_another_channel_is_not_reached_from_this_one(
    web: WebChat, round_id: str
) -> None:
    before = web.counts()
    body = {"as": ANN, "action": "cancel", "round_id": round_id}
    answer = await web.post("click", body, channel="elsewhere")
    assert answer.status == 404 and answer.data["error"] == "no_round"
    answer = await web.post("fill-in", {"as": ANN, "round_id": round_id}, channel="elsewhere")
    assert answer.status == 404
    await unchanged(web, before)
    state = web.runtime.service.round(round_id)
    assert state is not None and state.status == "gathering"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"as": ANN, "action": 7, "round_id": "r"}, "'action' moet tekst zijn"),
        ({"as": ANN, "action": "join", "round_id": ["r"]}, "'round_id' moet tekst zijn"),
        ({"as": ANN, "action": "join", "value": {"a": 1}, "round_id": "r"}, "'value'"),
        ({"as": ANN, "action": "contribute", "round_id": "r", "fields": [1]}, "'fields'"),
        ({"as": ANN, "action": "contribute", "round_id": "r", "fields": {"t": 1}}, "'fields'"),
        ({"as": ANN, "action": "vote", "round_id": "r", "fields": {"items": [1]}}, "'fields'"),
        ({"as": ANN, "action": "join", "round_id": "r", "key": "a b"}, "'key'"),
        ({"as": ANN, "action": "join", "round_id": "r" * 65}, "'round_id' is te lang"),
        ({"action": "join", "round_id": "r"}, "'as' ontbreekt"),
        ({"as": 3, "action": "join", "round_id": "r"}, "'as' moet tekst zijn"),
    ],
)
async def test_wrong_types_in_a_click_are_refused(
    web: WebChat, round_id: str, body: dict[str, Any], problem: str
) -> None:
    before = web.counts()
    body = {k: (round_id if v == "r" else v) for k, v in body.items()}
    answer = await web.post("click", body)
    assert answer.status == 400
    assert answer.data["error"] == "bad_request"
    assert problem in answer.data["message"]
    await unchanged(web, before)


async def test_an_unknown_colleague_is_refused(web: WebChat, round_id: str) -> None:
    before = web.counts()
    answer = await web.post("click", {"as": "web:mallory", "action": "join", "round_id": round_id})
    assert answer.status == 400
    assert answer.data["error"] == "unknown_colleague"
    assert "Ann, Bob, Cas, Dee of Eva" in answer.data["message"]
    answer = await web.post("say", {"as": "slack:U1", "text": "/dialoog stop"})
    assert answer.status == 400
    async with web.http.get(f"{web.api()}?as=web:mallory") as response:
        assert response.status == 400
    await unchanged(web, before)


async def test_an_empty_or_missing_text_is_refused(web: WebChat, round_id: str) -> None:
    before = web.counts()
    for body in ({"as": ANN, "text": "   "}, {"as": ANN}, {"as": ANN, "text": None}):
        answer = await web.post("say", body)
        assert answer.status == 400 and answer.data["error"] == "bad_request"
    await unchanged(web, before)


async def test_an_oversized_body_answers_413(web: WebChat, round_id: str) -> None:
    before = web.counts()
    text = "x" * (MAX_BODY + 10)
    answer = await web.post("say", {"as": ANN, "text": text})
    assert answer.status == 413
    assert answer.data["error"] == "too_large"
    assert str(MAX_BODY) in answer.data["message"]

    # Also when the body comes in chunks, without a length up front.
    async def chunks() -> Any:
        for _ in range(MAX_BODY // 1024 + 2):
            yield b"x" * 1024

    url = f"{web.api()}/click"
    async with web.http.post(url, data=chunks(), headers=PAGE_HEADERS) as response:
        assert response.status == 413
    await unchanged(web, before)


async def test_a_channel_name_that_is_not_a_slug_answers_404(web: WebChat) -> None:
    async with aiohttp.ClientSession() as http:
        for name in ("Team", "-x", "a" * 41, "%3Cb%3E"):
            async with http.get(f"{web.base}/web/api/channels/{name}?as={ANN}") as response:
                assert response.status == 404
                data = await response.json()
                assert data["error"] == "no_channel"


async def test_a_bad_cursor_is_refused(web: WebChat) -> None:
    async with web.http.get(f"{web.api()}?as={ANN}&after=-1") as response:
        assert response.status == 400
        assert "'after' moet een getal zijn" in (await response.json())["message"]


async def test_errors_speak_the_teams_language(web: WebChat, round_id: str) -> None:
    await web.click(ANN, "cancel", round_id=round_id)
    await web.say(ANN, "/dialoog language en")
    answer = await web.post("click", {"as": ANN, "action": "nope", "round_id": round_id})
    assert (
        answer.data["message"] == "dialoog does not know that button or form. Nothing was changed."
    )


async def test_a_refused_command_is_an_answer_not_an_error(web: WebChat, round_id: str) -> None:
    before = web.counts()
    # Bob is no facilitator: the round refuses, in words, and stays as it was.
    answer = await web.click(BOB, "advance", "", round_id=round_id)
    assert answer["accepted"] is False
    assert answer["error_code"] == "only_facilitator"
    assert "Ann" in answer["messages"][0]["text"]
    await unchanged(web, before)


async def test_a_repeated_click_with_the_same_key_counts_once(web: WebChat, round_id: str) -> None:
    body = {"as": "web:cas", "action": "join", "round_id": round_id, "key": "abc-123"}
    first = await web.post("click", body)
    second = await web.post("click", body)
    assert first.status == second.status == 200
    assert first.data["accepted"] and second.data["accepted"]
    state = web.runtime.service.round(round_id)
    assert state is not None and list(state.participants).count("web:cas") == 1


async def test_without_its_database_the_web_chat_answers_503_and_logs_no_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # Nothing listens on port 1: the server runs, its database does not answer.
    settings = Settings(
        DIALOOG_DATABASE_URL="postgresql://postgres@127.0.0.1:1/nowhere", DIALOOG_WEB_CHAT="on"
    )
    runtime = build_runtime(settings, clock=ManualClock(), migrate=False)
    try:
        async with running(runtime) as url, aiohttp.ClientSession() as http:
            api = f"{url}/web/api/channels/team"
            async with http.get(f"{api}?as={ANN}") as response:
                assert response.status == 503
                assert (await response.json())["error"] == "unavailable"
            body = {"as": ANN, "text": "Geheim-7"}
            async with http.post(f"{api}/say", json=body, headers=PAGE_HEADERS) as response:
                assert response.status == 503
                data = await response.json()
                assert data["message"].startswith("dialoog kan zijn database nu niet bereiken")
            async with http.get(f"{api}/events") as response:
                assert response.status == 503
    finally:
        runtime.engine.dispose()
    assert "database error OperationalError" in caplog.text
    assert "Geheim-7" not in caplog.text


async def test_a_static_name_of_5000_characters_is_not_found_and_not_logged(
    web: WebChat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    name = "a" * 5000 + ".js"
    async with web.http.get(f"{web.base}/web/static/{name}") as response:
        assert response.status == 404
    for bad in ("..%2Fapp.js", ".app.js", "app.JS", "app.py", "%00.js"):
        async with web.http.get(f"{web.base}/web/static/{bad}") as response:
            assert response.status == 404, bad
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot."))
    assert "a" * 100 not in ours
    assert "Traceback" not in caplog.text


async def test_a_line_with_nul_or_half_a_character_is_posted_without_them_and_says_so(
    web: WebChat,
) -> None:
    data = await web.say(ANN, "Goedemorgen\x00 allemaal \ud83d!")
    assert data["posted"] is True
    assert any("niet bewaard kunnen worden" in m["text"] for m in data["messages"])
    timeline = await web.timeline(BOB)
    assert "Goedemorgen allemaal \ufffd!" in [m["message"]["text"] for m in timeline["messages"]]
