"""In the web chat a question's own message has a reply button: a line sent as its
reply answers that question, also out of turn and with two rounds in the channel.
Through the real HTTP endpoints, as the page calls them."""

from __future__ import annotations

from typing import Any

from bot.runtime import Runtime
from bot.service import Person
from tests.playing import gossip_at_the_answers
from tests.web.conftest import ANN, BOB, CAS, WebChat


async def _at_the_answers(web: WebChat, runtime: Runtime) -> str:
    """A gossip round at its answers step, with Cas's and Ann's questions."""
    started = await web.say(ANN, "/dialoog start gossip")
    round_id = started["round_id"]
    assert round_id
    gossip_at_the_answers(runtime.service, round_id, ANN, Person(BOB, "Bob"), Person(CAS, "Cas"))
    await web.settled()
    return str(round_id)


def _questions(timeline: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        m
        for m in timeline["messages"]
        if str(m["message"].get("slot") or "").startswith("question:")
    ]


async def test_a_reply_to_a_questions_message_answers_that_question(
    web: WebChat, runtime: Runtime
) -> None:
    round_id = await _at_the_answers(web, runtime)
    (first,) = _questions(await web.timeline(BOB))
    assert "Vraag 1 van 2" in first["message"]["text"]
    # A plain line answers the question up next; a reply, the question it names.
    plain = await web.post("say", {"as": BOB, "text": "Ze blijven staan praten."})
    assert plain.status == 200 and plain.data["posted"]
    await web.settled()
    questions = _questions(await web.timeline(BOB))
    assert [q["message"]["text"].split(":")[0] for q in questions] == [
        "*Vraag 1 van 2* · Cas",
        "*Vraag 2 van 2* · Ann",
    ]
    state = runtime.service.round(round_id)
    assert state is not None
    first_item = next(i for i in state.items_of("questions") if "pauze" in i.text)
    assert state.responses[first_item.id].text == "Ze blijven staan praten."
    # A reply to the first question's message changes that answer, not the open one.
    fixed = await web.post(
        "say", {"as": BOB, "text": "Ze blijven staan en praten door.", "reply_to": str(first["id"])}
    )
    assert fixed.status == 200
    await web.settled()
    state = runtime.service.round(round_id)
    assert state is not None
    assert state.responses[first_item.id].text == "Ze blijven staan en praten door."
    assert len(state.responses) == 1, "the second question is still open"


async def test_a_reply_to_something_that_is_no_message_id_is_a_bad_request(
    web: WebChat, runtime: Runtime
) -> None:
    await _at_the_answers(web, runtime)
    for bad in ("x1", "1" * 21, 7):
        answer = await web.post("say", {"as": BOB, "text": "Ja.", "reply_to": bad})
        assert answer.status == 400, bad


async def test_with_two_rounds_a_reply_goes_to_the_round_of_the_message_it_answers(
    web: WebChat, runtime: Runtime
) -> None:
    round_id = await _at_the_answers(web, runtime)
    (first,) = _questions(await web.timeline(BOB))
    later = await web.say(BOB, "/dialoog start incident async")
    assert later["accepted"] and later["round_id"] != round_id
    answer = await web.post(
        "say", {"as": BOB, "text": "Ze blijven staan praten.", "reply_to": str(first["id"])}
    )
    assert answer.status == 200
    await web.settled()
    state = runtime.service.round(round_id)
    assert state is not None and len(state.responses) == 1
