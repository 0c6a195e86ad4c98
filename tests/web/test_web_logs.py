"""What colleagues write never reaches the log: not when it works, not when it fails."""

from __future__ import annotations

import logging

import pytest

from tests.web.conftest import ANN, BOB, CAS, WebChat
from tests.web.flows import collecting

SECRET = "Pietje-uit-3B-huilde"


async def test_contributions_chat_and_bad_requests_leave_no_content_in_the_log(
    web: WebChat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    round_id = await collecting(web, CAS)

    # A contribution by form, one by a line in the thread, and plain chat.
    sent = await web.click(
        BOB, "contribute", "propose", {"text": f"{SECRET} (formulier)"}, round_id=round_id
    )
    assert sent["accepted"]
    assert (await web.say(CAS, f"{SECRET} (draad)"))["posted"]
    # Refused by the round: a second incident from Bob.
    refused = await web.click(
        BOB, "contribute", "propose", {"text": f"{SECRET} (te veel)"}, round_id=round_id
    )
    assert not refused["accepted"]
    # Bad requests that carry content.
    await web.post("click", {"as": ANN, "action": f"{SECRET}", "round_id": round_id})
    await web.post("click", {"as": SECRET, "action": "join", "round_id": round_id})
    await web.post("click", {"as": ANN, "action": "contribute", "round_id": SECRET})
    await web.post("click", {"as": ANN, "action": "vote", "round_id": round_id, "value": SECRET})
    await web.post("say", {"as": ANN, "text": SECRET * 4000})
    await web.post_raw("say", f'{{"as": "{ANN}", "text": "{SECRET}'.encode())
    await web.say(ANN, f"/dialoog {SECRET}")
    await web.settled()

    state = web.runtime.service.round(round_id)
    assert state is not None and sum(SECRET in i.text for i in state.items) == 2
    assert caplog.records, "the test saw the log"
    for record in caplog.records:
        assert SECRET not in record.getMessage(), record.name
        assert SECRET not in str(record.args), record.name
    assert SECRET not in caplog.text
