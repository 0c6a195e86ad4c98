"""The dispatcher: sent after commit, once; failures recorded, never silently dropped."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.engine import commands as cmd
from bot.service import (
    AmbiguousSendError,
    Dispatcher,
    PermanentSendError,
    RetryableSendError,
    RoundService,
)
from tests.fakes.clock import ManualClock
from tests.fakes.sender import RecordingSender, failing_once
from tests.service.conftest import BOB, accepted, start


def _statuses(sessions: sessionmaker[Session]) -> list[tuple[str, str | None]]:
    with sessions() as session:
        rows = session.scalars(select(storage.OutboxMessage).order_by(storage.OutboxMessage.id))
        return [(r.status, r.last_error) for r in rows]


async def test_messages_queued_before_a_crash_go_out_once_after_restart(
    service: RoundService,
    session_factory: sessionmaker[Session],
    sender: RecordingSender,
    clock: ManualClock,
) -> None:
    # The service committed; the process died before any dispatcher ran.
    round_id = start(service, "incident", BOB)
    queued = len(_statuses(session_factory))

    restarted = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    restarted.recover()
    assert await restarted.run_once() == queued
    assert await restarted.run_once() == 0
    assert len(sender.delivered) == queued
    assert {s for s, _ in _statuses(session_factory)} == {"sent"}
    card = sender.delivered[0]
    assert card.slot == "card" and card.existing is None and card.round_id == round_id


async def test_the_card_is_posted_once_then_updated_in_place_under_its_thread(
    service: RoundService, dispatcher: Dispatcher, sender: RecordingSender
) -> None:
    round_id = start(service, "incident")
    await dispatcher.run_once()
    accepted(service.handle(round_id, cmd.Join(user="bob", name="Bob")))
    accepted(service.handle(round_id, cmd.Advance(user="ann")))
    await dispatcher.run_once()
    cards = [d for d in sender.delivered if d.slot == "card"]
    assert cards[0].existing is None
    assert all(d.existing == "msg-1" for d in cards[1:])
    thread_posts = [d for d in sender.delivered if d.slot is None and d.audience is None]
    assert thread_posts and all(d.thread == "msg-1" for d in thread_posts)


async def test_an_outdated_card_update_is_skipped_for_the_newest(
    service: RoundService, dispatcher: Dispatcher, sender: RecordingSender
) -> None:
    round_id = start(service, "incident")
    await dispatcher.run_once()
    for user in ("bob", "cas", "dee"):
        accepted(service.handle(round_id, cmd.Join(user=user, name=user.title())))
    await dispatcher.run_once()
    updates = [d for d in sender.delivered if d.slot == "card" and d.existing]
    assert len(updates) == 1, "three joins, one update of the card"
    assert "Dee" in repr(updates[0].message.blocks)


async def test_a_send_that_fails_for_good_is_recorded_and_logged(
    service: RoundService,
    dispatcher: Dispatcher,
    sender: RecordingSender,
    session_factory: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    sender.fail = failing_once(PermanentSendError("channel_not_found"))
    start(service, "incident")
    await dispatcher.run_once()
    assert _statuses(session_factory)[0] == ("failed", "channel_not_found")
    assert "failed for good: channel_not_found" in caplog.text


async def test_a_rate_limited_send_is_retried_and_arrives_once(
    service: RoundService,
    dispatcher: Dispatcher,
    sender: RecordingSender,
    session_factory: sessionmaker[Session],
) -> None:
    sender.fail = failing_once(RetryableSendError("ratelimited", retry_after=0))
    start(service, "incident")
    await dispatcher.run_once()
    assert {s for s, _ in _statuses(session_factory)} == {"sent"}
    assert len([d for d in sender.delivered if d.slot == "card"]) == 1


async def test_a_platform_down_for_longer_is_retried_later_by_the_outbox(
    service: RoundService,
    dispatcher: Dispatcher,
    sender: RecordingSender,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
) -> None:
    def down(_delivery: object) -> None:
        raise RetryableSendError("http_503")

    sender.fail = down
    start(service, "incident")
    await dispatcher.run_once()
    assert _statuses(session_factory)[0] == ("pending", "http_503")
    sender.fail = None
    await dispatcher.run_once()
    assert sender.delivered == [], "not before its retry time"
    clock.advance(minutes=11)
    await dispatcher.run_once()
    assert {s for s, _ in _statuses(session_factory)} == {"sent"}


async def test_a_post_that_may_have_arrived_is_not_sent_again(
    service: RoundService,
    dispatcher: Dispatcher,
    sender: RecordingSender,
    session_factory: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR)
    sender.fail = failing_once(AmbiguousSendError("timeout"))
    start(service, "incident")
    await dispatcher.run_once()
    clock_statuses = _statuses(session_factory)
    assert clock_statuses[0] == ("uncertain", "timeout")
    await dispatcher.run_once()
    assert not [d for d in sender.delivered if d.outbox_id == 1]
    assert "may not have arrived" in caplog.text


async def test_a_send_interrupted_by_a_crash_is_marked_uncertain_not_doubled(
    service: RoundService,
    session_factory: sessionmaker[Session],
    sender: RecordingSender,
    clock: ManualClock,
) -> None:
    start(service, "incident")
    with session_factory() as session, session.begin():
        claimed = storage.claim_outbox(session, now=clock.now(), limit=1)
    assert len(claimed) == 1  # ...and then the process died mid-send
    clock.advance(seconds=1)
    restarted = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    assert restarted.recover() == 1
    await restarted.run_once()
    assert _statuses(session_factory)[0] == ("uncertain", "dispatcher_lost")
    assert all(d.outbox_id != claimed[0].id for d in sender.delivered)


async def test_status_tells_the_team_when_messages_could_not_be_delivered(
    service: RoundService, dispatcher: Dispatcher, sender: RecordingSender
) -> None:
    from bot.chat import Chat
    from tests.service.conftest import ANN, PLACE

    sender.fail = failing_once(PermanentSendError("not_in_channel"))
    start(service, "incident")
    await dispatcher.run_once()
    reply = Chat(service).command(PLACE, ANN, "status")
    told = "misschien kwam niet alles van deze ronde aan (1 bericht onzeker)"
    assert any(told in m.text for m in reply.messages)
