"""A person's data in Slack: the export comes as a direct message, an erasure
updates the card in the channel in place."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.privacy.erasure import erase
from bot.privacy.subject import resolve
from bot.runtime import Runtime
from storage.models import OutboxMessage
from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.driver import ANN, BOB, Slack
from tests.slack.flows import card_shows, collecting

BOBS_CASE = "Een leerling in 2B liep weg uit mijn les en ik wist niet wat te doen"


async def _all_sent(runtime: Runtime) -> None:
    """Until the dispatcher has settled every queued message (an erasure comes later)."""
    for _ in range(200):
        with runtime.sessions() as session:
            busy = session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status.in_(("pending", "sending")))
            )
        if not busy:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox did not settle")


def _posts_to(api: FakeSlack, channel: str) -> list[Call]:
    return [c for c in api.calls_to("chat.postMessage") if c.args.get("channel") == channel]


async def _bob_contributes(slack: Slack) -> None:
    await collecting(slack)
    view = await slack.modal(BOB, "Schrijf")
    assert (await slack.submit(BOB, view, {"Jouw bijdrage": BOBS_CASE})).status == 200
    await card_shows(slack, BOBS_CASE)


async def test_my_data_arrives_as_a_direct_message_and_not_in_the_channel(
    slack: Slack, slack_api: FakeSlack
) -> None:
    await _bob_contributes(slack)
    answer = await slack.command(BOB, "mijn gegevens")
    assert answer.status == 200
    dm = f"D{BOB.id}"
    calls = await slack_api.wait_for(
        lambda _calls: any(BOBS_CASE in c.text_of_blocks() for c in _posts_to(slack_api, dm)),
        what="Bob's export in his direct messages",
    )
    assert any(c.method == "conversations.open" and c.args.get("users") == BOB.id for c in calls)
    exported = "\n".join(c.text_of_blocks() for c in _posts_to(slack_api, dm))
    assert "Wat dialoog over je bewaart" in exported
    in_channel = "\n".join(c.text_of_blocks() for c in _posts_to(slack_api, slack.channel))
    assert "Wat dialoog over je bewaart" not in in_channel


async def test_after_erasure_the_card_in_the_channel_no_longer_shows_their_words(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await _bob_contributes(slack)
    with slack_runtime.sessions.begin() as session:
        subject, tenant = resolve(session, BOB.id)
        report = erase(session, subject, tenant, slack_runtime.clock.now())
    assert report.rounds == 1
    card = await card_shows(slack, "[verwijderd]")
    assert card.method == "chat.update", "the card was updated in place"
    assert BOBS_CASE not in card.text_of_blocks()
    assert "bob" not in card.text_of_blocks()


async def test_after_erasure_a_notice_that_quoted_them_is_updated_in_place(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await _bob_contributes(slack)
    await slack.click(ANN, "Volgende stap")
    await card_shows(slack, "Incident kiezen")
    for person in (ANN, BOB):
        view = await slack.modal(person, "Stem")
        await slack.submit(person, view, {"Jouw keuze": BOBS_CASE[:20]})
    await card_shows(slack, "2 stemmen")
    await slack.click(ANN, "Volgende stap")

    def notices(calls: list[Call]) -> list[Call]:
        return [
            c
            for c in calls
            if c.method == "chat.postMessage"
            and c.args.get("thread_ts")
            and BOBS_CASE in c.text_of_blocks()
        ]

    notice = notices(await slack_api.wait_for(notices, what="the notice of the chosen case"))[0]
    assert notice.response is not None
    notice_ts = notice.response["ts"]
    await _all_sent(slack_runtime)

    with slack_runtime.sessions.begin() as session:
        subject, tenant = resolve(session, BOB.id)
        erase(session, subject, tenant, slack_runtime.clock.now())

    def updated(calls: list[Call]) -> list[Call]:
        return [c for c in calls if c.method == "chat.update" and c.args.get("ts") == notice_ts]

    update = updated(await slack_api.wait_for(updated, what="the notice updated in place"))[-1]
    assert BOBS_CASE not in update.text_of_blocks()
    assert "[verwijderd]" in update.text_of_blocks()
