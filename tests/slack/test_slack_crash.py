"""What a person wrote is stored before Slack gets its 200.

Slack never sends a delivery again after a 2xx. These tests run `dialoog serve` as
a process of its own (tests/fakes/process.py), play a round up to a step that
takes texts, send one text, and SIGKILL the process the moment the 200 arrives:
no shutdown hook, no work after the answer. The text must be in the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.runtime import Runtime
from tests.fakes.process import ServerProcess, contributions, serving
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import BOT_TOKEN
from tests.slack.driver import ANN, BOB, SIGNING_SECRET, Slack
from tests.slack.flows import collecting

TEXT = "Een ouder belde boos op zondagavond over de cijfers."


@pytest.fixture
async def slack_process(
    database_url: str, slack_api: FakeSlack, tmp_path: Path
) -> AsyncIterator[ServerProcess]:
    env = {
        "DIALOOG_DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.api_url,
        "DIALOOG_WEB_CHAT": "off",
    }
    async with serving(env, workdir=tmp_path) as server:
        yield server


async def test_a_thread_reply_is_stored_before_slack_gets_its_200(
    slack_process: ServerProcess, slack_api: FakeSlack, reader: Runtime
) -> None:
    async with aiohttp.ClientSession() as http:
        slack = Slack(http, slack_process.url, slack_api)
        await collecting(slack)
        answer = await slack.reply_in_thread(BOB, TEXT)
        await slack_process.killed()
    assert answer.status == 200
    assert TEXT in contributions(reader)


async def test_a_modal_text_is_stored_before_slack_gets_its_200(
    slack_process: ServerProcess, slack_api: FakeSlack, reader: Runtime
) -> None:
    async with aiohttp.ClientSession() as http:
        slack = Slack(http, slack_process.url, slack_api)
        await collecting(slack)
        view = await slack.modal(ANN, "Schrijf")
        answer = await slack.submit(ANN, view, {"Jouw bijdrage": TEXT})
        await slack_process.killed()
    assert answer.status == 200, answer.text
    assert TEXT in contributions(reader)
