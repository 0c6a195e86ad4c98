"""The pupil-name guard in Teams: a contribution that names a pupil is asked about
in the author's personal chat (a card with three buttons), never in the channel's
thread; "Gebruik leerling A" adds it without the name. Activities go to the real
/api/messages; what the bot sends lands on the fake Bot Connector."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.engine.actions import CONFIRMED
from bot.engine.vocabulary import Action
from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector, Posted, buttons_of, texts_of
from tests.stored import held, stored
from tests.teams.flows import Round, collecting
from tests.teams.traffic import ANN, BOB, CAS, Colleague, Teams

PUPIL = "Daan Willems"
BSN = "628194821"


def question_to(game: Round, who: Colleague) -> Posted:
    asked = [p for p in game.personal(who) if _is_question(p.activity)]
    assert asked, f"no question in {who.name}'s personal chat"
    return asked[-1]


def _confirmations(connector: FakeConnector) -> list[Posted]:
    """Posts that ask the facilitator to confirm moving on."""
    return [
        p
        for p in connector.posted
        if any(
            str(b["data"]["dialoog"]["value"]).endswith(f":{CONFIRMED}")
            for b in buttons_of(p.activity)
        )
    ]


def _is_question(activity: dict[str, Any]) -> bool:
    return any(b["data"]["dialoog"]["action"] == Action.GUARD_REPLACE for b in buttons_of(activity))


async def test_a_round_in_teams_asks_in_the_personal_chat_and_posts_leerling_a(
    teams: Teams, connector: FakeConnector, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    game = await collecting(teams, runtime, CAS)

    # Bob replies in the round's thread with a pupil's full name.
    text = f"{PUPIL} schopte tegen de deur toen ik hem aansprak."
    await game.send(teams.channel_message(BOB, text, thread=game.root, mention=False))
    question = question_to(game, BOB)
    shown = "\n".join(texts_of(question.activity))
    assert "een naam van een leerling" in shown
    assert "nog wel in de draad" in shown
    assert "leerling A schopte tegen de deur" in shown
    # Nothing of it in the channel: no question, no card change, nothing stored yet.
    for post in connector.in_conversation(game.thread):
        assert not _is_question(post.activity)
    assert "schopte" not in "\n".join(texts_of(game.card()))
    assert "Daan" not in stored(runtime) and held(runtime) == 1

    # One click in the personal chat: the card shows it with "leerling A".
    await game.press(BOB, Action.GUARD_REPLACE, on=question)
    assert "leerling A schopte tegen de deur toen ik hem aansprak." in texts_of(game.card())
    # The question became its answer: no buttons left to press twice.
    assert texts_of(connector.current(question.id)) == ["Opgeslagen."]
    assert buttons_of(connector.current(question.id)) == []
    assert held(runtime) == 0

    # Cas writes in the form (in her personal chat) and gives a BSN; she changes it.
    await game.press(CAS, "open_form")
    (form,) = [p for p in game.personal(CAS) if any(b["inputs"] for b in buttons_of(p.activity))]
    (submit,) = buttons_of(form.activity)
    field = submit["inputs"][0]["id"]
    wrote = f"Een leerling (BSN {BSN}) bleef in de gang staan."
    click = teams.click(
        CAS, submit, on=form.id, conversation=form.conversation, inputs={field: wrote}
    )
    await game.send(click)
    # The form card became the question (the same card, updated in place).
    assert _is_question(connector.current(form.id))
    assert "een BSN van een leerling" in "\n".join(texts_of(connector.current(form.id)))
    asked = Posted(form.conversation, form.id, connector.current(form.id))
    await game.press(CAS, Action.GUARD_EDIT, on=asked)
    (edit,) = [
        p
        for p in game.personal(CAS)
        if any(
            b["data"]["dialoog"]["action"] == Action.GUARD_REWRITE for b in buttons_of(p.activity)
        )
    ]
    (change,) = buttons_of(edit.activity)
    assert change["inputs"][0]["value"] == wrote
    await game.send(
        teams.click(
            CAS,
            change,
            on=edit.id,
            conversation=edit.conversation,
            inputs={change["inputs"][0]["id"]: "Een leerling bleef in de gang staan."},
        )
    )
    assert "Een leerling bleef in de gang staan." in texts_of(game.card())
    assert held(runtime) == 0 and BSN not in stored(runtime)

    # The round runs on to its summary, which has leerling A and no name.
    for _ in range(30):
        if not any(b["data"]["dialoog"]["action"] == "advance" for b in buttons_of(game.card())):
            break
        asked = len(_confirmations(connector))
        await game.press(ANN, "advance")
        if len(_confirmations(connector)) > asked:
            # Past a step left empty: the facilitator confirms, as asked.
            await game.press(ANN, "advance", on=_confirmations(connector)[-1])
    said = "\n".join(
        line for post in connector.in_conversation(game.thread) for line in texts_of(post.activity)
    )
    assert "Samenvatting: Incidentmethode" in said
    assert "leerling A schopte tegen de deur" in said
    for word in ("Daan", "Willems", BSN):
        assert word not in said
        assert word not in stored(runtime)
        assert word not in caplog.text
