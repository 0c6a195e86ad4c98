"""In Teams: each step's card folds what it builds on (Action.ToggleVisibility), the
countdown moves each minute, and time up reaches the thread and the facilitator."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

import storage
from bot.channels.teams.cards import MAX_CARD_BYTES, render, size_of
from bot.engine.messages import ListItem, Message, Recall
from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector, buttons_of, card_of, texts_of
from tests.fakes.clock import ManualClock
from tests.playing import play_to_step
from tests.teams.flows import THREAD, collecting, started
from tests.teams.traffic import ANN, BOB, CAS, Teams, delivered, settled


def _containers(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "Container" and str(node.get("id", "")).startswith("recall-"):
            found.append(node)
        for value in node.values():
            found += _containers(value)
    elif isinstance(node, list):
        for value in node:
            found += _containers(value)
    return found


def _toggles(node: Any) -> list[list[str]]:
    found: list[list[str]] = []
    if isinstance(node, dict):
        if node.get("type") == "Action.ToggleVisibility":
            found.append(list(node["targetElements"]))
        for value in node.values():
            found += _toggles(value)
    elif isinstance(node, list):
        for value in node:
            found += _toggles(value)
    return found


async def test_the_discussion_card_folds_the_steps_it_builds_on(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game = await started(teams, runtime)
    root = game.root
    for who in (BOB, CAS):
        await game.click(who, "Meedoen")
    with runtime.sessions() as session:
        round_id = session.scalars(select(storage.Round.id)).one()
    await asyncio.to_thread(play_to_step, runtime.service, round_id, ANN.aad, "discussion")
    await connector.wait_for(
        lambda: "Stap 15 van 18: Nabespreking" in "\n".join(texts_of(connector.current(root))),
        what="the discussion on the card",
    )
    await settled(runtime, connector)
    card = connector.current(root)
    folds = {c["id"]: c["isVisible"] for c in _containers(card_of(card))}
    assert folds == {
        "recall-sketch": False,
        "recall-information": False,
        "recall-positions": False,
        "recall-outcome": True,
    }
    toggled = {targets[0] for targets in _toggles(card_of(card))}
    assert toggled == set(folds), "a click on each title opens or closes it"
    state = runtime.service.round(round_id)
    assert state is not None
    text = "\n".join(texts_of(card))
    assert "▸ Uit stap 4 · De situatie schetsen" in text
    assert "▾ Uit stap 14 · Wat de inbrenger deed" in text
    for item in [*state.items_of("sketch"), *state.items_of("outcome")]:
        assert item.text in text, "folded is hidden, not left out"
    assert size_of(card_of(card)) <= MAX_CARD_BYTES


def _text(connector: FakeConnector, root: str) -> str:
    return "\n".join(texts_of(connector.current(root)))


async def test_the_card_counts_down_each_minute_and_time_up_offers_more_time(
    teams: Teams, connector: FakeConnector, runtime: Runtime, clock: ManualClock
) -> None:
    game = await collecting(teams, runtime)
    root = game.root
    assert "Nog 4 min" in _text(connector, root)

    clock.advance(seconds=61)
    await connector.wait_for(lambda: "Nog 3 min" in _text(connector, root), what="a redraw")

    clock.advance(minutes=4)
    await connector.wait_for(lambda: "De tijd is om" in _text(connector, root), what="time up")
    await connector.wait_for(lambda: connector.personal_chat_of(ANN.teams_id), what="Ann's chat")
    await settled(runtime, connector)
    thread = [t for p in connector.in_conversation(THREAD + root) for t in texts_of(p.activity)]
    assert any("Maak rustig af waar je mee bezig bent" in t for t in thread)
    chat = connector.personal_chat_of(ANN.teams_id)
    assert chat is not None
    choice = next(
        p
        for p in connector.in_conversation(chat)
        if "Gaan jullie verder" in str(texts_of(p.activity))
    )
    more = next(b for b in buttons_of(choice.activity) if b["title"] == "5 minuten erbij")
    await delivered(teams, runtime, teams.click(ANN, more, on=choice.id, conversation=chat))
    assert "Nog 5 min" in _text(connector, root)


def test_a_recall_too_large_to_fold_in_one_card_is_shown_open_and_split() -> None:
    items = tuple(ListItem("lang verhaal " * 400, author="Bob") for _ in range(6))
    big = Recall("sketch", "Uit stap 4 · De situatie schetsen", items, folded=True)
    cards = render(Message(text="kaart", blocks=(big,)), round_id="r1", language="nl")
    assert len(cards) > 1
    assert not _containers(cards), "no fold that a split would cut in two"
    assert all(size_of(c) <= MAX_CARD_BYTES for c in cards)
    text = "\n".join(b["text"] for c in cards for b in c["body"] if b["type"] == "TextBlock")
    assert text.count("lang verhaal") == 6 * 400, "nothing left out"


def test_a_small_recall_folds_and_its_arrow_turns_with_it() -> None:
    recall = Recall("sketch", "Uit stap 4 · De situatie", (ListItem("Kort.", author="Bob"),), True)
    (card,) = render(Message(text="kaart", blocks=(recall,)), round_id="r1", language="nl")
    (fold,) = card["body"]
    header, body = fold["items"]
    closed, opened = header["items"]
    assert (closed["text"], closed["isVisible"]) == ("▸ Uit stap 4 · De situatie", True)
    assert (opened["text"], opened["isVisible"]) == ("▾ Uit stap 4 · De situatie", False)
    assert body["isVisible"] is False
    assert header["selectAction"]["targetElements"] == [body["id"], closed["id"], opened["id"]]
