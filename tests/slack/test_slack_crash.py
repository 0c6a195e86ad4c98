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
from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.conftest import BOT_TOKEN
from tests.slack.driver import ANN, BOB, CHANNEL, SIGNING_SECRET, Slack
from tests.slack.flows import card_shows, collecting

TEXT = "Een ouder belde boos op zondagavond over de cijfers."


def _env(database_url: str, slack_api: FakeSlack) -> dict[str, str]:
    return {
        "DIALOOG_DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.api_url,
        "DIALOOG_WEB_CHAT": "off",
    }


@pytest.fixture
async def slack_process(
    database_url: str, slack_api: FakeSlack, tmp_path: Path
) -> AsyncIterator[ServerProcess]:
    async with serving(_env(database_url, slack_api), workdir=tmp_path) as server:
        yield server


async def test_a_thread_reply_is_stored_before_slack_gets_its_200(
    slack_process: ServerProcess,
    slack_api: FakeSlack,
    reader: Runtime,
    database_url: str,
    tmp_path: Path,
) -> None:
    second = "Een leerling liep weg uit de les."
    async with aiohttp.ClientSession() as http:
        slack = Slack(http, slack_process.url, slack_api)
        await collecting(slack)
        answer = await slack.reply_in_thread(BOB, TEXT)
        await slack_process.killed()
        assert answer.status == 200
        # Started again on the same database, and killed again right after the 200.
        async with serving(_env(database_url, slack_api), workdir=tmp_path) as again:
            slack = Slack(http, again.url, slack_api)
            answer = await slack.reply_in_thread(ANN, second)
            await again.killed()
    assert answer.status == 200
    assert sorted(contributions(reader)) == sorted([TEXT, second])


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


def _top_level_posts(calls: list[Call]) -> list[Call]:
    return [
        c
        for c in calls
        if c.method == "chat.postMessage"
        and c.args.get("channel") == CHANNEL
        and not c.args.get("thread_ts")
    ]


async def test_a_restart_during_the_first_card_post_leaves_one_card(
    database_url: str, slack_api: FakeSlack, tmp_path: Path
) -> None:
    env = _env(database_url, slack_api)
    # Slack takes its time with the card: the server is killed while it does.
    slack_api.delay("chat.postMessage", 1.0)
    async with aiohttp.ClientSession() as http:
        async with serving(env, workdir=tmp_path) as first:
            slack = Slack(http, first.url, slack_api)
            assert (await slack.command(ANN, "start incident")).status == 200
            await slack_api.wait_for(lambda calls: bool(_top_level_posts(calls)), what="the card")
            await first.killed()
        await slack_api.wait_for(
            lambda calls: all(c.response for c in _top_level_posts(calls)),
            what="Slack to have posted the card anyway",
        )
        slack_api.delay("chat.postMessage", 0.0)
        async with serving(env, workdir=tmp_path) as second:
            slack = Slack(http, second.url, slack_api)
            await slack_api.wait_for(
                lambda calls: any("is gestart door" in c.text_of_blocks() for c in calls),
                what="the notice that the round started",
            )
            assert (await slack.click(BOB, "Meedoen")).status == 200
            await card_shows(slack, "bob")

    [card] = _top_level_posts(slack_api.calls)
    assert card.response is not None
    [notice] = [c for c in slack_api.calls if "is gestart door" in c.text_of_blocks()]
    assert notice.args.get("thread_ts") == card.response["ts"], "the notice is in its thread"
