"""A whole incident-method round in a real browser: three colleagues in the web chat.

Playwright drives Debian's Chromium (never a browser of its own download), with
the engine on the test's clock so the screenshots are the same on every run.
They are written to docs/screenshots/, where the README and docs/web.md use them.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.channels.web.chatroom import place
from bot.engine.messages import Recall
from bot.engine.state import RoundState
from bot.runtime import Runtime
from protocols.schema import Step
from tests.conftest import incident_steps
from tests.fakes.clock import ManualClock

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: the browser test needs Debian's chromium package "
        "(`apt-get install chromium`; .ci/run installs it)",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip(
    "playwright.async_api",
    reason="the browser test needs the playwright package: pip install -e '.[test]'",
)
expect = playwright_api.expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = "<img src=x onerror=alert(1)>"
# Two PNGs (base64) look alike: sizes within 2 px, and no 8x8 block of pixels
# whose mean brightness moved by more than 34 of 255. A layout that lands half a
# pixel lower moves blocks by up to about 28; a word changed in small print, by 40.
ALIKE = """async ([a, b]) => {
  const load = (data) => createImageBitmap(
    new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], { type: "image/png" }));
  const [x, y] = await Promise.all([load(a), load(b)]);
  if (Math.abs(x.width - y.width) > 2 || Math.abs(x.height - y.height) > 2) return false;
  const w = Math.min(x.width, y.width), h = Math.min(x.height, y.height);
  const cols = Math.ceil(w / 8), rows = Math.ceil(h / 8);
  const blocks = (picture) => {
    const context = new OffscreenCanvas(w, h).getContext("2d");
    context.drawImage(picture, 0, 0);
    const data = context.getImageData(0, 0, w, h).data;
    const sums = new Float64Array(cols * rows), counts = new Float64Array(cols * rows);
    for (let py = 0; py < h; py += 1) {
      for (let px = 0; px < w; px += 1) {
        const i = (py * w + px) * 4;
        const k = Math.floor(py / 8) * cols + Math.floor(px / 8);
        sums[k] += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        counts[k] += 1;
      }
    }
    return sums.map((sum, k) => sum / counts[k]);
  };
  const p = blocks(x), q = blocks(y);
  return p.every((mean, k) => Math.abs(mean - q[k]) <= 34);
}"""
DESKTOP = {"width": 960, "height": 720}
# Waits until the page has painted twice: the hover and focus of a moment ago are gone.
TWO_FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def database_url(tmp_path: Path, _migrated_sqlite_template: Path) -> str:
    """One backend is enough here: the HTTP tests run both."""
    path = tmp_path / "dialoog.db"
    shutil.copyfile(_migrated_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Any]:
    async with playwright_api.async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=LAUNCH_ARGS,
            viewport=DESKTOP,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            await context.close()


class Tab:
    """One browser tab of the web chat, as a teacher uses it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.alerts: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    async def _dialog(self, dialog: Any) -> None:
        self.alerts.append(dialog.message)
        await dialog.dismiss()

    @property
    def card(self) -> Any:
        return self.page.locator("article.card").last

    @property
    def form(self) -> Any:
        return self.page.get_by_role("dialog")

    async def be(self, name: str) -> None:
        await self.page.get_by_label("Je bent").select_option(label=name)
        await expect(self.page.get_by_label("Je bent")).to_have_value(f"web:{name.lower()}")

    async def type(self, text: str) -> None:
        box = self.page.get_by_label("Bericht of commando")
        await box.fill(text)
        await box.press("Enter")
        await expect(box).to_have_value("")

    async def press(self, label: str) -> None:
        await self.card.get_by_role("button", name=label, exact=True).click()

    async def fill_in(self) -> None:
        await self.page.get_by_role("button", name="Collega's vullen in").click()

    async def send_form(self, **fields: str) -> None:
        for label, value in fields.items():
            await self.form.get_by_label(label.replace("_", " ")).fill(value)
        await self.form.get_by_role("button", name="Verstuur").first.click()

    async def shot(self, name: str, target: Any | None = None) -> None:
        """A screenshot for the docs: no hover, no caret, and written only when it
        shows something new (a few pixels of anti-aliasing are not news)."""
        await self.page.mouse.move(0, 0)
        await self.page.evaluate(TWO_FRAMES)
        picture = await (target or self.page).screenshot(animations="disabled", caret="hide")
        assert picture.startswith(b"\x89PNG")
        path = SCREENSHOTS / name
        if path.exists() and await self._alike(path.read_bytes(), picture):
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_bytes(picture)

    async def _alike(self, old: bytes, new: bytes) -> bool:
        scratch = await self.page.context.new_page()
        try:
            pictures = [base64.b64encode(old).decode(), base64.b64encode(new).decode()]
            alike: bool = await scratch.evaluate(ALIKE, pictures)
            return alike
        finally:
            await scratch.close()
            await self.page.bring_to_front()

    async def to_the_round(self) -> None:
        await self.page.get_by_role("button", name="Naar de ronde").click()
        await expect(self.card).to_be_focused()


async def test_three_colleagues_play_an_incident_round_in_the_browser(
    server_url: str, runtime: Runtime, browser: Any, clock: ManualClock
) -> None:
    ann = Tab(browser.pages[0] if browser.pages else await browser.new_page())
    await ann.page.goto(server_url)
    await expect(ann.page.get_by_text("Nog geen berichten.")).to_be_visible()

    # Ann starts a round by typing the command.
    await ann.be("Ann")
    await ann.type("/dialoog start incident")
    await expect(ann.card).to_contain_text("Incidentmethode")
    await expect(ann.page.get_by_text("is gestart door Ann (live)")).to_be_visible()

    # A second tab on a phone: Cas, who sees everything arrive live.
    cas = Tab(await browser.new_page())
    await cas.page.set_viewport_size(PHONE)
    await cas.page.goto(server_url)
    await cas.be("Cas")
    await cas.press("Meedoen")
    # A tab in the background gets few animation frames: Ann's is the one in use.
    await ann.page.bring_to_front()

    # Bob joins in Ann's tab: the switcher picks who acts.
    await ann.be("Bob")
    await ann.press("Meedoen")
    await expect(ann.card).to_contain_text("Ann, Cas, Bob")
    await ann.be("Ann")
    await ann.to_the_round()
    await ann.shot("web-chat-start.png")

    # The ground rules: Ann reads them herself, the others by "colleagues fill in".
    await ann.press("Start de eerste stap")
    await expect(ann.card).to_contain_text(f"Stap 1 van {incident_steps()}: Spelregels")
    await ann.press("Gelezen")
    await ann.fill_in()
    await expect(ann.card).to_contain_text("3 van 3")
    await ann.press("Volgende stap")
    await expect(ann.card).to_contain_text(f"Stap 2 van {incident_steps()}")
    # The keyboard focus stays on the button that was pressed, on the new card.
    assert await ann.page.evaluate("document.activeElement.dataset.action") == "advance"

    # Everyone puts forward an incident: Ann with the form, Bob in the thread.
    await ann.press("Schrijf")
    await expect(ann.form).to_be_visible()
    await ann.form.get_by_label("Jouw bijdrage").fill(
        "Een leerling liep midden in de les weg en ik moest meteen kiezen: erachteraan of niet."
    )
    await ann.shot("web-chat-form.png")
    await ann.form.get_by_role("button", name="Verstuur").click()
    await expect(ann.form).to_be_hidden()
    await expect(ann.page.get_by_text("Opgeslagen.")).to_be_visible()
    await ann.be("Bob")
    await ann.type(XSS)
    # Shown as typed, as text, in the chat line and on the card alike.
    await expect(ann.card.get_by_text(XSS)).to_be_visible()
    await expect(cas.page.locator("article.person").get_by_text(XSS)).to_be_visible()
    assert await ann.page.locator("#timeline img").count() == 0
    await ann.be("Ann")
    await ann.fill_in()
    await expect(ann.card).to_contain_text("— Cas")
    await ann.press("Volgende stap")

    # The vote, by form: a choice among the incidents.
    await expect(ann.card).to_contain_text(f"Stap 3 van {incident_steps()}: Incident kiezen")
    await ann.press("Stem")
    await ann.form.get_by_label("Een leerling liep midden in de les weg", exact=False).check()
    await ann.form.get_by_role("button", name="Verstuur").click()
    await expect(ann.form).to_be_hidden()
    await ann.fill_in()
    await ann.press("Volgende stap")
    await expect(ann.page.get_by_text("De groep koos de casus van")).to_be_visible()

    # From here the case owner and the others take turns; whoever acts, the
    # simulated colleagues do the rest of the step.
    owner = _case_owner(runtime)
    others = [name for name in ("Ann", "Bob", "Cas") if name != owner]
    while True:
        step = _current_step(runtime)
        await _shows_its_context(ann, runtime, step)
        if step.id == "questions":
            # An advisor writes a question; the card keeps the time.
            await ann.be(others[-1])
            await ann.press("Schrijf")
            await ann.send_form(Jouw_vraag="Wat gebeurde er vlak daarvoor in de les?")
            await expect(ann.form).to_be_hidden()
            await expect(ann.card).to_contain_text("1 bijdrage(n); zichtbaar aan het eind")
            await expect(ann.card).to_contain_text("Nog 3 min · tot 15:33")
            await ann.shot("web-chat-step-timer.png", ann.card)
            # The timer moves on by itself as each minute passes, on every tab.
            clock.advance(seconds=61)
            await expect(ann.card).to_contain_text("Nog 2 min · tot 15:33")
            await expect(cas.card).to_contain_text("Nog 2 min · tot 15:33")
            clock.advance(minutes=2)
            # Time up: the whole group reads it; the facilitator chooses what now.
            await expect(ann.card).to_contain_text("De tijd is om")
            told = "Maak rustig af waar je mee bezig bent; Ann kiest zo"
            await expect(cas.page.get_by_text(told)).to_be_visible()
            await ann.be("Ann")
            await ann.page.get_by_role("button", name="5 minuten erbij").last.click()
            await expect(ann.card).to_contain_text("Nog 5 min")
        elif step.id == "information":
            # The case owner answers a question (the dialog holds one form a question),
            # then closes the dialog with the keyboard.
            await ann.be(owner)
            await ann.press("Beantwoord")
            answers = ann.form.get_by_label("Jouw antwoord")
            await expect(answers.first).to_be_visible()
            count = await answers.count()
            assert count >= 2
            await answers.first.fill("Het was het eerste uur, vlak na de pauze.")
            await ann.form.get_by_role("button", name="Verstuur").first.click()
            await expect(answers).to_have_count(count - 1)
            await ann.page.keyboard.press("Escape")
            await expect(ann.form).to_be_hidden()
            # The keyboard is back on the button that opened the form.
            await expect(ann.card.get_by_role("button", name="Beantwoord")).to_be_focused()
        elif step.id == "position":
            # Writing your position alone: the dialog covers the card, so what the
            # step builds on comes along, below the field.
            await ann.be(others[-1])
            await ann.press("Schrijf")
            await expect(ann.form.locator("details.block-recall")).to_have_count(len(step.shows))
            await ann.form.get_by_label("Jouw bijdrage").fill("Ik was in de klas gebleven.")
            await ann.shot("web-chat-form-context.png", ann.form)
            await ann.form.get_by_role("button", name="Verstuur").click()
            await expect(ann.form).to_be_hidden()
        elif step.id == "discussion":
            # Comparing what the case owner did with the positions: all of it in view,
            # the latest open and the others a click away.
            await ann.shot("web-chat-step-context.png", ann.card)
            situation = ann.card.locator("details.block-recall[data-step=sketch]")
            await expect(situation.locator("li").first).to_be_hidden()
            await situation.locator("summary").click()
            await expect(situation.locator("li").first).to_be_visible()
            # A redraw of the card (the next minute) keeps it open.
            clock.advance(seconds=61)
            await expect(ann.card).to_contain_text("Nog 5 min")
            await expect(situation.locator("li").first).to_be_visible()
        elif step.id == "evaluation":
            await ann.be(others[0])
            await ann.press("Kijk terug")
            await ann.form.get_by_label("4", exact=True).check()
            await ann.send_form(Wat_neem_je_mee="Eerst doorvragen, dan pas advies.")
            await expect(ann.form).to_be_hidden()
            await cas.page.bring_to_front()
            await expect(cas.card).to_contain_text("Evaluatie")
            await cas.to_the_round()
            await cas.shot("web-chat-phone.png")
            await ann.page.bring_to_front()
        await ann.be(others[0])
        await ann.fill_in()
        await ann.be(owner)
        await ann.fill_in()
        await ann.be("Ann")
        last = step.id == "evaluation"
        await ann.press("Rond af" if last else "Volgende stap")
        if last:
            await expect(ann.card).to_contain_text("Afgerond")
            break
        index = _round(runtime).protocol.step_index(step.id)
        await expect(ann.card).to_contain_text(f"Stap {index + 2} van {incident_steps()}")

    # What a teacher sees at the end: the card finished, the summary below it.
    await expect(ann.card).to_contain_text("Afgerond")
    summary = ann.page.locator("article", has_text="Samenvatting: Incidentmethode").last
    await expect(summary).to_contain_text("Gekozen casus")
    await expect(summary).to_contain_text("Wat gebeurde er vlak daarvoor in de les?")
    await expect(summary).to_contain_text("Het was het eerste uur, vlak na de pauze.")
    await expect(summary).to_contain_text("Eerst doorvragen, dan pas advies.")
    await expect(summary.locator("h3, h4, h5").first).to_be_visible()
    # Structure from the server's spans: bold and italic elements, a list per step,
    # and what people wrote as text, however it looks.
    await expect(summary.locator("strong", has_text="Rollen")).to_be_visible()
    await expect(summary.locator("li em", has_text="(Bob)").first).to_be_visible()
    await expect(summary.locator("li li", has_text="Antwoord: ").first).to_be_visible()
    await expect(summary.locator("li", has_text=XSS).first).to_be_visible()
    # The whole summary in one picture: a window as tall as it is.
    box = await summary.bounding_box()
    await ann.page.set_viewport_size(
        {"width": DESKTOP["width"], "height": int(box["height"]) + 400}
    )
    await summary.scroll_into_view_if_needed()
    await ann.shot("web-chat-summary.png", summary)
    await expect(ann.page.get_by_role("button", name="Collega's vullen in")).to_be_hidden()
    # Cas's phone tab followed the whole round live, without a reload.
    await expect(cas.card).to_contain_text("Afgerond")
    await expect(cas.page.get_by_text("Samenvatting: Incidentmethode")).to_be_visible()

    assert ann.alerts == [] and cas.alerts == [], "no script ran from a contribution"
    assert ann.errors == [] and cas.errors == []


def _round(runtime: Runtime) -> RoundState:
    info = runtime.service.active_round(place("team"))
    assert info is not None
    return info.state


def _current_step(runtime: Runtime) -> Step:
    """Which step the round is at: the test plays each one in its own way."""
    step = _round(runtime).step
    assert step is not None
    return step


async def _shows_its_context(tab: Tab, runtime: Runtime, step: Step) -> None:
    """The card shows what the step builds on (`shows:`), as the engine says: one box
    per earlier step with something written, all folded but the latest."""
    round_id = _round(runtime).round_id
    drawn = runtime.service.card(round_id)
    assert drawn is not None
    expected = [b for b in drawn.blocks if isinstance(b, Recall)]
    if step.shows and step.id not in ("propose", "choose"):
        assert expected, f"step {step.id} shows nothing of {step.shows}"
    boxes = tab.card.locator("details.block-recall")
    await expect(boxes).to_have_count(len(expected))
    for n, recall in enumerate(expected):
        box = boxes.nth(n)
        await expect(box).to_have_attribute("data-step", recall.step_id)
        await expect(box.locator("summary")).to_have_text(recall.title)
        assert await box.evaluate("(node) => node.open") is (not recall.folded)
        if not recall.folded:
            await expect(box).to_contain_text(recall.items[0].text)


def _case_owner(runtime: Runtime) -> str:
    state = _round(runtime)
    assert state.case_owner is not None
    return state.name(state.case_owner)


async def test_the_overview_chart_in_the_chat_and_its_page_behind_a_revocable_link(
    server_url: str, runtime: Runtime, browser: Any, clock: Any
) -> None:
    import asyncio
    import re

    from tests.history import ANN, seed

    await asyncio.to_thread(seed, runtime.service, clock, place("team"))
    ann = Tab(browser.pages[0] if browser.pages else await browser.new_page())
    await ann.page.goto(server_url)
    await ann.be("Ann")
    await ann.type("/dialoog overzicht")
    overview = ann.page.locator("article", has_text="Rondes gehouden: 3").last
    chart = overview.locator("img.block-image")
    await expect(chart).to_be_visible()
    # The chart really loaded (the page's CSP allows data: images and nothing else).
    assert await chart.evaluate("img => img.complete && img.naturalWidth") > 600
    assert "Alle getallen staan ook in de tekst" in (await chart.get_attribute("alt") or "")
    await expect(overview).to_contain_text("Ann: 3 keer")
    box = await overview.bounding_box()
    await ann.page.set_viewport_size(
        {"width": DESKTOP["width"], "height": int(box["height"]) + 300}
    )
    await overview.scroll_into_view_if_needed()
    await ann.shot("insights-chart.png", overview)

    # The page behind the link: a facilitator asks for it, anyone with it can read it.
    reply = runtime.chat.command(place("team"), ANN, "overzicht link")
    found = re.search(r"/overzicht/[A-Za-z0-9_-]+", reply.messages[0].text)
    assert found is not None
    page = Tab(await browser.new_page())
    response = await page.page.goto(server_url + found.group(0))
    assert response is not None and response.status == 200
    await expect(page.page.get_by_role("heading", level=1)).to_have_text(
        "Overzicht team · schooljaar 2026-2027"
    )
    image = page.page.get_by_role("img")
    await expect(image).to_be_visible()
    assert await image.evaluate("img => img.complete && img.naturalWidth") > 0
    await expect(page.page.get_by_role("table").first).to_be_visible()
    await expect(page.page.get_by_role("cell", name="Ann", exact=True)).to_be_visible()
    # The whole page in one picture: a window as tall as it is.
    height = await page.page.evaluate("document.documentElement.scrollHeight")
    await page.page.set_viewport_size({"width": DESKTOP["width"], "height": int(height)})
    await page.shot("insights-page.png")
    assert page.errors == []

    runtime.chat.command(place("team"), ANN, "overzicht link intrekken")
    response = await page.page.goto(server_url + found.group(0))
    assert response is not None and response.status == 404
