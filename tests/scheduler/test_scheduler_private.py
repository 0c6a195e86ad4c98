"""A private message outside any round reaches its person through the outbox."""

from __future__ import annotations

from datetime import date

from bot.runtime import Runtime
from bot.scheduler.firing import Firing
from bot.service import Dispatcher
from tests.fakes.clock import ManualClock
from tests.fakes.sender import RecordingSender
from tests.scheduler.conftest import local, outbox
from tests.scheduler.test_scheduler_notices import add_action


async def test_an_action_reminder_is_delivered_privately_without_a_round(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-11-20 10:00"))
    add_action(runtime, "a1", owner="bob", due=date(2026, 11, 27))
    clock.set(local("2026-11-26 16:00"))
    assert firing.run_due().action_reminders == 1
    sender = RecordingSender()
    dispatcher = Dispatcher(runtime.sessions, {"web": sender}, clock, quick_wait=0)
    assert await dispatcher.run_once() == 1
    (delivery,) = sender.delivered
    assert (delivery.round_id, delivery.thread, delivery.slot, delivery.existing) == (
        None,
        None,
        None,
        None,
    )
    assert delivery.audience == "bob"
    assert delivery.channel == "team-a"
    assert delivery.message.text.startswith("Herinnering aan je actiepunt")
    assert [m.status for m in outbox(runtime)] == ["sent"]
