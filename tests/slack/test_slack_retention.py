"""Privacy in Slack, through the real endpoint: after the retention period the bot
takes back what it posted (chat.delete) and the content leaves the database; an
uninstall erases the workspace after the school's grace period."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

import storage
from bot.runtime import Runtime, build_runtime
from storage.audit import AUDIT_UNINSTALL, AUDIT_UNINSTALL_PURGE, list_audit
from storage.models import Round, Team, Tenant
from tests.fakes.clock import ManualClock
from tests.fakes.slack_api import TEAM, FakeSlack
from tests.privacy.dumps import full_dump, holds
from tests.privacy.played import everything_stored
from tests.slack.conftest import SettingsFor
from tests.slack.driver import ANN, BOB, Slack
from tests.slack.flows import card_shows, collecting, private_answer

CASE = "Mijn mentorleerling kwam al drie weken te laat binnen en ik werd boos in de klas."


async def _round_that_ended(slack: Slack, slack_api: FakeSlack) -> None:
    await collecting(slack)
    assert (await slack.reply_in_thread(BOB, CASE)).status == 200
    await card_shows(slack, CASE)
    assert (await slack.command(ANN, "stop")).status == 200
    await card_shows(slack, "Gestopt")
    await slack_api.settle()


async def _erasure_planned(runtime: Runtime) -> None:
    """Wait until the uninstall event was worked on (that happens after Slack's ack)."""
    for _ in range(100):
        with runtime.sessions() as session:
            if session.scalar(select(Team.id).where(Team.erase_at.is_not(None)).limit(1)):
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the uninstall was never planned")


def _bot_posts(api: FakeSlack) -> set[tuple[str, str]]:
    return {
        (str(c.args["channel"]), str(c.response["ts"]))
        for c in api.calls_to("chat.postMessage")
        if c.response and c.response.get("ok")
    }


async def test_after_the_retention_period_the_bot_deletes_its_slack_messages(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime, clock: ManualClock
) -> None:
    await _round_that_ended(slack, slack_api)
    posted = _bot_posts(slack_api)
    assert len(posted) >= 2
    assert holds(everything_stored(slack_runtime.engine), CASE)

    clock.advance(days=slack_runtime.settings.retention_days + 1)
    report = await slack_runtime.purger().run_once()

    assert (report.rounds, report.left) == (1, {})
    # Every message the bot posted for the round is gone from the channel, its
    # thread and the direct messages, each deleted once.
    assert set(slack_api.deleted) == posted
    assert len(slack_api.deleted) == len(posted)
    assert not holds(full_dump(slack_runtime.engine), CASE)
    assert not holds(everything_stored(slack_runtime.engine), CASE)


async def test_a_message_slack_will_not_delete_is_left_and_counted(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime, clock: ManualClock
) -> None:
    await _round_that_ended(slack, slack_api)
    slack_api.fail("chat.delete", "cant_delete_message", times=1)
    slack_api.fail("chat.delete", "ratelimited", times=1, retry_after=0)

    clock.advance(days=slack_runtime.settings.retention_days + 1)
    report = await slack_runtime.purger().run_once()

    assert report.left == {"slack:cant_delete_message": 1}
    assert len(slack_api.deleted) == len(_bot_posts(slack_api)) - 1
    with slack_runtime.sessions() as session:
        (entry,) = list_audit(session, action="retention_purge")
        assert entry.detail["left:slack:cant_delete_message"] == 1


async def test_an_uninstalled_workspace_is_erased(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await _round_that_ended(slack, slack_api)
    answer = await slack.post_event(_event("app_uninstalled", {}))
    assert answer.status == 200
    await _erasure_planned(slack_runtime)

    report = await slack_runtime.purger().run_once()

    assert report.teams_erased == 1
    with slack_runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Round)) == 0
        assert session.scalar(select(func.count()).select_from(Team)) == 0
        assert session.scalars(select(Tenant).where(Tenant.external_id == TEAM)).all() == []
        acts = [(e.action, e.target) for e in list_audit(session)]
        assert acts == [
            (AUDIT_UNINSTALL, f"slack:{TEAM}"),
            (AUDIT_UNINSTALL_PURGE, f"slack:{TEAM}"),
        ]
    dump = full_dump(slack_runtime.engine)
    assert not holds(dump, CASE) and "intervisie-groep-3" not in dump


@pytest.fixture
def graceful_runtime(slack_settings: SettingsFor, clock: ManualClock) -> Iterator[Runtime]:
    runtime = build_runtime(
        slack_settings(DIALOOG_UNINSTALL_GRACE_DAYS=3), clock=clock, migrate=False
    )
    yield runtime
    runtime.engine.dispose()


async def test_revoked_tokens_erase_only_after_the_grace_period(
    http: Any, slack_api: FakeSlack, graceful_runtime: Runtime, clock: ManualClock
) -> None:
    from tests.fakes.server import running

    async with running(graceful_runtime) as url:
        slack = Slack(http, url, slack_api)
        await _round_that_ended(slack, slack_api)
        # A user's token alone: the bot still works, nothing to erase.
        users_only = _event("tokens_revoked", {"tokens": {"oauth": ["U0ANN"], "bot": []}})
        assert (await slack.post_event(users_only)).status == 200
        bot = _event("tokens_revoked", {"tokens": {"oauth": [], "bot": ["U0BOT"]}})
        assert (await slack.post_event(bot)).status == 200
        await _erasure_planned(graceful_runtime)

        clock.advance(days=2)
        assert (await graceful_runtime.purger().run_once()).teams_erased == 0
        assert holds(everything_stored(graceful_runtime.engine), CASE)
        clock.advance(days=1, minutes=1)
        assert (await graceful_runtime.purger().run_once()).teams_erased == 1
        assert not holds(full_dump(graceful_runtime.engine), CASE)
        assert not holds(everything_stored(graceful_runtime.engine), CASE)
        with graceful_runtime.sessions() as session:
            # Once: the revoked user token alone planned nothing.
            assert len(list_audit(session, action=AUDIT_UNINSTALL)) == 1


async def test_a_workspace_that_comes_back_in_time_keeps_its_data(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await _round_that_ended(slack, slack_api)
    slack_runtime.uninstalls.grace = timedelta(days=3)
    assert (await slack.post_event(_event("app_uninstalled", {}))).status == 200
    await _erasure_planned(slack_runtime)
    assert slack_runtime.uninstalls.returned("slack", TEAM) == 1
    assert (await slack_runtime.purger().run_once()).teams_erased == 0
    with slack_runtime.sessions() as session:
        assert storage.teams.find_team(session, "slack", TEAM, slack.channel) is not None


async def test_bewaren_in_slack_answers_privately_with_the_period(
    slack: Slack, slack_api: FakeSlack
) -> None:
    assert (await slack.command(ANN, "bewaren")).status == 200
    answer = await private_answer(slack)
    assert answer.args["response_type"] == "ephemeral"
    assert "*90 dagen*" in answer.text_of_blocks()
    assert "`/dialoog bewaren 30`" in answer.text_of_blocks()


def _event(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "token": "deprecated-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0DIALOOG",
        "event": {"type": kind, "event_ts": "1764100000.000100", **fields},
        "type": "event_callback",
        "event_id": f"Ev{kind}{len(fields)}",
        "event_time": 1764100000,
        "authorizations": [
            {"enterprise_id": None, "team_id": TEAM, "user_id": "U0BOT", "is_bot": True}
        ],
    }
