"""The pupil-name guard seen in a real browser: the private question, the form to
change the text in, and "leerling A" on the card. Screenshots go to docs/screenshots/."""

from __future__ import annotations

from typing import Any

from bot.runtime import Runtime
from tests.web.test_web_browser import Tab, browser, database_url, expect  # noqa: F401

QUESTION = "Je bijdrage lijkt"


async def test_the_guard_asks_privately_and_replaces_the_name_in_the_browser(
    server_url: str,
    runtime: Runtime,
    browser: Any,  # noqa: F811
) -> None:
    ann = Tab(browser.pages[0] if browser.pages else await browser.new_page())
    await ann.page.goto(server_url)
    await ann.be("Ann")
    await ann.type("/dialoog start incident")
    await expect(ann.card).to_contain_text("Incidentmethode")
    await ann.fill_in()
    await ann.press("Start de eerste stap")
    await ann.press("Gelezen")
    await ann.fill_in()
    await ann.press("Volgende stap")
    await expect(ann.card).to_contain_text("Incidenten inbrengen")

    # Bob writes a line in the round naming a pupil: he is asked, the card stays as it was.
    await ann.be("Bob")
    await ann.type("Daan de Vries rende de klas uit en ik wist niet of ik Daan moest volgen.")
    question = ann.page.locator("article", has_text=QUESTION).last
    await expect(question).to_contain_text("leerling A rende de klas uit")
    await expect(ann.card).not_to_contain_text("Daan")
    # The web chat did not post the line, so there is nothing to remove from the channel.
    await expect(question).not_to_contain_text("in de draad")
    await ann.shot("web-chat-guard-question.png", question)

    # Bob changes it himself: the form holds what he wrote.
    await question.get_by_role("button", name="Zelf aanpassen").click()
    box = ann.form.get_by_role("textbox", name="Je bijdrage")
    await expect(box).to_have_value(
        "Daan de Vries rende de klas uit en ik wist niet of ik Daan moest volgen."
    )
    await ann.shot("web-chat-guard-edit.png")
    await box.fill("Een leerling rende de klas uit en ik wist niet of ik hem moest volgen.")
    await ann.form.get_by_role("button", name="Plaatsen").click()
    await expect(ann.form).to_be_hidden()
    await expect(ann.card).to_contain_text("Een leerling rende de klas uit")

    # Cas writes one with a name and takes "leerling A" with one click.
    await ann.be("Cas")
    await ann.type("Emma zat de hele les te huilen.")
    await (
        ann.page.locator("article", has_text=QUESTION)
        .last.get_by_role("button", name="Gebruik leerling A")
        .click()
    )
    await expect(ann.card).to_contain_text("leerling A zat de hele les te huilen.")
    # The question has its answer and goes away; what is left says it was saved.
    await expect(ann.page.locator("article", has_text=QUESTION)).to_have_count(0)
    await expect(ann.page.locator("article.ephemeral", has_text="Opgeslagen.")).to_be_visible()
    await expect(ann.card).not_to_contain_text("Emma")
    assert ann.errors == []
