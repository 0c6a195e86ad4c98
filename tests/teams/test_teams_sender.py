"""The Teams sender: what the outbox hands it reaches the stored conversation, and
what Teams answers when it does not (rate limits, outages, a removed bot, no way to
write to someone privately) is sorted so that nothing is lost or doubled."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

import storage
from bot.channels.teams.auth import authentication
from bot.channels.teams.connector import Connector
from bot.channels.teams.records import Records
from bot.channels.teams.sender import TeamsSender
from bot.channels.teams.settings import teams_config
from bot.engine.messages import (
    Button,
    Buttons,
    ItemList,
    ListItem,
    Message,
    Paragraph,
)
from bot.engine.vocabulary import Action
from bot.runtime import Runtime
from bot.service import Place
from bot.service.dispatch import (
    AmbiguousSendError,
    Delivery,
    Dispatcher,
    PermanentSendError,
    RetryableSendError,
)
from tests.fakes.bot_connector import FakeConnector, texts_of
from tests.fakes.clock import ManualClock
from tests.fakes.sender import queue_card
from tests.teams.flows import THREAD, started
from tests.teams.traffic import ANN, BOB, CHANNEL, TENANT, Teams, delivered, settled

PLACE = Place("teams", TENANT, CHANNEL)


def outbox(runtime: Runtime) -> list[storage.OutboxMessage]:
    with runtime.sessions() as session:
        return list(
            session.scalars(select(storage.OutboxMessage).order_by(storage.OutboxMessage.id))
        )


def reference(runtime: Runtime) -> dict[str, Any]:
    with runtime.sessions() as session:
        team = storage.find_team(session, "teams", TENANT, CHANNEL)
        assert team is not None and team.conversation_ref is not None
        return dict(team.conversation_ref)


def delivery(runtime: Runtime, message: Message, **values: Any) -> Delivery:
    fields: dict[str, Any] = {
        "outbox_id": 9_001,
        "platform": "teams",
        "attempts": 1,
        "round_id": None,
        "workspace": TENANT,
        "channel": CHANNEL,
        "conversation_ref": reference(runtime),
        "audience": None,
        "slot": None,
        "existing": None,
        "thread": None,
        "message": message,
    }
    return Delivery(**{**fields, **values})


def sender_for(runtime: Runtime, *, timeout: int = 15, max_card_bytes: int = 24_000) -> TeamsSender:
    config = teams_config(runtime.settings)
    records = Records(runtime.sessions, language="nl", timezone="Europe/Amsterdam")
    connector = Connector(authentication(config), config.app_id, timeout=timeout)
    return TeamsSender(connector, records, runtime.service, max_card_bytes=max_card_bytes)


# -- through the outbox ---------------------------------------------------------------------


async def test_a_rate_limited_card_waits_as_told_and_then_arrives(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    connector.fail("post", 429, retry_after="1", conversation=CHANNEL)
    await delivered(teams, runtime, teams.channel_message(ANN, "start incident"))

    tries = [r for r in connector.requests if r.conversation == CHANNEL]
    assert [r.status for r in tries] == [429, 201]
    assert len(connector.in_conversation(CHANNEL)) == 1
    assert {m.status for m in outbox(runtime)} == {"sent"}


async def test_a_reply_that_meets_an_outage_is_sent_again_once(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await started(teams, runtime)
    root = game.root
    connector.fail("post", 503, conversation=THREAD + root)

    await game.click(BOB, "Meedoen")
    await game.click(ANN, "Start de eerste stap")

    notices = [texts_of(p.activity)[0] for p in connector.in_conversation(THREAD + root)]
    assert notices.count(notices[-1]) == 1, "the step's notice arrived once"
    assert any(r.status == 503 for r in connector.requests)
    assert {m.status for m in outbox(runtime)} == {"sent"}


async def test_a_card_the_bot_may_no_longer_update_fails_for_good_with_a_clear_code(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await started(teams, runtime)
    connector.fail("update", 403, times=10)

    await game.click(BOB, "Meedoen")

    updates = [r for r in connector.requests if r.kind == "update"]
    assert [r.status for r in updates] == [403], "not retried: it will not get better"
    failed = [m for m in outbox(runtime) if m.status == "failed"]
    assert [(m.slot, m.last_error) for m in failed] == [("card", "teams_forbidden")]


async def test_a_private_message_reaches_the_persons_personal_chat(
    teams: Teams, connector: FakeConnector, runtime: Runtime, clock: ManualClock
) -> None:
    game = await started(teams, runtime)
    root = game.root
    await game.click(BOB, "Meedoen")
    await game.click(ANN, "Start de eerste stap")

    clock.advance(minutes=10)  # the step's time is up: the facilitator hears it privately
    await connector.wait_for(lambda: connector.created, what="a personal chat")
    await settled(runtime, connector)

    chat = connector.personal_chat_of(ANN.teams_id)
    assert chat is not None
    said = [t for p in connector.in_conversation(chat) for t in texts_of(p.activity)]
    choice = "De tijd voor 'Spelregels' is om. Gaan jullie verder"
    assert any(t.startswith(choice) for t in said)
    thread = [t for p in connector.in_conversation(THREAD + root) for t in texts_of(p.activity)]
    assert not any(t.startswith(choice) for t in thread)
    # The group is told too, gently, in the thread.
    assert any("Maak rustig af" in t for t in thread)


async def test_who_cannot_be_reached_privately_is_told_in_the_thread_once_without_the_content(
    teams: Teams, connector: FakeConnector, runtime: Runtime, clock: ManualClock
) -> None:
    game = await started(teams, runtime)
    root = game.root
    await game.click(BOB, "Meedoen")
    await game.click(ANN, "Start de eerste stap")
    connector.unreachable.add(ANN.teams_id)

    clock.advance(minutes=10)
    await connector.wait_for(
        lambda: any(r.kind == "create" and r.status == 403 for r in connector.requests),
        what="a refused personal chat",
    )
    await settled(runtime, connector)
    await game.click(ANN, "+5 min")
    clock.advance(minutes=10)
    await asyncio.sleep(0.3)
    await settled(runtime, connector)

    thread = [texts_of(p.activity) for p in connector.in_conversation(THREAD + root)]
    notes = [t for t in thread if len(t) > 1 and "privébericht" in t[1]]
    assert len(notes) == 1, "told once, not for every private message"
    assert notes[0][0] == "<at>Ann de Vries</at>"
    assert not any("Gaan jullie verder" in line for texts in thread for line in texts)
    private = [m for m in outbox(runtime) if m.destination.get("user") == ANN.aad]
    assert len(private) >= 2
    assert {(m.status, m.last_error) for m in private} == {("failed", "teams_personal_unreachable")}


# -- the sender on its own -----------------------------------------------------------------------


@pytest.fixture
async def channel_known(teams: Teams, connector: FakeConnector, runtime: Runtime) -> None:
    """The channel's reference is stored (someone typed a command there)."""
    await delivered(teams, runtime, teams.channel_message(ANN, "help"))
    connector.posted.clear()


def big_card(count: int, words: int = 400) -> Message:
    items = tuple(ListItem(f"Bijdrage {n}: " + "woord " * words) for n in range(count))
    return Message(
        text="kaart",
        blocks=(
            Paragraph("Ronde"),
            ItemList("Ingebracht", items),
            Buttons((Button(Action.JOIN, "Meedoen"),)),
        ),
        slot="card",
    )


@pytest.mark.usefixtures("channel_known")
async def test_a_card_too_large_for_one_message_continues_in_its_thread_and_shrinks_back(
    runtime: Runtime, connector: FakeConnector
) -> None:
    sender = runtime.senders["teams"]
    posted = await sender.deliver(delivery(runtime, big_card(30), slot="card", round_id="r1"))
    root, *more = posted.parts
    assert more, "the card took more than one post"
    assert connector.posted[0].conversation == CHANNEL
    assert all(p.conversation == THREAD + root for p in connector.posted[1:])
    every = " ".join(t for p in connector.posted for t in texts_of(p.activity))
    assert all(f"Bijdrage {n}: " in every for n in range(30))

    again = await sender.deliver(
        delivery(
            runtime,
            big_card(2),
            slot="card",
            round_id="r1",
            existing=root,
            existing_parts=posted.parts,
        )
    )
    assert again.parts == (root,), "updated in place; the extra posts were taken away"
    assert [u.id for u in connector.updated] == [root]
    assert [d[1] for d in connector.deleted] == more


@pytest.mark.usefixtures("channel_known")
async def test_a_card_someone_deleted_is_posted_again(
    runtime: Runtime, connector: FakeConnector
) -> None:
    sender = runtime.senders["teams"]
    message = Message(text="kaart", blocks=(Paragraph("Ronde"),), slot="card")
    posted = await sender.deliver(
        delivery(
            runtime,
            message,
            slot="card",
            round_id="r1",
            existing="1700000000000",
            existing_parts=("1700000000000",),
        )
    )
    assert posted.parts == (connector.posted[0].id,)
    assert connector.posted[0].conversation == CHANNEL


@pytest.mark.usefixtures("channel_known")
async def test_no_answer_after_the_request_went_out_may_have_arrived(
    runtime: Runtime, connector: FakeConnector
) -> None:
    connector.delay = 2.0
    sender = sender_for(runtime, timeout=1)
    message = Message(text="x", blocks=(Paragraph("Hallo"),))
    with pytest.raises(AmbiguousSendError) as caught:
        await sender.deliver(delivery(runtime, message))
    assert caught.value.code == "teams_timeout"


@pytest.mark.usefixtures("channel_known")
async def test_a_service_that_cannot_be_reached_is_worth_another_try(runtime: Runtime) -> None:
    ref = reference(runtime)
    ref["serviceUrl"] = "http://127.0.0.1:9/"  # nothing listens on the discard port
    message = Message(text="x", blocks=(Paragraph("Hallo"),))
    with pytest.raises(RetryableSendError) as caught:
        await sender_for(runtime).deliver(delivery(runtime, message, conversation_ref=ref))
    assert caught.value.code == "teams_unreachable"


@pytest.mark.usefixtures("channel_known")
async def test_connector_errors_are_sorted_into_the_outboxs_families(
    runtime: Runtime, connector: FakeConnector
) -> None:
    sender = runtime.senders["teams"]
    message = Message(text="x", blocks=(Paragraph("Hallo"),))
    cases: list[tuple[int, str | None, type[Exception], str]] = [
        (429, "7", RetryableSendError, "teams_rate_limited"),
        (500, None, RetryableSendError, "teams_http_500"),
        (502, None, RetryableSendError, "teams_http_502"),
        (403, None, PermanentSendError, "teams_forbidden"),
        (404, None, PermanentSendError, "teams_not_found"),
        (413, None, PermanentSendError, "teams_too_large"),
        (400, None, PermanentSendError, "teams_http_400"),
    ]
    for status, retry_after, family, code in cases:
        connector.fail("post", status, retry_after=retry_after)
        with pytest.raises(family) as caught:
            await sender.deliver(delivery(runtime, message))
        assert caught.value.code == code  # type: ignore[attr-defined]
        if retry_after:
            assert caught.value.retry_after == 7.0  # type: ignore[attr-defined]
    tries = [r for r in connector.requests if r.kind == "post" and r.status >= 400]
    assert len(tries) == len(cases), "msrest did not retry on its own"


@pytest.mark.usefixtures("channel_known")
async def test_a_channel_without_a_stored_reference_fails_for_good(runtime: Runtime) -> None:
    message = Message(text="x", blocks=(Paragraph("Hallo"),))
    with pytest.raises(PermanentSendError) as caught:
        await runtime.senders["teams"].deliver(delivery(runtime, message, conversation_ref=None))
    assert caught.value.code == "teams_no_conversation"


@pytest.mark.usefixtures("channel_known")
async def test_an_update_that_meets_an_outage_is_left_to_the_outbox_not_repeated_by_msrest(
    runtime: Runtime, connector: FakeConnector
) -> None:
    sender = runtime.senders["teams"]
    message = Message(text="kaart", blocks=(Paragraph("Ronde"),), slot="card")
    posted = await sender.deliver(delivery(runtime, message, slot="card", round_id="r1"))
    connector.fail("update", 503, times=5)

    with pytest.raises(RetryableSendError) as caught:
        await sender.deliver(
            delivery(
                runtime,
                message,
                slot="card",
                round_id="r1",
                existing=posted.parts[0],
                existing_parts=posted.parts,
            )
        )
    assert caught.value.code == "teams_http_503"
    assert [r.status for r in connector.requests if r.kind == "update"] == [503]


async def _sent_by_a_fresh_process(
    runtime: Runtime, connector: FakeConnector, clock: ManualClock
) -> None:
    """What a restarted process sends: a new dispatcher and sender, with nothing in memory."""
    fresh = Dispatcher(runtime.sessions, {"teams": sender_for(runtime)}, clock, quick_wait=0)
    await fresh.run_once()
    await settled(runtime, connector)


async def test_a_card_that_grows_to_three_parts_and_shrinks_keeps_its_posts_across_restarts(
    teams: Teams, connector: FakeConnector, runtime: Runtime, clock: ManualClock
) -> None:
    root = (await started(teams, runtime)).root
    with runtime.sessions() as session:
        [round_id] = [r.id for r in session.scalars(select(storage.Round))]
    posts = len(connector.posted)

    queue_card(runtime, PLACE, round_id, big_card(22))
    await _sent_by_a_fresh_process(runtime, connector, clock)
    grown = connector.posted[posts:]
    assert [p.conversation for p in grown] == [THREAD + root] * 2, "two parts in the thread"
    parts = (root, *(p.id for p in grown))
    with runtime.sessions() as session:
        assert storage.posted_parts(session, round_id)["card"] == parts

    updated = len(connector.updated)
    queue_card(runtime, PLACE, round_id, big_card(1))
    await _sent_by_a_fresh_process(runtime, connector, clock)
    assert len(connector.posted) == posts + 2, "nothing posted anew"
    assert [u.id for u in connector.updated[updated:]] == [root], "the card updated in place"
    assert [d[1] for d in connector.deleted] == list(parts[1:]), "the extra parts taken away"

    queue_card(runtime, PLACE, round_id, big_card(22))
    await _sent_by_a_fresh_process(runtime, connector, clock)
    regrown = connector.posted[posts + 2 :]
    assert len(regrown) == 2 and root in {u.id for u in connector.updated}
    with runtime.sessions() as session:
        assert storage.posted_parts(session, round_id)["card"] == (root, *(p.id for p in regrown))
