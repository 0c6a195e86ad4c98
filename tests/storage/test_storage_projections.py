"""Action points and role holdings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage import (
    NotFound,
    add_action,
    get_action,
    last_held,
    open_actions,
    open_actions_due,
    record_holding,
    update_action,
)


def add(
    session: Session,
    action_id: str,
    team_id: int,
    round_id: str,
    owner: str,
    due: date,
    now: datetime,
) -> None:
    add_action(
        session,
        action_id=action_id,
        team_id=team_id,
        round_id=round_id,
        text=f"{action_id}: één lesje observeren bij een collega",
        owner_user_id=owner,
        due_date=due,
        now=now,
    )


def test_a_new_action_is_open_and_round_trips(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        add(session, "a1", team_id, round_id, "U1", date(2025, 3, 18), now)
    with session_factory() as session:
        action = get_action(session, "a1")
        assert action is not None
        assert (action.status, action.report, action.due_date) == ("open", None, date(2025, 3, 18))
        assert action.text == "a1: één lesje observeren bij een collega"
        assert action.created_at == now


def test_open_actions_of_a_team_leave_out_settled_ones_and_come_earliest_due_first(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        add(session, "late", team_id, round_id, "U1", date(2025, 4, 1), now)
        add(session, "soon", team_id, round_id, "U2", date(2025, 3, 10), now)
        add(session, "done", team_id, round_id, "U1", date(2025, 3, 5), now)
        add(session, "dropped", team_id, round_id, "U1", date(2025, 3, 5), now)
        add(session, "partly", team_id, round_id, "U1", date(2025, 3, 20), now)
    later = now + timedelta(days=14)
    with session_factory.begin() as session:
        update_action(session, "done", status="done", now=later)
        update_action(session, "dropped", status="dropped", now=later)
        update_action(session, "partly", status="partly", report="half gelukt", now=later)
    with session_factory() as session:
        assert [a.id for a in open_actions(session, team_id)] == ["soon", "partly", "late"]
        assert [a.id for a in open_actions(session, team_id, statuses={"open"})] == [
            "soon",
            "late",
        ]
        partly = get_action(session, "partly")
        assert partly is not None
        assert (partly.report, partly.updated_at) == ("half gelukt", later)


def test_open_actions_due_before_a_date_by_owner(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        add(session, "due", team_id, round_id, "U1", date(2025, 3, 10), now)
        add(session, "on-the-day", team_id, round_id, "U1", date(2025, 3, 11), now)
        add(session, "other-owner", team_id, round_id, "U2", date(2025, 3, 1), now)
    with session_factory() as session:
        mine = open_actions_due(session, due_before=date(2025, 3, 11), owner_user_id="U1")
        assert [a.id for a in mine] == ["due"]
        everyone = open_actions_due(session, due_before=date(2025, 3, 11), team_id=team_id)
        assert [a.id for a in everyone] == ["other-owner", "due"]
        assert open_actions_due(session, due_before=date(2025, 3, 11), team_id=team_id + 1) == []


def test_an_unknown_action_status_is_refused(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        add(session, "a1", team_id, round_id, "U1", date(2025, 3, 10), now)
    with session_factory() as session, pytest.raises(ValueError):
        update_action(session, "a1", status="half", now=now)


def test_the_database_refuses_an_unknown_action_status_too(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    with session_factory.begin() as session:
        add(session, "a1", team_id, round_id, "U1", date(2025, 3, 10), now)
    with session_factory() as session, pytest.raises(IntegrityError):
        action = get_action(session, "a1")
        assert action is not None
        action.status = "half"
        session.flush()


def test_updating_an_unknown_action_raises_not_found(
    session_factory: sessionmaker[Session], now: datetime
) -> None:
    with session_factory() as session, pytest.raises(NotFound):
        update_action(session, "nope", status="done", now=now)


def test_last_held_gives_each_candidate_their_latest_holding_or_none(
    session_factory: sessionmaker[Session],
    team_id: int,
    make_round: Callable[..., str],
    now: datetime,
) -> None:
    earlier, later = make_round(), make_round()
    with session_factory.begin() as session:
        for round_id, user, at in [
            (earlier, "U1", now - timedelta(days=28)),
            (later, "U1", now - timedelta(days=14)),
            (earlier, "U2", now - timedelta(days=28)),
        ]:
            record_holding(
                session,
                team_id=team_id,
                round_id=round_id,
                role_id="casusinbrenger",
                user_id=user,
                held_at=at,
            )
        record_holding(
            session,
            team_id=team_id,
            round_id=later,
            role_id="voorzitter",
            user_id="U3",
            held_at=now,
        )
    with session_factory() as session:
        held = last_held(session, team_id, "casusinbrenger", ["U1", "U2", "U3"])
        assert held == {
            "U1": now - timedelta(days=14),
            "U2": now - timedelta(days=28),
            "U3": None,
        }
        assert all(at is None or at.utcoffset() == timedelta(0) for at in held.values())
        assert last_held(session, team_id, "casusinbrenger", []) == {}


def test_recording_the_same_holding_twice_keeps_one(
    session_factory: sessionmaker[Session], team_id: int, round_id: str, now: datetime
) -> None:
    for at in (now, now + timedelta(minutes=1)):
        with session_factory.begin() as session:
            record_holding(
                session,
                team_id=team_id,
                round_id=round_id,
                role_id="tijdbewaker",
                user_id="U1",
                held_at=at,
            )
    with session_factory() as session:
        assert last_held(session, team_id, "tijdbewaker", ["U1"]) == {"U1": now}
