"""`@dialoog overzicht` in Teams: the chart as an image in a card in the channel,
inline (a data URI: Teams need not reach our server), the numbers as text in it."""

from __future__ import annotations

import asyncio
import base64
import json

from bot.runtime import Runtime
from bot.service import Place
from tests.fakes.bot_connector import (
    MAX_MESSAGE_BYTES,
    FakeConnector,
    Posted,
    card_of,
    texts_of,
)
from tests.fakes.clock import ManualClock
from tests.history import seed
from tests.teams.traffic import ANN, CHANNEL, TENANT, Teams, settled

PLACE = Place("teams", TENANT, CHANNEL, "Intervisie")


async def test_the_overview_is_a_card_with_the_chart_and_every_number_in_the_channel(
    teams: Teams, connector: FakeConnector, runtime: Runtime, clock: ManualClock
) -> None:
    # The channel has spoken to the bot once, so the bot can post there.
    assert (await teams.send(teams.channel_message(ANN, "help"))).status == 202
    await settled(runtime, connector)
    await asyncio.to_thread(seed, runtime.service, clock, PLACE)
    await settled(runtime, connector)
    before = len(connector.in_conversation(CHANNEL))

    asked = teams.channel_message(ANN, "overzicht")
    assert (await teams.send(asked)).status == 202
    await settled(runtime, connector)

    def overviews() -> list[Posted]:
        posts = connector.in_conversation(CHANNEL)[before:]
        return [p for p in posts if any("Rondes gehouden: 3" in t for t in texts_of(p.activity))]

    # The turn is answered at once; the overview follows through the outbox.
    overview = await connector.wait_for(overviews, what="the overview in the channel")
    assert len(overview) == 1
    card = card_of(overview[0].activity)
    images = [e for e in card["body"] if e["type"] == "Image"]
    assert len(images) == 1
    prefix = "data:image/png;base64,"
    assert images[0]["url"].startswith(prefix)
    assert base64.b64decode(images[0]["url"][len(prefix) :]).startswith(b"\x89PNG")
    assert "Alle getallen staan ook in de tekst" in images[0]["altText"]
    # The fake refuses what Teams refuses (above about 28 KB): this one arrived.
    assert len(json.dumps(overview[0].activity)) < MAX_MESSAGE_BYTES
    said = "\n".join(texts_of(overview[0].activity))
    for expected in ("Vijfstappenmethode: 2", "Bob: 3 keer", "nog niet: 1", "collega's: 2"):
        assert expected in said, expected
