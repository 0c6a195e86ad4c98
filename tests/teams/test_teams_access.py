"""Where a card submitted in a personal chat acts: its round's channel, in the same
tenant only. What the adapter learns from such a submit (the person's Teams id, for
the round's channel) stays within the tenant it came from."""

from __future__ import annotations

import asyncio

import storage
from bot.engine.vocabulary import Action
from bot.runtime import Runtime
from bot.service.places import Person, Place
from tests.fakes.bot_connector import FakeConnector
from tests.teams.traffic import ANN, CHANNEL, TENANT, Teams, settled

OTHER_TENANT = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
OTHER_CHANNEL = "19:YW5kZXJlLXNjaG9vbA@thread.tacv2"


def start_at(runtime: Runtime, place: Place) -> str:
    outcome = runtime.service.start(place, Person("29:1starter", "Starter"), "incident")
    assert outcome.round_id is not None
    return outcome.round_id


def learnt(runtime: Runtime, tenant: str, channel: str) -> dict[str, str]:
    """The people whose Teams ids the channel's record holds."""
    with runtime.sessions() as session:
        team = storage.find_team(session, "teams", tenant, channel)
        assert team is not None
        return dict(((team.conversation_ref or {}).get("dialoog") or {}).get("members") or {})


def joined(runtime: Runtime, round_id: str) -> list[str]:
    state = runtime.service.round(round_id)
    assert state is not None
    return list(state.participants)


async def join_from_personal_chat(teams: Teams, round_id: str) -> None:
    button = {"data": {"dialoog": {"action": Action.JOIN.value, "round": round_id}}}
    chat = teams.personal_conversation(ANN)["id"]
    assert (await teams.send(teams.click(ANN, button, on="1", conversation=chat))).status == 202


async def test_a_form_from_a_personal_chat_teaches_its_round_s_channel_the_person_s_teams_id(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    round_id = await asyncio.to_thread(start_at, runtime, Place("teams", TENANT, CHANNEL))

    await join_from_personal_chat(teams, round_id)
    await settled(runtime, connector)

    assert learnt(runtime, TENANT, CHANNEL).get(ANN.aad) == ANN.teams_id
    assert ANN.aad in await asyncio.to_thread(joined, runtime, round_id)


async def test_a_form_naming_a_round_of_another_tenant_acts_nowhere_and_teaches_it_nothing(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    elsewhere = Place("teams", OTHER_TENANT, OTHER_CHANNEL)
    round_id = await asyncio.to_thread(start_at, runtime, elsewhere)

    await join_from_personal_chat(teams, round_id)
    await settled(runtime, connector)

    assert ANN.aad not in learnt(runtime, OTHER_TENANT, OTHER_CHANNEL)
    assert ANN.aad not in await asyncio.to_thread(joined, runtime, round_id)
