"""The dispatcher: sends what the service queued in the outbox, after the commit.

Each round's messages go out in order (the outbox hands out one at a time per
round); different rounds are sent at once, up to `concurrency` in flight. A
crash between commit and send loses nothing: the message is still pending and
goes out once when the dispatcher runs again. A send that fails for good is
recorded as failed (and logged with its code); one that may or may not have
arrived is recorded as uncertain and not sent again blindly.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol, TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

import storage
from bot.engine.messages import Message, message_from_json
from bot.errors import Ambiguous, Permanent, PlatformError, Retryable
from bot.failures import log_failure
from bot.service.clock import Clock
from bot.service.metrics import Metrics
from bot.service.retries import tried
from bot.service.threads import in_thread, outbox_thread
from storage.models import EXTERNAL_ID_LENGTH

log = logging.getLogger(__name__)

_T = TypeVar("_T")


class SendError(PlatformError):
    """A platform refused or failed a send. `code` is short and never holds content."""

    # The ids of the parts a message sent in parts had posted or updated before the
    # send failed, first to last: recorded, so that trying again does not post them again.
    posted: tuple[str, ...] = ()


class RetryableSendError(SendError, Retryable):
    """Rate limited, timed out before sending, the platform briefly down.

    `retry_after` is what the platform asked for (Retry-After), in seconds.
    """


class PermanentSendError(SendError, Permanent):
    """Channel gone, token revoked, not allowed: sending again will not help."""


class AmbiguousSendError(SendError, Ambiguous):
    """The request went out but no answer came: it may have arrived."""


@dataclass(frozen=True)
class Posted:
    """What a send left on the platform: the ids of the message's parts, first to last.
    A message too long for one platform message is sent in several."""

    parts: tuple[str, ...]


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
    # The platform id of the slot's message when it was posted before (update it):
    # its first part, when it was posted in several (`existing_parts`).
    existing: str | None
    # The platform id of the round card, under which the round's thread hangs.
    thread: str | None
    message: Message
    # Every slot message of the round posted so far (card, a question's own), by slot:
    # read once when the message is claimed, after the round's previous message settled.
    posted: Mapping[str, str] = field(default_factory=dict)
    # The ids of this message's parts on the platform already, first to last: the slot's
    # message to update in place, or the parts an earlier try of this one posted. The
    # sender updates (a slot) or skips (anything else) those and posts the rest.
    existing_parts: tuple[str, ...] = ()
    # False for a message the service could not claim at once because an earlier one
    # of its round was still being sent: the dispatcher claims it as that one settles.
    claimed: bool = True
    # `posted` with the parts of each slot's message.
    posted_parts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class Sender(Protocol):
    async def deliver(self, delivery: Delivery) -> Posted | str | None:
        """Send or update; return the ids of the message's parts (a str: one part).

        A message of several parts: a failure after some of them raises the SendError
        with their ids in `posted`, and the dispatcher records them."""
        ...


# In-process retries of a retryable error, before the outbox takes over.
_QUICK_TRIES = 3
# A Retry-After up to this long is waited out in place; a longer one hands the
# message back to the outbox until then, so it holds no place among those in flight.
QUICK_HOLD = 2.0
# Then the outbox retries later, backing off up to this long between tries.
_MAX_BACKOFF = timedelta(minutes=10)
_BACKOFF = wait_exponential(multiplier=2, max=_MAX_BACKOFF.total_seconds())
# A message claimed this long ago and never settled lost its dispatcher (another
# replica that died): far longer than any send with its quick retries takes.
LEASE = timedelta(minutes=5)


# A recorded send: the round's next message to send (if any), and how many rows
# the claim of it took (skipped outdated updates included).
_Settled = tuple["Delivery | None", int]


@dataclass(frozen=True)
class _Result:
    """How one send ended, for the database to record."""

    kind: Literal["sent", "retry", "failed", "uncertain"]
    # The ids of the message's parts on the platform (all of them once sent).
    parts: tuple[str, ...] = ()
    code: str | None = None
    retry_at: datetime | None = None


class _Wake(asyncio.Event):
    """The commits' wake-up, which also stirs the dispatcher's one loop: the loop
    waits on one event, whatever woke it (a commit, a hand-over, a finished round)."""

    def __init__(self, stir: asyncio.Event) -> None:
        super().__init__()
        self._stir = stir

    def set(self) -> None:
        super().set()
        self._stir.set()


class Dispatcher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        senders: Mapping[str, Sender],
        clock: Clock,
        *,
        concurrency: int = 32,
        quick_wait: float = 1.0,
        metrics: Metrics | None = None,
    ) -> None:
        self.sessions = sessions
        self.senders = senders
        self.clock = clock
        self.concurrency = concurrency
        self.quick_wait = quick_wait
        self.metrics = metrics or Metrics()
        self._stir = asyncio.Event()
        self.wake: asyncio.Event = _Wake(self._stir)
        # Claimed messages whose send has not begun: handed back if we are stopped.
        self._unbegun: set[int] = set()
        # Messages the service claimed as it queued them, waiting for a place.
        self._adopted: list[Delivery] = []
        # Card updates the service queued while the round's previous message was in
        # flight here, by round: claimed as that one is recorded, in its transaction.
        self._prepared: dict[str, Delivery] = {}
        self._in_flight: set[str] = set()
        # The rounds in flight (one task each), and what the finished ones handled.
        self._running: set[asyncio.Task[int]] = set()
        self._ended: list[int] = []
        # The database work: sends that ended and wait to be recorded, and a claim
        # asked for. One transaction (one thread hop) does all that waits, in turn,
        # so that a claim never runs beside the settling of a round's message (it
        # could miss the round's next one, which that message still held back).
        self._settling: list[tuple[Delivery, _Result, asyncio.Future[_Settled]]] = []
        self._claiming: tuple[int, asyncio.Future[tuple[int, list[Delivery]]]] | None = None
        self._worker: asyncio.Task[None] | None = None

    def adopt(self, deliveries: list[Delivery]) -> None:
        """Take over messages the service claimed in its own transaction (see
        `claim_at_once`): sent without a claim of our own. Call on the loop's thread."""
        for delivery in deliveries:
            if delivery.claimed:
                self._unbegun.add(delivery.outbox_id)
                self._adopted.append(delivery)
            elif delivery.round_id in self._in_flight:
                # Its round's task claims it as the message before it is recorded.
                self._prepared[delivery.round_id] = delivery
            else:
                self.wake.set()
        # Not `wake`: that would send the loop looking in the outbox for nothing.
        self._stir.set()

    def recover(self, *, older_than: timedelta = timedelta(0)) -> int:
        """Sends interrupted by a crash: an update in place goes out again, anything
        else becomes uncertain rather than doubled. At start-up everything claimed
        before now; while running, what outlived its LEASE (a replica that died)."""
        with self.sessions() as session, session.begin():
            count = storage.reset_stale_sending(
                session, claimed_before=self.clock.now() - older_than
            )
        if count:
            log.warning("outbox: %d interrupted send(s) marked uncertain", count)
        return count

    async def run_once(self, *, look: bool = True) -> int:
        """Send every message that is due now; returns how many were handled.

        One task per round in flight sends that round's messages one after the
        other; a free place is filled as soon as one frees up or the service
        wakes us with new messages.
        """
        handled = 0
        running = self._running
        # `look`: whether more may be due than we hold. A round's own next message
        # is claimed by its task; anything else comes due by a commit here (a wake),
        # by what we left behind for lack of room, or from elsewhere (the poll).
        try:
            while True:
                # Cleared first: whatever happens from here on stirs us again.
                self._stir.clear()
                while self._ended:
                    handled += self._ended.pop()
                while self._adopted and len(running) < self.concurrency:
                    self._start(self._adopted.pop(0))
                    handled += 1
                free = self.concurrency - len(running)
                if free > 0 and (look or self.wake.is_set()):
                    claimed, deliveries = await self._claim(free)
                    handled += claimed
                    for delivery in deliveries:
                        self._start(delivery)
                    # Full hands may have left some behind; skipped or failed rows
                    # may have freed a round's next message.
                    look = claimed == free or claimed > len(deliveries)
                    if claimed > len(deliveries):
                        continue
                if not running:
                    while self._ended:
                        handled += self._ended.pop()
                    return handled
                # With every place taken a commit stirs us once and waits (the wake
                # stays set) until a round's task ends: no loop over the places.
                await self._stir.wait()
        finally:
            for task in list(running):
                task.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)
            if self._worker is not None:
                # What it claimed (a round's next message) is among the unbegun.
                await asyncio.gather(self._worker, return_exceptions=True)
            self._ended.clear()
            if self._unbegun:
                # Stopped (shutdown, cancelled): what never reached a platform is
                # pending again, not left for recovery to call uncertain. Blocking
                # on purpose: a cancelled task may not get to await anything more.
                # Handed messages not yet begun are among them: forget those too.
                self._adopted.clear()
                self._release(set(self._unbegun))

    async def run_forever(self, idle: float = 1.0) -> None:
        last_recovery = time.monotonic()
        look = True
        while True:
            try:
                await self.run_once(look=look)
                if time.monotonic() - last_recovery > LEASE.total_seconds() / 2:
                    last_recovery = time.monotonic()
                    await asyncio.to_thread(self.recover, older_than=LEASE)
            except Exception as error:
                log_failure(log, "outbox: dispatch round failed; trying again", error)
            polled = False
            if not self.wake.is_set() and not self._adopted:
                self._stir.clear()
                try:
                    await asyncio.wait_for(self._stir.wait(), timeout=idle)
                except TimeoutError:
                    polled = True
            # Handed messages alone need no look in the outbox; a commit or the poll does.
            look = self.wake.is_set() or polled

    def _start(self, delivery: Delivery) -> None:
        task = asyncio.create_task(self._conversation(delivery))
        self._running.add(task)
        if delivery.round_id is not None:
            self._in_flight.add(delivery.round_id)
        task.add_done_callback(functools.partial(self._finished_round, delivery.round_id))

    def _finished_round(self, round_id: str | None, task: asyncio.Task[int]) -> None:
        self._running.discard(task)
        if round_id is not None:
            self._in_flight.discard(round_id)
            if self._prepared.pop(round_id, None) is not None:
                # Handed over as the round's last message settled: the claim finds it.
                self.wake.set()
        if not task.cancelled():
            self._ended.append(task.result())
        self._stir.set()

    # -- one round's messages, in order -----------------------------------------------

    async def _conversation(self, delivery: Delivery | None) -> int:
        """Send a message, then the round's next ones as they come due. Returns how
        many more rows that claimed."""
        handled = 0
        try:
            while delivery is not None:
                result = await self._send(delivery)
                delivery, claimed = await self._settled(delivery, result)
                handled += claimed
        except Exception as error:
            # Type only: the error may hold a statement's values. The message stays
            # claimed; recovery hands it on once its lease has run out.
            log.error("outbox: sending a round's messages failed: %s", type(error).__name__)
        return handled

    async def _send(self, delivery: Delivery) -> _Result:
        self._unbegun.discard(delivery.outbox_id)
        platform_sender = self.senders.get(delivery.platform)
        if platform_sender is None:
            return self._failed(delivery, "no_channel", None)
        started = time.perf_counter()
        trying = delivery
        try:
            try:
                sent = await platform_sender.deliver(trying)
            except RetryableSendError as error:
                if not _quick_retry(error):
                    raise
                # Tenacity only once a send needs trying again: most go out at once.
                await asyncio.sleep(self._wait_after(error, 1))
                retrying = AsyncRetrying(
                    retry=retry_if_exception(_quick_retry),
                    stop=stop_after_attempt(_QUICK_TRIES - 1),
                    wait=self._quick_wait,
                    reraise=True,
                )
                async for attempt in retrying:
                    with attempt:
                        # What the last try posted is updated or skipped, not posted again.
                        trying = _after_parts(trying, error.posted)
                        try:
                            sent = await platform_sender.deliver(trying)
                        except RetryableSendError as again:
                            error = again
                            raise
        except SendError as error:
            # The parts on the platform now: what the tries posted, then those of before.
            parts = _after_parts(trying, error.posted).existing_parts
            if isinstance(error, RetryableSendError):
                later = self.clock.now() + self._later(delivery, error)
                return self._failed(delivery, error.code, later, parts)
            if isinstance(error, AmbiguousSendError):
                if delivery.existing is not None:
                    # Updating a message in place twice does no harm: try again later.
                    later = self.clock.now() + self._backoff(delivery)
                    return self._failed(delivery, error.code, later, parts)
                self.metrics.failed(delivery.platform, error.code)
                return _Result("uncertain", code=error.code, parts=parts)
            return self._failed(delivery, error.code, None, parts)
        self.metrics.sent(delivery.platform, time.perf_counter() - started)
        if isinstance(sent, Posted):
            return _Result("sent", parts=sent.parts)
        return _Result("sent", parts=(sent,) if sent else ())

    def _failed(
        self,
        delivery: Delivery,
        code: str,
        retry_at: datetime | None,
        parts: tuple[str, ...] = (),
    ) -> _Result:
        self.metrics.failed(delivery.platform, code)
        kind: Literal["failed", "retry"] = "failed" if retry_at is None else "retry"
        return _Result(kind, code=code, retry_at=retry_at, parts=parts)

    def _quick_wait(self, state: RetryCallState) -> float:
        # The retrying starts at the second try: its first attempt is the send's second.
        error = state.outcome.exception() if state.outcome else None
        return self._wait_after(error, state.attempt_number + 1)

    def _wait_after(self, error: BaseException | None, tries: int) -> float:
        if isinstance(error, RetryableSendError) and error.retry_after is not None:
            return error.retry_after
        return self.quick_wait * tries

    def _later(self, delivery: Delivery, error: RetryableSendError) -> timedelta:
        """When the outbox tries again: when the platform said, else backing off."""
        if error.retry_after is not None:
            return max(timedelta(seconds=error.retry_after), timedelta(seconds=self.quick_wait))
        return self._backoff(delivery)

    def _backoff(self, delivery: Delivery) -> timedelta:
        state = RetryCallState(retry_object=AsyncRetrying(), fn=None, args=(), kwargs={})
        state.attempt_number = delivery.attempts
        return timedelta(seconds=_BACKOFF(state))

    # -- the database side -------------------------------------------------------------------

    async def _claim(self, limit: int) -> tuple[int, list[Delivery]]:
        """Claim up to `limit` due messages: how many, and those that still need
        sending. Done with the sends waiting to be recorded, if any."""
        future: asyncio.Future[tuple[int, list[Delivery]]] = (
            asyncio.get_running_loop().create_future()
        )
        future.add_done_callback(_seen)
        self._claiming = (limit, future)
        self._work_on()
        return await asyncio.shield(future)

    async def _settled(self, delivery: Delivery, result: _Result) -> _Settled:
        """Have a send recorded, with the sends that ended meanwhile (one transaction,
        one write lock and one thread hop for all of them, however many rounds are in
        flight); the round's next message and how many more rows that claimed."""
        future: asyncio.Future[_Settled] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_seen)
        self._settling.append((delivery, result, future))
        self._work_on()
        # Shielded: once handed over, the settling goes on whatever happens to us.
        return await asyncio.shield(future)

    def _work_on(self) -> None:
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._database_work())

    async def _database_work(self) -> None:
        while self._settling or self._claiming:
            batch, self._settling = self._settling, []
            claiming, self._claiming = self._claiming, None
            if claiming is not None:
                # Cleared as the claim begins: a commit from now on is looked for again.
                self.wake.clear()
            sends = [(delivery, result) for delivery, result, _ in batch]
            limit = claiming[0] if claiming is not None else 0
            try:
                outcomes, claimed = await _finished(
                    self.sessions, self._record_and_claim, sends, limit
                )
            except Exception as error:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                if claiming is not None and not claiming[1].done():
                    claiming[1].set_exception(error)
                continue
            for (_, _, future), outcome in zip(batch, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)
            if claiming is not None and not claiming[1].done():
                claiming[1].set_result(claimed)

    def _record_and_claim(
        self, sends: list[tuple[Delivery, _Result]], limit: int
    ) -> tuple[list[_Settled], tuple[int, list[Delivery]]]:
        """In a thread: record the sends and claim up to `limit` due messages, in one
        transaction; one that cannot be recorded does not keep the others from theirs."""
        try:
            return self._together(sends, limit)
        except OperationalError:
            raise  # the database was busy: the whole batch is tried again
        except Exception:
            if len(sends) + bool(limit) <= 1:
                raise
        one_by_one: list[_Settled] = []
        for send in sends:
            try:
                one_by_one.extend(self._together([send], 0)[0])
            except Exception as error:
                log.error(
                    "outbox: recording message %d failed: %s",
                    send[0].outbox_id,
                    type(error).__name__,
                )
                one_by_one.append((None, 0))
        return one_by_one, self._together([], limit)[1] if limit else (0, [])

    def _together(
        self, sends: list[tuple[Delivery, _Result]], limit: int
    ) -> tuple[list[_Settled], tuple[int, list[Delivery]]]:
        if not sends:
            with self.sessions() as session:
                # Most looks find nothing (the service handed its card updates over):
                # a read, which takes no write lock.
                if not storage.outbox.any_due(session, now=self.clock.now()):
                    return [], (0, [])
        with self.sessions() as session, session.begin():
            outcomes = self._settle_all(session, sends)
            rows = storage.claim_outbox(session, now=self.clock.now(), limit=limit) if limit else []
            deliveries = [d for d in (self._delivery(session, row) for row in rows) if d]
        # Known as claimed once committed (a transaction tried again claims anew).
        self._unbegun.update(d.outbox_id for d, _ in outcomes if d is not None)
        self._unbegun.update(d.outbox_id for d in deliveries)
        return outcomes, (len(rows), deliveries)

    def _release(self, message_ids: set[int]) -> None:
        with self.sessions() as session, session.begin():
            storage.release_claimed(session, message_ids)
        self._unbegun -= message_ids

    def _settle_all(
        self, session: Session, sends: Sequence[tuple[Delivery, _Result]]
    ) -> list[_Settled]:
        """Record how the sends ended and, in the same transaction, claim each round's
        next message. A statement does all of them where it can (the sent ones, the
        service's card updates handed over): under load a round trip waits its turn
        for the interpreter, and a dozen sends recorded one by one took ~100 ms on
        PostgreSQL. Returns, per send, the round's next message (if it needs sending)
        and how many more rows claiming it took."""
        now = self.clock.now()
        sent: list[tuple[int, str | None]] = []
        for delivery, result in sends:
            self._record_parts(session, delivery, result, now)
            if result.kind == "sent":
                sent.append((delivery.outbox_id, all_ids(result.parts)))
            else:
                self._settle_unsent(session, delivery, result)
        storage.outbox.mark_all_sent(session, sent, now=now)

        settled: dict[int, _Settled] = {}
        handed: dict[int, Delivery] = {}
        for n, (delivery, result) in enumerate(sends):
            if delivery.round_id is None or result.kind == "retry":
                # A message waiting for its retry holds up the rest of its round.
                settled[n] = (None, 0)
                continue
            prepared = self._prepared.pop(delivery.round_id, None)
            if prepared is not None and prepared.outbox_id > delivery.outbox_id:
                handed[n] = prepared
        claimed = storage.outbox.claim_all_queued(
            session, [prepared.outbox_id for prepared in handed.values()], now=now
        )
        for n, prepared in handed.items():
            if prepared.outbox_id in claimed:
                # The service's card update, claimed as it is: the round's posts as
                # the service read them, and what this send has just posted.
                delivery, result = sends[n]
                parts = dict(prepared.posted_parts)
                if delivery.slot and result.parts:
                    parts[delivery.slot] = result.parts
                settled[n] = (_with_parts(prepared, parts), 1)

        # The other rounds' next messages from the outbox; one that needs no sending
        # (an update a newer one replaces) is settled, and the round looks again.
        looking = {
            round_id: n
            for n, (delivery, _) in enumerate(sends)
            if n not in settled and (round_id := delivery.round_id) is not None
        }
        handled = dict.fromkeys(looking.values(), 0)
        while looking:
            rows = storage.claim_outbox(
                session, now=self.clock.now(), limit=len(looking), round_ids=list(looking)
            )
            found = {row.round_id: row for row in rows}
            for round_id, n in list(looking.items()):
                row = found.get(round_id)
                if row is None:
                    settled[n] = (None, handled[n])
                    del looking[round_id]
                    continue
                handled[n] += 1
                following = self._delivery(session, row, after=sends[n][0])
                if following is not None:
                    settled[n] = (following, handled[n])
                    del looking[round_id]
        return [settled[n] for n in range(len(sends))]

    def _delivery(
        self, session: Session, row: storage.OutboxMessage, *, after: Delivery | None = None
    ) -> Delivery | None:
        """The claimed row as a Delivery, or None when it needs no sending. `after`:
        the round's message sent before it, whose place it shares (a round never moves)."""
        round_id = row.round_id
        posted = storage.posted_parts(session, round_id) if round_id else {}
        existing = posted.get(row.slot) if row.slot else None
        if (
            round_id
            and row.slot
            and existing is not None
            and storage.outbox.newer_pending(session, round_id, row.slot, row.id)
        ):
            # A later version of this message is queued: updating to this one
            # would only spend the platform's rate limit.
            storage.mark_sent(session, row.id, external_id=all_ids(existing), now=self.clock.now())
            return None
        if after is not None and after.round_id == round_id:
            place: storage.teams.TeamPlace | None = storage.teams.TeamPlace(
                row.team_id, row.platform, after.workspace, after.channel, after.conversation_ref
            )
        else:
            place = storage.teams.team_place(session, row.team_id)
        if place is None:
            storage.mark_failed(session, row.id, error_code="team_gone", retry_at=None)
            return None
        return _delivery(row, place, posted, attempts=row.attempts)

    def _record_parts(
        self, session: Session, delivery: Delivery, result: _Result, now: datetime
    ) -> None:
        """Where the slot's message and its parts live, however the send ended: an
        update in place of the same parts moves nothing."""
        parts = result.parts
        if delivery.round_id and delivery.slot and parts and parts != delivery.existing_parts:
            storage.record_posted(
                session,
                round_id=delivery.round_id,
                slot=delivery.slot,
                platform=delivery.platform,
                channel=delivery.channel,
                external_id=parts[0],
                parts=parts,
                now=now,
            )

    def _settle_unsent(self, session: Session, delivery: Delivery, result: _Result) -> None:
        """A send that did not (certainly) arrive: uncertain, failed, or to try later."""
        parts = result.parts
        assert result.code is not None
        if result.kind == "uncertain":
            storage.mark_uncertain(session, delivery.outbox_id, error_code=result.code)
            log.error(
                "outbox: message %d of round %s may not have arrived (%s); not resent",
                delivery.outbox_id,
                delivery.round_id,
                result.code,
            )
            return
        # A message of several parts that is tried again keeps the parts it posted
        # (a slot's are recorded above): the next try posts only the rest.
        progress = all_ids(parts) if result.kind == "retry" and not delivery.slot else None
        storage.mark_failed(
            session,
            delivery.outbox_id,
            error_code=result.code,
            retry_at=result.retry_at,
            external_id=progress,
        )
        if result.retry_at is None:
            log.error(
                "outbox: message %d of round %s failed for good: %s",
                delivery.outbox_id,
                delivery.round_id,
                result.code,
            )
        else:
            log.warning("outbox: message %d will be retried: %s", delivery.outbox_id, result.code)


def claim_at_once(
    session: Session,
    row: storage.OutboxMessage,
    place: storage.teams.TeamPlace,
    now: datetime,
    *,
    message: Message | None = None,
) -> Delivery | None:
    """In the service's own transaction: claim a message it just queued, so that the
    dispatcher can send it without a claim of its own (a transaction and a thread hop
    less per click). Only an update of a message already posted (the card) is taken
    this way: if the process dies before sending it, recovery sends it again, which
    does no harm. Anything else waits for the dispatcher's claim.

    When an earlier message of the round is still ahead of it, the update comes back
    unclaimed (`claimed=False`): if that earlier one is being sent by the dispatcher
    here, the dispatcher claims this one as it records that one, with no claim of
    its own; else it looks in the outbox as after any commit. `message`: the row's
    message as the caller drew it, so that it is not read back from its JSON."""
    if row.round_id is None or row.slot is None:
        return None
    posted = storage.posted_parts(session, row.round_id)
    if row.slot not in posted:
        return None
    # The row was read before the claim counted this try.
    delivery = _delivery(row, place, posted, attempts=row.attempts + 1, message=message)
    if not storage.outbox.claim_queued(session, row.id, now=now):
        return dataclasses.replace(delivery, claimed=False)
    return delivery


def _delivery(
    row: storage.OutboxMessage,
    place: storage.teams.TeamPlace,
    posted: Mapping[str, tuple[str, ...]],
    *,
    attempts: int,
    message: Message | None = None,
) -> Delivery:
    delivery = Delivery(
        outbox_id=row.id,
        platform=row.platform,
        attempts=attempts,
        round_id=row.round_id,
        workspace=place.workspace,
        channel=place.channel,
        conversation_ref=place.conversation_ref,
        audience=row.destination.get("user"),
        slot=row.slot,
        existing=None,
        thread=None,
        message=message if message is not None else message_from_json(row.payload),
        # What an earlier try of a message without a slot posted (see `_settle`).
        existing_parts=() if row.slot or not row.external_id else tuple(row.external_id.split()),
    )
    return _with_parts(delivery, posted)


def _with_parts(delivery: Delivery, posted: Mapping[str, tuple[str, ...]]) -> Delivery:
    """The delivery with the round's posted slot messages: its own parts, the card's."""
    parts = posted.get(delivery.slot, ()) if delivery.slot else delivery.existing_parts
    return dataclasses.replace(
        delivery,
        existing=parts[0] if parts and delivery.slot else None,
        thread=posted["card"][0] if "card" in posted else None,
        posted={slot: ids[0] for slot, ids in posted.items()},
        posted_parts=posted,
        existing_parts=parts,
        claimed=True,
    )


def _after_parts(delivery: Delivery, posted: tuple[str, ...]) -> Delivery:
    """The delivery to try again after a try that posted or updated `posted`."""
    if not posted:
        return delivery
    parts = _merged(posted, delivery.existing_parts)
    existing = parts[0] if delivery.slot else None
    return dataclasses.replace(delivery, existing=existing, existing_parts=parts)


def _merged(done: tuple[str, ...], before: tuple[str, ...]) -> tuple[str, ...]:
    """The parts on the platform: what a send did (first to last), then the parts of
    before it did not get to (Slack keeps a card's emptied parts for it to grow into)."""
    return done + before[len(done) :]


def all_ids(ids: Sequence[str]) -> str | None:
    """The platform ids of a message sent in parts, as the one external id the outbox
    keeps (space separated), so each part can be taken back. As many as the column
    holds; a message of more parts than that is rare and keeps its first ones."""
    kept: list[str] = []
    for one in ids:
        if len(" ".join([*kept, one])) > EXTERNAL_ID_LENGTH:
            break
        kept.append(one)
    return " ".join(kept) or None


# Seconds, at most, between tries of database work that met a busy database.
_BUSY_JITTER = 0.05


def _retried(work: Callable[..., _T], *args: Any) -> _T:
    """Database work tried again when the database was busy (SQLite's one writer at a
    time can keep another waiting past its busy timeout); each try is one transaction."""
    return tried(lambda: work(*args), on=OperationalError, tries=5, jitter=_BUSY_JITTER)


def _seen(future: asyncio.Future[Any]) -> None:
    """The database work's answer is shielded: it comes whatever happens to the task
    that asked for it. When a stopping dispatcher's task is gone by then, its error
    was that task's (and is logged by the work that met it), not one for asyncio to
    report as never retrieved."""
    if not future.cancelled():
        future.exception()


async def _finished(sessions: sessionmaker[Session], work: Callable[..., _T], *args: Any) -> _T:
    """Run database work on the outbox thread; when cancelled, still wait for it to end.

    A thread cannot be stopped: it commits what it claimed whatever happens to
    the task. Waiting for it lets the stopping dispatcher hand those back.
    """
    future = asyncio.ensure_future(in_thread(outbox_thread(sessions), _retried, work, *args))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await future
        raise


def _quick_retry(error: BaseException) -> bool:
    """Worth trying again in place: retryable, and not asked to wait long."""
    return isinstance(error, RetryableSendError) and (
        error.retry_after is None or error.retry_after <= QUICK_HOLD
    )
