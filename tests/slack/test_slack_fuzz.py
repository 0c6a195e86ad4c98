"""Every field of every Slack payload we take, replaced by what a broken or hostile
sender might put there, signed as Slack signs: never a 5xx, never a traceback.

Each case starts from a real request of the round (the slash command, a click on
the card, a modal submission, a thread reply) and changes one field: removes it,
or puts in a value of another type, an empty or huge one, NUL, a lone surrogate.
"""

from __future__ import annotations

import functools
import json
import logging
import urllib.parse
from typing import Any

import pytest

from bot.runtime import Runtime
from tests.fakes.slack_api import FakeSlack
from tests.fuzzing import assert_quiet, fuzzed
from tests.slack.driver import ANN, BOB, Slack, card_ts, find_button
from tests.slack.flows import card_shows, collecting

Json = dict[str, Any]


async def _requests(slack: Slack, slack_api: FakeSlack) -> dict[str, Json]:
    """One real request of each kind, in a round at its first collect step."""
    await collecting(slack)
    card = slack.card()
    button, block_id = find_button(card, "Schrijf")
    click = slack.click_payload(
        ANN, button, block_id, message_ts=card_ts(slack_api), channel=slack.channel
    )
    view = await slack.modal(ANN, "Schrijf")
    submit = slack.submit_payload(ANN, view, {"Jouw bijdrage": "Een ouder belde boos."})
    reply = slack.message_event(BOB, "Een leerling liep weg.", thread_ts=card_ts(slack_api))
    command = slack.command_body(ANN, "status")
    return {"block_actions": click, "view_submission": submit, "event": reply, "command": command}


async def _send(slack: Slack, kind: str, payload: Json) -> int:
    if kind == "command":
        body = urllib.parse.urlencode({k: _form_value(v) for k, v in payload.items()})
        return (await slack.post(body, "application/x-www-form-urlencoded")).status
    if kind == "event":
        return (await slack.post_event(payload)).status
    return (await slack.post_payload(payload)).status


def _form_value(value: Any) -> str:
    # A form field is text; what is not, Slack could only send as its JSON.
    text = value if isinstance(value, str) else json.dumps(value)
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


async def test_no_field_of_any_payload_gets_a_5xx_or_a_traceback(
    slack: Slack, slack_api: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    requests = await _requests(slack, slack_api)
    count, failures = await fuzzed(
        requests, functools.partial(_send, slack), caplog, forms={"command"}
    )
    await slack_api.settle()
    assert count > 1000, "every field of every kind was tried"
    assert failures == []
    assert_quiet(caplog)


async def test_json_nested_too_deep_is_refused_before_it_is_parsed(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    deep = "[" * 100_000 + "]" * 100_000
    assert (await slack.post(deep, "application/json")).status == 400
    form = urllib.parse.urlencode({"payload": deep})
    answer = await slack.post(form, "application/x-www-form-urlencoded")
    assert answer.status == 400
    assert json.loads(answer.text)["reason"] == "nested deeper than 32"
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text


async def test_a_nul_or_half_a_character_is_left_out_and_the_writer_is_told(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await collecting(slack)
    # As Slack's JSON carries them: the escapes \u0000 and a lone \ud83d.
    answer = await slack.reply_in_thread(BOB, "Een leerling\x00 liep weg \ud83d uit de les.")
    assert answer.status == 200
    await card_shows(slack, "Een leerling liep weg \ufffd uit de les.")
    calls = await slack_api.wait_for(
        lambda calls: any("niet bewaard kunnen worden" in c.text_of_blocks() for c in calls),
        what="a note to Bob",
    )
    [note] = [c for c in calls if "niet bewaard kunnen worden" in c.text_of_blocks()]
    assert note.method == "chat.postEphemeral" and note.args["user"] == BOB.id
