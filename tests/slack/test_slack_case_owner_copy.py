"""At the end of a round the case owner gets their own copy, as a Slack direct message."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

import storage
from bot.runtime import Runtime
from tests.fakes.slack_api import Call, FakeSlack
from tests.playing import owners_part, play_to_last_step
from tests.slack.driver import ANN, BOB, CAS, CHANNEL, Slack
from tests.slack.flows import card_shows


def _posts_to(api: FakeSlack, channel: str) -> list[Call]:
    return [c for c in api.calls if c.method == "chat.postMessage" and c.args["channel"] == channel]


async def test_the_case_owner_gets_the_summary_with_their_picks_and_actions_in_a_dm(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await slack.command(ANN, "start five_step")
    await card_shows(slack, "Vijfstappenmethode")
    for person in (BOB, CAS):
        await slack.click(person, "Meedoen")
        await card_shows(slack, person.name)
    with slack_runtime.sessions() as session:
        round_id = session.scalars(select(storage.Round.id)).one()
    service = slack_runtime.service
    await asyncio.to_thread(play_to_last_step, service, round_id, ANN.id)
    await card_shows(slack, "Rond af")
    assert (await slack.click(ANN, "Rond af")).status == 200
    # The click is worked on after its ack.
    await card_shows(slack, "Afgerond")

    part = owners_part(service, round_id)
    owner = part.owner
    # Slack opens the DM with the case owner and the copy arrives there.
    calls = await slack_api.wait_for(
        lambda _calls: any(
            "Jouw kopie als inbrenger" in c.text_of_blocks()
            for c in _posts_to(slack_api, "D" + owner)
        ),
        what="the case owner's copy in a direct message",
    )
    assert any(c.method == "conversations.open" and c.args["users"] == owner for c in calls)
    copy = "\n".join(
        c.text_of_blocks()
        for c in _posts_to(slack_api, "D" + owner)
        if "inbrenger" in c.text_of_blocks()
    )
    for text in part.picked:
        assert text in copy
    assert all(text in copy for text in part.actions)
    # Only the case owner gets one; the channel gets the summary, not the copy.
    others = [u.id for u in (ANN, BOB, CAS) if u.id != owner]
    for user in others:
        assert not any("Jouw kopie" in c.text_of_blocks() for c in _posts_to(slack_api, "D" + user))
    assert not any("Jouw kopie" in c.text_of_blocks() for c in _posts_to(slack_api, CHANNEL))
