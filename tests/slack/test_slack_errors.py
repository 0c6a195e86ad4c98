"""When Slack says no, is slow or is busy: the person hears of it, nothing is lost or doubled."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import storage
from bot.channels.slack import clients
from bot.runtime import Runtime
from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.driver import ANN, BOB, CHANNEL, Slack
from tests.slack.flows import card_shows, collecting, started


def _outbox(runtime: Runtime) -> list[tuple[str, str | None, str | None]]:
    with runtime.sessions() as session:
        rows = session.scalars(select(storage.OutboxMessage).order_by(storage.OutboxMessage.id))
        return [(r.status, r.slot, r.last_error) for r in rows]


def _in_channel(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "chat.postMessage" and c.args["channel"] == CHANNEL]


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel"])
async def test_a_channel_slack_refuses_is_reported_to_the_facilitator_and_the_round_waits(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime, error: str
) -> None:
    # The bot was never invited to the channel.
    slack_api.fail("chat.postMessage", error, times=2, when=lambda a: a["channel"] == CHANNEL)
    await slack.command(ANN, "start incident")

    # Ann hears of it directly, in her language, with what to do.
    calls = await slack_api.wait_for(
        lambda calls: any(c.args.get("channel") == "D" + ANN.id for c in calls),
        what="a direct message to Ann",
    )
    told = next(c for c in calls if c.args.get("channel") == "D" + ANN.id)
    said = told.text_of_blocks()
    assert f"Ik kan niet posten in <#{CHANNEL}> (Slack meldt `{error}`)" in said
    assert "`/invite @dialoog`" in said
    await slack_api.settle()
    # Told once, though the card and the first thread message both failed.
    assert len([c for c in slack_api.calls if c.args.get("channel") == "D" + ANN.id]) == 1
    # The outbox knows what did not go out, and why.
    assert ("failed", "card", f"slack:{error}") in _outbox(slack_runtime)

    # Nothing was lost: once the bot is in, the round carries on where it was.
    await slack.command(ANN, "status")
    calls = await slack_api.wait_for(lambda calls: any(c.method == "response_url" for c in calls))
    status = next(c for c in calls if c.method == "response_url")
    assert "Incidentmethode" in status.text_of_blocks()
    await slack.click(BOB, "Meedoen", on=status)
    await card_shows(slack, "bob")
    tops = [c for c in _in_channel(slack_api.calls) if not c.args.get("thread_ts")]
    posted = [c for c in tops if c.response and c.response["ok"]]
    assert len(posted) == 1 and posted[0] is tops[-1]


async def test_an_archived_channel_is_reported_as_such(slack: Slack, slack_api: FakeSlack) -> None:
    slack_api.fail(
        "chat.postMessage", "is_archived", times=5, when=lambda a: a["channel"] == CHANNEL
    )
    await slack.command(ANN, "start incident")
    calls = await slack_api.wait_for(
        lambda calls: any(c.args.get("channel") == "D" + ANN.id for c in calls)
    )
    told = next(c for c in calls if c.args.get("channel") == "D" + ANN.id)
    assert "is gearchiveerd" in told.text_of_blocks()


async def test_a_rate_limited_post_is_retried_after_the_wait_slack_names(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    slack_api.fail("chat.postMessage", "ratelimited", retry_after=1)
    await slack.command(ANN, "start incident")
    await card_shows(slack, "Incidentmethode")
    await slack_api.settle()
    posts = _in_channel(slack_api.calls)
    first, second = posts[0], posts[1]
    assert first.response == {"ok": False, "error": "ratelimited"}
    assert second.response is not None and second.response["ok"]
    # slack-sdk waited as long as Slack asked before it tried again.
    assert second.at - first.at >= 1.0
    assert {status for status, _slot, _error in _outbox(slack_runtime)} == {"sent"}
    tops = [c for c in posts if not c.args.get("thread_ts") and c.response and c.response["ok"]]
    assert len(tops) == 1


async def test_slack_briefly_down_is_tried_again(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    slack_api.fail("chat.postMessage", "internal_error", status=503)
    await slack.command(ANN, "start incident")
    await card_shows(slack, "Incidentmethode")
    await slack_api.settle()
    assert {status for status, _slot, _error in _outbox(slack_runtime)} == {"sent"}


async def test_a_post_that_may_have_arrived_is_not_posted_again(
    slack: Slack,
    slack_api: FakeSlack,
    slack_runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await started(slack, BOB)
    await slack_api.settle()
    # Slack takes longer to answer than the app waits: the post went out, the answer did not come.
    monkeypatch.setattr(clients, "TIMEOUT", 1)
    slack_api.delay("chat.postMessage", 2.0)
    await slack.click(ANN, "Start de eerste stap")
    await card_shows(slack, "Spelregels")
    await slack_api.settle(quiet=2.5, timeout=20)
    statuses = _outbox(slack_runtime)
    assert ("uncertain", None, "slack:timeout") in statuses
    # The thread message that may have arrived was sent once, not again.
    notices = [c for c in _in_channel(slack_api.calls) if c.args.get("thread_ts")]
    texts = [c.args["text"] for c in notices]
    assert len(texts) == len(set(texts))


async def test_a_form_that_does_not_open_is_explained(slack: Slack, slack_api: FakeSlack) -> None:
    await started(slack, BOB)
    await slack.click(ANN, "Start de eerste stap")
    await card_shows(slack, "Spelregels")
    await slack.click(ANN, "Volgende stap")
    await card_shows(slack, "Incidenten inbrengen")
    slack_api.fail("views.open", "expired_trigger_id")
    await slack.click(BOB, "Schrijf")
    calls = await slack_api.wait_for(
        lambda calls: any(
            c.method == "response_url" and "expired_trigger_id" in c.text_of_blocks() for c in calls
        )
    )
    said = [c for c in calls if c.method == "response_url"][-1]
    assert "Klik nog eens op de knop." in said.text_of_blocks()


async def test_a_form_that_cannot_be_stored_stays_open_with_the_error_and_the_text(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await collecting(slack)
    view = await slack.modal(ANN, "Schrijf")
    text = "Een ouder belde boos op zondag."

    def database_gone(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("INSERT INTO round_events", {}, ConnectionError("gone"))

    with monkeypatch.context() as patched:
        patched.setattr(slack_runtime.service, "handle", database_gone)
        answer = await slack.submit(ANN, view, {"Jouw bijdrage": text})
    assert answer.status == 200
    kept_open = json.loads(answer.text)
    assert kept_open["response_action"] == "errors", "the modal stays open with Ann's text"
    inputs = [b["block_id"] for b in view.args["view"]["blocks"] if b["type"] == "input"]
    assert kept_open["errors"] == {
        inputs[0]: "Er ging iets mis bij het verwerken hiervan. Probeer het zo nog eens."
    }

    # Sent again from the same modal once the database is back: it is saved, once.
    assert (await slack.submit(ANN, view, {"Jouw bijdrage": text})).text == ""
    await card_shows(slack, text)
    state = slack_runtime.service.round(_round_id(slack_runtime))
    assert state is not None and [i.text for i in state.items] == [text]


def _round_id(runtime: Runtime) -> str:
    with runtime.sessions() as session:
        return str(session.scalars(select(storage.Round.id)).one())
