"""Retention: after its period no text of a round remains in any table or dump;
what insights need (counts, dates, roles, protocol) stays."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine.state import fold
from bot.service import Dispatcher, RoundService
from bot.service.dispatch import PermanentSendError
from bot.service.purge import Purger, TakeBack
from storage.audit import AUDIT_RETENTION_PURGE, list_audit
from storage.models import (
    ActionPoint,
    OutboxMessage,
    PostedMessage,
    ProcessedCommand,
    RoleHolding,
    Round,
    RoundEvent,
)
from tests.fakes.clock import ManualClock
from tests.fakes.sender import RecordingSender
from tests.privacy.conftest import POLICY
from tests.privacy.dumps import full_dump, holds
from tests.privacy.played import everything_stored
from tests.service.conftest import BOB, CAS, DEE, accepted, play_through, start

_TEXT_KEYS = ("text", "note")


def _texts(value: Any) -> list[str]:
    """Every free text in a stored event payload (nested open actions too)."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in _TEXT_KEYS and isinstance(v, str) and v]
        return found + [t for k, v in value.items() if k not in _TEXT_KEYS for t in _texts(v)]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return []


def _written(session: Session, round_id: str) -> list[str]:
    rows = storage.load_events(session, round_id)
    return sorted({t for row in rows for t in _texts(row.payload)})


async def _played_round(
    service: RoundService, dispatcher: Dispatcher, clock: ManualClock, *, key: str
) -> str:
    round_id = start(service, "incident", BOB, CAS, DEE)
    # One command with an idempotency key, so a stored outcome exists for the round.
    accepted(service.handle(round_id, cmd.Join(user="eve", name="Eve"), key=key))
    play_through(service, round_id, clock)
    await dispatcher.run_once()
    return round_id


async def test_after_the_retention_period_no_text_of_the_round_remains_anywhere(
    service: RoundService,
    dispatcher: Dispatcher,
    purger: Purger,
    sender: RecordingSender,
    session_factory: sessionmaker[Session],
    engine: Engine,
    clock: ManualClock,
) -> None:
    round_id = await _played_round(service, dispatcher, clock, key="slack:evt-1")
    with session_factory() as session:
        written = _written(session, round_id)
        events_before = session.scalar(
            select(func.count()).select_from(RoundEvent).where(RoundEvent.round_id == round_id)
        )
        roles_before = session.scalar(
            select(func.count()).select_from(RoleHolding).where(RoleHolding.round_id == round_id)
        )
    assert len(written) >= 5, written
    # The test can fail: every text is in the database until the purge (read
    # through the models, since the dump shows it encrypted at rest).
    before = everything_stored(engine)
    assert [t for t in written if not holds(before, t)] == []

    # Past the period and past the action's due date plus the period: all of it goes.
    clock.advance(days=POLICY.default_days + 400)
    report = await purger.run_once()

    assert report.rounds == 1
    after = full_dump(engine)
    assert [t for t in written if holds(after, t)] == []
    with session_factory() as session:
        # The rows themselves, not only the dump: part of the content may be
        # encrypted at rest, and ciphertext would pass a grep.
        payloads = [r.payload for r in storage.load_events(session, round_id)]
        assert [t for p in payloads for t in _texts(p)] == []
        for model in (OutboxMessage, PostedMessage, ProcessedCommand):
            count = select(func.count()).select_from(model).where(model.round_id == round_id)
            assert session.scalar(count) == 0, model.__tablename__
        actions = session.scalars(select(ActionPoint).where(ActionPoint.round_id == round_id))
        assert [(a.text, a.report) for a in actions] == [("", None)]
        # What insights need stays: the round, its dates, its protocol, the count
        # of what happened, who held which role, and the log still folds.
        row = session.get(Round, round_id)
        assert row is not None
        assert (row.protocol_id, row.status) == ("incident", "finished")
        assert row.ended_at is not None and row.purged_at is not None
        assert len(payloads) == events_before
        holdings = select(func.count()).select_from(RoleHolding)
        assert session.scalar(holdings.where(RoleHolding.round_id == round_id)) == roles_before
        state = fold(ev.event_from_payload(p) for p in payloads)
        assert state.status == "finished"
        assert len(state.items) > 0 and all(item.text == "" for item in state.items)
        entries = list_audit(session, action=AUDIT_RETENTION_PURGE)
        assert [(e.actor, e.target) for e in entries] == [("system", f"round:{round_id}")]
        assert entries[0].detail["taken_back"] == len(sender.taken_back) > 0
    # The service shows the emptied round, not a state it kept in memory.
    shown = service.round(round_id)
    assert shown is not None and all(item.text == "" for item in shown.items)


async def test_the_purge_waits_for_the_period_and_runs_once(
    service: RoundService,
    dispatcher: Dispatcher,
    purger: Purger,
    session_factory: sessionmaker[Session],
    engine: Engine,
    clock: ManualClock,
) -> None:
    round_id = await _played_round(service, dispatcher, clock, key="slack:evt-2")
    with session_factory() as session:
        written = _written(session, round_id)

    clock.advance(days=POLICY.default_days - 1)
    assert (await purger.run_once()).rounds == 0
    assert [t for t in written if not holds(everything_stored(engine), t)] == []

    clock.advance(days=2)
    assert (await purger.run_once()).rounds == 1
    dump = full_dump(engine)
    again = await purger.run_once()
    assert (again.rounds, again.taken_back) == (0, 0)
    assert full_dump(engine) == dump
    with session_factory() as session:
        assert len(list_audit(session, action=AUDIT_RETENTION_PURGE)) == 1


async def test_an_open_action_point_keeps_its_text_until_it_expires(
    service: RoundService,
    dispatcher: Dispatcher,
    purger: Purger,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
) -> None:
    round_id = await _played_round(service, dispatcher, clock, key="slack:evt-3")
    clock.advance(days=POLICY.default_days + 1)
    await purger.run_once()
    with session_factory() as session:
        action = session.scalars(select(ActionPoint).where(ActionPoint.round_id == round_id)).one()
        assert action.status == "open" and action.text
        due = action.due_date
        # It still comes back at the next round, text and all.
        assert [a.text for a in storage.open_actions(session, action.team_id)] == [action.text]

    clock.set(clock.now().replace(year=due.year, month=due.month, day=due.day))
    clock.advance(days=POLICY.default_days + 1)
    await purger.run_once()
    with session_factory() as session:
        action = session.scalars(select(ActionPoint).where(ActionPoint.round_id == round_id)).one()
        assert (action.status, action.text, action.report) == ("dropped", "", None)
        assert storage.open_actions(session, action.team_id) == []


async def test_messages_the_platform_will_not_delete_are_counted_in_the_audit_log(
    service: RoundService,
    dispatcher: Dispatcher,
    purger: Purger,
    sender: RecordingSender,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
) -> None:
    round_id = await _played_round(service, dispatcher, clock, key="slack:evt-4")

    refused: list[TakeBack] = []

    def refuse_every_other(message: TakeBack) -> None:
        if len(refused) <= len(sender.taken_back):
            refused.append(message)
            raise PermanentSendError("cant_delete_message")

    sender.refuse = refuse_every_other
    clock.advance(days=POLICY.default_days + 1)
    report = await purger.run_once()

    assert report.left == {"cant_delete_message": len(refused)}
    assert sender.taken_back and refused
    assert not {m.external_id for m in refused} & {m.external_id for m in sender.taken_back}
    with session_factory() as session:
        (entry,) = list_audit(session, action=AUDIT_RETENTION_PURGE)
        assert entry.target == f"round:{round_id}"
        assert entry.detail["left:cant_delete_message"] == report.left["cant_delete_message"]
        assert entry.detail["taken_back"] == len(sender.taken_back)


async def test_a_team_that_turned_take_back_off_keeps_the_posted_messages(
    service: RoundService,
    dispatcher: Dispatcher,
    purger: Purger,
    sender: RecordingSender,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
) -> None:
    round_id = await _played_round(service, dispatcher, clock, key="slack:evt-5")
    with session_factory.begin() as session:
        row = session.get(Round, round_id)
        assert row is not None
        storage.retention.set_team_take_back(session, row.team_id, False)
    clock.advance(days=POLICY.default_days + 1)
    report = await purger.run_once()
    assert (report.rounds, report.taken_back, sender.taken_back) == (1, 0, [])


async def test_a_shorter_team_retention_moves_the_purge_forward(
    service: RoundService,
    dispatcher: Dispatcher,
    purger: Purger,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
) -> None:
    round_id = await _played_round(service, dispatcher, clock, key="slack:evt-6")
    with session_factory.begin() as session:
        row = session.get(Round, round_id)
        assert row is not None and row.ended_at is not None
        assert row.purge_at == row.ended_at + timedelta(days=POLICY.default_days)
        moved = storage.retention.set_team_retention(session, row.team_id, 7, POLICY)
    assert moved == 1
    clock.advance(days=8)
    assert (await purger.run_once()).rounds == 1


async def test_a_purge_pass_costs_what_is_due_not_what_is_stored(
    service: RoundService,
    dispatcher: Dispatcher,
    purger: Purger,
    engine: Engine,
    session_factory: sessionmaker[Session],
    clock: ManualClock,
) -> None:
    first = await _played_round(service, dispatcher, clock, key="slack:evt-7")
    clock.advance(days=POLICY.default_days + 1)

    async def counted_pass() -> tuple[int, int]:
        seen: list[str] = []

        def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            report = await purger.run_once()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return report.rounds, len(seen)

    alone = await counted_pass()
    assert alone[0] == 1
    # Many rounds that ended but are not due, and one more that is.
    for n in range(6):
        await _played_round(service, dispatcher, clock, key=f"slack:evt-many-{n}")
    second = await _played_round(service, dispatcher, clock, key="slack:evt-8")
    with session_factory.begin() as session:
        row = session.get(Round, second)
        assert row is not None
        row.purge_at = clock.now() - timedelta(seconds=1)
    crowded = await counted_pass()
    assert crowded[0] == 1
    assert crowded[1] <= alone[1]
    with session_factory() as session:
        purged = session.get(Round, first)
        assert purged is not None and purged.purged_at is not None


async def test_a_changed_version_of_a_text_goes_with_the_purge_too(
    service: RoundService,
    dispatcher: Dispatcher,
    purger: Purger,
    engine: Engine,
    clock: ManualClock,
) -> None:
    round_id = start(service, "incident", BOB, CAS, DEE)
    accepted(service.handle(round_id, cmd.Advance(user="ann")))  # the ground rules
    accepted(service.handle(round_id, cmd.Advance(user="ann")))  # bring incidents
    first, changed = "Een ouder belde boos op zondag.", "Een ouder belde op zondagavond, boos."
    accepted(service.handle(round_id, cmd.Contribute(user=BOB.user_id, text=first)))
    state = service.round(round_id)
    assert state is not None
    item = state.items_of("propose", BOB.user_id)[0].id
    accepted(service.handle(round_id, cmd.Edit(user=BOB.user_id, item_id=item, text=changed)))
    play_through(service, round_id, clock)
    await dispatcher.run_once()
    before = everything_stored(engine)
    assert holds(before, first) and holds(before, changed), "the test can fail"

    clock.advance(days=POLICY.default_days + 400)
    assert (await purger.run_once()).rounds == 1
    after = full_dump(engine)
    assert not holds(after, first) and not holds(after, changed)
