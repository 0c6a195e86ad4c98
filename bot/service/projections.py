"""What a command keeps beside the round's log (action points, who held which role),
and what a new round reads of them: the projections the service maintains."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

import storage
from bot.engine import events as ev
from bot.engine.state import RoundState


def project(
    session: Session,
    team_id: int,
    state: RoundState,
    events: Sequence[ev.Event],
    now: datetime,
) -> None:
    """Keep the action points and the role history in step with a command's events."""
    for event in events:
        match event:
            case ev.ActionAdded():
                storage.add_action(
                    session,
                    action_id=event.action_id,
                    team_id=team_id,
                    round_id=state.round_id,
                    text=event.text,
                    owner_user_id=event.owner,
                    due_date=event.due,
                    now=now,
                )
            case ev.ActionReported():
                known = next(
                    (a for a in state.open_actions if a.action_id == event.action_id), None
                )
                # Counted from the round's start, so reporting twice in one round counts once.
                earlier = known.not_yet_reports if known else 0
                storage.update_action(
                    session,
                    event.action_id,
                    status=event.status,
                    report=event.note,
                    not_yet_reports=earlier + (event.status == "not_yet"),
                    now=now,
                )
            case ev.ActionSettled():
                storage.settle_action(
                    session,
                    event.action_id,
                    decision=event.decision,
                    text=event.text,
                    due=event.due,
                    now=now,
                )
            case ev.RoleAssigned():
                storage.record_holding(
                    session,
                    team_id=team_id,
                    round_id=state.round_id,
                    role_id=event.role,
                    user_id=event.user,
                    held_at=event.at,
                )
            case _:
                pass


def open_actions(session: Session, team_id: int) -> list[ev.OpenAction]:
    """The team's open action points, as a new round starts with them."""
    names = {m.user_id: m.display_name for m in storage.list_members(session, team_id)}
    return [
        ev.OpenAction(
            action_id=a.id,
            text=a.text,
            owner=a.owner_user_id,
            owner_name=names.get(a.owner_user_id) or a.owner_user_id,
            due=a.due_date,
            last_status=a.status if a.status in ("partly", "not_yet") else None,
            last_note=a.report or "",
            not_yet_reports=a.not_yet_reports,
        )
        for a in storage.open_actions(session, team_id)
    ]


def role_history(
    session: Session, team_id: int, roles: Sequence[Any]
) -> dict[str, dict[str, datetime]]:
    """When each member last held each rotating role (who is next in a new round)."""
    members = [m.user_id for m in storage.list_members(session, team_id)]
    history: dict[str, dict[str, datetime]] = {}
    for role in roles:
        if role.assign != "rotation":
            continue
        held = storage.last_held(session, team_id, role.id, members)
        history[role.id] = {user: at for user, at in held.items() if at is not None}
    return history
