"""In a real browser: a question's own message has an *Antwoord hierop* button, and
what the case owner then types answers that question, not the one up next."""

from __future__ import annotations

from typing import Any

from bot.engine import commands as cmd
from bot.runtime import Runtime
from tests.web.test_web_browser import (  # noqa: F401  (fixtures, used by name)
    Tab,
    browser,
    database_url,
    expect,
)


def _do(runtime: Runtime, round_id: str, command: cmd.Command) -> None:
    assert runtime.service.handle(round_id, command).accepted, command


def _at_the_answers(runtime: Runtime) -> str:
    """A gossip round in the page's channel at its answers step: two questions."""
    from bot.channels.web.chatroom import place
    from bot.service import Person

    started = runtime.service.start(place("team"), Person("web:ann", "Ann"), "gossip")
    round_id = started.round_id
    assert round_id
    for who, name in (("web:bob", "Bob"), ("web:cas", "Cas")):
        _do(runtime, round_id, cmd.Join(user=who, name=name))
    for _ in range(2):
        _do(runtime, round_id, cmd.Advance(user="web:ann"))
    _do(runtime, round_id, cmd.Contribute(user="web:bob", text="Mijn klas luistert niet."))
    for _ in range(3):
        _do(runtime, round_id, cmd.Advance(user="web:ann"))
    _do(runtime, round_id, cmd.Contribute(user="web:cas", text="Wat gebeurt er na de pauze?"))
    _do(runtime, round_id, cmd.Contribute(user="web:ann", text="Wie is het onrustigst?"))
    _do(runtime, round_id, cmd.Advance(user="web:ann"))
    return round_id


async def test_the_case_owner_answers_a_question_with_its_reply_button(
    server_url: str,
    runtime: Runtime,
    browser: Any,  # noqa: F811  (the fixture imported above)
) -> None:
    round_id = _at_the_answers(runtime)
    bob = Tab(browser.pages[0] if browser.pages else await browser.new_page())
    await bob.page.goto(server_url)
    await bob.be("Bob")
    first = bob.page.locator("article[data-slot^='question:']").first
    await expect(first).to_contain_text("Vraag 1 van 2")

    # A plain line answers the question up next: the first; the second comes up.
    await bob.type("Ze blijven staan praten.")
    await expect(first).to_contain_text("Beantwoord.")
    second = bob.page.locator("article[data-slot^='question:']").nth(1)
    await expect(second).to_contain_text("Vraag 2 van 2")

    # Replying to the first question's message changes its answer; the second stays open.
    await first.get_by_role("button", name="Antwoord hierop").click()
    await expect(bob.page.get_by_text("Je antwoordt op:")).to_be_visible()
    await bob.type("Ze blijven staan en praten door.")
    await expect(bob.page.get_by_text("Je antwoordt op:")).to_be_hidden()
    state = runtime.service.round(round_id)
    assert state is not None
    answers = {state.item(i).text: r.text for i, r in state.responses.items() if state.item(i)}
    assert answers == {"Wat gebeurt er na de pauze?": "Ze blijven staan en praten door."}
    assert bob.errors == []
