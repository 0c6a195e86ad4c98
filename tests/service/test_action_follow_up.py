"""Follow-up that keeps its word: a report on an action is kept and shown in the
next round, and an action reported "not yet" three times asks to be dropped or rephrased."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.engine import commands as cmd
from bot.engine.messages import Bullets, Form, ItemList, Span, message_from_json, plain_text
from bot.engine.summary import summary
from bot.engine.view import REPORT, card, panel
from bot.service import RoundService
from tests.fakes.clock import ManualClock
from tests.service.conftest import BOB, CAS, accepted, play_through, start


def agree_action(service: RoundService, clock: ManualClock) -> str:
    """A five-step round that ends with an action point; its id."""
    first = start(service, "five_step", BOB, CAS)
    accepted(service.handle(first, cmd.Advance(user="ann")))
    play_through(service, first, clock)
    state = service.round(first)
    assert state is not None and state.actions, "the five-step round agreed an action"
    return state.actions[0].action_id


def check_in(service: RoundService, action_id: str, status: str, note: str) -> str:
    """A check-in round where the action's owner reports; the round's id."""
    round_id = start(service, "action_checkin", BOB, CAS)
    state = service.round(round_id)
    assert state is not None
    owner = next(a.owner for a in state.open_actions if a.action_id == action_id)
    accepted(
        service.handle(
            round_id,
            cmd.ReportAction(user=owner, action_id=action_id, status=status, note=note),  # type: ignore[arg-type]
        )
    )
    accepted(service.handle(round_id, cmd.Cancel(user="ann")))
    return round_id


def private_texts(sessions: sessionmaker[Session], user: str) -> list[str]:
    with sessions() as session:
        rows = session.scalars(select(storage.OutboxMessage).order_by(storage.OutboxMessage.id))
        return [
            message_from_json(r.payload).text
            for r in rows
            if r.destination.get("user") == user and r.round_id is not None
        ]


def test_a_partly_report_shows_as_such_in_the_next_round(
    service: RoundService, clock: ManualClock
) -> None:
    action_id = agree_action(service, clock)
    check_in(service, action_id, "partly", "Eén keer geprobeerd in 2B")
    later = start(service, "action_checkin", BOB, CAS)
    state = service.round(later)
    assert state is not None
    listing = next(b for b in card(state, clock.now()).blocks if isinstance(b, ItemList))
    (line,) = [i for i in listing.items if i.note and "vorige keer" in i.note]
    assert "vorige keer deels: Eén keer geprobeerd in 2B" in line.note
    assert "nog geen bericht" not in line.note
    told = summary(state, viewer=None)
    assert "vorige keer deels: Eén keer geprobeerd in 2B" in plain_text(told)
    (point,) = [p for b in told if isinstance(b, Bullets) for p in b.items]
    assert Span("vorige keer deels", bold=True) in point.spans


def test_the_third_not_yet_asks_the_owner_to_drop_or_rephrase(
    service: RoundService, clock: ManualClock, session_factory: sessionmaker[Session]
) -> None:
    action_id = agree_action(service, clock)
    with session_factory() as session:
        owner = storage.get_action(session, action_id).owner_user_id  # type: ignore[union-attr]
    check_in(service, action_id, "not_yet", "Geen tijd")
    check_in(service, action_id, "not_yet", "Weer niet")
    assert not any("voor de" in t for t in private_texts(session_factory, owner))
    third = start(service, "action_checkin", BOB, CAS)
    accepted(
        service.handle(
            third, cmd.ReportAction(user=owner, action_id=action_id, status="not_yet", note="")
        )
    )
    (ask,) = [t for t in private_texts(session_factory, owner) if "voor de 3e keer" in t]
    assert "laat vallen, anders formuleert of zo laat staan" in ask
    state = service.round(third)
    assert state is not None
    form = panel(state, owner, clock.now(), REPORT)
    assert form is not None
    (settle,) = [b for b in form.blocks if isinstance(b, Form) and b.action == "settle_action"]
    assert {i.name for i in settle.inputs} == {"decision", "text", "due"}

    refused = service.handle(
        third, cmd.SettleAction(user=owner, action_id=action_id, decision="rephrase")
    )
    assert refused.error_code == "rephrase_needs_text"
    accepted(
        service.handle(
            third,
            cmd.SettleAction(
                user=owner,
                action_id=action_id,
                decision="rephrase",
                text="Eén leerling vragen hoe het ging",
                due=date(2027, 1, 15),
            ),
        )
    )
    with session_factory() as session:
        action = storage.get_action(session, action_id)
        assert action is not None
        assert (action.status, action.text, action.due_date, action.not_yet_reports) == (
            "open",
            "Eén leerling vragen hoe het ging",
            date(2027, 1, 15),
            0,
        )
    after = service.round(third)
    assert after is not None and panel(after, owner, clock.now(), REPORT) is None


def test_a_dropped_action_no_longer_comes_back(
    service: RoundService, clock: ManualClock, session_factory: sessionmaker[Session]
) -> None:
    action_id = agree_action(service, clock)
    for note in ("a", "b"):
        check_in(service, action_id, "not_yet", note)
    third = start(service, "action_checkin", BOB, CAS)
    state = service.round(third)
    assert state is not None
    owner = state.open_actions[0].owner
    accepted(
        service.handle(third, cmd.ReportAction(user=owner, action_id=action_id, status="not_yet"))
    )
    other = CAS.user_id if owner != CAS.user_id else BOB.user_id
    assert (
        service.handle(
            third, cmd.SettleAction(user=other, action_id=action_id, decision="drop")
        ).error_code
        == "not_action_owner"
    )
    accepted(
        service.handle(third, cmd.SettleAction(user=owner, action_id=action_id, decision="drop"))
    )
    state = service.round(third)
    assert state is not None
    assert "laten vallen" in str(card(state, clock.now()).blocks)
    with session_factory() as session:
        assert storage.get_action(session, action_id).status == "dropped"  # type: ignore[union-attr]
    accepted(service.handle(third, cmd.Cancel(user="ann")))
    fourth = service.round(start(service, "action_checkin", BOB, CAS))
    assert fourth is not None and fourth.open_actions == []


def test_reporting_twice_in_one_round_counts_one_not_yet(
    service: RoundService, clock: ManualClock, session_factory: sessionmaker[Session]
) -> None:
    action_id = agree_action(service, clock)
    round_id = start(service, "action_checkin", BOB, CAS)
    state = service.round(round_id)
    assert state is not None
    owner = state.open_actions[0].owner
    for _ in range(2):
        accepted(
            service.handle(
                round_id, cmd.ReportAction(user=owner, action_id=action_id, status="not_yet")
            )
        )
    with session_factory() as session:
        assert storage.get_action(session, action_id).not_yet_reports == 1  # type: ignore[union-attr]
