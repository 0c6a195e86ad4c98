"""Short ways into a round, for tests about one thing."""

from __future__ import annotations

from tests.fakes.slack_api import Call
from tests.slack.driver import ANN, BOB, Slack, User


async def card_shows(slack: Slack, text: str) -> Call:
    """Wait until the card (its latest version) shows this text."""
    await slack.api.wait_for(
        lambda _calls: text in slack.card().text_of_blocks(),
        what=f"the card to show {text!r}",
    )
    return slack.card()


async def started(slack: Slack, *joining: User) -> None:
    """Ann starts an incident round; the others join."""
    answer = await slack.command(ANN, "start incident")
    assert answer.status == 200
    await card_shows(slack, "Incidentmethode")
    for person in joining:
        assert (await slack.click(person, "Meedoen")).status == 200
        await card_shows(slack, person.name)


async def collecting(slack: Slack) -> None:
    """A round with Ann and Bob at its first collect step (open contributions)."""
    await started(slack, BOB)
    await slack.click(ANN, "Start de eerste stap")
    await card_shows(slack, "Spelregels")
    await slack.click(ANN, "Volgende stap")
    await card_shows(slack, "Incidenten inbrengen")
