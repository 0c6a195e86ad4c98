"""The dispatcher: sends what the service queued in the outbox, after the commit.

A crash between commit and send loses nothing: the message is still pending
and goes out once when the dispatcher runs again. A send that fails for good
is recorded as failed (and logged with its code); one that may or may not have
arrived is recorded as uncertain and not sent again blindly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

import storage
from bot.engine.messages import Message, message_from_json
from bot.service.clock import Clock

log = logging.getLogger(__name__)


class SendError(Exception):
    """A platform refused or failed a send. `code` is short and never holds content."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class RetryableSendError(SendError):
    """Rate limited, timed out before sending, the platform briefly down."""

    def __init__(self, code: str, retry_after: float | None = None) -> None:
        super().__init__(code)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """Channel gone, token revoked, not allowed: sending again will not help."""


class AmbiguousSendError(SendError):
    """The request went out but no answer came: it may have arrived."""


@dataclass(frozen=True)
class Delivery:
    """One queued message with everything a channel needs to send it."""

    outbox_id: int
    platform: str
    # How many times this message has been claimed, this time included.
    attempts: int
    round_id: str | None
    workspace: str
    channel: str
    conversation_ref: dict[str, Any] | None
    # A user id for a private message; None for the round's channel thread.
    audience: str | None
    slot: str | None
    # The platform id of the slot's message when it was posted before (update it).
    existing: str | None
    # The platform id of the round card, under which the round's thread hangs.
    thread: str | None
    message: Message


class Sender(Protocol):
    async def deliver(self, delivery: Delivery) -> str | None:
        """Send or update; return the platform id of the message (if any)."""
        ...


# In-process retries of a retryable error, before the outbox takes over.
_QUICK_TRIES = 3
# Then the outbox retries later, backing off up to this long between tries.
_MAX_BACKOFF = timedelta(minutes=10)
_BACKOFF = wait_exponential(multiplier=2, max=_MAX_BACKOFF.total_seconds())


class Dispatcher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        senders: Mapping[str, Sender],
        clock: Clock,
        *,
        batch: int = 20,
        quick_wait: float = 1.0,
    ) -> None:
        self.sessions = sessions
        self.senders = senders
        self.clock = clock
        self.batch = batch
        self.quick_wait = quick_wait
        self.wake = asyncio.Event()

    def recover(self) -> int:
        """At start-up: sends interrupted by a crash become uncertain, not doubled."""
        with self.sessions() as session, session.begin():
            count = storage.reset_stale_sending(session, claimed_before=self.clock.now())
        if count:
            log.warning("outbox: %d interrupted send(s) marked uncertain", count)
        return count

    async def run_once(self) -> int:
        """Send every message that is due now; returns how many were handled."""
        handled = 0
        while True:
            claimed, deliveries = await asyncio.to_thread(self._claim)
            if not claimed:
                return handled
            handled += claimed
            for delivery in deliveries:
                await self._send(delivery)

    async def run_forever(self, idle: float = 1.0) -> None:
        while True:
            # Cleared before the pass, so a wake-up that comes during it is kept.
            self.wake.clear()
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox: dispatch round failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=idle)

    # -- one message --------------------------------------------------------------------

    async def _send(self, delivery: Delivery) -> None:
        platform_sender = self._sender_for(delivery)
        if platform_sender is None:
            await asyncio.to_thread(self._settle_failed, delivery, "no_channel", None)
            return
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(RetryableSendError),
            stop=stop_after_attempt(_QUICK_TRIES),
            wait=self._quick_wait,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    external_id = await platform_sender.deliver(delivery)
        except RetryableSendError as error:
            retry_at = self.clock.now() + self._backoff(delivery)
            await asyncio.to_thread(self._settle_failed, delivery, error.code, retry_at)
        except PermanentSendError as error:
            await asyncio.to_thread(self._settle_failed, delivery, error.code, None)
        except AmbiguousSendError as error:
            if delivery.existing is not None:
                # Updating a message in place twice does no harm: try again later.
                retry_at = self.clock.now() + self._backoff(delivery)
                await asyncio.to_thread(self._settle_failed, delivery, error.code, retry_at)
            else:
                await asyncio.to_thread(self._settle_uncertain, delivery, error.code)
        else:
            await asyncio.to_thread(self._settle_sent, delivery, external_id)

    def _sender_for(self, delivery: Delivery) -> Sender | None:
        return self.senders.get(delivery.platform)

    def _quick_wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RetryableSendError) and error.retry_after is not None:
            return min(error.retry_after, 30.0)
        return self.quick_wait * state.attempt_number

    def _backoff(self, delivery: Delivery) -> timedelta:
        state = RetryCallState(retry_object=AsyncRetrying(), fn=None, args=(), kwargs={})
        state.attempt_number = delivery.attempts
        return timedelta(seconds=_BACKOFF(state))

    # -- the database side (run in a thread) ----------------------------------------------

    def _claim(self) -> tuple[int, list[Delivery]]:
        """Claim due messages: how many, and those that still need sending."""
        now = self.clock.now()
        deliveries = []
        with self.sessions() as session, session.begin():
            rows = storage.claim_outbox(session, now=now, limit=self.batch)
            for row in rows:
                delivery = self._delivery(session, row)
                if delivery is not None:
                    deliveries.append(delivery)
        return len(rows), deliveries

    def _delivery(self, session: Session, row: storage.OutboxMessage) -> Delivery | None:
        round_id = row.round_id
        card = storage.posted_message(session, round_id, "card") if round_id else None
        slot = (
            storage.posted_message(session, round_id, row.slot) if round_id and row.slot else None
        )
        if (
            round_id
            and row.slot
            and slot is not None
            and storage.outbox.newer_pending(session, round_id, row.slot, row.id)
        ):
            # A later version of this message is queued: updating to this one
            # would only spend the platform's rate limit.
            storage.mark_sent(session, row.id, external_id=slot.external_id, now=self.clock.now())
            return None
        team = storage.get_team(session, row.team_id)
        tenant = session.get(storage.Tenant, team.tenant_id) if team else None
        if team is None or tenant is None:
            storage.mark_failed(session, row.id, error_code="team_gone", retry_at=None)
            return None
        card = storage.posted_message(session, round_id, "card") if round_id else None
        slot = (
            storage.posted_message(session, round_id, row.slot) if round_id and row.slot else None
        )
        return Delivery(
            outbox_id=row.id,
            platform=row.platform,
            attempts=row.attempts,
            round_id=round_id,
            workspace=tenant.external_id,
            channel=team.external_id,
            conversation_ref=team.conversation_ref,
            audience=row.destination.get("user"),
            slot=row.slot,
            existing=slot.external_id if slot else None,
            thread=card.external_id if card else None,
            message=message_from_json(row.payload),
        )

    def _settle_sent(self, delivery: Delivery, external_id: str | None) -> None:
        now = self.clock.now()
        with self.sessions() as session, session.begin():
            storage.mark_sent(session, delivery.outbox_id, external_id=external_id, now=now)
            if delivery.round_id and delivery.slot and external_id:
                storage.record_posted(
                    session,
                    round_id=delivery.round_id,
                    slot=delivery.slot,
                    platform=delivery.platform,
                    channel=delivery.channel,
                    external_id=external_id,
                    now=now,
                )

    def _settle_failed(self, delivery: Delivery, code: str, retry_at: datetime | None) -> None:
        with self.sessions() as session, session.begin():
            storage.mark_failed(session, delivery.outbox_id, error_code=code, retry_at=retry_at)
        if retry_at is None:
            log.error(
                "outbox: message %d of round %s failed for good: %s",
                delivery.outbox_id,
                delivery.round_id,
                code,
            )
        else:
            log.warning("outbox: message %d will be retried: %s", delivery.outbox_id, code)

    def _settle_uncertain(self, delivery: Delivery, code: str) -> None:
        with self.sessions() as session, session.begin():
            storage.mark_uncertain(session, delivery.outbox_id, error_code=code)
        log.error(
            "outbox: message %d of round %s may not have arrived (%s); not resent",
            delivery.outbox_id,
            delivery.round_id,
            code,
        )
