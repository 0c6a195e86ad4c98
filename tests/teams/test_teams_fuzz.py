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
from tests.fakes.bot_connector import FakeConnector, buttons_of
from tests.fuzzing import mutations, paths
from tests.teams.traffic import ANN, BOB, CHANNEL, Teams, member, settled

Json = dict[str, Any]


async def _activities(teams: Teams, connector: FakeConnector, runtime: Runtime) -> dict[str, Json]:
    """One real activity of each kind, in a round that has started."""
    await teams.send(teams.channel_message(ANN, "start incident"))
    await settled(runtime, connector)
    root = connector.in_conversation(CHANNEL)[0].id
    buttons = buttons_of(connector.current(root))
    join = next(b for b in buttons if b["data"]["dialoog"]["action"] == "join")
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
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    failures: list[str] = []
    count = 0
    for kind, activity in activities.items():
        for path in paths(activity):
            for changed in mutations(activity, path):
                count += 1
                status = (await teams.send(changed)).status
                if kind == "invoke" and path == ("name",) and status == 501:
                    continue  # another invoke than Action.Execute: not offered, on purpose
                if status >= 500:
                    failures.append(f"{kind} {'.'.join(map(str, path))}: {status}")
    await settled(runtime, connector)
    print(f"teams fuzz: {count} cases, {len(failures)} answered >= 500")
    assert count > 1000, "every field of every kind was tried"
    assert failures == []
    shown = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert not [r for r in shown if r.exc_info or "Traceback" in r.getMessage()]
    errors = [r.getMessage() for r in shown if r.levelno >= logging.ERROR]
    assert errors == []


async def test_json_nested_too_deep_is_refused_before_it_is_parsed(
    teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    deep = "[" * 100_000 + "]" * 100_000
    headers = {"Content-Type": "application/json"}
    async with teams.http.post(f"{teams.server}/api/messages", data=deep, headers=headers) as r:
        assert r.status == 400
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text
