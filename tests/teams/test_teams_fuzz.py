"""Every field of every kind of Teams activity we take, replaced by what a broken or
hostile sender might put there: never a 5xx, never a traceback.

Local mode (no app id) takes unauthenticated activities from this machine, so
the fuzzed activities reach everything behind the token check.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector
from tests.fuzzing import Path, assert_quiet, fuzzed
from tests.teams.flows import started
from tests.teams.traffic import ANN, BOB, CHANNEL, Teams, member, settled

Json = dict[str, Any]


async def _activities(teams: Teams, connector: FakeConnector, runtime: Runtime) -> dict[str, Json]:
    """One real activity of each kind, in a round that has started."""
    game = await started(teams, runtime)
    root = game.root
    join = game.button("join")
    assert join is not None
    thread = f"{CHANNEL};messageid={root}"
    click = teams.click(BOB, join, on=root, conversation=thread)
    invoke = teams.click(BOB, join, on=root, conversation=thread)
    invoke.update(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "data": join["data"]}},
    )
    return {
        "command": teams.channel_message(ANN, "status"),
        "thread_reply": teams.channel_message(BOB, "Een leerling liep weg.", thread=root),
        "personal": teams.personal_message(ANN, "help"),
        "click": click,
        "invoke": invoke,
        "members_added": teams.conversation_update(added=[member(BOB)], event="teamMemberAdded"),
    }


async def test_no_field_of_any_activity_gets_a_5xx_or_a_traceback(
    teams: Teams, connector: FakeConnector, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    activities = await _activities(teams, connector, runtime)

    async def send(_kind: str, activity: Json) -> int:
        return (await teams.send(activity)).status

    def expected(kind: str, path: Path, status: int) -> bool:
        # Another invoke than Action.Execute: not offered, on purpose.
        return kind == "invoke" and path == ("name",) and status == 501

    count, failures = await fuzzed(activities, send, caplog, expected=expected)
    await settled(runtime, connector)
    assert count > 1000, "every field of every kind was tried"
    assert failures == []
    assert_quiet(caplog)


async def test_json_nested_too_deep_is_refused_before_it_is_parsed(
    teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    deep = "[" * 100_000 + "]" * 100_000
    headers = {"Content-Type": "application/json"}
    async with teams.http.post(f"{teams.server}/api/messages", data=deep, headers=headers) as r:
        assert r.status == 400
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text
