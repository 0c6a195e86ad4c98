"""What a person wrote is stored before Teams gets its 202.

Teams never sends a delivery again after a 2xx. These tests run `dialoog serve` as
a process of its own (tests/fakes/process.py), play a round up to a step that
takes texts, send one text, and SIGKILL the process the moment the 202 arrives:
no shutdown hook, no work after the answer. The text must be in the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector, buttons_of
from tests.fakes.process import ServerProcess, contributions, serving
from tests.teams.traffic import ANN, BOB, CHANNEL, Teams, press, settled

TEXT = "Een ouder belde boos op zondagavond over de cijfers."


@pytest.fixture
async def teams_process(database_url: str, tmp_path: Path) -> AsyncIterator[ServerProcess]:
    env = {
        "DIALOOG_DATABASE_URL": database_url,
        "DIALOOG_TEAMS_LOCAL": "on",
        "DIALOOG_WEB_CHAT": "off",
    }
    async with serving(env, workdir=tmp_path) as server:
        yield server


async def test_a_form_submit_is_stored_before_teams_gets_its_202(
    teams_process: ServerProcess, connector: FakeConnector, reader: Runtime
) -> None:
    async with aiohttp.ClientSession() as http:
        teams = Teams(http, teams_process.url, connector)
        assert (await teams.send(teams.channel_message(ANN, "start incident"))).status == 202
        await settled(reader, connector)
        root = connector.in_conversation(CHANNEL)[0].id
        await press(teams, reader, BOB, "join", root)
        await press(teams, reader, ANN, "advance", root)  # the ground rules
        await press(teams, reader, ANN, "advance", root)  # the incidents: a collect step
        await press(teams, reader, BOB, "open_form", root)
        chat = connector.personal_chat_of(BOB.teams_id)
        assert chat is not None, "Bob's form went to his personal chat"
        form = connector.in_conversation(chat)[-1]
        [submit] = buttons_of(form.activity)
        inputs = {i["id"]: TEXT for i in submit["inputs"] if i["type"] == "Input.Text"}
        click = teams.click(BOB, submit, on=form.id, conversation=chat, inputs=inputs)
        response = await teams.send(click)
        await teams_process.killed()
    assert response.status == 202
    assert TEXT in contributions(reader)
