"""A whole incident-method round in a Teams channel, played by three colleagues
through /api/messages, and what reached Teams (the fake Bot Connector)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.runtime import Runtime
from tests.conftest import incident_steps
from tests.fakes.bot_connector import FakeConnector, Posted, buttons_of, texts_of
from tests.teams.flows import Round
from tests.teams.traffic import ANN, BOB, CAS, CHANNEL, Colleague, Teams, settled

PEOPLE = (ANN, BOB, CAS)


class Table(Round):
    """Three colleagues at the round card: they click its buttons and fill in the
    forms that arrive in their personal chats, as people in Teams would."""

    def __init__(self, teams: Teams, runtime: Runtime) -> None:
        super().__init__(teams, runtime)
        self.written: list[str] = []

    async def offered(self, who: Colleague, action: str) -> bool:
        """Press the card's button of this action if it has one; whether it had."""
        if self.button(action) is None:
            return False
        await self.press(who, action)
        return True

    async def fill_in(self, who: Colleague) -> None:
        """Open this person's form from the card, and fill in every form that arrives."""
        chat = self.connector.personal_chat_of(who.teams_id)
        before = len(self.connector.in_conversation(chat)) if chat else 0
        if not await self.offered(who, "open_form"):
            return
        chat = self.connector.personal_chat_of(who.teams_id)
        if chat is None:
            return
        for form in self.connector.in_conversation(chat)[before:]:
            await self.submit(who, chat, form)

    async def submit(self, who: Colleague, chat: str, form: Posted) -> None:
        for submit in buttons_of(form.activity):
            vote = submit["data"]["dialoog"]["action"] == "vote"
            values = {i["id"]: self.answer(who, i, vote=vote) for i in submit["inputs"]}
            await self.send(
                self.teams.click(who, submit, on=form.id, conversation=chat, inputs=values)
            )

    def answer(self, who: Colleague, field: dict[str, Any], *, vote: bool) -> str:
        match field["type"]:
            case "Input.Text":
                text = f"{who.name.split()[0]} schreef bijdrage {len(self.written) + 1}: waarom?"
                self.written.append(text)
                return text
            case "Input.ChoiceSet":
                choices = field["choices"]
                # Everyone votes for Bob's incident, so Bob becomes the case owner.
                bobs = [c for c in choices if vote and c["title"].startswith("Bob")]
                return str((bobs or choices)[0]["value"])
            case "Input.Date":
                return str(field.get("value") or "2026-12-08")
        raise AssertionError(field)


async def test_three_colleagues_play_an_incident_round_to_its_summary(
    teams: Teams, connector: FakeConnector, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    table = Table(teams, runtime)
    start = teams.channel_message(ANN, "start incident")
    assert (await teams.send(start)).status == 202
    await settled(runtime, connector)

    cards = connector.in_conversation(CHANNEL)
    assert len(cards) == 1, "the round card is one post at the channel's top level"
    table.root = cards[0].id
    for colleague in (BOB, CAS):
        assert await table.offered(colleague, "join")
    assert await table.offered(ANN, "advance"), "the facilitator starts the first step"

    steps = 0
    while table.button("advance") is not None:
        steps += 1
        assert steps < 30, "the round does not end"
        for colleague in PEOPLE:
            await table.offered(colleague, "acknowledge")
            await table.fill_in(colleague)
        for _turn in range(len(PEOPLE)):
            if table.button("next_turn") is None:
                break
            for colleague in PEOPLE:
                await table.fill_in(colleague)
            await table.offered(ANN, "next_turn")
        await table.offered(ANN, "advance")

    thread = [texts_of(p.activity) for p in connector.in_conversation(table.thread)]
    said = "\n".join(line for texts in thread for line in texts)
    assert "De ronde is klaar. Dank jullie wel! Hier is de samenvatting." in said
    assert "Samenvatting: Incidentmethode" in said
    assert steps == incident_steps(), "every step of the incident method was played"
    # The card was posted once and then only updated in place.
    assert [p.id for p in connector.in_conversation(CHANNEL)] == [table.root]
    assert sum(1 for u in connector.updated if u.id == table.root) > 20
    assert "Afgerond" in texts_of(table.card())
    assert buttons_of(table.card()) == [], "a finished round's card has no buttons left"

    # Bob's incident was chosen: he is the case owner, and his steps' forms (the
    # questions to answer among them) reached his personal chat alone.
    assert "Inbrenger: Bob Jansen" in texts_of(table.card())

    def form_titles(who: Colleague) -> set[str]:
        chat = connector.personal_chat_of(who.teams_id)
        assert chat is not None
        return {texts_of(p.activity)[0] for p in connector.in_conversation(chat)}

    case_owner_steps = {"De situatie schetsen", "Informatieronde", "Wat je gaat doen"}
    assert case_owner_steps <= form_titles(BOB)
    for colleague in (ANN, CAS):
        assert not case_owner_steps & form_titles(colleague)
        assert "Vragen opschrijven" in form_titles(colleague)
    assert len({connector.personal_chat_of(c.teams_id) for c in PEOPLE}) == 3
    summary = said[said.index("Samenvatting: Incidentmethode") :]
    assert sum(written in summary for written in table.written) >= 10, "contributions summarised"

    # Forms went to personal chats only; no form card was ever posted in the channel.
    for post in connector.in_conversation(table.thread):
        assert not any(b["inputs"] for b in buttons_of(post.activity))

    # Nothing anyone wrote reached the log.
    logged = caplog.text
    assert table.written, "the colleagues wrote something"
    for written in table.written:
        assert written not in logged
