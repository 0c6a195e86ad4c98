"""The pupil-name guard in Slack: a contribution that names a pupil is asked about
privately (ephemeral, with buttons); "Gebruik leerling A" posts it without the name.
Signed requests to the real Bolt app; the Web API is the fake."""

from __future__ import annotations

import logging

import pytest

from bot.runtime import Runtime
from bot.service.places import Place
from tests.fakes.slack_api import TEAM, Call, FakeSlack
from tests.slack.driver import ANN, BOB, CAS, CHANNEL, Slack, User, card_ts
from tests.slack.flows import card_shows, collecting
from tests.slack.limits import problems_in_message
from tests.stored import held, stored

PUPIL = "Daan de Vries"
BSN = "628194821"


def questions_to(api: FakeSlack, user: User) -> list[Call]:
    return [
        c
        for c in api.calls_to("chat.postEphemeral")
        if c.args["user"] == user.id and "van een leerling" in c.text_of_blocks()
    ]


async def question_for(api: FakeSlack, user: User, count: int = 1) -> Call:
    calls = await api.wait_for(
        lambda _calls: len(questions_to(api, user)) >= count, what=f"the guard's question to {user}"
    )
    assert calls
    return questions_to(api, user)[count - 1]


async def test_a_round_in_slack_asks_about_a_named_pupil_and_posts_leerling_a(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await collecting(slack, CAS)

    # Bob writes a case in the modal that names a pupil in full.
    view = await slack.modal(BOB, "Schrijf")
    text = f"{PUPIL} sloeg een klasgenoot; ik wist niet of ik Daan apart moest nemen."
    answer = await slack.submit(BOB, view, {"Jouw bijdrage": text})
    assert answer.status == 200
    question = await question_for(slack_api, BOB)
    assert question.args["channel"] == slack.channel
    assert "Met leerling A wordt het" in question.text_of_blocks()
    assert "leerling A sloeg een klasgenoot" in question.text_of_blocks()
    # Nobody else was asked or shown anything; the round has no trace of it yet.
    await slack_api.settle()
    assert all(c.args["user"] == BOB.id for c in slack_api.calls_to("chat.postEphemeral"))
    assert "Daan" not in slack.card().text_of_blocks()
    assert "Daan" not in stored(slack_runtime) and held(slack_runtime) == 1

    # One click on the private question: posted as "leerling A", the question goes away.
    assert (await slack.click(BOB, "Gebruik leerling A", on=question)).status == 200
    card = await card_shows(slack, "leerling A sloeg een klasgenoot")
    assert "Daan" not in card.text_of_blocks()
    await slack_api.wait_for(
        lambda calls: any(
            c.method == "response_url" and c.args.get("delete_original") for c in calls
        ),
        what="the question taken away",
    )
    assert held(slack_runtime) == 0

    # Cas replies in the thread with a BSN and changes it in the modal the question opens.
    assert (await slack.reply_in_thread(CAS, f"Leerling met BSN {BSN} liep weg.")).status == 200
    asked = await question_for(slack_api, CAS)
    assert asked.args.get("thread_ts") == card_ts(slack_api)
    assert "een BSN van een leerling" in asked.text_of_blocks()
    assert "nog wel in de draad" in asked.text_of_blocks()
    assert "in de draad" not in question.text_of_blocks()
    form = await slack.modal(CAS, "Zelf aanpassen", on=asked)
    (initial,) = [
        b["element"]["initial_value"] for b in form.args["view"]["blocks"] if b["type"] == "input"
    ]
    assert initial == f"Leerling met BSN {BSN} liep weg."
    answer = await slack.submit(CAS, form, {"Je bijdrage": "Een leerling liep weg uit de les."})
    assert answer.status == 200
    await card_shows(slack, "Een leerling liep weg uit de les.")
    assert BSN not in stored(slack_runtime) and held(slack_runtime) == 0

    # The round goes on, step by step, to its summary: with leerling A, without Daan.
    asked_questions = answered = False
    for _ in range(30):
        if "Afgerond" in slack.card().text_of_blocks():
            break
        before = slack.card().text_of_blocks()
        if "Vragen opschrijven" in before and not asked_questions:
            owner = _case_owner(slack_runtime)
            for person in [p for p in (ANN, BOB, CAS) if p != owner]:
                view = await slack.modal(person, "Schrijf")
                await slack.submit(person, view, {"Jouw vraag": f"Wat zei {person.name}?"})
            await card_shows(slack, "2 bijdragen")
            asked_questions = True
            before = slack.card().text_of_blocks()
        if "Informatieronde" in before and not answered:
            # The case owner answers both questions in one modal, naming the pupil in
            # each: two questions come back, and leerling A is taken for both.
            owner = _case_owner(slack_runtime)
            before_count = len(questions_to(slack_api, owner))
            view = await slack.modal(owner, "Beantwoord")
            answers = ["Daan zat achterin.", "Daan Smit zei niets."]
            # Each answer is labelled by its question ("Wat zei Ann?", ...).
            await slack.submit(owner, view, {"Wat zei": answers})
            first = await question_for(slack_api, owner, before_count + 1)
            second = await question_for(slack_api, owner, before_count + 2)
            for asked_owner in (first, second):
                await slack.click(owner, "Gebruik leerling A", on=asked_owner)
            await card_shows(slack, "leerling A zat achterin.")
            await card_shows(slack, "leerling A zei niets.")
            answered = True
            before = slack.card().text_of_blocks()
        label = next(
            label
            for label in ("Rond af", "Klaar, volgende", "Volgende stap")
            if label in _buttons(slack.card())
        )
        confirming = len(_confirmations(slack_api))
        assert (await slack.click(ANN, label)).status == 200
        await slack_api.wait_for(
            lambda _calls, before=before, n=confirming: (
                slack.card().text_of_blocks() != before or len(_confirmations(slack_api)) > n
            ),
            what=f"the card to move on after {label!r}",
        )
        if len(_confirmations(slack_api)) > confirming:
            # Past a step left empty: the facilitator confirms, as asked.
            await slack.click(ANN, "Toch volgende stap", on=_confirmations(slack_api)[-1])
            await slack_api.wait_for(
                lambda _calls, before=before: slack.card().text_of_blocks() != before,
                what="the card to move on after confirming",
            )
    summary = await slack_api.wait_for(
        lambda calls: any("Samenvatting" in c.text_of_blocks() for c in calls),
        what="the summary",
    )
    text_of_summary = next(c for c in summary if "Samenvatting" in c.text_of_blocks())
    assert "leerling A sloeg een klasgenoot" in text_of_summary.text_of_blocks()
    assert "Daan" not in text_of_summary.text_of_blocks()
    assert answered and "leerling A zei niets." in text_of_summary.text_of_blocks()
    await slack_api.settle()
    for call in (question, asked):
        assert problems_in_message(call.blocks()) == []
    for word in ("Daan", "Vries", BSN):
        assert word not in caplog.text
        assert word not in stored(slack_runtime)


def _case_owner(runtime: Runtime) -> User:
    info = runtime.service.active_round(Place("slack", TEAM, CHANNEL))
    assert info is not None and info.state.case_owner is not None
    return next(p for p in (ANN, BOB, CAS) if p.id == info.state.case_owner)


def _buttons(call: Call) -> list[str]:
    return [
        element.get("text", {}).get("text", "")
        for block in call.blocks()
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]


def _confirmations(api: FakeSlack) -> list[Call]:
    """Private answers that ask the facilitator to confirm moving on."""
    return [
        c for c in api.calls if c.method == "response_url" and "Toch volgende stap" in str(c.args)
    ]
