"""Short ways into a round in the web chat, for tests about one thing: the same
shape as tests/slack/flows.py and tests/teams/flows.py (`started`, `collecting`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.web.conftest import ANN, BOB, WebChat


async def started(web: WebChat, *joining: str, method: str = "incident") -> str:
    """Ann starts a round of the method in the channel; the others join. Its id."""
    said = await web.say(ANN, f"/dialoog start {method}")
    assert said["accepted"] and said["round_id"], said
    round_id = str(said["round_id"])
    for who in joining:
        assert (await web.click(who, "join", round_id=round_id))["accepted"]
    return round_id


async def collecting(web: WebChat, *joining: str) -> str:
    """An incident round with Ann and Bob (and whoever else joins) at its first
    collect step (open contributions). Its id."""
    round_id = await started(web, BOB, *joining)
    await web.click(ANN, "advance", "", round_id=round_id)  # the ground rules
    await web.fill_in(ANN, round_id)
    await web.click(ANN, "acknowledge", "rules", round_id=round_id)
    await web.click(ANN, "advance", "rules", round_id=round_id)
    state = web.runtime.service.round(round_id)
    assert state is not None and state.step is not None and state.step.id == "propose"
    return round_id


def filled(form: dict[str, Any], text: Callable[[], str]) -> dict[str, Any]:
    """Answers for every input of a form, as the page would send them: `text()` for
    each text, the date offered, and the first option(s) of each choice."""
    fields: dict[str, Any] = {}
    for field in form["inputs"]:
        if field["kind"] == "text_input":
            fields[field["name"]] = text()
        elif field["kind"] == "date_input":
            fields[field["name"]] = field["initial"]
        else:
            values = [option["value"] for option in field["options"]]
            chosen = values[: max(1, field["min_selected"])]
            fields[field["name"]] = chosen if field["max_selected"] > 1 else chosen[0]
    return fields
