"""Slack's rate limits: a 429 holds back what Slack limited, and nothing else."""

from __future__ import annotations

import asyncio
import itertools
import logging

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError

from bot.channels.slack.limits import LimitedWebClient, RateLimits
from bot.service import RetryableSendError
from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.driver import ANN, Slack

OTHER_CHANNEL = "C0OTHERTEAM"


def _posts_in(api: FakeSlack, channel: str) -> list[Call]:
    return [c for c in api.calls_to("chat.postMessage") if c.args.get("channel") == channel]


async def test_a_rate_limited_channel_waits_while_another_team_goes_on(
    slack: Slack, slack_api: FakeSlack, http: aiohttp.ClientSession
) -> None:
    other = Slack(http, slack.url.removesuffix("/slack/events"), slack_api, channel=OTHER_CHANNEL)
    other._ids = itertools.count(1000)  # its own trigger ids, as another team's clicks have
    # Slack refuses the first post in our channel: one a second per channel, wait 2 s.
    slack_api.fail(
        "chat.postMessage",
        "ratelimited",
        retry_after=2,
        when=lambda args: args.get("channel") == slack.channel,
    )
    answers = await asyncio.gather(
        slack.command(ANN, "start incident"), other.command(ANN, "start incident")
    )
    assert [a.status for a in answers] == [200, 200]
    await slack_api.wait_for(
        lambda _calls: any(
            c.response and c.response.get("ok") for c in _posts_in(slack_api, slack.channel)
        ),
        what="the rate-limited channel's card",
    )
    await slack_api.settle()

    ours = _posts_in(slack_api, slack.channel)
    refused, posted = ours[0], [c for c in ours[1:] if c.status == 200]
    assert refused.status == 429
    theirs = [c for c in _posts_in(slack_api, OTHER_CHANNEL) if c.status == 200]
    assert theirs and theirs[0].at < refused.at + 1.0, "the other team was not held up"
    assert posted[0].at >= refused.at + 2.0, "our channel waited as long as Slack asked"
    top_level = [c for c in ours if not c.args.get("thread_ts") and c.status == 200]
    assert len(top_level) == 1, "the card was posted once, not once per try"


@pytest.fixture
async def clients(slack_api: FakeSlack) -> dict[str, LimitedWebClient]:
    limits = RateLimits()
    return {
        workspace: LimitedWebClient(
            limits=limits,
            workspace=workspace,
            token=f"xoxb-{workspace}",
            base_url=slack_api.api_url,
            logger=logging.getLogger("test"),
        )
        for workspace in ("T0SCHOOLA", "T0SCHOOLB")
    }


async def test_a_429_holds_that_method_in_that_workspace_only(
    clients: dict[str, LimitedWebClient], slack_api: FakeSlack
) -> None:
    # chat.update: Slack's limit is per workspace, whatever the channel.
    slack_api.limit("chat.update", calls=1, per=5)
    school_a, school_b = clients["T0SCHOOLA"], clients["T0SCHOOLB"]
    await school_a.chat_update(channel="C1", ts="1.1", text="x")
    with pytest.raises(SlackApiError):
        await school_a.chat_update(channel="C2", ts="1.2", text="x")
    reached = len(slack_api.calls)

    with pytest.raises(RetryableSendError) as held:
        await school_a.chat_update(channel="C3", ts="1.3", text="x")
    assert held.value.retry_after is not None and 3 < held.value.retry_after <= 5
    assert len(slack_api.calls) == reached, "held back here, without asking Slack again"

    await school_b.chat_update(channel="C1", ts="2.1", text="x")
    await school_a.chat_postMessage(channel="C1", text="x")
    assert [c.status for c in slack_api.calls[reached:]] == [200, 200], (
        "another workspace, and another method, go on"
    )
