"""Short ways into a round in a Teams channel, for tests about one thing: the same
shape as tests/slack/flows.py and tests/web/flows.py (`started`, `collecting`)."""

from __future__ import annotations

from typing import Any

from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector, Posted, buttons_of, texts_of
from tests.teams.traffic import ANN, BOB, CHANNEL, Colleague, Teams, delivered

THREAD = f"{CHANNEL};messageid="


class Round:
    """A round's card in the channel, and the colleagues who click it: every click
    is taken (202) and the bot is done with it before the next."""

    def __init__(self, teams: Teams, runtime: Runtime, root: str = "") -> None:
        self.teams, self.runtime, self.root = teams, runtime, root

    @property
    def connector(self) -> FakeConnector:
        return self.teams.connector

    @property
    def thread(self) -> str:
        return THREAD + self.root

    def card(self) -> dict[str, Any]:
        return self.connector.current(self.root)

    def button(self, action: str) -> dict[str, Any] | None:
        """The card's (first) button of this action, if it offers one."""
        return next(
            (b for b in buttons_of(self.card()) if b["data"]["dialoog"]["action"] == action), None
        )

    async def send(self, activity: dict[str, Any]) -> None:
        assert await delivered(self.teams, self.runtime, activity) == 202

    async def press(self, who: Colleague, action: str, *, on: Posted | None = None) -> None:
        """Click the button of this action on the card (or on another post)."""
        activity = on.activity if on is not None else self.card()
        button = next(b for b in buttons_of(activity) if b["data"]["dialoog"]["action"] == action)
        where = on.conversation if on is not None else self.thread
        await self.send(
            self.teams.click(who, button, on=on.id if on else self.root, conversation=where)
        )

    async def click(self, who: Colleague, title: str, *, on: Posted | None = None) -> None:
        """Click the button with this title, as the person reads it, on the card (or on
        another post as it looks now)."""
        post = on.id if on is not None else self.root
        where = on.conversation if on is not None else self.thread
        button = next(b for b in buttons_of(self.connector.current(post)) if b["title"] == title)
        await self.send(self.teams.click(who, button, on=post, conversation=where))

    async def submit(self, who: Colleague, form: Posted, inputs: dict[str, str]) -> None:
        """Send a form (a post with one submit button) filled in with these inputs."""
        [button] = buttons_of(form.activity)
        await self.send(
            self.teams.click(who, button, on=form.id, conversation=form.conversation, inputs=inputs)
        )

    def personal(self, who: Colleague) -> list[Posted]:
        """What the bot posted in this person's personal chat."""
        chat = self.connector.personal_chat_of(who.teams_id)
        return self.connector.in_conversation(chat) if chat else []


async def started(
    teams: Teams, runtime: Runtime, *joining: Colleague, method: str = "incident"
) -> Round:
    """Ann starts a round of the method in the channel; the others join."""
    game = Round(teams, runtime)
    await game.send(teams.channel_message(ANN, f"start {method}"))
    game.root = teams.connector.in_conversation(CHANNEL)[0].id
    for colleague in joining:
        await game.press(colleague, "join")
    return game


async def collecting(teams: Teams, runtime: Runtime, *joining: Colleague) -> Round:
    """An incident round with Ann and Bob (and whoever else joins) at its first
    collect step (open contributions)."""
    game = await started(teams, runtime, BOB, *joining)
    await game.press(ANN, "advance")  # the ground rules
    await game.press(ANN, "advance")
    assert "Incidenten inbrengen" in "\n".join(texts_of(game.card()))
    return game
