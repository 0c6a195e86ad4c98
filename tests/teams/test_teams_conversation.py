"""Commands, thread replies, card submits and conversation updates, as Teams sends
them to /api/messages, and what the bot answers (at the fake Bot Connector)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

import storage
from bot.engine import commands as cmd
from bot.runtime import Runtime
from bot.service.places import Person, Place
from tests.conftest import incident_steps
from tests.fakes.bot_connector import FakeConnector, buttons_of, card_of, texts_of
from tests.teams.flows import THREAD, collecting, started
from tests.teams.traffic import (
    ANN,
    BOB,
    BOT_ID,
    CAS,
    CHANNEL,
    DEE,
    TEAM,
    TENANT,
    Teams,
    delivered,
    member,
    settled,
)


def team_row(runtime: Runtime, channel: str) -> storage.Team | None:
    with runtime.sessions() as session:
        return storage.find_team(session, "teams", TENANT, channel)


def members(runtime: Runtime, channel: str) -> list[str]:
    with runtime.sessions() as session:
        team = storage.find_team(session, "teams", TENANT, channel)
        assert team is not None
        return [m.user_id for m in storage.list_members(session, team.id)]


# -- commands ------------------------------------------------------------------------------


async def test_a_command_in_a_channel_is_answered_in_its_thread_addressed_to_the_sender(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    command = teams.channel_message(ANN, "protocollen")
    await delivered(teams, runtime, command)

    [reply] = connector.posted
    assert reply.conversation == THREAD + command["id"]
    said = texts_of(reply.activity)
    assert said[0] == "<at>Ann de Vries</at>"
    assert "Deze methodes kun je starten:" in said
    entity = card_of(reply.activity)["msteams"]["entities"][0]
    assert entity["mentioned"] == {"id": ANN.teams_id, "name": ANN.name}


async def test_the_mention_is_taken_out_of_the_command(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    message = teams.channel_message(ANN, "taal&nbsp;en")
    await delivered(teams, runtime, message)

    assert "This channel now speaks English." in texts_of(connector.posted[0].activity)


async def test_a_command_in_a_personal_chat_needs_no_mention(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    message = teams.personal_message(BOB, "help")
    await delivered(teams, runtime, message)

    [reply] = connector.posted
    assert reply.conversation == message["conversation"]["id"]
    said = texts_of(reply.activity)
    assert said[0].startswith("**dialoog** begeleidt"), "no mention in a personal chat"
    assert any("@dialoog start incident" in line for line in said)


async def test_a_command_in_a_group_chat_is_answered_in_the_chat(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    chat = "19:meeting_Y2hhdC1zZWN0aWU@thread.v2"
    await delivered(teams, runtime, teams.group_message(CAS, "status", chat=chat))

    [reply] = connector.posted
    assert reply.conversation == chat
    assert "Er loopt hier geen ronde. Start er een met **@dialoog start**." in texts_of(
        reply.activity
    )


async def test_a_typed_command_gets_typing_first(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    await delivered(teams, runtime, teams.channel_message(ANN, "help"))
    assert [r.kind for r in connector.requests] == ["post", "post"]
    assert len(connector.posted) == 1, "the first post was the typing indicator"


async def test_channel_messages_that_are_not_for_the_bot_are_ignored(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    await delivered(
        teams,
        runtime,
        teams.channel_message(ANN, "Wie heeft de sleutel van lokaal 12?", mention=False),
    )
    assert connector.requests == []
    assert team_row(runtime, CHANNEL) is None, "nothing stored either"


# -- the round's thread ----------------------------------------------------------------------


async def test_a_reply_in_the_rounds_thread_is_a_contribution_once(
    teams: Teams, connector: FakeConnector, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    game = await collecting(teams, runtime)
    root = game.root
    step_two = f"**Stap 2 van {incident_steps()}: Incidenten inbrengen**"
    assert step_two in texts_of(connector.current(root))

    # Teams delivers thread replies to a bot with the channel permission, no mention.
    reply = teams.channel_message(BOB, "Een leerling liep weg uit 2B.", thread=root, mention=False)
    for _ in range(2):  # and sends a slow one again, with the same id
        await teams.send(reply)
    elsewhere = teams.channel_message(
        CAS, "Een ander gesprek.", thread="1763000000001", mention=False
    )
    await delivered(teams, runtime, elsewhere)

    said = texts_of(connector.current(root))
    assert said.count("Een leerling liep weg uit 2B.") == 1
    assert "Een ander gesprek." not in said
    assert "liep weg" not in caplog.text and "ander gesprek" not in caplog.text


async def test_a_submit_from_someone_who_did_not_join_is_politely_refused(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await started(teams, runtime)
    root = game.root
    await game.click(ANN, "Start de eerste stap")
    updates = len(connector.updated)

    await game.click(DEE, "Gelezen")

    refusal = connector.in_conversation(THREAD + root)[-1]
    assert texts_of(refusal.activity) == [
        "<at>Dee Visser</at>",
        "Je doet nog niet mee aan deze ronde. Klik eerst op **Meedoen**.",
    ]
    assert len(connector.updated) == updates, "the card did not change"
    state = runtime.service.active_round(Place("teams", TENANT, CHANNEL))
    assert state is not None and DEE.aad not in state.state.participants


async def test_a_submit_that_none_of_our_cards_makes_gets_a_clear_answer(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await started(teams, runtime)
    root = game.root
    forged = {"title": "?", "data": {"dialoog": {"action": 7, "round": "x"}}, "inputs": []}
    await delivered(teams, runtime, teams.click(BOB, forged, on=root, conversation=THREAD + root))

    answer = texts_of(connector.in_conversation(THREAD + root)[-1].activity)
    assert (
        "Die knop of dat formulier begrijp ik niet (meer). Gebruik de kaart van de ronde." in answer
    )


async def test_a_form_opens_in_the_personal_chat_and_becomes_its_confirmation(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await collecting(teams, runtime)
    root = game.root
    await game.click(BOB, "Schrijf")

    [created] = connector.created
    assert created["members"] == [{"id": BOB.teams_id}]
    # botbuilder spells it "tenantID"; the connector reads names case-insensitively.
    assert created["tenantID"] == created["channelData"]["tenant"]["id"] == TENANT
    assert created["bot"]["id"] == BOT_ID and created["isGroup"] is False
    chat = connector.personal_chat_of(BOB.teams_id)
    assert chat is not None
    [form] = connector.in_conversation(chat)
    [submit] = buttons_of(form.activity)
    assert [i["id"] for i in submit["inputs"]] == ["text"]

    inputs = {"text": "Twee leerlingen kregen ruzie bij het groepswerk."}
    await delivered(
        teams, runtime, teams.click(BOB, submit, on=form.id, conversation=chat, inputs=inputs)
    )

    assert texts_of(connector.current(form.id)) == ["Opgeslagen."], "the form is replaced"
    # It cannot be sent twice; what it offers is to change or withdraw the text.
    left = [b["title"] for b in buttons_of(connector.current(form.id))]
    assert left == ["Wijzig", "Trek in"]
    assert "Twee leerlingen kregen ruzie bij het groepswerk." in texts_of(connector.current(root))


async def test_a_form_teams_sends_again_is_stored_once_and_confirmed_once(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await collecting(teams, runtime)
    await game.click(BOB, "Schrijf")
    chat = connector.personal_chat_of(BOB.teams_id)
    assert chat is not None
    [form] = connector.in_conversation(chat)
    [submit] = buttons_of(form.activity)
    case = "Een leerling gooide een stoel om in 2B."
    sent = teams.click(BOB, submit, on=form.id, conversation=chat, inputs={"text": case})

    # Teams sends a slow request again, with the same activity id: three at once.
    connector.delay = 0.5
    answers = await asyncio.gather(*(teams.send(sent) for _ in range(3)))
    assert [a.status for a in answers] == [202, 202, 202]
    await settled(runtime, connector)

    state = runtime.service.round(_round_id(runtime))
    assert state is not None
    assert [item.text for item in state.items].count(case) == 1, "stored once"
    confirmed = [u for u in connector.updated if u.id == form.id]
    assert len(confirmed) == 1, "the form turned into its confirmation once"
    assert texts_of(connector.current(form.id)) == ["Opgeslagen."]


def _round_id(runtime: Runtime) -> str:
    with runtime.sessions() as session:
        [row] = session.scalars(select(storage.Round)).all()
        return row.id


async def test_when_teams_will_not_open_a_personal_chat_the_person_is_told_in_the_thread(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await collecting(teams, runtime)
    root = game.root
    connector.unreachable.add(BOB.teams_id)

    await game.click(BOB, "Schrijf")

    note = texts_of(connector.in_conversation(THREAD + root)[-1].activity)
    assert note[0] == "<at>Bob Jansen</at>"
    assert note[1].startswith("Bob Jansen: ik kan je geen privébericht sturen")
    assert not any(b["inputs"] for p in connector.posted for b in buttons_of(p.activity))


# -- conversation updates and proactive messages -----------------------------------------------


async def test_when_the_bot_is_added_to_a_team_it_stores_how_to_reach_it_and_says_hello(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    added = teams.conversation_update(added=[{"id": BOT_ID}], event="teamMemberAdded")
    assert (await teams.send(added)).status == 202
    await settled(runtime, connector)

    team = team_row(runtime, TEAM)
    assert team is not None and team.conversation_ref is not None
    reference = team.conversation_ref
    assert reference["serviceUrl"] == connector.url
    assert reference["conversation"]["id"] == TEAM, "no thread suffix"
    assert "activityId" not in reference, "a stored activity id would post into its thread"
    [hello] = connector.posted
    assert hello.conversation == TEAM, "a post of its own in the General channel"
    assert texts_of(hello.activity)[0].startswith("Hallo, ik ben **dialoog**.")


async def test_a_proactive_round_reaches_the_stored_conversation(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    await delivered(
        teams, runtime, teams.conversation_update(added=[{"id": BOT_ID}], event="teamMemberAdded")
    )
    posted_before = len(connector.posted)

    # Nobody typed anything: a round started by the server itself (as the scheduler does).
    place = Place("teams", TENANT, TEAM)
    outcome = await asyncio.to_thread(
        runtime.service.start, place, Person(ANN.aad, ANN.name), "incident"
    )
    assert outcome.accepted
    await settled(runtime, connector)

    card, notice = connector.posted[posted_before:]
    assert card.conversation == TEAM, "the card opens a thread of its own"
    assert texts_of(card.activity)[0] == "Incidentmethode"
    assert notice.conversation == f"{TEAM};messageid={card.id}", "the rest goes in its thread"


async def test_members_added_and_removed_keep_the_team_records_current(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await started(teams, runtime)
    await game.click(BOB, "Meedoen")
    assert members(runtime, CHANNEL) == [ANN.aad, BOB.aad]

    await delivered(
        teams, runtime, teams.conversation_update(added=[member(DEE)], event="teamMemberAdded")
    )
    await teams.send(teams.conversation_update(removed=[member(BOB)], event="teamMemberRemoved"))

    assert members(runtime, CHANNEL) == [ANN.aad, DEE.aad]
    assert DEE.aad in members(runtime, TEAM)


async def test_when_the_bot_is_removed_messages_to_the_team_fail_at_once(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    await started(teams, runtime)
    removed = teams.conversation_update(removed=[{"id": BOT_ID}], event="teamMemberRemoved")
    await delivered(teams, runtime, removed)
    requests = len(connector.requests)

    # Something happens in the round without anyone in Teams (a deadline, the scheduler).
    info = runtime.service.active_round(Place("teams", TENANT, CHANNEL))
    assert info is not None
    join = cmd.Join(user=BOB.aad, name=BOB.name)
    assert (await asyncio.to_thread(runtime.service.handle, info.round_id, join)).accepted
    await settled(runtime, connector)

    assert len(connector.requests) == requests, "nothing was sent"
    with runtime.sessions() as session:
        rows = session.scalars(
            select(storage.OutboxMessage).where(storage.OutboxMessage.round_id == info.round_id)
        ).all()
    assert {r.last_error for r in rows if r.status == "failed"} == {"teams_no_conversation"}


async def test_a_round_planned_from_a_channel_is_planned_for_that_channel(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    command = teams.channel_message(ANN, "plan")
    await delivered(teams, runtime, command)
    [overview] = connector.posted
    assert "**Ronde plannen**" in " ".join(texts_of(overview.activity))
    [plan] = buttons_of(overview.activity)
    thread = THREAD + command["id"]
    await delivered(teams, runtime, teams.click(ANN, plan, on=overview.id, conversation=thread))

    # Planning holds nothing private: its form opens where it was asked for.
    form = connector.in_conversation(thread)[-1]
    [submit] = buttons_of(form.activity)
    values = {
        "protocol": "incident",
        "mode": "live",
        "weekdays": "1",
        "time": "15:30",
        "interval": "biweekly",
        "first": "2026-12-01",
        "lead": "1",
        "reminders": "60",
    }
    await delivered(
        teams, runtime, teams.click(ANN, submit, on=form.id, conversation=thread, inputs=values)
    )

    with runtime.sessions() as session:
        team = storage.find_team(session, "teams", TENANT, CHANNEL)
        assert team is not None
        planned = storage.schedules.list_schedules(session, team.id)
    assert [(s.protocol_id, s.mode) for s in planned] == [("incident", "live")]
    assert buttons_of(connector.current(form.id)) == [], "the form became its confirmation"


async def test_a_card_submit_outside_its_rounds_conversation_is_refused(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await started(teams, runtime)
    root = game.root
    join = next(b for b in buttons_of(connector.current(root)) if b["title"] == "Meedoen")
    chat = "19:meeting_b3RoZXItY2hhdA@thread.v2"
    elsewhere = teams.click(BOB, join, on=root, conversation=THREAD + root)
    elsewhere["conversation"] = {"conversationType": "groupChat", "tenantId": TENANT, "id": chat}
    elsewhere["channelData"] = {"tenant": {"id": TENANT}}
    await delivered(teams, runtime, elsewhere)

    [refusal] = connector.in_conversation(chat)
    assert "Die knop of dat formulier begrijp ik niet (meer)." in " ".join(
        texts_of(refusal.activity)
    )
    info = runtime.service.active_round(Place("teams", TENANT, CHANNEL))
    assert info is not None and BOB.aad not in info.state.participants


async def test_a_message_with_a_value_that_is_not_ours_is_read_as_text(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    message = teams.personal_message(BOB, "help")
    message["value"] = {"someOtherApp": True}
    await delivered(teams, runtime, message)
    assert texts_of(connector.posted[0].activity)[0].startswith("**dialoog** begeleidt")


async def test_when_teams_fails_to_take_a_form_the_person_is_told_and_can_try_again(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await collecting(teams, runtime)
    root = game.root
    connector.fail("create", 503)

    await game.click(BOB, "Schrijf")

    note = texts_of(connector.in_conversation(THREAD + root)[-1].activity)
    assert note[1].startswith("Bob Jansen: ik kon je formulier nu niet sturen")
    assert connector.personal_chat_of(BOB.teams_id) is None

    await game.click(BOB, "Schrijf")
    chat = connector.personal_chat_of(BOB.teams_id)
    assert chat is not None
    [form] = connector.in_conversation(chat)
    assert [b["data"]["dialoog"]["action"] for b in buttons_of(form.activity)] == ["contribute"]
