"""Tenants, teams and members."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage import (
    NotFound,
    find_team,
    get_or_create_member,
    get_or_create_team,
    get_or_create_tenant,
    get_team,
    list_members,
    lock_team,
    set_conversation_ref,
    set_team_language,
)


def test_get_or_create_tenant_returns_the_same_tenant_the_second_time(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as session:
        first = get_or_create_tenant(session, "slack", "T0001", name="De Vlinder")
    with session_factory.begin() as session:
        again = get_or_create_tenant(session, "slack", "T0001")
        assert again.id == first.id
        assert again.name == "De Vlinder"  # an empty name leaves the known one


def test_the_same_external_id_on_another_platform_is_another_tenant(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as session:
        slack = get_or_create_tenant(session, "slack", "X1")
        teams = get_or_create_tenant(session, "teams", "X1")
        assert slack.id != teams.id


def test_a_renamed_channel_gets_its_new_name_but_keeps_language_and_timezone(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as session:
        tenant = get_or_create_tenant(session, "teams", "tenant-guid")
        team = get_or_create_team(
            session, tenant.id, "19:abc@thread.tacv2", language="nl", timezone="Europe/Amsterdam"
        )
    with session_factory.begin() as session:
        renamed = get_or_create_team(
            session,
            tenant.id,
            "19:abc@thread.tacv2",
            language="en",
            timezone="Europe/London",
            name="Sectie Nederlands",
        )
        assert renamed.id == team.id
        assert (renamed.name, renamed.language, renamed.timezone) == (
            "Sectie Nederlands",
            "nl",
            "Europe/Amsterdam",
        )


def test_a_conversation_reference_round_trips_and_can_be_cleared(
    session_factory: sessionmaker[Session], team_id: int
) -> None:
    ref = {"conversation": {"id": "19:abc"}, "serviceUrl": "https://smba.example/"}
    with session_factory.begin() as session:
        set_conversation_ref(session, team_id, ref)
    with session_factory.begin() as session:
        team = get_team(session, team_id)
        assert team is not None and team.conversation_ref == ref
        set_conversation_ref(session, team_id, None)
    with session_factory() as session:
        team = get_team(session, team_id)
        assert team is not None and team.conversation_ref is None


def test_setting_the_reference_of_an_unknown_team_raises_not_found(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session, pytest.raises(NotFound):
        set_conversation_ref(session, 404, {})


def test_members_are_unique_per_team_and_keep_their_latest_display_name(
    session_factory: sessionmaker[Session], team_id: int
) -> None:
    with session_factory.begin() as session:
        first = get_or_create_member(session, team_id, "U1", display_name="Anneke")
        get_or_create_member(session, team_id, "U2", display_name="Jeroen")
    with session_factory.begin() as session:
        again = get_or_create_member(session, team_id, "U1", display_name="Anneke de Vries")
        assert again.id == first.id
    with session_factory() as session:
        assert [(m.user_id, m.display_name) for m in list_members(session, team_id)] == [
            ("U1", "Anneke de Vries"),
            ("U2", "Jeroen"),
        ]


def test_find_team_finds_a_channel_by_platform_workspace_and_channel(
    session_factory: sessionmaker[Session], team_id: int
) -> None:
    with session_factory() as session:
        found = find_team(session, "slack", "T0001", "C0001")
        assert found is not None and found.id == team_id
        assert find_team(session, "teams", "T0001", "C0001") is None
        assert find_team(session, "slack", "T0001", "C0002") is None


def test_locking_an_unknown_team_raises_not_found(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session, pytest.raises(NotFound):
        lock_team(session, 404)


def test_a_locked_team_holds_off_a_second_locker_until_commit(
    session_factory: sessionmaker[Session], team_id: int
) -> None:
    order: list[str] = []
    locked = threading.Event()

    def second() -> None:
        locked.wait()
        with session_factory.begin() as session:
            lock_team(session, team_id)
            order.append("second")

    thread = threading.Thread(target=second)
    thread.start()
    with session_factory.begin() as session:
        lock_team(session, team_id)
        locked.set()
        time.sleep(0.3)  # the second locker is waiting now
        order.append("first")
    thread.join()
    assert order == ["first", "second"]


def test_a_teams_language_can_be_changed(
    session_factory: sessionmaker[Session], team_id: int
) -> None:
    with session_factory.begin() as session:
        set_team_language(session, team_id, "en")
    with session_factory() as session:
        team = get_team(session, team_id)
        assert team is not None and team.language == "en"
    with session_factory() as session, pytest.raises(NotFound):
        set_team_language(session, 404, "en")


def test_team_at_creates_tenant_and_team_once_and_keeps_their_settings(
    session_factory: sessionmaker[Session],
) -> None:
    from storage import team_at

    with session_factory() as session, session.begin():
        first = team_at(session, "web", "local", "team-a", language="en", timezone="UTC")
    with session_factory() as session, session.begin():
        again = team_at(
            session, "web", "local", "team-a", language="nl", timezone="Europe/Amsterdam"
        )
    assert again.id == first.id
    assert (again.language, again.timezone) == ("en", "UTC")
