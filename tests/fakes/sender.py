"""A channel sender that records what it was asked to deliver, and can fail or wait on cue."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import storage
from bot.engine.messages import Message, message_to_json
from bot.runtime import Runtime
from bot.service import Delivery, Place, SendError
from bot.service.purge import TakeBack


@dataclass
class RecordingSender:
    delivered: list[Delivery] = field(default_factory=list)
    # Every delivery begun, in the order begun (a delivery that never ends is only here).
    begun: list[Delivery] = field(default_factory=list)
    # When each delivery in `delivered` ended (time.monotonic), in the same order.
    ended_at: list[float] = field(default_factory=list)
    # Called before each delivery; raise a SendError from it to fail that one.
    fail: Callable[[Delivery], None] | None = None
    # Awaited before each delivery: how a test makes a platform slow for some sends.
    wait: Callable[[Delivery], Awaitable[None]] | None = None
    # Messages taken back (deleted), and a hook that may refuse one like `fail`.
    taken_back: list[TakeBack] = field(default_factory=list)
    refuse: Callable[[TakeBack], None] | None = None
    _next_id: int = 0

    async def deliver(self, delivery: Delivery) -> str | None:
        self.begun.append(delivery)
        if self.wait is not None:
            await self.wait(delivery)
        if self.fail is not None:
            self.fail(delivery)
        self.delivered.append(delivery)
        self.ended_at.append(time.monotonic())
        if delivery.existing is not None:
            return delivery.existing
        self._next_id += 1
        return f"msg-{self._next_id}"

    async def take_back(self, message: TakeBack) -> None:
        if self.refuse is not None:
            self.refuse(message)
        self.taken_back.append(message)

    def texts(self) -> list[str]:
        return [d.message.text for d in self.delivered]


def failing_once(error: SendError) -> Callable[[Delivery], None]:
    """A `fail` hook that raises `error` the first time only."""
    state = {"raised": False}

    def hook(_delivery: Delivery) -> None:
        if not state["raised"]:
            state["raised"] = True
            raise error

    return hook


def queue_card(runtime: Runtime, place: Place, round_id: str, card: Message) -> None:
    """Queue a version of a round's card in the outbox, as a command would."""
    with runtime.sessions() as session, session.begin():
        team = storage.find_team(session, place.platform, place.workspace, place.channel)
        assert team is not None
        message = storage.OutgoingMessage(
            team_id=team.id,
            platform=place.platform,
            destination={"channel": place.channel},
            payload=message_to_json(card),
            round_id=round_id,
            slot="card",
        )
        storage.enqueue(session, [message], now=runtime.clock.now())
