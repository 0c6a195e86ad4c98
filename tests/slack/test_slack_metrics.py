"""GET /metrics: Prometheus text that says how the bot does, never who said what."""

from __future__ import annotations

import asyncio

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from tests.fakes.slack_api import TEAM, FakeSlack
from tests.slack.driver import ANN, BOB, CHANNEL, Slack, card_ts
from tests.slack.flows import collecting

CONTENT = "Pietje uit 2B gooide zijn etui door de klas"


async def _scrape(http: aiohttp.ClientSession, url: str) -> tuple[str, dict[str, list[Sample]]]:
    async with http.get(f"{url}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = await response.text()
    families = {f.name: f.samples for f in text_string_to_metric_families(text)}
    return text, families


def _value(samples: list[Sample], name: str, **labels: str) -> float:
    return sum(
        s.value
        for s in samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


async def test_metrics_count_commands_sends_and_rounds_without_content_or_ids(
    slack: Slack, slack_api: FakeSlack, slack_server: str, http: aiohttp.ClientSession
) -> None:
    await collecting(slack)
    assert (await slack.reply_in_thread(BOB, CONTENT)).status == 200
    assert (await slack.command(BOB, "start incident")).status == 200  # refused: one is running
    await slack_api.settle()

    text, families = await _scrape(http, slack_server)

    commands = families["dialoog_commands"]
    assert _value(commands, "dialoog_commands_total", kind="StartRound", outcome="accepted") == 1
    assert _value(commands, "dialoog_commands_total", kind="StartRound", outcome="refused") == 1
    assert _value(commands, "dialoog_commands_total", kind="Join", outcome="accepted") == 1
    # A reply in the round's thread is the engine's Say, counted by the step's rules.
    assert _value(commands, "dialoog_commands_total", kind="Say", outcome="accepted") >= 1
    sends = families["dialoog_send_seconds"]
    assert _value(sends, "dialoog_send_seconds_count", platform="slack") >= 3
    assert _value(families["dialoog_rounds_active"], "dialoog_rounds_active") == 1
    assert "dialoog_outbox_depth" in families and "dialoog_outbox_oldest_age_seconds" in families
    assert "dialoog_send_failures" in families and "dialoog_scheduler_runs" in families

    round_ids = {str(c.args.get("ts")) for c in slack_api.calls} | {card_ts(slack_api)}
    secrets = [CONTENT, "Pietje", ANN.id, BOB.id, CHANNEL, TEAM, *round_ids]
    labels = {v for samples in families.values() for s in samples for v in s.labels.values()}
    assert not [s for s in secrets if any(s in value for value in labels)]
    assert not [s for s in secrets if s in text], "nor anywhere else in the page"


async def test_metrics_count_a_failed_send_by_its_code(
    slack: Slack, slack_api: FakeSlack, slack_server: str, http: aiohttp.ClientSession
) -> None:
    slack_api.fail("chat.postMessage", "channel_not_found")
    assert (await slack.command(ANN, "start incident")).status == 200
    await slack_api.wait_for(
        lambda calls: any(c.method == "chat.postMessage" for c in calls), what="the refused post"
    )
    await slack_api.settle()

    async def counted() -> float:
        _text, families = await _scrape(http, slack_server)
        return _value(
            families["dialoog_send_failures"],
            "dialoog_send_failures_total",
            platform="slack",
            code="slack:channel_not_found",
        )

    # Counted once the sender is done with the failure (it first tells the
    # facilitator, through the database): not always before Slack falls quiet.
    deadline = asyncio.get_running_loop().time() + 10
    while await counted() == 0 and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
    assert await counted() == 1
