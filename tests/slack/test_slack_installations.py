"""Installations and OAuth states on SQLite and PostgreSQL; the round behind a thread."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.channels.slack.installations import DatabaseInstallationStore, DatabaseStateStore
from bot.channels.slack.quiet import library_logger
from bot.channels.slack.tokens import TokenCipher
from tests.fakes.clock import ManualClock

NOW = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)
CIPHER = TokenCipher(["a-key-of-at-least-thirty-two-characters"])


def _new(team: str, token: str, enterprise: str = "") -> storage.NewSlackInstallation:
    return storage.NewSlackInstallation(
        client_id="1.2",
        enterprise_id=enterprise,
        team_id=team,
        bot_id="B1",
        bot_user_id="U0BOT",
        bot_token_ciphertext=CIPHER.encrypt(token),
        installed_at=NOW,
    )


def test_installing_again_replaces_the_workspaces_installation(session: Session) -> None:
    storage.save_slack_installation(session, _new("T1", "xoxb-first"))
    again = storage.save_slack_installation(session, _new("T1", "xoxb-second"))
    session.commit()
    assert storage.count_slack_installations(session) == 1
    assert CIPHER.decrypt(again.bot_token_ciphertext) == "xoxb-second"


def test_a_workspace_is_found_with_or_without_its_org(session: Session) -> None:
    storage.save_slack_installation(session, _new("T1", "xoxb-1", enterprise="E1"))
    storage.save_slack_installation(session, _new("T2", "xoxb-2"))
    found = storage.find_slack_installation(
        session, client_id="1.2", enterprise_id=None, team_id="T1"
    )
    assert found is not None and found.enterprise_id == "E1"
    assert (
        storage.find_slack_installation(session, client_id="1.2", enterprise_id="", team_id="T1")
        is None
    )
    assert (
        storage.find_slack_installation(session, client_id="9.9", enterprise_id=None, team_id="T2")
        is None
    )


def test_an_uninstalled_workspace_is_forgotten(session: Session) -> None:
    storage.save_slack_installation(session, _new("T1", "xoxb-1"))
    assert (
        storage.delete_slack_installation(session, client_id="1.2", enterprise_id="", team_id="T1")
        == 1
    )
    assert storage.count_slack_installations(session) == 0


def test_an_oauth_state_works_once_and_not_after_it_expired(session: Session) -> None:
    storage.issue_slack_oauth_state(session, "s1", expires_at=NOW + timedelta(minutes=10), now=NOW)
    storage.issue_slack_oauth_state(session, "s2", expires_at=NOW + timedelta(minutes=10), now=NOW)
    assert storage.consume_slack_oauth_state(session, "s1", now=NOW)
    assert not storage.consume_slack_oauth_state(session, "s1", now=NOW)
    assert not storage.consume_slack_oauth_state(session, "s2", now=NOW + timedelta(minutes=11))
    assert not storage.consume_slack_oauth_state(session, "never-issued", now=NOW)


async def test_the_store_gives_bolt_the_bot_with_its_token_decrypted(
    session_factory: sessionmaker[Session],
) -> None:
    store = DatabaseInstallationStore(
        session_factory, CIPHER, client_id="1.2", logger=library_logger()
    )
    await store.async_save(
        Installation(
            app_id="A1",
            team_id="T1",
            team_name="De Vlinder",
            bot_token="xoxb-geheim",
            bot_id="B1",
            bot_user_id="U0BOT",
            bot_scopes=["commands", "chat:write"],
            user_id="U0ADMIN",
            installed_at=NOW.timestamp(),
        )
    )
    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None
    assert (bot.bot_token, bot.team_name, list(bot.bot_scopes)) == (
        "xoxb-geheim",
        "De Vlinder",
        ["commands", "chat:write"],
    )
    installation = await store.async_find_installation(enterprise_id=None, team_id="T1")
    assert installation is not None and installation.bot_token == "xoxb-geheim"
    assert await store.bot_token("T1") == "xoxb-geheim"
    with session_factory() as session:
        row = storage.find_slack_installation(
            session, client_id="1.2", enterprise_id="", team_id="T1"
        )
        assert row is not None and row.installer_user_id == "U0ADMIN"
        assert "geheim" not in row.bot_token_ciphertext
    await store.async_delete_all(enterprise_id=None, team_id="T1")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await store.bot_token("T1") is None


async def test_the_state_store_issues_states_that_work_once(
    session_factory: sessionmaker[Session], clock: ManualClock
) -> None:
    states = DatabaseStateStore(session_factory, clock, logger=library_logger())
    state = await states.async_issue()
    assert len(state) >= 40
    assert await states.async_consume(state)
    assert not await states.async_consume(state)
    late = await states.async_issue()
    clock.advance(minutes=11)
    assert not await states.async_consume(late)


def test_a_thread_finds_its_round_by_the_cards_message(session: Session) -> None:
    tenant = storage.get_or_create_tenant(session, "slack", "T1")
    team = storage.get_or_create_team(
        session, tenant.id, "C1", language="nl", timezone="Europe/Amsterdam"
    )
    round_id = "r-thread"
    storage.create_round(
        session,
        round_id=round_id,
        team_id=team.id,
        protocol_id="incident",
        protocol_version="1",
        protocol_snapshot={},
        mode="live",
        status="running",
        started_by="U1",
        now=NOW,
    )
    storage.record_posted(
        session,
        round_id=round_id,
        slot="card",
        platform="slack",
        channel="C1",
        external_id="1.0001",
        now=NOW,
    )
    storage.record_posted(
        session,
        round_id=round_id,
        slot="card~2",
        platform="slack",
        channel="C1",
        external_id="1.0002",
        now=NOW,
    )
    assert storage.round_for_posted(session, "slack", "C1", "1.0001") == round_id
    # A continuation of the card is not the thread's root; another channel is another thread.
    assert storage.round_for_posted(session, "slack", "C1", "1.0002") is None
    assert storage.round_for_posted(session, "slack", "C2", "1.0001") is None
    assert storage.round_for_posted(session, "teams", "C1", "1.0001") is None
