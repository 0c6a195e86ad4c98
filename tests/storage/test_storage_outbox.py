"""The outbox and the messages updated in place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage import (
    OutboxMessage,
    OutgoingMessage,
    any_due,
    claim_outbox,
    enqueue,
    mark_failed,
    mark_sent,
    mark_uncertain,
    newer_pending,
    posted_message,
    record_posted,
    reset_stale_sending,
)


def message(team_id: int, round_id: str | None = None, n: int = 0) -> OutgoingMessage:
    return OutgoingMessage(
        team_id=team_id,
        platform="slack",
        destination={"channel": "C0001", "thread": "1700000000.000100"},
        payload={"messages": [{"text": f"Stap {n}: de vragenronde — wees nieuwsgierig"}]},
        round_id=round_id,
        slot="card" if n == 0 else None,
    )


def stored(session_factory: sessionmaker[Session], message_id: int) -> OutboxMessage:
    with session_factory() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        return row


def test_enqueued_messages_are_pending_in_order_and_round_trip(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        rows = enqueue(session, [message(team_id, round_id, n) for n in range(3)], now=now)
    ids = [row.id for row in rows]
    assert ids == sorted(ids)
    first = stored(session_factory, ids[0])
    assert (first.status, first.attempts, first.slot) == ("pending", 0, "card")
    assert first.payload == message(team_id, round_id, 0).payload
    assert first.destination == {"channel": "C0001", "thread": "1700000000.000100"}
    assert first.next_attempt_at == now


def test_claiming_marks_messages_sending_and_counts_the_attempt(
    session_factory: sessionmaker[Session], team_id: int, now: datetime
) -> None:
    with session_factory.begin() as session:
        enqueue(session, [message(team_id, n=n) for n in range(3)], now=now)
    with session_factory.begin() as session:
        claimed = claim_outbox(session, now=now, limit=2)
    assert [(m.status, m.attempts, m.claimed_at) for m in claimed] == [("sending", 1, now)] * 2
    with session_factory.begin() as session:
        rest = claim_outbox(session, now=now, limit=10)
    assert len(rest) == 1
    with session_factory.begin() as session:
        assert claim_outbox(session, now=now, limit=10) == []


def test_a_message_is_not_claimed_before_it_is_due(
    session_factory: sessionmaker[Session], team_id: int, now: datetime
) -> None:
    with session_factory.begin() as session:
        enqueue(session, [message(team_id)], now=now)
    with session_factory.begin() as session:
        assert claim_outbox(session, now=now - timedelta(seconds=1), limit=10) == []


def test_a_rounds_next_message_waits_until_the_one_before_it_is_settled(
    session_factory: sessionmaker[Session],
    team_id: int,
    make_round: Callable[..., str],
    now: datetime,
) -> None:
    one, other = make_round(), make_round()
    with session_factory.begin() as session:
        enqueue(
            session,
            [message(team_id, one, 1), message(team_id, one, 2), message(team_id, other, 3)],
            now=now,
        )
    with session_factory.begin() as session:
        first = claim_outbox(session, now=now, limit=10)
    assert [m.payload for m in first] == [
        message(team_id, one, 1).payload,
        message(team_id, other, 3).payload,
    ]
    with session_factory.begin() as session:
        assert claim_outbox(session, now=now, limit=10) == []
        mark_sent(session, first[0].id, external_id="1700000001.000200", now=now)
    with session_factory.begin() as session:
        (second,) = claim_outbox(session, now=now, limit=10)
    assert second.payload == message(team_id, one, 2).payload


def test_a_sent_message_keeps_the_platforms_id(
    session_factory: sessionmaker[Session], team_id: int, now: datetime
) -> None:
    with session_factory.begin() as session:
        enqueue(session, [message(team_id)], now=now)
    with session_factory.begin() as session:
        (claimed,) = claim_outbox(session, now=now, limit=1)
        mark_sent(session, claimed.id, external_id="1700000001.000200", now=now)
    row = stored(session_factory, claimed.id)
    assert (row.status, row.external_id, row.sent_at) == ("sent", "1700000001.000200", now)


def test_a_retryable_failure_comes_back_at_the_retry_time(
    session_factory: sessionmaker[Session], team_id: int, now: datetime
) -> None:
    retry_at = now + timedelta(seconds=30)
    with session_factory.begin() as session:
        enqueue(session, [message(team_id)], now=now)
    with session_factory.begin() as session:
        (claimed,) = claim_outbox(session, now=now, limit=1)
        assert mark_failed(session, claimed.id, error_code="ratelimited", retry_at=retry_at)
    with session_factory.begin() as session:
        assert claim_outbox(session, now=retry_at - timedelta(seconds=1), limit=1) == []
        (again,) = claim_outbox(session, now=retry_at, limit=1)
    assert (again.id, again.attempts, again.last_error) == (claimed.id, 2, "ratelimited")


def test_a_permanent_failure_is_never_claimed_again(
    session_factory: sessionmaker[Session], team_id: int, now: datetime
) -> None:
    with session_factory.begin() as session:
        enqueue(session, [message(team_id)], now=now)
    with session_factory.begin() as session:
        (claimed,) = claim_outbox(session, now=now, limit=1)
        mark_failed(session, claimed.id, error_code="slack:channel_not_found", retry_at=None)
    with session_factory.begin() as session:
        assert claim_outbox(session, now=now + timedelta(days=1), limit=1) == []
    row = stored(session_factory, claimed.id)
    assert (row.status, row.last_error) == ("failed", "slack:channel_not_found")


def test_an_uncertain_message_is_never_claimed_again(
    session_factory: sessionmaker[Session], team_id: int, now: datetime
) -> None:
    with session_factory.begin() as session:
        enqueue(session, [message(team_id)], now=now)
    with session_factory.begin() as session:
        (claimed,) = claim_outbox(session, now=now, limit=1)
        assert mark_uncertain(session, claimed.id, error_code="timeout")
    with session_factory.begin() as session:
        assert claim_outbox(session, now=now + timedelta(days=1), limit=1) == []
    assert stored(session_factory, claimed.id).status == "uncertain"


def test_only_a_message_being_sent_can_fail(
    session_factory: sessionmaker[Session], team_id: int, now: datetime
) -> None:
    with session_factory.begin() as session:
        (row,) = enqueue(session, [message(team_id)], now=now)
    with session_factory.begin() as session:
        assert not mark_failed(session, row.id, error_code="timeout", retry_at=None)
        assert not mark_uncertain(session, row.id, error_code="timeout")
    assert stored(session_factory, row.id).status == "pending"


@pytest.mark.parametrize(
    "error_code", ["", "channel not found", "x" * 65, "Beste Anneke,\nje actie..."]
)
def test_an_error_code_that_could_hold_message_text_is_refused(
    session_factory: sessionmaker[Session], team_id: int, now: datetime, error_code: str
) -> None:
    with session_factory.begin() as session:
        (row,) = enqueue(session, [message(team_id)], now=now)
    with session_factory() as session, pytest.raises(ValueError):
        mark_failed(session, row.id, error_code=error_code, retry_at=None)


def test_stale_sending_messages_become_uncertain_at_start_up(
    session_factory: sessionmaker[Session], team_id: int, now: datetime
) -> None:
    later = now + timedelta(minutes=10)
    with session_factory.begin() as session:
        enqueue(session, [message(team_id, n=1), message(team_id, n=2)], now=now)
    with session_factory.begin() as session:
        (stale,) = claim_outbox(session, now=now, limit=1)
    with session_factory.begin() as session:
        (fresh,) = claim_outbox(session, now=later, limit=1)
    with session_factory.begin() as session:
        assert reset_stale_sending(session, claimed_before=later - timedelta(minutes=5)) == 1
    assert stored(session_factory, stale.id).status == "uncertain"
    assert stored(session_factory, fresh.id).status == "sending"


def test_a_slots_posted_message_is_recorded_and_replaced_on_repost(
    session_factory: sessionmaker[Session], round_id: str, now: datetime
) -> None:
    with session_factory() as session:
        assert posted_message(session, round_id, "card") is None
    with session_factory.begin() as session:
        record_posted(
            session,
            round_id=round_id,
            slot="card",
            platform="slack",
            channel="C0001",
            external_id="1700000000.000100",
            now=now,
        )
    with session_factory.begin() as session:
        record_posted(
            session,
            round_id=round_id,
            slot="card",
            platform="slack",
            channel="C0001",
            external_id="1700000099.000100",
            now=now + timedelta(minutes=1),
        )
    with session_factory() as session:
        posted = posted_message(session, round_id, "card")
        assert posted is not None
        assert (posted.channel, posted.external_id) == ("C0001", "1700000099.000100")
        assert posted.updated_at == now + timedelta(minutes=1)


def test_a_slot_message_knows_when_a_newer_one_for_the_same_slot_is_pending(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        old_card, _, new_card = enqueue(
            session,
            [
                message(team_id, round_id, 0),
                message(team_id, round_id, 1),
                message(team_id, round_id, 0),
            ],
            now=now,
        )
    with session_factory() as session:
        assert newer_pending(session, round_id, "card", old_card.id)
        assert not newer_pending(session, round_id, "card", new_card.id)
    with session_factory.begin() as session:
        row = session.get(OutboxMessage, new_card.id)
        assert row is not None
        row.status = "sent"
    with session_factory() as session:
        assert not newer_pending(session, round_id, "card", old_card.id)


def test_a_look_for_due_messages_sees_what_a_claim_would_take(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    with session_factory() as session:
        assert not any_due(session, now=now)
    with session_factory.begin() as session:
        enqueue(session, [message(team_id, round_id, n) for n in (1, 2)], now=now)
    with session_factory() as session:
        assert not any_due(session, now=now - timedelta(seconds=1)), "not due yet"
        assert any_due(session, now=now)
    with session_factory.begin() as session:
        (first,) = claim_outbox(session, now=now, limit=10)
    with session_factory() as session:
        # The round's second message waits for its first: a claim would find nothing.
        assert not any_due(session, now=now)
    with session_factory.begin() as session:
        mark_sent(session, first.id, external_id="1.0", now=now)
    with session_factory() as session:
        assert any_due(session, now=now)
