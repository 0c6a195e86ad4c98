"""A contribution changed and then withdrawn: the export holds every version, marked,
and erasing its author leaves none of them anywhere."""

from __future__ import annotations

import json

from bot.runtime import Runtime
from tests.fakes.clock import ManualClock
from tests.privacy.cli import run_privacy
from tests.privacy.played import everything_stored
from tests.web.conftest import BOB, WebChat
from tests.web.test_web_guard import at_the_proposals

FIRST = "Een leerling liep de klas uit tijdens de toets."
CHANGED = "Een leerling liep tijdens het proefwerk de klas uit."


async def _changed_and_withdrawn(web: WebChat) -> None:
    round_id = await at_the_proposals(web)
    sent = await web.click(BOB, "contribute", "propose", {"text": FIRST}, round_id=round_id)
    assert sent["accepted"]
    state = web.runtime.service.round(round_id)
    assert state is not None
    item = state.items_of("propose", BOB)[0].id
    assert (await web.click(BOB, "edit", item, {"text": CHANGED}, round_id=round_id))["accepted"]
    assert (await web.click(BOB, "withdraw", item, round_id=round_id))["accepted"]
    await web.settled()


async def test_the_export_holds_every_version_of_a_changed_and_withdrawn_text(
    web: WebChat, clock: ManualClock, database_env: None
) -> None:
    await _changed_and_withdrawn(web)
    code, out, err = run_privacy(clock, "export", "--user", BOB)
    assert code == 0, err
    [part] = json.loads(out)["rounds"]
    texts = [(c["text"], "changed" in c, "withdrawn" in c) for c in part["contributions"]]
    assert texts == [(FIRST, False, True), (CHANGED, True, False)]
    code, markdown, _err = run_privacy(clock, "export", "--user", BOB, "--format", "markdown")
    assert f"{CHANGED} (gewijzigde versie)" in markdown
    assert f"{FIRST} (ingetrokken)" in markdown


async def test_erasing_the_author_leaves_no_version_anywhere(
    web: WebChat, runtime: Runtime, clock: ManualClock, database_env: None
) -> None:
    await _changed_and_withdrawn(web)
    stored = everything_stored(runtime.engine)
    assert FIRST in stored and CHANGED in stored, "the test can fail"
    code, out, _err = run_privacy(clock, "erase", "--user", BOB, "--yes")
    assert code == 0, out
    stored = everything_stored(runtime.engine)
    assert FIRST not in stored and CHANGED not in stored
