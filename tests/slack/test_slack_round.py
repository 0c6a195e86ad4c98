"""A whole incident-method round in a Slack channel, through the real Bolt app.

Three colleagues do what they would do in Slack: type the slash command,
click the card's buttons, fill in modals and reply in the round's thread.
Every request is signed as Slack signs it; what the app sends goes to a fake
Web API, and that is what the tests look at.
"""

from __future__ import annotations

import json

from sqlalchemy import select

import storage
from bot.runtime import Runtime
from tests.fakes.clock import ManualClock
from tests.fakes.slack_api import Call, FakeSlack
from tests.slack.driver import ANN, BOB, CAS, CHANNEL, Slack, User, card_ts
from tests.slack.flows import card_shows, next_step, reply
from tests.slack.limits import problems_in_message, problems_in_view

PEOPLE = (ANN, BOB, CAS)


def _card_updates(api: FakeSlack, ts: str) -> list[Call]:
    return [c for c in api.calls if c.method == "chat.update" and c.args.get("ts") == ts]


def _thread_posts(api: FakeSlack, ts: str) -> list[Call]:
    return [
        c for c in api.calls if c.method == "chat.postMessage" and c.args.get("thread_ts") == ts
    ]


def _direct(api: FakeSlack, user: User) -> list[Call]:
    return [
        c
        for c in api.calls
        if c.method == "chat.postMessage" and c.args["channel"] == "D" + user.id
    ]


async def _write(slack: Slack, user: User, answers: dict[str, object], button: str) -> None:
    view = await slack.modal(user, button)
    answer = await slack.submit(user, view, answers)
    assert answer.status == 200, answer.text


async def test_an_incident_round_is_played_in_a_channel_to_its_summary(
    slack: Slack, slack_api: FakeSlack, slack_runtime: Runtime, clock: ManualClock
) -> None:
    answer = await slack.command(ANN, "start incident")
    assert answer.status == 200 and answer.text == ""
    await card_shows(slack, "Incidentmethode")
    ts = card_ts(slack_api)

    for person in (BOB, CAS):
        await slack.click(person, "Meedoen")
        await card_shows(slack, person.name)
    await slack.click(CAS, "Ik ben tijdbewaker")
    await card_shows(slack, "Tijdbewaker*\ncas")
    await next_step(slack, "Spelregels", label="Start de eerste stap")
    for person in PEOPLE:
        await slack.click(person, "Gelezen")
    await card_shows(slack, "3 van 3")

    # Incidents: one in a modal, two as replies in the thread.
    await next_step(slack, "Incidenten inbrengen")
    await _write(slack, ANN, {"Jouw bijdrage": "Een ouder belde boos op zondag."}, "Schrijf")
    await reply(slack, BOB, "Een leerling liep weg uit de les & ik moest <meteen> kiezen.")
    await reply(slack, CAS, "Twee leerlingen kregen ruzie bij het groepswerk.")
    await card_shows(slack, "Twee leerlingen kregen ruzie")
    await card_shows(slack, "&amp; ik moest &lt;meteen&gt; kiezen")

    await next_step(slack, "Incident kiezen")
    for person in PEOPLE:
        await _write(slack, person, {"Jouw keuze": "Een leerling liep weg"}, "Stem")
    await card_shows(slack, "3 stemmen")

    # Bob's incident won: Bob is the case owner and sketches it in the thread.
    await next_step(slack, "De situatie schetsen")
    await card_shows(slack, "Inbrenger*\nbob")
    await reply(slack, BOB, "Het was vrijdag het laatste uur, de klas was onrustig.")
    await card_shows(slack, "vrijdag het laatste uur")

    # Questions stay hidden until the step ends: a thread reply is refused, privately.
    await next_step(slack, "Vragen opschrijven")
    await reply(slack, CAS, "Wat deed de rest van de klas?")

    def notes_in_thread(calls: list[Call]) -> list[Call]:
        return [
            c
            for c in calls
            if c.method == "chat.postEphemeral"
            and c.args["user"] == CAS.id
            and c.args.get("thread_ts") == ts
        ]

    calls = await slack_api.wait_for(
        lambda calls: bool(notes_in_thread(calls)), what="a private note to Cas"
    )
    note = notes_in_thread(calls)[-1]
    assert "via *Schrijf*" in note.text_of_blocks()
    # A question without a question mark is refused in the modal, which stays open
    # holding Cas's text.
    view = await slack.modal(CAS, "Schrijf")
    refused = await slack.submit(CAS, view, {"Jouw vraag": "Wat deed de rest van de klas"})
    kept_open = json.loads(refused.text)
    assert kept_open["response_action"] == "errors"
    [error] = kept_open["errors"].values()
    assert "stel alleen vragen (eindig met een vraagteken)" in error
    await _write(slack, CAS, {"Jouw vraag": "Wat deed de rest van de klas?"}, "Schrijf")
    await _write(slack, ANN, {"Jouw vraag": "Wat wist je van deze leerling?"}, "Schrijf")
    await card_shows(slack, "2 bijdragen")

    # The case owner answers every question in one modal.
    await next_step(slack, "Informatieronde")
    await _write(
        slack,
        BOB,
        # Each answer is labelled by its question.
        {
            "Wat deed de rest van de klas?": "Ze keken vooral toe.",
            "Wat wist je van deze leerling?": "Dat hij thuis problemen had.",
        },
        "Beantwoord",
    )
    await card_shows(slack, "Ze keken vooral toe.")

    # The second, optional question round: nobody has one.
    await next_step(slack, "Doorvragen")
    await next_step(slack, "Antwoorden op het doorvragen")

    await next_step(slack, "Analyse")
    await reply(slack, ANN, "De kern: wie bepaalt de grens in de klas?")
    await reply(slack, CAS, "Op het spel staat het vertrouwen van de klas.")
    await card_shows(slack, "vertrouwen van de klas")
    # The facilitator hears privately when the time is up.
    clock.advance(minutes=11)
    await slack_api.wait_for(lambda _calls: bool(_direct(slack_api, ANN)), what="a DM to Ann")

    await next_step(slack, "Samen één probleemstelling")
    await reply(slack, ANN, "Het probleem is dat de grens in de klas niet helder is.")
    await card_shows(slack, "niet helder is")
    await next_step(slack, "Klopt de probleemstelling?")
    await reply(slack, BOB, "Ja, dat klopt.")
    await card_shows(slack, "dat klopt")

    await next_step(slack, "Jouw standpunt")
    await _write(slack, ANN, {"Jouw bijdrage": "Ik was erachteraan gegaan."}, "Schrijf")
    await _write(slack, CAS, {"Jouw bijdrage": "Ik was in de klas gebleven."}, "Schrijf")
    await card_shows(slack, "2 bijdragen")

    await next_step(slack, "Standpunten toelichten")
    await reply(slack, ANN, "Ik ga er altijd achteraan, veiligheid eerst.")
    await card_shows(slack, "veiligheid eerst")
    await slack.click(ANN, "Klaar, volgende")
    # The click is worked on after its ack: Cas has the floor once the card says so.
    await card_shows(slack, "Aan de beurt: *cas*")
    await reply(slack, CAS, "De klas alleen laten vind ik riskanter.")
    await card_shows(slack, "riskanter")

    await next_step(slack, "Wat de inbrenger deed")
    await reply(slack, BOB, "Ik bleef in de klas en belde de conciërge.")
    await card_shows(slack, "belde de conciërge")

    await next_step(slack, "Nabespreking")
    for person, text in zip(
        PEOPLE,
        ("Slim, die conciërge.", "Ik twijfelde lang.", "Ik had dat niet bedacht."),
        strict=True,
    ):
        await reply(slack, person, text)
    await card_shows(slack, "Ik had dat niet bedacht.")

    await next_step(slack, "Wat de inbrenger meeneemt")
    await reply(slack, BOB, "Een vaste afspraak met de conciërge maken.")
    await card_shows(slack, "vaste afspraak")

    await next_step(slack, "Wat je gaat doen")
    await _write(
        slack,
        BOB,
        {
            "Wat ga je doen?": "Afspraak maken met de conciërge over weglopers.",
            "Wie doet het?": "bob",
            "Uiterlijk op": "2026-12-08",
        },
        "Actiepunt",
    )
    await card_shows(slack, "Afspraak maken met de conciërge")

    await next_step(slack, "Evaluatie")
    for person in PEOPLE:
        await _write(
            slack, person, {"Hoe was deze ronde?": "4", "Wat neem je mee?": "Eerst vragen."}, "Kijk"
        )
    await card_shows(slack, "3 van 3 keken terug")
    assert (await slack.click(ANN, "Rond af")).status == 200

    # The summary closes the thread.
    calls = await slack_api.wait_for(
        lambda calls: any(
            "Samenvatting" in c.text_of_blocks() for c in _thread_posts(slack_api, ts)
        ),
        what="the summary in the thread",
    )
    await slack_api.settle()
    summary = next(c for c in _thread_posts(slack_api, ts) if "Samenvatting" in c.text_of_blocks())
    for text in (
        "Een leerling liep weg",
        "Wat deed de rest van de klas?",
        "Ze keken vooral toe.",
        "Afspraak maken met de conciërge",
        "Eerst vragen.",
    ):
        assert text in summary.text_of_blocks(), text

    # The card was posted once, at the top of the channel, and updated in place after.
    tops = [
        c
        for c in calls
        if c.method == "chat.postMessage"
        and c.args["channel"] == CHANNEL
        and not c.args.get("thread_ts")
    ]
    assert len(tops) == 1
    assert len(_card_updates(slack_api, ts)) > 20
    assert "Afgerond" in slack.card().text_of_blocks()
    # Everything else for the channel went into the round's thread.
    assert all(
        c.args.get("thread_ts") == ts
        for c in calls
        if c.method == "chat.postMessage" and c.args["channel"] == CHANNEL and c is not tops[0]
    )
    # Everything the app sent keeps within Slack's limits.
    for call in slack_api.calls:
        if call.method == "views.open":
            assert problems_in_view(call.args["view"]) == [], call.args["view"]["title"]
        elif call.blocks():
            assert problems_in_message(call.blocks()) == [], call.method
    # Every outbox message reached Slack.
    with slack_runtime.sessions() as session:
        statuses = set(session.scalars(select(storage.OutboxMessage.status)))
    assert statuses == {"sent"}
