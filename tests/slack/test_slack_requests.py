"""What reaches /slack/events: only signed, fresh, well-formed requests; each once."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import make_mocked_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.async_request import AsyncBoltRequest
from sqlalchemy import func, select

import storage
from bot.channels.slack import payloads
from bot.channels.slack.app import _bolt_request
from bot.channels.slack.quiet import library_logger
from bot.failures import log_failure
from bot.runtime import Runtime
from tests.fakes.slack_api import FakeSlack
from tests.slack.driver import ANN, BOB, DEE, SIGNING_SECRET, Slack, signature_headers
from tests.slack.flows import card_shows, collecting, private_answer, started

SECRET_TEXT = "GEHEIM-leerling-Sanne-uit-2B"


def _count(runtime: Runtime, kind: str | None = None) -> int:
    with runtime.sessions() as session:
        if kind is None:
            query = select(func.count()).select_from(storage.OutboxMessage)
        else:
            query = select(func.count()).where(storage.RoundEvent.kind == kind)
        return session.scalar(query) or 0


async def test_a_request_with_a_forged_signature_gets_401_and_changes_nothing(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    body = slack.command_body(ANN, "start incident")
    answer = await slack.post_form(body, secret="not-the-signing-secret")
    assert answer.status == 401
    await slack_api.settle()
    assert slack_api.calls_to("chat.postMessage", "response_url") == []
    assert _count(slack_runtime) == 0


async def test_a_request_with_a_stale_timestamp_gets_401(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    # Signed correctly, but six minutes ago: Slack's window is five.
    body = slack.command_body(ANN, "start incident")
    answer = await slack.post_form(body, timestamp=int(time.time()) - 6 * 60)
    assert answer.status == 401
    await slack_api.settle()
    assert _count(slack_runtime) == 0


async def test_a_request_without_a_signature_gets_401(slack: Slack) -> None:
    answer = await slack.post_form(slack.command_body(ANN, "help"), signed=False)
    assert answer.status == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=%7Bthis+is+not+json", "application/x-www-form-urlencoded"),
        ('{"type": "event_callback", "event": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
    ],
    ids=["payload-not-json", "truncated-json", "json-array", "payload-array"],
)
async def test_a_malformed_payload_gets_400_and_the_server_stays_up(
    slack: Slack, slack_server: str, http: aiohttp.ClientSession, body: str, content_type: str
) -> None:
    answer = await slack.post(body, content_type)
    assert answer.status == 400
    async with http.get(f"{slack_server}/healthz") as response:
        assert response.status == 200
    assert (await slack.command(ANN, "help")).status == 200


async def test_a_body_that_is_not_utf8_gets_400(slack: Slack) -> None:
    raw = b"payload=\xff\xfe"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    # Signed over the bytes as Slack would; the body still cannot be read.
    headers.update(signature_headers(raw.decode("latin-1")))
    async with slack.http.post(slack.url, data=raw, headers=headers) as response:
        assert response.status in (400, 401)


async def test_slack_verifying_the_events_url_gets_the_challenge_back(slack: Slack) -> None:
    body = {
        "token": "x",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification",
    }
    answer = await slack.post_event(body)
    assert answer.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in answer.text


async def test_a_retried_thread_reply_is_counted_once(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await collecting(slack)
    event = slack.message_event(BOB, "Een leerling liep weg.", thread_ts=_card_ts(slack))
    assert (await slack.post_event(event)).status == 200
    await card_shows(slack, "Een leerling liep weg.")
    await slack_api.settle()
    events, queued, calls = (
        _count(slack_runtime, "contribution_added"),
        _count(slack_runtime),
        len(slack_api.calls),
    )

    # Slack did not see our answer in time and sends the same event again, twice.
    for attempt in ("1", "2"):
        retry = {"X-Slack-Retry-Num": attempt, "X-Slack-Retry-Reason": "http_timeout"}
        assert (await slack.post_event(event, headers=retry)).status == 200
    await slack_api.settle()

    assert _count(slack_runtime, "contribution_added") == events == 1
    assert _count(slack_runtime) == queued
    assert len(slack_api.calls) == calls
    assert slack.card().text_of_blocks().count("Een leerling liep weg.") == 1


async def test_a_slash_command_delivered_twice_starts_one_round(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    body = slack.command_body(ANN, "start incident")
    assert (await slack.post_form(body)).status == 200
    assert (await slack.post_form(body, headers={"X-Slack-Retry-Num": "1"})).status == 200
    await card_shows(slack, "Incidentmethode")
    await slack_api.settle()
    assert _count(slack_runtime, "round_started") == 1
    tops = [c for c in slack_api.calls_to("chat.postMessage") if not c.args.get("thread_ts")]
    assert len(tops) == 1


async def test_the_app_answers_slack_before_the_work_is_done(
    slack: Slack, slack_api: FakeSlack
) -> None:
    await collecting(slack)
    # Opening the form is slow today; Slack must still have its answer at once.
    slack_api.delay("views.open", 2.5)
    answer = await slack.click(ANN, "Schrijf")
    answered = time.monotonic()
    assert answer.status == 200
    calls = await slack_api.wait_for(
        lambda calls: any(c.method == "views.open" and c.answered_at for c in calls)
    )
    opened = next(c for c in calls if c.method == "views.open")
    # Slack had its answer before the work after it (opening the form) was done.
    assert opened.answered_at is not None and answered < opened.answered_at


async def test_replies_that_are_not_contributions_are_left_alone(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await collecting(slack)
    thread = _card_ts(slack)
    edited = slack.message_event(BOB, "Aangepast", thread_ts=thread)
    edited["event"]["subtype"] = "message_changed"
    from_a_bot = slack.message_event(BOB, "Ik ben een bot", thread_ts=thread)
    from_a_bot["event"]["bot_id"] = "B0OTHER"
    joined = slack.message_event(DEE, "heeft zich bij het kanaal gevoegd", thread_ts=thread)
    joined["event"]["subtype"] = "channel_join"
    top_level = slack.message_event(BOB, "Los bericht in het kanaal", thread_ts="")
    elsewhere = slack.message_event(BOB, "In een andere draad", thread_ts="1700000000.000001")
    not_joined = slack.message_event(DEE, "Ik doe niet mee maar zeg wat", thread_ts=thread)
    for event in (edited, from_a_bot, joined, top_level, elsewhere, not_joined):
        assert (await slack.post_event(event)).status == 200
    await slack_api.settle()
    assert _count(slack_runtime, "contribution_added") == 0
    assert slack_api.calls_to("chat.postEphemeral") == []


async def test_a_click_by_someone_who_did_not_join_gets_a_polite_private_no(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await started(slack, BOB)
    await slack.click(ANN, "Start de eerste stap")
    await card_shows(slack, "Spelregels")
    acks = _count(slack_runtime, "acknowledged")
    assert (await slack.click(DEE, "Gelezen")).status == 200
    answer = await private_answer(slack)
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["replace_original"] is False
    assert "Je doet nog niet mee aan deze ronde. Klik eerst op *Meedoen*." in (
        answer.text_of_blocks()
    )
    assert _count(slack_runtime, "acknowledged") == acks


async def test_the_command_answers_privately_in_the_teams_language(
    slack: Slack, slack_api: FakeSlack
) -> None:
    await slack.command(ANN, "taal en")
    await slack_api.wait_for(lambda calls: any(c.method == "response_url" for c in calls))
    await slack.command(ANN, "strat")
    calls = await slack_api.wait_for(
        lambda calls: len([c for c in calls if c.method == "response_url"]) >= 2
    )
    said = [c.text_of_blocks() for c in calls if c.method == "response_url"]
    assert "This channel now speaks English." in said[0]
    assert "I don't know `strat`. Did you mean `start`?" in said[1]


async def test_start_without_a_method_offers_a_choice_that_starts_the_round(
    slack: Slack, slack_api: FakeSlack
) -> None:
    await slack.command(ANN, "start")
    calls = await slack_api.wait_for(lambda calls: any(c.method == "response_url" for c in calls))
    choice = next(c for c in calls if c.method == "response_url")
    assert "Welke methode wil je starten?" in choice.text_of_blocks()
    assert (await slack.click(ANN, "Incidentmethode", on=choice)).status == 200
    await card_shows(slack, "Incidentmethode")
    # The choice is taken away once it has served.
    await slack_api.wait_for(
        lambda calls: any(
            c.method == "response_url" and c.args.get("delete_original") for c in calls
        )
    )


def _card_ts(slack: Slack) -> str:
    from tests.slack.driver import card_ts

    return card_ts(slack.api)


async def test_no_contribution_or_request_body_reaches_the_log(
    slack: Slack, slack_api: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await collecting(slack)
    # A contribution through a modal and one in the thread.
    view = await slack.modal(ANN, "Schrijf")
    await slack.submit(ANN, view, {"Jouw bijdrage": f"{SECRET_TEXT} in de modal"})
    await slack.reply_in_thread(BOB, f"{SECRET_TEXT} in de draad")
    await card_shows(slack, f"{SECRET_TEXT} in de draad")
    # A forged request, a stale one and a malformed one, all with the secret inside.
    body = slack.command_body(ANN, f"start {SECRET_TEXT}")
    await slack.post_form(body, secret="wrong")
    await slack.post_form(body, timestamp=int(time.time()) - 3600)
    await slack.post(f"payload=%7B%22{SECRET_TEXT}", "application/x-www-form-urlencoded")
    # Slack refusing and rate limiting while the app sends.
    slack_api.fail("chat.update", "ratelimited", retry_after=0)
    slack_api.fail("chat.postMessage", "invalid_blocks", when=lambda a: bool(a.get("thread_ts")))
    await slack.reply_in_thread(ANN, f"{SECRET_TEXT} nog een keer")
    await slack.command(ANN, f"onzin {SECRET_TEXT}")
    await slack_api.settle()

    assert any("slack" in r.name for r in caplog.records), "the test saw the log at all"
    for record in caplog.records:
        seen = " ".join(
            str(part)
            for part in (record.getMessage(), record.args, record.exc_text, record.stack_info)
        )
        assert SECRET_TEXT not in seen, (record.name, record.levelname)
        assert "Sanne" not in seen


async def test_bolts_own_check_of_a_bad_signature_logs_no_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Our endpoint refuses a bad signature before Bolt sees it; Bolt's own check
    # (which logs the whole body at INFO) must stay quiet behind it as well.
    caplog.set_level(logging.DEBUG)
    bolt = AsyncApp(logger=library_logger(), signing_secret="the-secret", token="xoxb-x")
    request = AsyncBoltRequest(
        body=f"command=%2Fdialoog&text={SECRET_TEXT}",
        headers={
            "x-slack-signature": "v0=0000",
            "x-slack-request-timestamp": str(int(time.time())),
        },
    )
    response = await bolt.async_dispatch(request)
    assert response.status == 401
    assert SECRET_TEXT not in caplog.text


@pytest.mark.parametrize("signed", [True, False])
async def test_bolt_checks_the_signature_of_the_body_we_read_for_it_too(signed: bool) -> None:
    # The endpoint parses the body once and hands Bolt the result; Bolt's own check
    # must still see an HTTP request and its raw text (not skip it as for Socket Mode).
    async def authorize(**_: Any) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-x")

    bolt = AsyncApp(logger=library_logger(), signing_secret=SIGNING_SECRET, authorize=authorize)
    heard: list[str] = []

    @bolt.command("/dialoog")
    async def command(ack: Any, command: dict[str, Any]) -> None:
        heard.append(command["text"])
        await ack()

    raw = "command=%2Fdialoog&text=status&team_id=T1&channel_id=C1&user_id=U1"
    headers = signature_headers(raw if signed else raw.replace("status", "stop"))
    read = payloads.read(raw, "application/x-www-form-urlencoded")
    request = make_mocked_request(
        "POST",
        "/slack/events",
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = await bolt.async_dispatch(_bolt_request(raw, read.body, request))
    assert (response.status, heard) == ((200, ["status"]) if signed else (401, []))


async def test_an_uninstall_with_one_workspace_is_answered_and_logged(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    event = slack.message_event(ANN, "", thread_ts="")
    event["event"] = {"type": "app_uninstalled", "event_ts": "1764000000.000001"}
    assert (await slack.post_event(event)).status == 200
    for _ in range(50):
        if "app_uninstalled for team T0DIALOOG" in caplog.text:
            break
        await asyncio.sleep(0.02)
    assert (
        "slack: app_uninstalled for team T0DIALOOG; the bot can no longer work there" in caplog.text
    )


def test_an_unexpected_error_is_logged_by_type_and_place_not_by_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # SQLAlchemy, for one, puts a failed statement's parameters in the message.
    try:
        raise ValueError(f"INSERT ... [parameters: ('{SECRET_TEXT}',)]")
    except ValueError as error:
        log_failure(logging.getLogger("bot.channels.slack.test"), "slack: it failed", error)
    (record,) = caplog.records
    assert record.levelname == "ERROR"
    assert "slack: it failed: ValueError" in record.getMessage()
    assert "test_slack_requests.py" in record.getMessage()
    assert SECRET_TEXT not in caplog.text
