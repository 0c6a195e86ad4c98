"""Replies in a round's Teams thread count by the step's rules: a reply to a
question's own post answers that question, and with two rounds in one channel a
reply counts in the round whose card its thread hangs under. Activities go to the
real /api/messages; what the bot sends lands on the fake Bot Connector."""

from __future__ import annotations

from typing import Any

import storage
from bot.engine import commands as cmd
from bot.runtime import Runtime
from bot.service import Person, Place
from tests.fakes.bot_connector import FakeConnector, texts_of
from tests.playing import gossip_at_the_answers
from tests.teams.traffic import ANN, BOB, CAS, CHANNEL, TENANT, Colleague, Teams, settled


async def _send(teams: Teams, runtime: Runtime, connector: FakeConnector, activity: Any) -> None:
    assert (await teams.send(activity)).status == 202
    await settled(runtime, connector)


def _do(runtime: Runtime, round_id: str, command: cmd.Command) -> None:
    assert runtime.service.handle(round_id, command).accepted


def _reply(teams: Teams, who: Colleague, text: str, *, root: str, to: str | None = None) -> Any:
    activity = teams.channel_message(who, text, thread=root, mention=False)
    if to is not None:
        activity["replyToId"] = to
    return activity


async def _at_the_answers(teams: Teams, runtime: Runtime, connector: FakeConnector) -> str:
    """A gossip round started in the channel, at its answers step with two questions."""
    await _send(teams, runtime, connector, teams.channel_message(ANN, "start gossip"))
    info = runtime.service.active_round(_place(runtime))
    assert info is not None
    rid = info.round_id
    bob, cas = (Person(who.aad, who.name) for who in (BOB, CAS))
    gossip_at_the_answers(runtime.service, rid, ANN.aad, bob, cas)
    await settled(runtime, connector)
    return rid


def _place(runtime: Runtime) -> Place:
    return Place("teams", TENANT, CHANNEL)


def _posts_saying(connector: FakeConnector, thread: str, words: str) -> list[Any]:
    return [p for p in connector.in_conversation(thread) if words in " ".join(texts_of(p.activity))]


async def test_a_reply_to_a_questions_own_post_answers_that_question(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    rid = await _at_the_answers(teams, runtime, connector)
    root = connector.in_conversation(CHANNEL)[0].id
    thread = f"{CHANNEL};messageid={root}"
    (first,) = _posts_saying(connector, thread, "Vraag 1 van 2")
    assert "Wat gebeurt er direct na de pauze?" in " ".join(texts_of(first.activity))
    assert [p.id for p in connector.in_conversation(CHANNEL)] == [root], "a reply, not a post"

    # Bob answers the first question by replying to its own post.
    reply = _reply(teams, BOB, "Ze blijven staan praten.", root=root, to=first.id)
    await _send(teams, runtime, connector, reply)
    state = runtime.service.round(rid)
    assert state is not None
    (question,) = [i for i in state.items_of("questions") if "pauze" in i.text]
    assert state.responses[question.id].text == "Ze blijven staan praten."
    assert "Beantwoord." in texts_of(connector.current(first.id))

    # A plain reply in the thread answers the question up next.
    await _send(teams, runtime, connector, _reply(teams, BOB, "Twee jongens.", root=root))
    state = runtime.service.round(rid)
    assert state is not None
    assert sorted(r.text for r in state.responses.values()) == [
        "Twee jongens.",
        "Ze blijven staan praten.",
    ]


async def test_advice_in_the_thread_of_the_question_round_is_refused_privately(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    rid = await _at_the_answers(teams, runtime, connector)
    root = connector.in_conversation(CHANNEL)[0].id
    await _send(teams, runtime, connector, _reply(teams, CAS, "Ik zou ze apart zetten.", root=root))
    chat = connector.personal_chat_of(CAS.teams_id)
    said = [" ".join(texts_of(p.activity)) for p in connector.in_conversation(chat)] if chat else []
    thread = [
        " ".join(texts_of(p.activity))
        for p in connector.in_conversation(f"{CHANNEL};messageid={root}")
    ]
    told = said + thread
    assert any("stel alleen vragen" in t for t in told)
    state = runtime.service.round(rid)
    assert state is not None and state.responses == {}


async def test_with_two_rounds_in_a_channel_a_reply_counts_in_the_round_of_its_thread(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    await _send(teams, runtime, connector, teams.channel_message(ANN, "start gossip async"))
    await _send(teams, runtime, connector, teams.channel_message(BOB, "start incident"))
    spread, live = runtime.service.active_rounds(_place(runtime))
    cards = connector.in_conversation(CHANNEL)
    assert len(cards) == 2, "each round has its own card and thread"
    with runtime.sessions() as session:
        roots = {
            info.round_id: posted.external_id
            for info in (spread, live)
            if (posted := storage.posted_message(session, info.round_id, "card")) is not None
        }
    assert sorted(roots.values()) == sorted(card.id for card in cards)
    for info in (spread, live):
        state = info.state
        _do(runtime, info.round_id, cmd.Join(user=CAS.aad, name=CAS.name))
        starter = state.started_by
        _do(runtime, info.round_id, cmd.Advance(user=starter))
        _do(runtime, info.round_id, cmd.Advance(user=starter))
    await settled(runtime, connector)
    live_line, spread_line = "Een leerling liep weg uit de les.", "Een ouder belde boos."
    await _send(teams, runtime, connector, _reply(teams, CAS, live_line, root=roots[live.round_id]))
    await _send(
        teams, runtime, connector, _reply(teams, CAS, spread_line, root=roots[spread.round_id])
    )
    after_live = runtime.service.round(live.round_id)
    after_spread = runtime.service.round(spread.round_id)
    assert after_live is not None and after_spread is not None
    assert [i.text for i in after_live.items] == [live_line]
    assert [i.text for i in after_spread.items] == [spread_line]
