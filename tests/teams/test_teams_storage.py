"""The two storage functions the Teams channel added: remove_member and list_teams."""

from __future__ import annotations

from sqlalchemy.orm import Session

import storage


def _team(session: Session, tenant: str, channel: str) -> storage.Team:
    owner = storage.get_or_create_tenant(session, "teams", tenant)
    return storage.get_or_create_team(
        session, owner.id, channel, language="nl", timezone="Europe/Amsterdam"
    )


def test_remove_member_forgets_one_member_of_one_team(session: Session) -> None:
    first, second = _team(session, "t1", "c1"), _team(session, "t1", "c2")
    for team in (first, second):
        storage.get_or_create_member(session, team.id, "ann", display_name="Ann")
        storage.get_or_create_member(session, team.id, "bob", display_name="Bob")
    session.flush()

    assert storage.remove_member(session, first.id, "ann") == 1

    assert [m.user_id for m in storage.list_members(session, first.id)] == ["bob"]
    assert [m.user_id for m in storage.list_members(session, second.id)] == ["ann", "bob"]


def test_removing_someone_who_is_not_a_member_changes_nothing(session: Session) -> None:
    team = _team(session, "t1", "c1")
    storage.get_or_create_member(session, team.id, "ann")
    session.flush()

    assert storage.remove_member(session, team.id, "nobody") == 0
    assert [m.user_id for m in storage.list_members(session, team.id)] == ["ann"]


def test_list_teams_gives_the_teams_of_one_tenant_in_order(session: Session) -> None:
    first, second = _team(session, "t1", "c1"), _team(session, "t1", "c2")
    _team(session, "t2", "c3")
    session.flush()

    tenant = storage.get_or_create_tenant(session, "teams", "t1")
    assert [t.id for t in storage.list_teams(session, tenant.id)] == [first.id, second.id]
