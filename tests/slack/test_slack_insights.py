"""`/dialoog overzicht` in Slack: the chart is uploaded to the channel the way Slack
wants it now (files.getUploadURLExternal, the upload, files.completeUploadExternal),
and the numbers follow as text."""

from __future__ import annotations

import asyncio
import threading

import pytest

import bot.insights.report
from bot.insights.chart import Chart, png
from bot.runtime import Runtime
from bot.service import Place
from tests.fakes.clock import ManualClock
from tests.fakes.slack_api import TEAM, FakeSlack
from tests.history import seed
from tests.slack.driver import ANN, BOB, CHANNEL, CHANNEL_NAME, Slack
from tests.slack.flows import card_shows, started

PLACE = Place("slack", TEAM, CHANNEL, CHANNEL_NAME)


async def test_the_overview_chart_is_uploaded_to_the_channel_with_the_numbers_beside_it(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime, clock: ManualClock
) -> None:
    await asyncio.to_thread(seed, slack_runtime.service, clock, PLACE)
    await slack_api.settle()
    before = len(slack_api.calls)

    answer = await slack.command(ANN, "overzicht")
    assert answer.status == 200
    calls = await slack_api.wait_for(
        lambda calls: any(
            c.method == "chat.postMessage" and "Rondes gehouden: 3" in c.text_of_blocks()
            for c in calls[before:]
        ),
        what="the numbers in the channel",
    )
    sending = ("upload", "chat.postMessage", "chat.postEphemeral")
    new = [c.method for c in calls[before:] if c.method.startswith("files.") or c.method in sending]
    # First the file, in three steps, then the text: one upload, one post.
    assert new == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
        "chat.postMessage",
    ]
    (file,) = slack_api.files.values()
    assert file.content is not None and file.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert file.length == len(file.content)
    assert file.filename == "overzicht-2026-2027.png"
    assert file.channel == CHANNEL and file.thread_ts is None
    assert "Alle getallen staan ook in de tekst" in file.alt_txt
    post = next(c for c in calls[before:] if c.method == "chat.postMessage")
    assert post.args["channel"] == CHANNEL and not post.args.get("thread_ts")
    text = post.text_of_blocks()
    for expected in (
        "Overzicht intervisie-groep-3 · schooljaar 2026-2027",
        "Vijfstappenmethode: 2",
        "Incidentmethode: 1",
        "Ann: 3 keer",
        "1 collega liever niet bij naam: samen 2 keer",
        "Actiepunten afgesproken: 4",
        "gedaan: 1",
        "geschrapt: 1",
        "mediaan 28 dagen",
        "eigen praktijk: 3",
    ):
        assert expected in text, expected
    assert "Dee" not in text
    # Nothing anyone wrote in the rounds is in the overview.
    assert "Ann belt de ouders" not in text


async def test_a_retried_overview_shares_its_chart_once(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime, clock: ManualClock
) -> None:
    await asyncio.to_thread(seed, slack_runtime.service, clock, PLACE)
    await slack_api.settle()
    # Slack limits the post of the numbers once, after the chart was shared.
    slack_api.fail(
        "chat.postMessage",
        "ratelimited",
        retry_after=0,
        when=lambda args: "Rondes gehouden" in str(args.get("blocks")),
    )
    await slack.command(ANN, "overzicht")
    calls = await slack_api.wait_for(
        lambda calls: any(
            c.method == "chat.postMessage"
            and c.response is not None
            and c.response.get("ok")
            and "Rondes gehouden: 3" in c.text_of_blocks()
            for c in calls
        ),
        what="the numbers posted after the rate limit",
    )
    limited = [c for c in calls if c.response == {"ok": False, "error": "ratelimited"}]
    assert len(limited) == 1
    assert len([c for c in calls if c.method == "files.completeUploadExternal"]) == 1
    assert len(slack_api.files) == 1


async def test_a_click_is_answered_while_an_overview_chart_is_being_drawn(
    slack: Slack, slack_api: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    await started(slack)
    drawing, done = threading.Event(), threading.Event()

    def slow_png(chart: Chart) -> bytes:
        # A chart that takes as long as the test is willing to wait for the click.
        drawing.set()
        done.wait(timeout=20)
        return png(chart)

    monkeypatch.setattr(bot.insights.report, "png", slow_png)
    overview = asyncio.create_task(slack.command(ANN, "overzicht"))
    assert await asyncio.to_thread(drawing.wait, 10)

    # Bob joins the round meanwhile: his click is stored and his name is on the card
    # while the chart is still being drawn (on SQLite's one command thread it waited).
    try:
        answer = await asyncio.wait_for(slack.click(BOB, "Meedoen"), timeout=10)
        assert answer.status == 200
        await slack_api.wait_for(
            lambda _calls: BOB.name in slack.card().text_of_blocks(),
            timeout=10,
            what="Bob on the card while the chart is drawn",
        )
        assert not done.is_set() and not overview.done()
    finally:
        done.set()
    assert (await overview).status == 200
    await card_shows(slack, BOB.name)
    await slack_api.wait_for(
        lambda calls: any(c.method == "files.completeUploadExternal" for c in calls),
        what="the chart shared after all",
    )
