"""Teams: a vote over anonymous incidents asks the winner's author in their personal
chat before anyone learns whose it is; a no stays between them and the bot."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import storage
from bot.runtime import Runtime
from tests.anonymous import BOBS, CASS, PROTOCOL, beside, propose, school_folder, vote
from tests.fakes.bot_connector import FakeConnector, buttons_of, texts_of
from tests.teams.traffic import ANN, BOB, CAS, CHANNEL, Colleague, Teams, press, settled


@pytest.fixture
def protocols_dir(tmp_path: Path) -> str:
    return str(school_folder(tmp_path))


def _asked(connector: FakeConnector, who: Colleague) -> tuple[str, dict[str, Any]] | None:
    """The question in the person's personal chat: (its id, the activity as it is now)."""
    chat = connector.personal_chat_of(who.teams_id)
    for post in connector.in_conversation(chat) if chat else []:
        now = connector.current(post.id)
        if any("Wil je hem inbrengen?" in t for t in texts_of(now)):
            return post.id, now
    return None


async def _answer(teams: Teams, runtime: Runtime, who: Colleague, action: str) -> None:
    asked = _asked(teams.connector, who)
    assert asked is not None
    activity_id, card = asked
    [button] = [b for b in buttons_of(card) if b["data"]["dialoog"]["action"] == action]
    chat = teams.connector.personal_chat_of(who.teams_id)
    assert chat is not None
    click = teams.click(who, button, on=activity_id, conversation=chat)
    assert (await teams.send(click)).status == 202
    await settled(runtime, teams.connector)


async def test_the_winner_is_asked_in_a_personal_chat_and_a_no_never_reaches_the_channel(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    assert (await teams.send(teams.channel_message(ANN, f"start {PROTOCOL}"))).status == 202
    await settled(runtime, connector)
    root = connector.in_conversation(CHANNEL)[0].id
    for colleague in (BOB, CAS):
        await press(teams, runtime, colleague, "join", root)
    await press(teams, runtime, ANN, "advance", root)
    await press(teams, runtime, ANN, "advance", root)
    with runtime.sessions() as session:
        round_id = session.scalars(select(storage.Round.id)).one()
    await asyncio.to_thread(propose, runtime.service, round_id, BOB.aad, CAS.aad)
    await settled(runtime, connector)
    await press(teams, runtime, ANN, "advance", root)
    await asyncio.to_thread(vote, runtime.service, round_id, (ANN.aad, BOB.aad, CAS.aad), CAS.aad)
    await settled(runtime, connector)
    await press(teams, runtime, ANN, "advance", root)

    card = "\n".join(texts_of(connector.current(root)))
    assert "We vragen de schrijver privé" in card and BOBS in card
    actions = [b["data"]["dialoog"]["action"] for b in buttons_of(connector.current(root))]
    assert "skip_offer" in actions and "advance" not in actions
    asked = _asked(connector, BOB)
    assert asked is not None and any(BOBS in t for t in texts_of(asked[1]))
    assert _asked(connector, CAS) is None and _asked(connector, ANN) is None

    # Bob says no: his question card turns into the answer that it stays between us.
    await _answer(teams, runtime, BOB, "decline_role")
    bobs = _asked(connector, BOB)
    assert bobs is None, "the question became its answer"
    chat = connector.personal_chat_of(BOB.teams_id)
    assert any(
        "niemand hoort" in t
        for u in connector.updated
        if u.conversation == chat
        for t in texts_of(u.activity)
    )
    thread = f"{CHANNEL};messageid={root}"
    said = [t for p in connector.in_conversation(thread) for t in texts_of(p.activity)]
    assert any(f"De casus _{BOBS}_ wordt vandaag niet ingebracht" in t for t in said)

    # Cas says yes: she is the case owner, and the round moves on.
    cass = _asked(connector, CAS)
    assert cass is not None and any(CASS in t for t in texts_of(cass[1]))
    await _answer(teams, runtime, CAS, "accept_role")
    card = "\n".join(texts_of(connector.current(root)))
    assert "De situatie schetsen" in card and CAS.name in card

    # Nowhere but in Bob's own chat is his incident beside him.
    others: list[object] = []
    for post in connector.posted:
        if post.conversation != chat:
            others += [
                {"text": post.activity.get("text", "")},
                *post.activity.get("attachments", []),
            ]
    for update in connector.updated:
        if update.conversation != chat:
            others += [
                {"text": update.activity.get("text", "")},
                *update.activity.get("attachments", []),
            ]
    assert any(BOBS in str(o) for o in others), "it was shown"
    assert beside(_elements(others), BOBS, BOB.name, BOB.aad, BOB.teams_id, "Bob") == []


def _elements(parts: list[object]) -> list[str]:
    """Each text of the cards with the one after it: Teams shows an item's author in
    the small text block right under the item's own."""
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "title", "value") and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(parts)
    return [f"{a} | {b}" for a, b in zip(texts, [*texts[1:], ""], strict=True)]
