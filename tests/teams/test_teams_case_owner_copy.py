"""At the end of a round the case owner gets their own copy in their personal chat."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

import storage
from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector, texts_of
from tests.playing import owners_part, play_to_last_step
from tests.teams.flows import started
from tests.teams.traffic import ANN, BOB, CAS, Teams, settled

PEOPLE = (ANN, BOB, CAS)


async def test_the_case_owner_gets_the_summary_with_their_picks_and_actions_in_a_personal_chat(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await started(teams, runtime, BOB, CAS, method="five_step")
    thread = game.thread
    with runtime.sessions() as session:
        round_id = session.scalars(select(storage.Round.id)).one()
    await asyncio.to_thread(play_to_last_step, runtime.service, round_id, ANN.aad)
    await settled(runtime, connector)
    await game.press(ANN, "advance")

    part = owners_part(runtime.service, round_id)
    owner = next(c for c in PEOPLE if c.aad == part.owner)

    chat = connector.personal_chat_of(owner.teams_id)
    assert chat is not None, "the bot opened a personal chat with the case owner"
    copies = [
        "\n".join(texts_of(p.activity))
        for p in connector.in_conversation(chat)
        if any("Jouw kopie als inbrenger" in t for t in texts_of(p.activity))
    ]
    assert len(copies) == 1
    for text in part.picked:
        assert text in copies[0]
    assert all(text in copies[0] for text in part.actions)
    # Nobody else gets a copy, and the channel's thread has the summary without it.
    for colleague in PEOPLE:
        if colleague is owner:
            continue
        other = connector.personal_chat_of(colleague.teams_id)
        posts = connector.in_conversation(other) if other else []
        assert not any("Jouw kopie" in t for p in posts for t in texts_of(p.activity))
    said = [t for p in connector.in_conversation(thread) for t in texts_of(p.activity)]
    assert any("Samenvatting: Vijfstappenmethode" in t for t in said)
    assert not any("Jouw kopie" in t for t in said)
