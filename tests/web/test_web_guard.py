"""The pupil-name guard in the web chat: a contribution that names a pupil waits,
privately, for its author's choice; "leerling A" replaces the name in one click."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.web.chatroom import place
from bot.config import Settings
from bot.engine.vocabulary import Action
from bot.runtime import build_runtime
from bot.service.places import Person
from storage.models import OutboxMessage, PendingContribution, RoundEvent, WebMessage
from tests.web.conftest import ANN, BOB, CAS, WebChat, buttons
from tests.web.flows import collecting

PUPIL = "Daan de Vries"
BSN = "628194821"


async def at_the_proposals(web: WebChat) -> str:
    """A round of the incident method at its first collect step (everyone proposes)."""
    return await collecting(web, CAS)


def stored_everywhere(web: WebChat) -> str:
    """Every event, outbox message and web chat message, as one text."""
    with web.runtime.sessions() as session:
        rows: list[Any] = [e.payload for e in session.scalars(select(RoundEvent))]
        rows += [m.payload for m in session.scalars(select(OutboxMessage))]
        rows += [m.payload for m in session.scalars(select(WebMessage))]
    return json.dumps(rows, ensure_ascii=False)


def pending(web: WebChat) -> list[PendingContribution]:
    with web.runtime.sessions() as session:
        return list(session.scalars(select(PendingContribution)))


def question_buttons(reply: dict[str, Any]) -> dict[str, str]:
    (message,) = reply["messages"]
    return {b["action"]: b["value"] for b in buttons(message)}


def items(web: WebChat, round_id: str) -> list[str]:
    state = web.runtime.service.round(round_id)
    assert state is not None
    return [item.text for item in state.items]


async def test_a_named_pupil_waits_for_the_author_and_becomes_leerling_a(web: WebChat) -> None:
    round_id = await at_the_proposals(web)
    events_before, _ = web.counts()

    text = f"{PUPIL} gooide een stoel om toen ik hem aansprak; daarna lachte Daan."
    reply = await web.click(BOB, "contribute", "propose", {"text": text}, round_id=round_id)

    # Asked privately, in the team's language; nothing reached the round or the others.
    assert reply["accepted"]
    (question,) = reply["messages"]
    assert question["audience"] == BOB
    assert "naam van een leerling" in question["text"]
    proposal = next(b for b in question["blocks"] if b["kind"] == "item_list")
    assert proposal["items"][0]["text"] == (
        "leerling A gooide een stoel om toen ik hem aansprak; daarna lachte leerling A."
    )
    choices = question_buttons(reply)
    assert set(choices) == {Action.GUARD_REPLACE, Action.GUARD_EDIT, Action.GUARD_POST}
    assert web.counts()[0] == events_before
    assert PUPIL not in stored_everywhere(web)
    assert PUPIL not in json.dumps(await web.timeline(ANN))
    (held,) = pending(web)
    assert held.user_id == BOB and held.text == text

    # One click: the contribution joins the round with the pupil as "leerling A".
    chosen = await web.click(
        BOB, Action.GUARD_REPLACE, choices[Action.GUARD_REPLACE], round_id=round_id
    )
    assert chosen["accepted"] and chosen["messages"][0]["text"] == "Opgeslagen."
    assert chosen["settles"], "the page takes the answered question away"
    assert items(web, round_id) == [
        "leerling A gooide een stoel om toen ik hem aansprak; daarna lachte leerling A."
    ]
    assert pending(web) == []
    assert "Daan" not in stored_everywhere(web)
    assert "leerling A gooide" in json.dumps(await web.timeline(ANN))

    # The same button again (a double click): nothing doubles, the author hears why.
    again = await web.click(
        BOB, Action.GUARD_REPLACE, choices[Action.GUARD_REPLACE], round_id=round_id
    )
    assert not again["accepted"] and again["error_code"] == "held_gone"
    assert not again["settles"]
    assert len(items(web, round_id)) == 1


async def test_a_thread_line_with_a_bsn_stays_out_of_the_channel_until_changed(
    web: WebChat,
) -> None:
    round_id = await at_the_proposals(web)
    said = await web.say(CAS, f"Een leerling met BSN {BSN} werd thuis opgesloten.")
    assert not said["posted"]
    choices = question_buttons(said)
    assert "BSN" in said["messages"][0]["text"]
    assert BSN not in stored_everywhere(web)

    # Cas changes it: the form holds what Cas wrote, ready to edit.
    opened = await web.click(CAS, Action.GUARD_EDIT, choices[Action.GUARD_EDIT], round_id=round_id)
    (form,) = [b for b in opened["form"]["blocks"] if b["kind"] == "form"]
    assert form["action"] == Action.GUARD_REWRITE
    assert form["inputs"][0]["initial"] == f"Een leerling met BSN {BSN} werd thuis opgesloten."

    # Still a BSN in it: asked again. Without: saved as written.
    still = await web.click(
        CAS,
        Action.GUARD_REWRITE,
        form["value"],
        {"text": f"Nummer {BSN} werd opgesloten."},
        round_id,
    )
    again = question_buttons(still)
    assert items(web, round_id) == [] and len(pending(web)) == 1
    fixed = await web.click(
        CAS,
        Action.GUARD_REWRITE,
        again[Action.GUARD_EDIT],
        {"text": "Een leerling werd thuis opgesloten."},
        round_id,
    )
    assert fixed["accepted"]
    assert items(web, round_id) == ["Een leerling werd thuis opgesloten."]
    assert pending(web) == [] and BSN not in stored_everywhere(web)


async def test_the_author_may_post_it_anyway_and_only_the_author(web: WebChat) -> None:
    round_id = await at_the_proposals(web)
    text = "Emma is sinds de zomer stil; ik zie haar weinig lachen."
    choices = question_buttons(
        await web.click(BOB, "contribute", "propose", {"text": text}, round_id=round_id)
    )

    # Ann cannot choose for Bob, nor see what he wrote.
    for action in (Action.GUARD_POST, Action.GUARD_REPLACE, Action.GUARD_EDIT):
        other = await web.click(ANN, action, choices[action], round_id=round_id)
        assert not other["accepted"] and other["error_code"] == "held_gone"
        assert "Emma" not in json.dumps(other)
    assert items(web, round_id) == []

    posted = await web.click(BOB, Action.GUARD_POST, choices[Action.GUARD_POST], round_id=round_id)
    assert posted["accepted"]
    assert items(web, round_id) == [text]


async def test_a_held_contribution_survives_a_restart(web: WebChat, database_url: str) -> None:
    round_id = await at_the_proposals(web)
    text = "Mohamed zit al weken alleen in de pauze."
    choices = question_buttons(
        await web.click(BOB, "contribute", "propose", {"text": text}, round_id=round_id)
    )
    # Another process on the same database (the first one crashed) takes the choice.
    settings = Settings(DIALOOG_DATABASE_URL=database_url, DIALOOG_WEB_CHAT="on")
    again = build_runtime(settings, clock=web.runtime.clock, migrate=False)
    try:
        reply = again.chat.click(
            place("team"),
            Person(BOB, "Bob"),
            Action.GUARD_REPLACE,
            choices[Action.GUARD_REPLACE],
            {},
            round_id=round_id,
        )
        assert reply.accepted
    finally:
        again.engine.dispose()
    assert items(web, round_id) == ["leerling A zit al weken alleen in de pauze."]


async def test_no_word_the_guard_found_reaches_the_log(
    web: WebChat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    round_id = await at_the_proposals(web)
    contribution = f"Sanne Bakker (BSN {BSN}, mail sanne.b@gmail.com, 06-12345678) huilde."
    choices = question_buttons(
        await web.click(BOB, "contribute", "propose", {"text": contribution}, round_id=round_id)
    )
    line = question_buttons(await web.say(CAS, "Ik zag Noor na de les huilen."))
    opened = await web.click(CAS, Action.GUARD_EDIT, line[Action.GUARD_EDIT], round_id=round_id)
    value = opened["form"]["blocks"][0]["value"]
    await web.click(CAS, Action.GUARD_REWRITE, value, {"text": "Noor van Dam huilde."}, round_id)
    await web.click(BOB, Action.GUARD_REPLACE, choices[Action.GUARD_REPLACE], round_id=round_id)
    await web.settled()

    assert any("guard: held a contribution" in r.getMessage() for r in caplog.records)
    for word in ("Sanne", "Bakker", BSN, "sanne.b@gmail.com", "06-12345678", "Noor", "Dam"):
        assert word not in caplog.text, word
        for record in caplog.records:
            assert word not in str(record.args), record.name
