"""The rules of a step hold for replies in a round's Slack thread as in its forms.

A gossip round through the real Bolt app: questions typed in the thread, advice
refused there privately, each question in a message of its own, the case owner's
thread replies tied to the questions (and answered in the summary), and the case
owner reminded that they only read along while the group gossips.
"""

from __future__ import annotations

from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.driver import ANN, BOB, CAS, Slack, User, card_ts
from tests.slack.flows import card_shows, next_step, reply


def _to(slack_api: FakeSlack, user: User) -> list[str]:
    return [
        c.text_of_blocks()
        for c in slack_api.calls
        if c.method == "chat.postEphemeral" and c.args["user"] == user.id
    ]


async def _told(slack_api: FakeSlack, user: User, words: str) -> str:
    calls = await slack_api.wait_for(
        lambda _calls: any(words in text for text in _to(slack_api, user)),
        what=f"a private note to {user.name} saying {words!r}",
    )
    assert calls
    return next(text for text in _to(slack_api, user) if words in text)


def _question_posts(slack_api: FakeSlack, ts: str) -> list[Call]:
    return [
        c
        for c in slack_api.calls
        if c.method == "chat.postMessage"
        and c.args.get("thread_ts") == ts
        and "van 2*" in c.text_of_blocks()
    ]


async def test_a_thread_answer_is_tied_to_its_question_and_shows_answered_in_the_summary(
    slack: Slack, slack_api: FakeSlack
) -> None:
    assert (await slack.command(ANN, "start gossip")).status == 200
    await card_shows(slack, "Roddelmethode")
    ts = card_ts(slack_api)
    for person in (BOB, CAS):
        await slack.click(person, "Meedoen")
        await card_shows(slack, person.name)
    await next_step(slack, "Spelregels", label="Start de eerste stap")
    await next_step(slack, "Casussen inbrengen")
    await reply(slack, BOB, "Mijn klas luistert niet na de pauze.")
    await card_shows(slack, "luistert niet na de pauze")
    await next_step(slack, "Casus kiezen")
    await next_step(slack, "De casus")
    await card_shows(slack, "Inbrenger*\nbob")
    await next_step(slack, "Vragen")

    # In the question round the thread holds the form's rule: advice is refused privately.
    await reply(slack, CAS, "Ik zou de ouders bellen.")
    await _told(slack_api, CAS, "stel alleen vragen")
    await reply(slack, CAS, "Heb je al eens geprobeerd de klas te splitsen?")
    await _told(slack_api, CAS, "advies in vraagvorm")
    await reply(slack, CAS, "Wat gebeurt er direct na de pauze?")
    await reply(slack, ANN, "Wie zijn er dan het onrustigst?")
    await card_shows(slack, "het onrustigst")
    assert "Ik zou de ouders bellen" not in slack.card().text_of_blocks()

    # Each question gets a message of its own in the thread; Bob's replies answer them.
    await next_step(slack, "Antwoorden")
    first = await slack_api.wait_for(
        lambda _calls: bool(_question_posts(slack_api, ts)), what="the first question's post"
    )
    assert first
    (posted,) = _question_posts(slack_api, ts)
    assert "Vraag 1 van 2" in posted.text_of_blocks()
    assert "Wat gebeurt er direct na de pauze?" in posted.text_of_blocks()
    assert posted.response is not None
    question_ts = posted.response["ts"]
    await reply(slack, CAS, "Ik zou ze apart zetten.")
    await _told(slack_api, CAS, "stel alleen vragen")
    await reply(slack, BOB, "Ze komen binnen en blijven staan praten.")
    await slack_api.wait_for(
        lambda calls: any(
            c.method == "chat.update"
            and c.args.get("ts") == question_ts
            and "Beantwoord" in c.text_of_blocks()
            for c in calls
        ),
        what="the first question's post to say it was answered",
    )
    await slack_api.wait_for(
        lambda _calls: any(
            "Vraag 2 van 2" in c.text_of_blocks() for c in _question_posts(slack_api, ts)
        ),
        what="the second question's post",
    )
    await reply(slack, BOB, "Twee jongens achterin.")
    await card_shows(slack, "Twee jongens achterin.")
    assert "Ze komen binnen en blijven staan praten." in slack.card().text_of_blocks()

    # While the group gossips, the case owner only reads along.
    await next_step(slack, "Je vraag, scherper")
    await next_step(slack, "Roddelen")
    await reply(slack, BOB, "Nee hoor, zo zit het niet.")
    reminder = await _told(slack_api, BOB, "lees jij alleen mee")
    assert "Roddelen" in reminder
    await reply(slack, CAS, "Ik denk dat hij het te veel alleen doet.")
    await card_shows(slack, "te veel alleen doet")
    assert "zo zit het niet" not in slack.card().text_of_blocks()

    for title in ("Wat raakte", "Reactie van de inbrenger", "Wat je gaat proberen", "Evaluatie"):
        await next_step(slack, title)
    assert (await slack.click(ANN, "Rond af")).status == 200
    calls = await slack_api.wait_for(
        lambda calls: any("Samenvatting: Roddelmethode" in c.text_of_blocks() for c in calls),
        what="the summary in the thread",
    )
    summary = next(c for c in calls if "Samenvatting: Roddelmethode" in c.text_of_blocks())
    text = summary.text_of_blocks()
    assert "Wat gebeurt er direct na de pauze?" in text
    assert "Ze komen binnen en blijven staan praten." in text
    assert "Twee jongens achterin." in text
    assert "niet beantwoord" not in text
    assert "zo zit het niet" not in text
