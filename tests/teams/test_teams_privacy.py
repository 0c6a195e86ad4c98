"""A person's data in Teams: `@dialoog mijn gegevens` arrives in their personal chat."""

from __future__ import annotations

from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector, texts_of
from tests.teams.traffic import ANN, CHANNEL, Teams, settled


async def test_my_data_arrives_in_my_personal_chat_and_not_in_the_channel(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    assert (await teams.send(teams.channel_message(ANN, "start incident"))).status == 202
    await settled(runtime, connector)
    assert (await teams.send(teams.channel_message(ANN, "mijn gegevens"))).status == 202
    await settled(runtime, connector)

    chat = connector.personal_chat_of(ANN.teams_id)
    assert chat is not None, "Ann's personal chat was opened"
    private = "\n".join(
        t for post in connector.in_conversation(chat) for t in texts_of(post.activity)
    )
    assert "Wat dialoog over je bewaart" in private
    assert "Incidentmethode" in private, "her round is in it"
    in_channel = [
        t
        for post in connector.posted
        if post.conversation.startswith(CHANNEL)
        for t in texts_of(post.activity)
    ]
    assert not any("Wat dialoog over je bewaart" in t for t in in_channel)
