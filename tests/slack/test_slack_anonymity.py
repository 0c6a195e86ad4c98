"""Slack: a vote over anonymous incidents asks the winner's author in a direct message
before anyone learns whose it is; a no stays between them and the bot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

import storage
from bot.runtime import Runtime
from tests.anonymous import BOBS, CASS, PROTOCOL, beside, propose, school_folder, vote
from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.driver import ANN, BOB, CAS, Slack
from tests.slack.flows import card_shows


@pytest.fixture
def protocols_dir(tmp_path: Path) -> str:
    return str(school_folder(tmp_path))


def _dms_to(api: FakeSlack, user: str) -> list[Call]:
    return [
        c for c in api.calls if c.method == "chat.postMessage" and c.args["channel"] == "D" + user
    ]


def _asked(api: FakeSlack, user: str) -> Call | None:
    return next(
        (c for c in _dms_to(api, user) if "Wil je hem inbrengen?" in c.text_of_blocks()), None
    )


def _deletes(call: Call) -> bool:
    return call.method == "response_url" and bool(call.args.get("delete_original"))


def _parts_for_others(api: FakeSlack, author: str, clicks: set[str]) -> list[object]:
    """Every block and fallback text that went to anyone but the author: posts and
    updates in the channel and others' DMs, and the answers to others' clicks."""
    parts: list[object] = []
    for call in api.calls:
        if call.args.get("channel") == "D" + author or call.args.get("key") in clicks:
            continue
        parts += call.blocks()
        parts.append(call.args.get("text", ""))
        if "view" in call.args:
            parts.append(call.args["view"])
    return parts


async def test_the_winner_is_asked_in_a_dm_and_a_no_never_reaches_the_channel(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime
) -> None:
    assert (await slack.command(ANN, f"start {PROTOCOL}")).status == 200
    await card_shows(slack, "Anonieme incidentmethode")
    for person in (BOB, CAS):
        await slack.click(person, "Meedoen")
        await card_shows(slack, person.name)
    await slack.click(ANN, "Start de eerste stap")
    await card_shows(slack, "Spelregels")
    await slack.click(ANN, "Volgende stap")
    await card_shows(slack, "Incidenten inbrengen")
    with slack_runtime.sessions() as session:
        round_id = session.scalars(select(storage.Round.id)).one()
    service = slack_runtime.service
    propose(service, round_id, BOB.id, CAS.id)
    await card_shows(slack, CASS)
    await slack.click(ANN, "Volgende stap")
    await card_shows(slack, "Incident kiezen")
    vote(service, round_id, (ANN.id, BOB.id, CAS.id), CAS.id)
    await card_shows(slack, "2 stem")

    await slack.click(ANN, "Volgende stap")
    card = await card_shows(slack, "We vragen de schrijver privé")
    assert "Niet langer wachten" in json.dumps(card.blocks())
    assert "Volgende stap" not in json.dumps(card.blocks())
    await slack_api.wait_for(lambda _c: _asked(slack_api, BOB.id) is not None, what="Bob's DM")
    asked = _asked(slack_api, BOB.id)
    assert asked is not None and BOBS in asked.text_of_blocks()
    assert _asked(slack_api, CAS.id) is None and _asked(slack_api, ANN.id) is None

    # Bob says no in his DM: the question goes, he is told it stays between us.
    answer = await slack.click(BOB, "Liever niet", on=asked)
    assert answer.status == 200
    calls = await slack_api.wait_for(
        lambda calls: any(_deletes(c) for c in calls), what="Bob's question taken away"
    )
    bobs_click = str(next(c for c in calls if _deletes(c)).args["key"])
    await slack_api.wait_for(
        lambda calls: any(
            c.args.get("key") == bobs_click and "niemand hoort" in json.dumps(c.args) for c in calls
        ),
        what="Bob told privately that nobody hears it",
    )
    await slack_api.wait_for(lambda _c: _asked(slack_api, CAS.id) is not None, what="Cas's DM")
    await slack_api.wait_for(
        lambda calls: any(
            c.method == "chat.postMessage"
            and c.args.get("thread_ts")
            and f"De casus _{BOBS}_ wordt vandaag niet ingebracht" in c.text_of_blocks()
            for c in calls
        ),
        what="the thread told that the case is not brought",
    )

    # Cas says yes: she is the case owner, and the round moves on.
    cass = _asked(slack_api, CAS.id)
    assert cass is not None and CASS in cass.text_of_blocks()
    assert (await slack.click(CAS, "Ja, ik word inbrenger", on=cass)).status == 200
    card = await card_shows(slack, "De situatie schetsen")
    assert "cas" in json.dumps([b for b in card.blocks() if "Inbrenger" in json.dumps(b)])
    await slack_api.settle()

    # Nowhere but in Bob's own DM (and his click's answers) is his incident beside him.
    others = _parts_for_others(slack_api, BOB.id, {bobs_click})
    assert any(BOBS in json.dumps(p, ensure_ascii=False) for p in others), "it was shown"
    assert beside(others, BOBS, BOB.id, BOB.name) == []
