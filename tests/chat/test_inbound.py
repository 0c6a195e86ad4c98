"""The one inbound path (bot.chat.inbound): what a written line is, whose round a
click may act on, and a repeated delivery, the same for every channel."""

from __future__ import annotations

from bot.chat.inbound import NOT_HERE, Addressed, Inbound
from bot.engine.vocabulary import Action
from bot.runtime import Runtime
from bot.service import Person, Place

HERE = Place("teams", "tenant-1", "19:team-a", "Team A")
ELSEWHERE = Place("teams", "tenant-1", "19:team-b", "Team B")
OTHER_WORKSPACE = Place("teams", "tenant-2", "19:team-a", "Team A")
ANN, BOB, CAS = Person("ann", "Ann"), Person("bob", "Bob"), Person("cas", "Cas")


async def _collecting(inbound: Inbound) -> str:
    """A live incident round at its step where everyone brings a case."""
    reply = await inbound.command(HERE, ANN, "start incident")
    assert reply.round_id is not None
    for person in (BOB, CAS):
        await inbound.click(HERE, person, Action.JOIN, "", {}, round_id=reply.round_id)
    await inbound.click(HERE, ANN, Action.ADVANCE, "", {}, round_id=reply.round_id)
    await inbound.click(HERE, ANN, Action.ADVANCE, "rules", {}, round_id=reply.round_id)
    return reply.round_id


async def test_channel_talk_outside_a_round_is_left_alone(runtime: Runtime) -> None:
    inbound = Inbound(runtime.chat)
    said = await inbound.written(HERE, ANN, "help", round_id=None, addressed=Addressed.NOT)
    assert said is None


async def test_a_line_naming_the_bot_is_a_command_when_it_reads_as_one(runtime: Runtime) -> None:
    inbound = Inbound(runtime.chat)
    said = await inbound.written(HERE, ANN, "help", round_id=None, addressed=Addressed.MENTIONED)
    assert said is not None and said.command and said.reply.accepted
    assert said.reply.language == "nl"


async def test_a_line_in_a_personal_chat_is_a_command_without_naming_the_bot(
    runtime: Runtime,
) -> None:
    inbound = Inbound(runtime.chat)
    said = await inbound.written(
        HERE, ANN, "protocollen", round_id=None, addressed=Addressed.NOT, direct=True
    )
    assert said is not None and said.command


async def test_a_reply_in_the_rounds_thread_naming_the_bot_is_still_a_contribution(
    runtime: Runtime,
) -> None:
    inbound = Inbound(runtime.chat)
    round_id = await _collecting(inbound)
    said = await inbound.written(
        HERE, BOB, "Een leerling liep weg.", round_id=round_id, addressed=Addressed.MENTIONED
    )
    assert said is not None and not said.command and said.reply.accepted
    state = runtime.service.round(round_id)
    assert state is not None and [i.text for i in state.items] == ["Een leerling liep weg."]


async def test_a_repeated_delivery_is_marked_replayed_and_changes_nothing(
    runtime: Runtime,
) -> None:
    inbound = Inbound(runtime.chat)
    round_id = await _collecting(inbound)
    fields = {"text": "Twee leerlingen kregen ruzie."}
    first = await inbound.click(
        HERE, BOB, Action.CONTRIBUTE, "propose", fields, round_id=round_id, key="k-1"
    )
    again = await inbound.click(
        HERE, BOB, Action.CONTRIBUTE, "propose", fields, round_id=round_id, key="k-1"
    )
    assert first.accepted and not first.replayed and first.messages
    assert again.accepted and again.replayed
    state = runtime.service.round(round_id)
    assert state is not None and len(state.items) == 1


async def test_a_round_is_acted_on_from_its_own_channel_or_a_private_conversation_only(
    runtime: Runtime,
) -> None:
    inbound = Inbound(runtime.chat)
    round_id = (await inbound.command(HERE, ANN, "start incident")).round_id
    for place, private in ((ELSEWHERE, False), (OTHER_WORKSPACE, True)):
        refused = await inbound.click(
            place, BOB, Action.JOIN, "", {}, round_id=round_id, private=private
        )
        assert (refused.accepted, refused.error_code) == (False, NOT_HERE)
    privately = await inbound.click(
        ELSEWHERE, BOB, Action.JOIN, "", {}, round_id=round_id, private=True
    )
    assert privately.accepted
    missing = await inbound.click(HERE, BOB, Action.JOIN, "", {}, round_id="no-such-round")
    assert (missing.error_code, missing.round_id) == ("no_round", None)
