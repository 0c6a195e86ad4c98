"""In Slack: each step's card shows what it builds on, folded with a "Lees alles" that
opens it all in a modal; the countdown moves each minute; time up reaches the channel."""

from __future__ import annotations

import asyncio
import dataclasses

from sqlalchemy import select

import storage
from bot.channels.slack import wire
from bot.channels.slack.blocks import render_message
from bot.engine.messages import ListItem, Message, Recall
from bot.engine.state import RoundState
from bot.runtime import Runtime
from tests.fakes.clock import ManualClock
from tests.fakes.slack_api import Call, FakeSlack
from tests.playing import play_to_step
from tests.slack.driver import ANN, BOB, CAS, Slack, card_ts
from tests.slack.flows import card_shows, collecting, started
from tests.slack.limits import problems_in_message, problems_in_view


def _round_id(runtime: Runtime) -> str:
    with runtime.sessions() as session:
        return session.scalars(select(storage.Round.id)).one()


async def test_the_discussion_card_shows_situation_answers_positions_and_outcome(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await started(slack, BOB, CAS)
    round_id = _round_id(slack_runtime)
    service = slack_runtime.service
    await asyncio.to_thread(play_to_step, service, round_id, ANN.id, "discussion")
    card = await card_shows(slack, "Stap 15 van 18: Nabespreking")
    state = service.round(round_id)
    assert state is not None

    text = card.text_of_blocks()
    # Block Kit cannot fold: a folded step is its title, a start and "Lees alles".
    for title in ("De situatie schetsen", "Informatieronde", "Standpunten toelichten"):
        assert f"*▸ Uit stap {state.protocol.step_index(_id(state, title)) + 1} · {title}*" in text
    # The latest, what the case owner did, is open in full.
    assert "*Uit stap 14 · Wat de inbrenger deed*" in text
    assert all(i.text in text for i in state.items_of("outcome"))
    assert problems_in_message(card.blocks()) == []

    # "Lees alles" opens everything the step shows, for whoever asks.
    modal = await slack.modal(CAS, "Lees alles")
    shown = modal.text_of_blocks()
    for item in [*state.items_of("sketch"), *state.items_of("position")]:
        assert item.text in shown
    for question in state.items_of("questions"):
        assert question.text in shown
        assert state.responses[question.id].text in shown
    assert problems_in_view(modal.args["view"]) == []
    assert "submit" not in modal.args["view"], "nothing to send: it is for reading"


def _id(state: RoundState, title: str) -> str:
    return next(s.id for s in state.protocol.steps if s.title.nl == title)


async def test_the_card_counts_down_by_itself_each_minute(
    slack: Slack, slack_api: FakeSlack, clock: ManualClock
) -> None:
    await collecting(slack)
    await card_shows(slack, "Nog 4 min")
    updates = len(slack_api.calls_to("chat.update"))
    clock.advance(seconds=61)
    card = await card_shows(slack, "Nog 3 min")
    assert card.method == "chat.update" and card.args["ts"] == card_ts(slack_api)
    await slack_api.settle()
    assert len(slack_api.calls_to("chat.update")) == updates + 1, "one update for the minute"


def _direct(api: FakeSlack, user_id: str) -> list[Call]:
    return [
        c
        for c in api.calls
        if c.method == "chat.postMessage" and c.args["channel"] == "D" + user_id
    ]


async def test_time_up_is_told_in_the_thread_and_the_facilitator_extends_from_a_dm(
    slack: Slack, slack_api: FakeSlack, clock: ManualClock
) -> None:
    await collecting(slack)
    clock.advance(minutes=5)
    thread = card_ts(slack_api)
    calls = await slack_api.wait_for(
        lambda calls: any(
            c.method == "chat.postMessage"
            and c.args.get("thread_ts") == thread
            and "Maak rustig af" in c.text_of_blocks()
            for c in calls
        ),
        what="the gentle note in the round's thread",
    )
    assert any("De tijd is om" in c.text_of_blocks() for c in calls if c.method == "chat.update")
    await slack_api.wait_for(lambda _calls: bool(_direct(slack_api, ANN.id)), what="Ann's DM")
    choice = next(
        c for c in _direct(slack_api, ANN.id) if "Gaan jullie verder" in c.text_of_blocks()
    )
    assert not _direct(slack_api, BOB.id), "only the facilitator chooses"
    assert (await slack.click(ANN, "5 minuten erbij", on=choice)).status == 200
    await card_shows(slack, "Nog 5 min")


def test_a_folded_recall_is_a_start_and_a_button_an_open_one_a_list() -> None:
    long = "Het was vrijdag het laatste uur. " * 20
    folded = Recall(
        "sketch",
        "Uit stap 4 · De situatie",
        (ListItem(long, author="Bob"), ListItem("Nog iets.", author="Cas")),
        folded=True,
        open_label="Lees alles",
        open_action="open_form",
        open_value="context",
    )
    opened = dataclasses.replace(folded, folded=False)
    (message,) = render_message(Message(text="k", blocks=(folded, opened)), round_id="r1")
    first, *rest = message.blocks
    assert first["text"]["text"].startswith("*▸ Uit stap 4 · De situatie*\nHet was vrijdag")
    assert first["text"]["text"].endswith("— _Bob_  _(+1)_")
    assert len(first["text"]["text"]) < 400, "the start, not the whole text"
    button = first["accessory"]
    assert (button["text"]["text"], button["value"]) == ("Lees alles", "context")
    assert wire.read_action(button["action_id"], first["block_id"]) == ("open_form", "r1")
    shown = "\n".join(b["text"]["text"] for b in rest)
    assert shown.count("Het was vrijdag") == 20 and "Nog iets." in shown
    assert problems_in_message(list(message.blocks)) == []
