"""Every field of every body the web chat takes, replaced by what a broken or hostile
page might send: never a 5xx, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fuzzing import assert_quiet, fuzzed
from tests.web.conftest import ANN, BOB, WebChat, buttons, card_of


async def _bodies(web: WebChat) -> dict[str, dict[str, Any]]:
    """One real body of each endpoint, in a round that has started."""
    round_id = (await web.say(ANN, "/dialoog start incident"))["round_id"]
    card = card_of(await web.timeline(ANN))
    join = next(b for b in buttons(card["message"]) if b["action"] == "join")
    return {
        "say": {"as": ANN, "text": "Een bericht in het kanaal", "key": "k1"},
        "click": {
            "as": BOB,
            "action": join["action"],
            "value": join["value"],
            "fields": {"text": "Een bijdrage", "choice": ["i1"]},
            "round_id": round_id,
            "key": "k2",
        },
        "fill-in": {"as": ANN, "round_id": round_id},
    }


async def test_no_field_of_any_body_gets_a_5xx_or_a_traceback(
    web: WebChat, caplog: pytest.LogCaptureFixture
) -> None:
    bodies = await _bodies(web)

    async def send(path_name: str, body: dict[str, Any]) -> int:
        return (await web.post(path_name, body)).status

    count, failures = await fuzzed(bodies, send, caplog)
    await web.settled()
    assert count > 200, "every field of every body was tried"
    assert failures == []
    assert_quiet(caplog)
