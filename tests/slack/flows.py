"""Short ways into a round in a Slack channel, for tests about one thing: the same
shape as tests/teams/flows.py and tests/web/flows.py (`started`, `collecting`)."""

from __future__ import annotations

from tests.fakes.slack_api import Call
from tests.slack.driver import ANN, BOB, Slack, User


async def card_shows(slack: Slack, text: str, *, what: str = "") -> Call:
    """Wait until the card (its latest version) shows this text."""
    await slack.api.wait_for(
        lambda _calls: text in slack.card().text_of_blocks(),
        what=what or f"the card to show {text!r}",
    )
    return slack.card()


async def next_step(slack: Slack, title: str, *, label: str = "Volgende stap") -> None:
    """Ann (the facilitator) moves the round on; wait until the card shows the step."""
    assert (await slack.click(ANN, label)).status == 200
    await card_shows(slack, title, what=f"the step {title!r} on the card")


async def reply(slack: Slack, user: User, text: str) -> None:
    """A reply in the round's thread, taken."""
    assert (await slack.reply_in_thread(user, text)).status == 200


async def private_answer(slack: Slack, containing: str = "") -> Call:
    """Wait for an answer only the person who asked sees (sent to the response_url)
    that holds this text, and return the newest such."""

    def answers(calls: list[Call]) -> list[Call]:
        return [c for c in calls if c.method == "response_url" and containing in str(c.args)]

    calls = await slack.api.wait_for(
        lambda calls: bool(answers(calls)), what=f"a private answer with {containing!r}"
    )
    return answers(calls)[-1]


async def started(slack: Slack, *joining: User) -> None:
    """Ann starts an incident round; the others join."""
    answer = await slack.command(ANN, "start incident")
    assert answer.status == 200
    await card_shows(slack, "Incidentmethode")
    for person in joining:
        assert (await slack.click(person, "Meedoen")).status == 200
        await card_shows(slack, person.name)


async def collecting(slack: Slack, *joining: User) -> None:
    """An incident round with Ann and Bob (and whoever else joins) at its first
    collect step (open contributions)."""
    await started(slack, BOB, *joining)
    await slack.click(ANN, "Start de eerste stap")
    await card_shows(slack, "Spelregels")
    await slack.click(ANN, "Volgende stap")
    await card_shows(slack, "Incidenten inbrengen")
