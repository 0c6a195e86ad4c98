"""`/dialoog plan` in the web chat: the form it shows plans a round (HTTP, real routes)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

import storage
from bot.engine.vocabulary import Action
from storage.models import Schedule
from tests.scheduler.conftest import fields
from tests.web.conftest import ANN, CHANNEL, WebChat


async def test_a_round_planned_through_the_web_chats_form_is_stored(web: WebChat) -> None:
    shown = await web.say(ANN, "/dialoog plan")
    assert shown["accepted"], shown
    (form,) = [b for b in shown["form"]["blocks"] if b["kind"] == "form"]
    assert form["action"] == Action.PLAN_CREATE
    filled = fields(interval="biweekly", reminders=["1440"], lead="1")
    names = {field["name"] for field in form["inputs"]}
    assert set(filled) <= names, "the test fills in the form's own fields"

    # What the page sends when "Ronde plannen" is pressed: no round yet.
    planned = await web.click(ANN, form["action"], form["value"], filled, round_id=None)

    assert planned["accepted"], planned
    assert planned["error_code"] is None
    schedules = _schedules(web)
    assert [(s["protocol"], s["weekdays"], s["at"], s["interval"]) for s in schedules] == [
        ("incident", "1", "15:30", "biweekly")
    ]
    listed = await web.say(ANN, "/dialoog plan")
    assert "15:30" in json.dumps(listed["messages"]), "the overview lists it"


async def test_a_planning_click_without_a_round_is_not_a_bad_request(web: WebChat) -> None:
    answer = await web.post("click", {"as": ANN, "action": Action.PLAN_NEW, "value": ""})
    assert answer.status == 200, answer.data
    assert answer.data["form"] is not None


def _schedules(web: WebChat) -> list[dict[str, Any]]:
    with web.runtime.sessions() as session:
        team = storage.find_team(session, "web", "local", CHANNEL)
        assert team is not None
        rows = session.scalars(select(Schedule).where(Schedule.team_id == team.id)).all()
        return [
            {
                "protocol": r.protocol_id,
                "weekdays": r.weekdays,
                "at": r.time_of_day,
                "interval": r.interval,
            }
            for r in rows
        ]
