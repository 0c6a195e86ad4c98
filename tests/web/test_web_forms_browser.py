"""Forms that never lose typing, undo and confirmation, in a real browser: a long
paste is refused with its length and stays in the form; one's own case is changed
and withdrawn from the dialog; the facilitator is asked before an empty vote."""

from __future__ import annotations

from typing import Any

from bot.runtime import Runtime
from tests.web.test_web_browser import Tab, browser, database_url, expect  # noqa: F401

LONG = ("Een leerling liep weg en ik twijfelde. " * 140)[:5000]


async def _at_the_cases(server_url: str, context: Any) -> Tab:
    ann = Tab(context.pages[0] if context.pages else await context.new_page())
    await ann.page.goto(server_url)
    await ann.be("Ann")
    await ann.type("/dialoog start incident")
    await expect(ann.card).to_contain_text("Incidentmethode")
    await ann.be("Bob")
    await ann.press("Meedoen")
    await ann.be("Ann")
    await ann.press("Start de eerste stap")
    await ann.press("Gelezen")
    await ann.fill_in()
    await ann.press("Volgende stap")
    await expect(ann.card).to_contain_text("Incidenten inbrengen")
    return ann


async def test_a_long_paste_is_refused_with_its_length_and_stays_in_the_form(
    server_url: str,
    runtime: Runtime,
    browser: Any,  # noqa: F811
) -> None:
    ann = await _at_the_cases(server_url, browser)
    await ann.press("Schrijf")
    box = ann.form.get_by_label("Jouw bijdrage")
    await box.fill(LONG)
    await ann.form.get_by_role("button", name="Verstuur").click()
    error = ann.form.get_by_role("alert")
    await expect(error).to_contain_text("5000 tekens")
    await expect(error).to_contain_text("3000")
    # Nothing cut, nothing lost: the whole paste is still there to shorten.
    assert len(await box.input_value()) == 5000
    await ann.shot("web-chat-too-long.png", ann.form)
    await box.fill(LONG[:2000])
    await ann.form.get_by_role("button", name="Verstuur").click()
    await expect(ann.form).to_be_hidden()
    assert ann.errors == []


async def test_a_case_is_changed_and_withdrawn_from_the_dialog_and_an_empty_vote_is_asked_about(
    server_url: str,
    runtime: Runtime,
    browser: Any,  # noqa: F811
) -> None:
    ann = await _at_the_cases(server_url, browser)
    await ann.press("Schrijf")
    await ann.form.get_by_label("Jouw bijdrage").fill("Een leerling liep weg.")
    await ann.form.get_by_role("button", name="Verstuur").click()
    await expect(ann.form).to_be_hidden()
    await expect(ann.card).to_contain_text("Een leerling liep weg.")

    # The dialog shows what Ann wrote, with buttons to change or withdraw it.
    await ann.press("Schrijf")
    await expect(ann.form).to_contain_text("Wat je in deze stap schreef")
    await ann.shot("web-chat-own-items.png", ann.form)
    await ann.form.get_by_role("button", name="Wijzig").click()
    await expect(ann.page.locator("#dialog-title")).to_have_text("Je bijdrage wijzigen")
    box = ann.form.get_by_label("Jouw bijdrage")
    await expect(box).to_have_value("Een leerling liep weg.")
    await box.fill("Een leerling liep de les uit.")
    await ann.shot("web-chat-edit.png", ann.form)
    await ann.form.get_by_role("button", name="Bewaar").click()
    await expect(ann.form).to_be_hidden()
    await expect(ann.card).to_contain_text("Een leerling liep de les uit.")
    await expect(ann.card).to_contain_text("gewijzigd")

    await ann.press("Schrijf")
    await ann.form.get_by_role("button", name="Trek in").click()
    await expect(ann.card).not_to_contain_text("Een leerling liep de les uit.")
    await ann.page.keyboard.press("Escape")
    # The withdrawn text came back to Ann, privately.
    await expect(ann.page.get_by_text("Ingetrokken")).to_be_visible()

    # No cases now: "Volgende stap" asks first, the answer holds the confirmation.
    await ann.press("Volgende stap")
    asked = ann.page.locator("article", has_text="bouwt daarop voort").last
    await expect(asked).to_be_visible()
    await expect(ann.card).to_contain_text("Incidenten inbrengen")
    await ann.shot("web-chat-confirm.png", asked)
    await asked.get_by_role("button", name="Toch volgende stap").click()
    await expect(ann.card).to_contain_text("Incident kiezen")
    # And one step back.
    await ann.press("Vorige stap")
    await expect(ann.card).to_contain_text("Incidenten inbrengen")
    assert ann.errors == [] and ann.alerts == []
