"""A signed request can only act on rounds of its own workspace and channel.

Round ids are random, so this is defence in depth: a button or a modal that
names another workspace's round (a message another app posted with our
action ids, a copied payload) is refused, and that round does not change.
"""

from __future__ import annotations

import json

import pytest

from bot.engine import commands as cmd
from bot.runtime import Runtime
from bot.service import Person, Place
from tests.fakes.slack_api import FakeSlack
from tests.slack.driver import ANN, BOB, Slack, card_ts
from tests.slack.flows import collecting

ELSEWHERE = Place("slack", "T0OTHERSCHOOL", "C0OTHERTEAM", "andere-school")


def _round_elsewhere(runtime: Runtime, *, collecting: bool) -> str:
    """A round of another workspace that Ann (the same id) takes part in."""
    service = runtime.service
    outcome = service.start(ELSEWHERE, Person(ANN.id, ANN.name), "incident")
    assert outcome.accepted and outcome.round_id
    if collecting:
        for _ in range(2):  # past the ground rules, into the first collect step
            state = service.round(outcome.round_id)
            assert state is not None and (state.step is None or state.step.kind != "collect")
            service.handle(outcome.round_id, cmd.Advance(user=ANN.id))
    return outcome.round_id


async def test_a_click_naming_another_workspaces_round_changes_nothing(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    await collecting(slack)
    other = _round_elsewhere(slack_runtime, collecting=False)
    join = {"action_id": "dlg:join:0", "text": {"type": "plain_text", "text": "Meedoen"}}
    payload = slack.click_payload(
        BOB, join, f"dlg:{other}:0", message_ts=card_ts(slack_api), channel=slack.channel
    )
    answer = await slack.post_payload(payload)
    assert answer.status == 200
    await slack_api.wait_for(
        lambda calls: any(c.method == "response_url" for c in calls), what="Bob's answer"
    )
    state = slack_runtime.service.round(other)
    assert state is not None and BOB.id not in state.participants
    assert f"refused: round {other} does not belong to slack T0DIALOOG" in caplog.text


async def test_a_modal_naming_another_workspaces_round_posts_nothing_there(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    await collecting(slack)
    other = _round_elsewhere(slack_runtime, collecting=True)
    view = await slack.modal(ANN, "Schrijf")
    payload = slack.submit_payload(ANN, view, {"Jouw bijdrage": "Naar de verkeerde school."})
    meta = json.loads(payload["view"]["private_metadata"])
    meta.update(r=other, c=ELSEWHERE.channel)
    payload["view"]["private_metadata"] = json.dumps(meta)
    await slack_api.settle()  # the other round's own card is out
    before = len(slack_api.calls)
    answer = await slack.post_payload(payload)
    assert answer.status == 200
    # Refused in the modal itself, which stays open with Ann's text.
    assert json.loads(answer.text)["response_action"] == "errors"
    state = slack_runtime.service.round(other)
    assert state is not None and state.items == []
    # Nothing in that channel: no card update, no post, no private note.
    await slack_api.settle()
    there = [c for c in slack_api.calls[before:] if c.args.get("channel") == ELSEWHERE.channel]
    assert there == [], "the refusal shows in Ann's modal, nothing goes to that channel"
