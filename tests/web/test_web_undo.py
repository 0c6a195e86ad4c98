"""Undo and confirmation through the web chat's HTTP endpoints: a colleague changes
and withdraws their own case, the facilitator is asked before an empty vote and
before stopping, goes back a step, and a stopped round posts what there is."""

from __future__ import annotations

from typing import Any

from bot.engine.vocabulary import Action
from tests.web.conftest import ANN, BOB, CAS, WebChat, buttons, card_of, texts
from tests.web.flows import collecting


def _button(message: dict[str, Any], action: str) -> dict[str, Any]:
    return next(b for b in buttons(message) if b["action"] == action)


async def test_a_colleague_changes_and_withdraws_their_own_case(web: WebChat) -> None:
    round_id = await collecting(web, CAS)
    sent = await web.click(
        BOB, "contribute", "propose", {"text": "Een leerling loopt weg."}, round_id=round_id
    )
    assert sent["accepted"]
    saved = sent["messages"][0]
    change = _button(saved, "open_form")
    assert change["label"] == "Wijzig"
    form = (await web.click(BOB, "open_form", change["value"], round_id=round_id))["form"]
    edit = next(b for b in form["blocks"] if b["kind"] == "form")
    assert edit["title"] == "Je bijdrage wijzigen"
    assert edit["inputs"][0]["initial"] == "Een leerling loopt weg."
    # Cas cannot open Bob's edit form, nor change his text.
    other = await web.click(CAS, "open_form", change["value"], round_id=round_id)
    assert other["form"] is None
    forged = await web.click(CAS, "edit", edit["value"], {"text": "Van Cas"}, round_id=round_id)
    assert not forged["accepted"] and forged["error_code"] == "not_your_item"

    changed = await web.click(
        BOB, "edit", edit["value"], {"text": "Een leerling loopt de les uit."}, round_id=round_id
    )
    assert changed["accepted"], changed["messages"]
    await web.settled()
    shown = str(card_of(await web.timeline(CAS))["message"])
    assert "Een leerling loopt de les uit." in shown and "Een leerling loopt weg." not in shown
    assert "gewijzigd" in shown

    withdrawn = await web.click(BOB, "withdraw", edit["value"], round_id=round_id)
    assert withdrawn["accepted"]
    said = " ".join(withdrawn["messages"][0]["blocks"][1]["items"][0]["text"].split())
    assert said == "Een leerling loopt de les uit.", "the withdrawn text goes back to its author"
    await web.settled()
    card = card_of(await web.timeline(CAS))["message"]
    assert "Een leerling loopt de les uit." not in str(card)


async def test_next_step_with_no_cases_asks_first_and_the_answer_carries_the_confirmation(
    web: WebChat,
) -> None:
    round_id = await collecting(web, CAS)
    card = card_of(await web.timeline(ANN))["message"]
    asked = await web.click(ANN, "advance", _button(card, "advance")["value"], round_id=round_id)
    assert not asked["accepted"] and asked["error_code"] == "confirm_advance"
    assert "Toch verder" not in asked["messages"][0]["text"]
    assert "bouwt daarop voort" in asked["messages"][0]["text"]
    anyway = _button(asked["messages"][0], "advance")
    assert anyway["label"] == "Toch volgende stap"
    await web.settled()
    still = card_of(await web.timeline(ANN))["message"]
    assert "Incidenten inbrengen" in still["text"], "asking changed nothing"
    moved = await web.click(ANN, "advance", anyway["value"], round_id=round_id)
    assert moved["accepted"], moved["messages"]
    await web.settled()
    card = card_of(await web.timeline(ANN))["message"]
    assert "Incidenten inbrengen" not in card["text"]

    # And back again: the previous step runs once more.
    back = _button(card, "back")
    assert back["label"] == "Vorige stap"
    assert (await web.click(ANN, "back", back["value"], round_id=round_id))["accepted"]
    await web.settled()
    timeline = await web.timeline(CAS)
    assert "Incidenten inbrengen" in card_of(timeline)["message"]["text"]
    assert any("ging terug naar stap 2" in t for t in texts(timeline))
    refused = await web.click(BOB, "back", "propose", round_id=round_id)
    assert not refused["accepted"] and refused["error_code"] == "only_facilitator"


async def test_the_cards_stop_asks_first_and_the_stopped_round_posts_its_summary(
    web: WebChat,
) -> None:
    round_id = await collecting(web, CAS)
    await web.click(BOB, "contribute", "propose", {"text": "Mijn casus."}, round_id=round_id)
    card = card_of(await web.timeline(ANN))["message"]
    asked = await web.click(ANN, "cancel", _button(card, "cancel")["value"], round_id=round_id)
    assert not asked["accepted"] and asked["error_code"] == "confirm_cancel"
    sure = _button(asked["messages"][0], "cancel")
    assert sure["label"] == "Ja, stop de ronde"
    stopped = await web.click(ANN, "cancel", sure["value"], round_id=round_id)
    assert stopped["accepted"]
    await web.settled()
    shown = texts(await web.timeline(CAS))
    assert any("Ann heeft de ronde gestopt. Hieronder" in t for t in shown)
    summary = next(t for t in shown if t.startswith("Samenvatting"))
    assert "Mijn casus." in summary


async def test_a_typed_stop_stops_at_once_with_the_summary(web: WebChat) -> None:
    round_id = await collecting(web, CAS)
    await web.click(BOB, "contribute", "propose", {"text": "Mijn casus."}, round_id=round_id)
    stopped = await web.say(ANN, "/dialoog stop")
    assert stopped["accepted"]
    await web.settled()
    shown = texts(await web.timeline(BOB))
    assert any(t.startswith("Samenvatting") and "Mijn casus." in t for t in shown)


async def test_a_changed_text_that_names_a_pupil_is_held_and_asked_about_first(
    web: WebChat,
) -> None:
    round_id = await collecting(web, CAS)
    sent = await web.click(BOB, "contribute", "propose", {"text": "Een ruzie."}, round_id=round_id)
    item = _button(sent["messages"][0], "withdraw")["value"]
    changed = await web.click(
        BOB, "edit", item, {"text": "Daan de Vries begon een ruzie."}, round_id=round_id
    )
    assert changed["accepted"] and changed["private"], "the guard asks Bob first"
    card = card_of(await web.timeline(CAS))["message"]
    assert "Daan" not in str(card) and "Een ruzie." in str(card)
    ask = changed["messages"][0]
    replace = next(b for b in buttons(ask) if b["action"] == Action.GUARD_REPLACE)
    assert (await web.click(BOB, Action.GUARD_REPLACE, replace["value"], round_id=round_id))[
        "accepted"
    ]
    await web.settled()
    card = card_of(await web.timeline(CAS))["message"]
    assert "leerling A begon een ruzie." in str(card) and "Daan" not in str(card)
