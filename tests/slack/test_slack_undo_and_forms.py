"""Forms that never lose typing, undo and confirmation, through the real Bolt app:
a long text is refused in the modal with its length and kept there; a case is
withdrawn with the button in the person's own modal; the card's *Stoppen* asks
first and the stopped round posts its summary."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

import storage
from bot.engine.state import RoundState
from bot.runtime import Runtime
from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.driver import ANN, BOB, Slack, User, find_button
from tests.slack.flows import card_shows, collecting, private_answer


def _round_state(runtime: Runtime) -> RoundState:
    with runtime.sessions() as session:
        round_id = str(session.scalars(select(storage.Round.id)).one())
    state = runtime.service.round(round_id)
    assert state is not None
    return state


def _text_input(view: Call) -> str:
    return next(b["block_id"] for b in view.args["view"]["blocks"] if b["type"] == "input")


async def test_a_text_longer_than_allowed_is_refused_in_the_modal_with_its_length_and_kept(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await collecting(slack)
    view = await slack.modal(BOB, "Schrijf")
    element = next(b for b in view.args["view"]["blocks"] if b["type"] == "input")["element"]
    assert "max_length" not in element, "Slack must not cut a long paste"
    long = "Een leerling liep weg. " * 220
    answer = await slack.submit(BOB, view, {"Jouw bijdrage": long})
    assert answer.status == 200
    kept_open = json.loads(answer.text)
    assert kept_open["response_action"] == "errors"
    [error] = kept_open["errors"].values()
    assert f"({len(long.strip())} tekens)" in error and "3000" in error
    assert list(kept_open["errors"]) == [_text_input(view)]
    assert not _round_state(slack_runtime).items, "nothing was stored"

    # Shortened in the same modal, it is saved.
    assert (await slack.submit(BOB, view, {"Jouw bijdrage": long[:1000]})).text == ""
    await card_shows(slack, "Een leerling liep weg.")


def _modal_click(slack: Slack, user: User, view: Call, label: str) -> dict[str, Any]:
    """A click on a button inside a modal, as Slack sends it: no channel, no
    response_url; the view (with its metadata) says where it belongs."""
    blocks = view.args["view"]["blocks"]
    button, block_id = find_button(Call("views.open", {"blocks": blocks}, None), label)
    payload = slack.click_payload(user, button, block_id, message_ts="0", channel="")
    del payload["channel"], payload["message"], payload["response_url"]
    assert view.response is not None
    opened = view.response["view"]
    payload["container"] = {"type": "view", "view_id": opened["id"]}
    payload["view"] = {**view.args["view"], "id": opened["id"], "hash": opened.get("hash", "h")}
    payload["view"]["state"] = {"values": {}}
    return payload


async def test_a_case_is_withdrawn_with_the_button_in_the_persons_own_modal(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await collecting(slack)
    first = await slack.modal(BOB, "Schrijf")
    await slack.submit(BOB, first, {"Jouw bijdrage": "Een leerling liep weg."})
    await card_shows(slack, "Een leerling liep weg.")

    again = await slack.modal(BOB, "Schrijf")
    assert "Wat je in deze stap schreef" in again.text_of_blocks()
    before = len(slack_api.calls_to("views.update"))
    answer = await slack.post_payload(_modal_click(slack, BOB, again, "Trek in"))
    assert answer.status == 200
    await slack_api.wait_for(
        lambda _calls: "Een leerling liep weg." not in slack.card().text_of_blocks(),
        what="the withdrawn case off the card",
    )
    calls = await slack_api.wait_for(
        lambda calls: len([c for c in calls if c.method == "views.update"]) > before,
        what="the modal shown again without the case",
    )
    updated = [c for c in calls if c.method == "views.update"][-1]
    assert "Een leerling liep weg." not in updated.text_of_blocks()
    told = await slack_api.wait_for(
        lambda calls: any(
            c.method == "chat.postEphemeral" and "Ingetrokken" in c.text_of_blocks() for c in calls
        ),
        what="the withdrawn text back to Bob",
    )
    back = next(
        c for c in told if c.method == "chat.postEphemeral" and "Ingetrokken" in c.text_of_blocks()
    )
    assert back.args["user"] == BOB.id and "Een leerling liep weg." in back.text_of_blocks()
    assert not _round_state(slack_runtime).items


async def test_the_cards_stop_asks_first_and_the_stopped_round_posts_its_summary(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await collecting(slack)
    view = await slack.modal(BOB, "Schrijf")
    await slack.submit(BOB, view, {"Jouw bijdrage": "Een leerling liep weg."})
    await card_shows(slack, "Een leerling liep weg.")
    await slack.click(ANN, "Stoppen")
    asked = await private_answer(slack, "Ja, stop de ronde")
    assert "Wil je echt stoppen?" in asked.text_of_blocks()
    assert _round_state(slack_runtime).active, "asking changed nothing"
    await slack.click(ANN, "Ja, stop de ronde", on=asked)
    posted = await slack_api.wait_for(
        lambda calls: any("Samenvatting" in c.text_of_blocks() for c in calls),
        what="the summary of what there is",
    )
    summary = next(c for c in posted if "Samenvatting" in c.text_of_blocks())
    assert "Een leerling liep weg." in summary.text_of_blocks()
    assert summary.args.get("thread_ts"), "in the round's thread"


async def test_next_step_without_cases_asks_first_and_the_facilitator_can_go_back(
    slack: Slack, slack_api: FakeSlack
) -> None:
    await collecting(slack)
    await slack.click(ANN, "Volgende stap")
    asked = await private_answer(slack, "Toch volgende stap")
    assert "bouwt daarop voort" in asked.text_of_blocks()
    assert "Incidenten inbrengen" in slack.card().text_of_blocks(), "asking changed nothing"
    await slack.click(ANN, "Toch volgende stap", on=asked)
    await card_shows(slack, "Incident kiezen")
    await slack.click(ANN, "Vorige stap")
    await card_shows(slack, "Stap 2 van")
    assert "Incidenten inbrengen" in slack.card().text_of_blocks()
    said = await slack_api.wait_for(
        lambda calls: any("ging terug naar stap 2" in c.text_of_blocks() for c in calls),
        what="the notice in the thread",
    )
    notice = next(c for c in said if "ging terug naar stap 2" in c.text_of_blocks())
    assert notice.args.get("thread_ts")
