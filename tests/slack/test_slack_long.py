"""A round whose contributions are more than one Slack message can hold."""

from __future__ import annotations

from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.driver import ANN, BOB, CAS, DEE, Slack, User, card_ts
from tests.slack.flows import card_shows, started
from tests.slack.limits import problems_in_message, problems_in_view


def _incident(person: User) -> str:
    text = " ".join(f"{person.name} vertelt zin {n} van het incident." for n in range(1, 200))
    return text[:2900].rsplit(" ", 1)[0] + f" Einde van {person.name}."


def _continuations(api: FakeSlack, ts: str) -> list[Call]:
    return [
        c
        for c in api.calls
        if c.method == "chat.postMessage"
        and c.args.get("thread_ts") == ts
        and c.blocks()
        and c.blocks()[0]["type"] == "context"
        and c.blocks()[0]["elements"][0]["text"].startswith("… 2/")
    ]


async def test_a_card_with_more_than_slack_holds_continues_in_the_thread_and_loses_nothing(
    slack: Slack, slack_api: FakeSlack
) -> None:
    people = (ANN, BOB, CAS, DEE)
    await started(slack, BOB, CAS, DEE)
    await slack.click(ANN, "Start de eerste stap")
    await card_shows(slack, "Spelregels")
    await slack.click(ANN, "Volgende stap")
    await card_shows(slack, "Incidenten inbrengen")
    for person in people:
        view = await slack.modal(person, "Schrijf")
        await slack.submit(person, view, {"Jouw bijdrage": _incident(person)})
        await card_shows(slack, person.name)
    ts = card_ts(slack_api)
    await slack_api.wait_for(
        lambda _calls: any(f"Einde van {DEE.name}." in c.text_of_blocks() for c in slack_api.calls),
        what="the last incident",
    )
    await slack_api.settle()

    # The card keeps its buttons; what does not fit follows in the thread, once.
    assert "Volgende stap" in slack.card().text_of_blocks()
    parts = _continuations(slack_api, ts)
    assert len(parts) == 1
    part_ts = parts[0].response["ts"] if parts[0].response else ""
    latest = [
        c for c in slack_api.calls if c.method == "chat.update" and c.args.get("ts") == part_ts
    ]
    shown = slack.card().text_of_blocks() + (latest or parts)[-1].text_of_blocks()
    for person in people:
        assert f"Einde van {person.name}." in shown
        assert f"{person.name} vertelt zin 1 van het incident." in shown

    # Choosing: the options are short in the select, in full above it.
    await slack.click(ANN, "Volgende stap")
    await card_shows(slack, "Incident kiezen")
    view = await slack.modal(BOB, "Stem")
    assert "De keuzes voluit:" in view.text_of_blocks()
    await slack.submit(BOB, view, {"Jouw keuze": "bob vertelt"})

    # Once the card is short again, the continuation is emptied rather than left stale.
    for person in people:
        if person is not BOB:
            view = await slack.modal(person, "Stem")
            await slack.submit(person, view, {"Jouw keuze": "bob vertelt"})
    await slack.click(ANN, "Volgende stap")
    await card_shows(slack, "De situatie schetsen")
    await slack_api.wait_for(
        lambda calls: any(
            c.method == "chat.update" and c.args.get("ts") == part_ts and c.args["text"] == "…"
            for c in calls
        ),
        what="the continuation emptied",
    )
    assert len(_continuations(slack_api, ts)) == 1

    for call in slack_api.calls:
        if call.method == "views.open":
            assert problems_in_view(call.args["view"]) == []
        elif call.blocks():
            assert problems_in_message(call.blocks()) == [], call.method
