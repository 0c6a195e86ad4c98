"""A card that grows past one Slack message and shrinks back, through the outbox."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select

import storage
from bot.engine.messages import Message, Paragraph
from bot.runtime import Runtime, build_runtime
from bot.server import channel_setups
from bot.service import Dispatcher, Person, Place
from tests.fakes.clock import ManualClock
from tests.fakes.sender import queue_card
from tests.fakes.slack_api import TEAM, FakeSlack
from tests.slack.conftest import SettingsFor

CHANNEL = "C0PARTS"


def _card(parts: int) -> Message:
    # About 2,900 characters a paragraph; a Slack message holds some 10,000.
    text = " ".join(f"zin {n} van een lange kaart." for n in range(110))
    count = 1 if parts == 1 else 3 * parts - 1
    return Message(
        text="kaart",
        blocks=tuple(Paragraph(f"{n}: {text}") for n in range(count)),
        slot="card",
    )


async def _restarted_and_sent(settings: SettingsFor, clock: ManualClock) -> Runtime:
    """A fresh process: a new runtime on the same database, its channels (and their
    senders) set up as the server does, which sends what the outbox holds."""
    runtime = build_runtime(settings(), clock=clock, migrate=False)
    app = web.Application()
    for platform, setup in channel_setups():
        sender = setup(runtime, app)
        if sender is not None:
            runtime.senders[platform] = sender
    app.freeze()
    await app.startup()
    try:
        await Dispatcher(runtime.sessions, runtime.senders, clock, quick_wait=0).run_once()
    finally:
        await app.cleanup()
    return runtime


async def test_a_card_that_grows_to_three_parts_and_shrinks_keeps_its_messages_across_restarts(
    slack_runtime: Runtime, slack_settings: SettingsFor, slack_api: FakeSlack, clock: ManualClock
) -> None:
    place = Place("slack", TEAM, CHANNEL, "parts")
    started = slack_runtime.service.start(place, Person("U0ANN", "ann"), "incident")
    assert started.round_id is not None
    round_id = started.round_id
    first = await _restarted_and_sent(slack_settings, clock)
    [card] = [
        c
        for c in slack_api.calls_to("chat.postMessage")
        if c.args["channel"] == CHANNEL and not c.args.get("thread_ts")
    ]
    assert card.response is not None
    ts = str(card.response["ts"])

    posts_before = len(slack_api.calls_to("chat.postMessage"))
    queue_card(first, place, round_id, _card(3))
    grown = await _restarted_and_sent(slack_settings, clock)
    new_posts = slack_api.calls_to("chat.postMessage")[posts_before:]
    assert [c.args.get("thread_ts") for c in new_posts] == [ts, ts], "two parts in the thread"
    parts = (ts, *(str(c.response["ts"]) for c in new_posts if c.response))
    with grown.sessions() as session:
        assert storage.posted_parts(session, round_id)["card"] == parts

    updates_before = len(slack_api.calls_to("chat.update"))
    queue_card(grown, place, round_id, _card(1))
    shrunk = await _restarted_and_sent(slack_settings, clock)
    updates = slack_api.calls_to("chat.update")[updates_before:]
    assert len(slack_api.calls_to("chat.postMessage")) == posts_before + 2, "nothing posted anew"
    assert [c.args["ts"] for c in updates] == list(parts), "each part updated in place"
    assert [c.args["text"] for c in updates[1:]] == ["…", "…"], "the parts left over emptied"

    queue_card(shrunk, place, round_id, _card(3))
    again = await _restarted_and_sent(slack_settings, clock)
    assert len(slack_api.calls_to("chat.postMessage")) == posts_before + 2, "grown into the same"
    with again.sessions() as session:
        rows = session.scalars(
            select(storage.PostedMessage).where(storage.PostedMessage.round_id == round_id)
        ).all()
    assert [(r.slot, r.external_id, r.parts) for r in rows] == [("card", ts, list(parts))]
    for runtime in (first, grown, shrunk, again):
        runtime.engine.dispose()
