"""The live card's countdown is redrawn through the outbox as each minute passes,
and a slow platform never piles up redraws of one card."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.engine import commands as cmd
from bot.engine.messages import Context, Message, message_from_json
from bot.service import Delivery, Dispatcher, RetryableSendError, RoundService
from tests.fakes.clock import ManualClock
from tests.fakes.sender import RecordingSender
from tests.service.conftest import BOB, CAS, DEE, accepted, start


def _at_propose(service: RoundService) -> str:
    """A live incident round at its second step, "put forward an incident" (4 min)."""
    round_id = start(service, "incident", BOB, CAS, DEE)
    accepted(service.handle(round_id, cmd.Advance(user="ann")))
    accepted(service.handle(round_id, cmd.Advance(user="ann")))
    state = service.round(round_id)
    assert state is not None and state.step is not None and state.step.id == "propose"
    return round_id


def _cards(sessions: sessionmaker[Session], round_id: str) -> list[storage.OutboxMessage]:
    with sessions() as session:
        return list(
            session.scalars(
                select(storage.OutboxMessage)
                .where(
                    storage.OutboxMessage.round_id == round_id,
                    storage.OutboxMessage.slot == "card",
                )
                .order_by(storage.OutboxMessage.id)
            )
        )


def _timer_line(message: Message) -> str:
    return next(
        b.text
        for b in message.blocks
        if isinstance(b, Context) and (b.text.startswith("Nog ") or b.text == "De tijd is om")
    )


def _timer(payload: dict[str, Any]) -> str:
    return _timer_line(message_from_json(payload))


def _timer_of(delivery: Delivery) -> str:
    return _timer_line(delivery.message)


def _last_card(sender: RecordingSender) -> Delivery:
    return [d for d in sender.delivered if d.slot == "card"][-1]


async def test_the_sweep_redraws_the_live_card_as_each_minute_passes(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    round_id = _at_propose(service)
    sender = RecordingSender()
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    await dispatcher.run_once()
    assert _timer_of(_last_card(sender)).startswith("Nog 4 min")

    clock.advance(seconds=30)
    assert service.sweep() == 0, "nothing changes on the card half-way through a minute"
    clock.advance(seconds=31)
    assert service.sweep() == 1
    assert service.sweep() == 0, "one redraw per minute"
    await dispatcher.run_once()
    redrawn = sender.delivered[-1]
    assert redrawn is _last_card(sender), "nothing but the card"
    assert redrawn.slot == "card" and redrawn.existing is not None, "updated in place"
    assert _timer_of(redrawn).startswith("Nog 3 min")
    state = service.round(round_id)
    assert state is not None and state.step is not None and state.step.id == "propose"
    with session_factory() as session:
        assert len(storage.load_events(session, round_id)) == state.version, "no event for it"


async def test_every_minute_of_a_live_step_reaches_the_card(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    _at_propose(service)
    sender = RecordingSender()
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    await dispatcher.run_once()
    shown = []
    for _ in range(4 * 12):
        clock.advance(seconds=5)  # the server's sweep interval
        service.sweep()
        await dispatcher.run_once()
        shown.append(_timer_of(_last_card(sender)).split(" · ")[0])
    # Each 5 s the card says what a clock would: never more than a minute behind.
    assert shown[10] == "Nog 4 min" and shown[11] == "Nog 3 min"
    assert shown[23] == "Nog 2 min" and shown[35] == "Nog 1 min"
    assert shown[-1] == "De tijd is om"


async def test_a_slow_platform_holds_at_most_one_redraw_of_the_card(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    round_id = _at_propose(service)
    limited = {"on": True}

    def platform(delivery: Delivery) -> None:
        if limited["on"]:
            raise RetryableSendError("ratelimited", retry_after=600)

    sender = RecordingSender(fail=platform)
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    # Twenty minutes more: ten redraws without a reminder among them.
    accepted(service.handle(round_id, cmd.Extend(user="ann", minutes=20)))
    limited["on"] = False
    await dispatcher.run_once()
    limited["on"] = True
    posted = len(sender.delivered)

    for _ in range(10):
        clock.advance(minutes=1)
        assert service.sweep() == 1
        await dispatcher.run_once()
    waiting = [r for r in _cards(session_factory, round_id) if r.status == "pending"]
    assert len(waiting) == 1, "redraws refresh the waiting card instead of queueing more"
    assert _timer(waiting[0].payload).startswith("Nog 14 min"), "it holds the latest minutes"

    limited["on"] = False
    clock.advance(seconds=601)
    await dispatcher.run_once()
    cards = [d for d in sender.delivered[posted:] if d.slot == "card"]
    assert len(cards) == 1, "the platform gets one update, the latest"
    assert _timer_of(cards[0]).startswith("Nog 14 min")
    assert {r.status for r in _cards(session_factory, round_id)} == {"sent"}


async def test_two_sweepers_at_the_same_minute_redraw_the_card_once(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    round_id = _at_propose(service)
    dispatcher = Dispatcher(session_factory, {"web": RecordingSender()}, clock, quick_wait=0)
    await dispatcher.run_once()
    before = len(_cards(session_factory, round_id))
    clock.advance(seconds=61)
    # Both found the round due; the second one's tick comes after the first's card
    # went out, and finds the wake-up already moved on.
    accepted(service.handle(round_id, cmd.Tick()))
    await dispatcher.run_once()
    accepted(service.handle(round_id, cmd.Tick()))
    assert len(_cards(session_factory, round_id)) == before + 1
