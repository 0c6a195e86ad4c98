"""Privacy in Teams, through /api/messages and the fake Bot Connector: after the
retention period the bot deletes its posts for the round; removing the app from a
team erases that team's channels, and only those."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

import storage
from bot.runtime import Runtime
from storage.audit import AUDIT_UNINSTALL_PURGE, list_audit
from storage.models import Round
from tests.fakes.bot_connector import FakeConnector, texts_of
from tests.fakes.clock import ManualClock
from tests.privacy.dumps import full_dump, holds
from tests.privacy.played import everything_stored
from tests.teams.flows import collecting
from tests.teams.traffic import ANN, BOB, BOT_ID, CHANNEL, TENANT, Teams, delivered, settled

CASE = "Een ouder belde me thuis op over het cijfer van haar zoon en werd onaardig."


async def _round_that_ended(teams: Teams, connector: FakeConnector, runtime: Runtime) -> str:
    game = await collecting(teams, runtime)
    root = game.root
    await delivered(teams, runtime, teams.channel_message(BOB, CASE, thread=root, mention=False))
    assert CASE in texts_of(connector.current(root))
    # A form in Ann's personal chat, and the status card as a reply in the thread:
    # both posted while answering her own turn, not by the outbox.
    await game.click(ANN, "Schrijf")
    await delivered(teams, runtime, teams.channel_message(ANN, "status", thread=root))
    status = [p for p in connector.posted if p.id != root and _shows(p.activity)]
    assert status, "the status card in the thread shows the case"
    await delivered(teams, runtime, teams.channel_message(ANN, "stop", thread=root))
    return root


def _shows(activity: dict[str, Any]) -> bool:
    return CASE in "\n".join(texts_of(activity))


def _showed_the_case(connector: FakeConnector) -> set[str]:
    shown = {p.id for p in connector.posted if _shows(p.activity)}
    return shown | {u.id for u in connector.updated if _shows(u.activity)}


async def test_after_the_retention_period_the_bot_deletes_its_teams_posts(
    teams: Teams, connector: FakeConnector, runtime: Runtime, clock: ManualClock
) -> None:
    root = await _round_that_ended(teams, connector, runtime)
    assert root in _showed_the_case(connector)
    with runtime.sessions() as session:
        sent = session.scalar(
            select(func.count())
            .select_from(storage.OutboxMessage)
            .where(storage.OutboxMessage.external_id.is_not(None))
        )
    assert sent and holds(everything_stored(runtime.engine), CASE)

    clock.advance(days=runtime.settings.retention_days + 1)
    report = await runtime.purger().run_once()

    deleted = {activity for _conversation, activity in connector.deleted}
    assert report.rounds == 1 and report.left == {}
    assert root in deleted
    chat = connector.personal_chat_of(ANN.teams_id)
    assert chat is not None
    forms = [p.id for p in connector.in_conversation(chat)]
    assert forms and set(forms) <= deleted
    assert {(chat, form) for form in forms} <= set(connector.deleted)
    assert _showed_the_case(connector) <= deleted
    # Each post once: deleting again would be answered 404 by Teams.
    assert len(connector.deleted) == len(deleted) == report.taken_back
    assert not holds(full_dump(runtime.engine), CASE)
    assert not holds(everything_stored(runtime.engine), CASE)


async def test_removing_the_app_from_a_team_erases_its_channels(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    await _round_that_ended(teams, connector, runtime)
    # Elsewhere in the same tenant (the school board), a team that keeps the app.
    other = teams.channel_message(ANN, "protocollen", channel="19:andere-sectie@thread.tacv2")
    other["channelData"]["team"] = {"id": "19:andere-team@thread.tacv2"}
    await delivered(teams, runtime, other)
    removal = teams.conversation_update(event="teamMemberRemoved", removed=[{"id": BOT_ID}])
    removal["type"] = "installationUpdate"
    removal["action"] = "remove"
    del removal["membersRemoved"]
    assert (await teams.send(removal)).status in (200, 202)
    await settled(runtime, connector)

    report = await runtime.purger().run_once()

    assert report.teams_erased >= 1
    with runtime.sessions() as session:
        assert storage.find_team(session, "teams", TENANT, CHANNEL) is None
        assert session.scalar(select(func.count()).select_from(Round)) == 0
        kept = storage.find_team(session, "teams", TENANT, "19:andere-sectie@thread.tacv2")
        assert kept is not None
        assert {e.action for e in list_audit(session)} >= {AUDIT_UNINSTALL_PURGE}
    assert not holds(full_dump(runtime.engine), CASE)
    assert not holds(everything_stored(runtime.engine), CASE)


async def test_bewaren_in_teams_names_the_command_with_a_mention(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    await delivered(teams, runtime, teams.channel_message(ANN, "bewaren"))
    said = " ".join(t for p in connector.posted for t in texts_of(p.activity))
    assert "90 dagen" in said
    assert "@dialoog bewaren 30" in said
