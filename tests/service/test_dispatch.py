"""The dispatcher at school-board scale: rounds in parallel, each in order, once."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.engine import commands as cmd
from bot.service import Delivery, Dispatcher, Place, RetryableSendError, RoundService
from protocols.loader import Library
from tests.fakes.clock import ManualClock
from tests.fakes.sender import RecordingSender
from tests.service.conftest import ANN, BOB, CAS, accepted


def _round_in(service: RoundService, channel: str) -> str:
    place = Place(platform="web", workspace="local", channel=channel, channel_name=channel)
    outcome = accepted(service.start(place, ANN, "incident"))
    assert outcome.round_id is not None
    for person in (BOB, CAS):
        accepted(service.handle(outcome.round_id, cmd.Join(user=person.user_id, name=person.name)))
    return outcome.round_id


def _rows(sessions: sessionmaker[Session]) -> list[storage.OutboxMessage]:
    with sessions() as session:
        rows = session.scalars(select(storage.OutboxMessage).order_by(storage.OutboxMessage.id))
        return list(rows)


def _ids_by_round(deliveries: list[Delivery]) -> dict[str | None, list[int]]:
    by_round: dict[str | None, list[int]] = {}
    for d in deliveries:
        by_round.setdefault(d.round_id, []).append(d.outbox_id)
    return by_round


async def _until(condition: object, what: str, timeout: float = 10.0) -> None:
    assert callable(condition)
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


async def test_a_slow_round_keeps_its_order_while_other_rounds_are_sent(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    slow, quick = _round_in(service, "slow-team"), _round_in(service, "quick-team")
    release = asyncio.Event()

    async def platform(delivery: Delivery) -> None:
        if delivery.round_id == slow:
            await release.wait()

    sender = RecordingSender(wait=platform)
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    queued = _ids_by_round([])
    for row in _rows(session_factory):
        queued.setdefault(row.round_id, []).append(row.id)
    assert len(queued[slow]) > 1 and len(queued[quick]) > 1

    run = asyncio.create_task(dispatcher.run_once())

    def statuses(round_id: str) -> set[str]:
        return {r.status for r in _rows(session_factory) if r.round_id == round_id}

    await _until(lambda: statuses(quick) == {"sent"}, "the quick round's messages")
    assert _ids_by_round(sender.delivered).get(slow) is None, "the slow round is still waiting"
    assert [d.outbox_id for d in sender.begun if d.round_id == slow] == queued[slow][:1], (
        "the slow round's next message waits for its first"
    )
    assert statuses(slow) == {"sending", "pending"}
    release.set()
    assert await run == sum(len(ids) for ids in queued.values())
    sent = _ids_by_round(sender.delivered)[slow]
    assert len(sent) > 1 and sent == sorted(sent), "in the order queued"
    assert statuses(slow) == {"sent"}


async def test_no_more_rounds_are_in_flight_than_allowed(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    for n in range(6):
        _round_in(service, f"team-{n}")
    in_flight, most = 0, 0

    async def platform(_delivery: Delivery) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1

    sender = RecordingSender(wait=platform)
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0, concurrency=4)
    await dispatcher.run_once()
    assert most == 4
    assert {r.status for r in _rows(session_factory)} == {"sent"}


async def test_a_crash_mid_batch_loses_nothing_and_doubles_no_post(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    rounds = [_round_in(service, f"team-{n}") for n in range(4)]
    first = RecordingSender()
    await Dispatcher(session_factory, {"web": first}, clock, quick_wait=0).run_once()
    for round_id in rounds:
        # The next step: a card update plus what the step says in the thread.
        accepted(service.handle(round_id, cmd.Advance(user=ANN.user_id)))
    # Round 0 goes through; round 1 hangs on its second message (a post), rounds 2
    # and 3 on their first (an update of the card): then the process dies.
    later = {r.id: r for r in _rows(session_factory) if r.status == "pending"}
    second_of_1 = sorted(i for i, r in later.items() if r.round_id == rounds[1])[1]

    async def platform(delivery: Delivery) -> None:
        if delivery.round_id in rounds[2:] or delivery.outbox_id == second_of_1:
            await asyncio.Event().wait()

    crashing = RecordingSender(wait=platform)
    run = asyncio.create_task(
        Dispatcher(session_factory, {"web": crashing}, clock, quick_wait=0).run_once()
    )
    await _until(lambda: len(crashing.begun) - len(crashing.delivered) == 3, "three hung sends")
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    hung = {d.outbox_id: d for d in crashing.begun if d not in crashing.delivered}
    assert any(d.existing is None for d in hung.values())
    assert any(d.existing is not None for d in hung.values())
    begun = {d.outbox_id for d in crashing.begun}
    never_claimed = [i for i in later if i not in begun]
    assert never_claimed, "some messages were still waiting when it died"

    clock.advance(seconds=1)
    restarted_sender = RecordingSender()
    restarted = Dispatcher(session_factory, {"web": restarted_sender}, clock, quick_wait=0)
    restarted.recover()
    await restarted.run_once()

    statuses = {r.id: r.status for r in _rows(session_factory)}
    completed = Counter(d.outbox_id for d in [*crashing.delivered, *restarted_sender.delivered])
    uncertain = {i for i, s in statuses.items() if s == "uncertain"}
    assert uncertain == {i for i, d in hung.items() if d.existing is None}, (
        "only a post that may have arrived is left uncertain (and not sent again)"
    )
    assert all(statuses[i] == "sent" for i in later if i not in uncertain), "nothing lost"
    assert all(completed[i] == 1 for i in later if i not in uncertain), "nothing doubled"
    assert all(completed[i] == 0 for i in uncertain)


@pytest.fixture
def replica_sessions(postgres_url: str) -> Iterator[list[sessionmaker[Session]]]:
    """Two processes' worth of database connections on one PostgreSQL."""
    engines = [storage.make_engine(postgres_url) for _ in range(2)]
    yield [storage.make_session_factory(e) for e in engines]
    for engine in engines:
        engine.dispose()


@pytest.mark.postgres
async def test_two_dispatchers_on_postgres_send_each_message_once_in_order(
    replica_sessions: list[sessionmaker[Session]], library: Library, clock: ManualClock
) -> None:
    service = RoundService(replica_sessions[0], library, clock)
    rounds = [_round_in(service, f"team-{n}") for n in range(12)]
    for round_id in rounds[::2]:
        accepted(service.handle(round_id, cmd.Advance(user=ANN.user_id)))
    jitter = random.Random(14)

    async def platform(_delivery: Delivery) -> None:
        await asyncio.sleep(jitter.uniform(0, 0.004))

    senders = [RecordingSender(wait=platform) for _ in replica_sessions]
    dispatchers = [
        Dispatcher(sessions, {"web": sender}, clock, quick_wait=0, concurrency=4)
        for sessions, sender in zip(replica_sessions, senders, strict=True)
    ]
    await asyncio.gather(*(d.run_once() for d in dispatchers))

    rows = _rows(replica_sessions[0])
    assert {r.status for r in rows} == {"sent"}
    sent = Counter(d.outbox_id for s in senders for d in s.delivered)
    # (Card updates a newer one replaced before they went out are not sent at all.)
    assert set(sent) <= {r.id for r in rows} and max(sent.values()) == 1, "each once at most"
    assert len(sent) > len(rounds) * 2
    assert all(s.delivered for s in senders), "both dispatchers took part"
    in_time = sorted(
        ((at, d) for s in senders for at, d in zip(s.ended_at, s.delivered, strict=True)),
        key=lambda pair: pair[0],
    )
    for round_id, ids in _ids_by_round([d for _, d in in_time]).items():
        assert ids == sorted(ids), f"round {round_id} kept its order across both"


async def test_a_long_retry_after_hands_the_message_back_and_holds_only_its_round(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    limited, other = _round_in(service, "limited-team"), _round_in(service, "other-team")
    refused: list[int] = []

    def platform(delivery: Delivery) -> None:
        if delivery.round_id == limited and not refused:
            refused.append(delivery.outbox_id)
            raise RetryableSendError("ratelimited", retry_after=30)

    sender = RecordingSender(fail=platform)
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    await dispatcher.run_once()
    rows = {r.id: r for r in _rows(session_factory)}
    assert rows[refused[0]].status == "pending"
    assert rows[refused[0]].next_attempt_at == clock.now() + timedelta(seconds=30)
    assert {r.status for r in rows.values() if r.round_id == other} == {"sent"}
    assert not [d for d in sender.delivered if d.round_id == limited], "its round waits in order"

    clock.advance(seconds=31)
    await dispatcher.run_once()
    assert {r.status for r in _rows(session_factory)} == {"sent"}
    sent = _ids_by_round(sender.delivered)[limited]
    assert sent[0] == refused[0] and sent == sorted(sent)


async def test_a_card_update_claimed_with_its_command_goes_out_at_once_or_after_a_crash(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    handed: list[Delivery] = []
    service.handoff = handed.extend
    round_id = _round_in(service, "team-a")
    sender = RecordingSender()
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    await dispatcher.run_once()
    assert not handed, "a first post of the card is left to the dispatcher's claim"

    accepted(service.handle(round_id, cmd.Join(user="dee", name="Dee")))
    [update] = handed
    assert update.slot == "card" and update.existing is not None
    rows = {r.id: r for r in _rows(session_factory)}
    assert rows[update.outbox_id].status == "sending", "claimed in the command's transaction"
    dispatcher.adopt(handed)
    await dispatcher.run_once()
    assert sender.delivered[-1].outbox_id == update.outbox_id
    assert {r.status for r in _rows(session_factory)} == {"sent"}

    handed.clear()
    accepted(service.handle(round_id, cmd.Join(user="eve", name="Eve")))
    [lost] = handed  # ...and the process dies before the dispatcher gets it
    clock.advance(seconds=1)
    restarted_sender = RecordingSender()
    restarted = Dispatcher(session_factory, {"web": restarted_sender}, clock, quick_wait=0)
    assert restarted.recover() == 0, "an update of the card is not left uncertain"
    await restarted.run_once()
    assert [d.outbox_id for d in restarted_sender.delivered] == [lost.outbox_id]
    assert "Eve" in repr(restarted_sender.delivered[0].message.blocks)


async def test_sends_that_end_together_are_recorded_in_one_transaction(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    rounds = [_round_in(service, f"team-{n}") for n in range(6)]
    await Dispatcher(session_factory, {"web": RecordingSender()}, clock, quick_wait=0).run_once()
    for round_id in rounds:
        accepted(service.handle(round_id, cmd.Advance(user=ANN.user_id)))
    release = asyncio.Event()

    async def platform(_delivery: Delivery) -> None:
        await release.wait()

    sender = RecordingSender(wait=platform)
    settles: list[int] = []
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    recorded = dispatcher._together

    def counted(sends: list[tuple[Delivery, object]], limit: int) -> object:
        if sends:
            settles.append(len(sends))
        return recorded(sends, limit)  # type: ignore[arg-type]

    dispatcher._together = counted  # type: ignore[method-assign,assignment]
    run = asyncio.create_task(dispatcher.run_once())
    await _until(lambda: len(sender.begun) == len(rounds), "every round's card in flight")
    release.set()
    await run
    assert {r.status for r in _rows(session_factory)} == {"sent"}
    # Six rounds' sends that ended at once: fewer transactions than sends.
    assert sum(settles) == len(sender.delivered)
    assert len(settles) < len(sender.delivered) and max(settles) > 1


async def test_a_send_that_cannot_be_recorded_does_not_keep_the_others_from_theirs(
    service: RoundService,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rounds = [_round_in(service, f"team-{n}") for n in range(3)]
    release = asyncio.Event()

    async def platform(_delivery: Delivery) -> None:
        await release.wait()

    sender = RecordingSender(wait=platform)
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    await_first = asyncio.create_task(dispatcher.run_once())
    await _until(lambda: len(sender.begun) == len(rounds), "every round's first message in flight")
    broken = sender.begun[0].outbox_id
    mark_all_sent = storage.outbox.mark_all_sent

    def failing(session: Session, sent: list[tuple[int, str | None]], **values: object) -> None:
        if any(message_id == broken for message_id, _ in sent):
            raise RuntimeError("cannot record")
        mark_all_sent(session, sent, **values)  # type: ignore[arg-type]

    monkeypatch.setattr(storage.outbox, "mark_all_sent", failing)
    release.set()
    await await_first
    statuses = {r.id: r.status for r in _rows(session_factory)}
    # The broken one stays claimed (recovery hands it on after its lease); the others
    # were recorded, and their rounds went on to their next messages.
    assert statuses[broken] == "sending"
    others = [r for r in _rows(session_factory) if r.round_id != sender.begun[0].round_id]
    assert {r.status for r in others} == {"sent"}


async def test_a_full_dispatcher_waits_for_a_free_place_without_spinning(
    service: RoundService,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _round_in(service, "first-team")
    release = asyncio.Event()

    async def platform(_delivery: Delivery) -> None:
        await release.wait()

    sender = RecordingSender(wait=platform)
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0, concurrency=1)
    run = asyncio.create_task(dispatcher.run_once())
    await _until(lambda: sender.begun, "the first send")
    # Another team commits while the only place is taken.
    _round_in(service, "second-team")
    waits = 0
    stir = dispatcher._stir
    real_wait = stir.wait

    async def counted() -> object:
        nonlocal waits
        waits += 1
        return await real_wait()

    monkeypatch.setattr(stir, "wait", counted)
    dispatcher.wake.set()
    for _ in range(200):
        await asyncio.sleep(0)
    assert waits <= 2, f"the dispatcher looped {waits} times while no place was free"
    monkeypatch.undo()
    release.set()
    await run
    assert {r.status for r in _rows(session_factory)} == {"sent"}, "the waiting team is sent too"


async def test_a_card_update_queued_while_its_round_is_in_flight_follows_without_a_look(
    service: RoundService, session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    round_id = _round_in(service, "team-a")
    release = asyncio.Event()

    async def platform(_delivery: Delivery) -> None:
        await release.wait()

    sender = RecordingSender(wait=platform)
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    release.set()
    await dispatcher.run_once()
    release.clear()
    before = len(sender.begun)
    service.handoff = dispatcher.adopt
    accepted(service.handle(round_id, cmd.Join(user="dee", name="Dee")))
    run = asyncio.create_task(dispatcher.run_once(look=False))
    await _until(lambda: len(sender.begun) == before + 1, "the first update in flight")
    looks: list[int] = []
    together = dispatcher._together

    def counted(sends: list[tuple[Delivery, object]], limit: int) -> object:
        looks.extend([limit] if limit else [])
        return together(sends, limit)  # type: ignore[arg-type]

    dispatcher._together = counted  # type: ignore[method-assign,assignment]
    # A second click while the first one's update is being sent: it cannot be
    # claimed with its command (the first is ahead of it), so it is handed over as is.
    accepted(service.handle(round_id, cmd.Join(user="eve", name="Eve")))
    for _ in range(20):
        await asyncio.sleep(0)
    release.set()
    await run
    first, second = sender.delivered[-2:]
    assert (first.slot, second.slot) == ("card", "card")
    assert second.outbox_id > first.outbox_id and "Eve" in repr(second.message.blocks)
    assert second.claimed and second.existing == first.existing
    assert {r.status for r in _rows(session_factory)} == {"sent"}
    assert not looks, "the follower was claimed as the first was recorded, without a look"


async def test_sends_that_end_together_are_recorded_in_one_statement_for_all(
    service: RoundService,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
) -> None:
    rounds = [_round_in(service, f"team-{n}") for n in range(4)]
    first, rest = asyncio.Event(), asyncio.Event()
    firsts: set[int] = set()

    async def platform(delivery: Delivery) -> None:
        if not firsts or delivery.outbox_id in firsts:
            await first.wait()
        else:
            await rest.wait()

    sender = RecordingSender(wait=platform)
    dispatcher = Dispatcher(session_factory, {"web": sender}, clock, quick_wait=0)
    running = asyncio.create_task(dispatcher.run_once())
    await _until(lambda: len(sender.begun) == len(rounds), "every round's first message in flight")
    firsts.update(d.outbox_id for d in sender.begun)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql)

    engine = session_factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        first.set()
        await _until(lambda: len(sender.begun) == 2 * len(rounds), "every round's next one")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
        rest.set()
        await running
    updates = [sql.split(" WHERE ")[0] for sql in statements if sql.startswith("UPDATE outbox")]
    # Four sends recorded and four rounds' next messages claimed: one statement each.
    assert len([sql for sql in updates if "sent_at=" in sql]) == 1
    assert len([sql for sql in updates if "claimed_at=" in sql]) == 1
    assert {d.round_id for d in sender.begun[len(rounds) :]} == set(rounds)
