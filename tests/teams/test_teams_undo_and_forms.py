"""Forms that never lose typing, undo and confirmation, as Teams sends them to
/api/messages: a long text comes back in its form with the error; the saved
form offers to change and withdraw; the card's *Stoppen* asks first."""

from __future__ import annotations

from typing import Any

from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector, Posted, buttons_of, texts_of
from tests.teams.flows import THREAD, Round, collecting
from tests.teams.traffic import ANN, BOB, Teams, delivered


async def _bobs_form(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> tuple[Round, Posted]:
    game = await collecting(teams, runtime)
    await game.click(BOB, "Schrijf")
    chat = connector.personal_chat_of(BOB.teams_id)
    assert chat is not None
    return game, connector.in_conversation(chat)[-1]


async def test_a_text_too_long_comes_back_in_its_form_with_the_error_and_the_whole_text(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game, form = await _bobs_form(teams, connector, runtime)
    root = game.root
    [submit] = buttons_of(form.activity)
    long = "Twee leerlingen kregen ruzie. " * 170
    await delivered(
        teams,
        runtime,
        teams.click(BOB, submit, on=form.id, conversation=form.conversation, inputs={"text": long}),
    )
    again = connector.in_conversation(form.conversation)[-1]
    assert again.id != form.id, "the form again, as a new card"
    said = " ".join(texts_of(again.activity))
    assert f"({len(long.strip())} tekens)" in said and "3000" in said
    [text_input] = [
        e
        for e in _elements(again.activity)
        if e.get("type") == "Input.Text" and e.get("id") == "text"
    ]
    assert text_input["value"] == long, "nothing cut"
    assert "maxLength" not in text_input
    assert "Twee leerlingen kregen ruzie." not in " ".join(texts_of(connector.current(root)))


async def test_the_saved_form_offers_to_withdraw_and_the_withdrawn_text_comes_back(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game, form = await _bobs_form(teams, connector, runtime)
    root = game.root
    text = "Twee leerlingen kregen ruzie bij het groepswerk."
    await game.submit(BOB, form, {"text": text})
    assert text in texts_of(connector.current(root))
    await game.click(BOB, "Trek in", on=form)
    assert text not in texts_of(connector.current(root))
    back = [
        p
        for p in connector.in_conversation(form.conversation)
        if "Dit schreef je" in texts_of(p.activity)
    ]
    assert back and text in texts_of(back[-1].activity)


async def test_the_cards_stop_asks_first_when_the_round_has_content(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    game, form = await _bobs_form(teams, connector, runtime)
    root = game.root
    await game.submit(BOB, form, {"text": "Een ruzie."})
    await game.click(ANN, "Stoppen")
    asked = [
        p
        for p in connector.posted
        if any(b["title"] == "Ja, stop de ronde" for b in buttons_of(p.activity))
    ]
    assert asked, "the facilitator is asked first"
    assert "Stap 2" in " ".join(texts_of(connector.current(root))), "still running"
    await game.click(ANN, "Ja, stop de ronde", on=asked[-1])
    said = "\n".join(
        line
        for post in connector.in_conversation(THREAD + root)
        for line in texts_of(post.activity)
    )
    assert "Samenvatting: Incidentmethode" in said and "Een ruzie." in said


def _elements(activity: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(activity)
    return found
