"""`/dialoog plan`: the form, what it refuses and why, and managing schedules."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import select

from bot.engine.messages import Buttons, ChoiceInput, Context, Form, ItemList, TextInput
from bot.runtime import Runtime
from storage.models import Schedule
from tests.scheduler.conftest import ANN, BOB, OTHER, PLACE, fields, plan, planned


def schedules(runtime: Runtime) -> list[Schedule]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Schedule).order_by(Schedule.id)))


def english(runtime: Runtime) -> None:
    assert runtime.chat.command(PLACE, ANN, "taal en").accepted


def test_plan_without_schedules_opens_the_form(runtime: Runtime) -> None:
    reply = runtime.chat.command(PLACE, ANN, "plan")
    assert reply.accepted
    assert "nog geen rondes gepland" in reply.messages[0].text
    assert reply.form is not None
    form = reply.form.blocks[0]
    assert isinstance(form, Form) and form.action == "plan_create"
    names = {i.name for i in form.inputs}
    assert names == {
        "protocol", "mode", "weekdays", "time", "interval", "first", "lead", "reminders",
        "holidays",
    }  # fmt: skip
    protocols = next(i for i in form.inputs if i.name == "protocol")
    assert isinstance(protocols, ChoiceInput)
    assert "incident" in {o.value for o in protocols.options}
    time_input = next(i for i in form.inputs if i.name == "time")
    assert isinstance(time_input, TextInput) and "Europe/Amsterdam" in time_input.label


def test_a_planned_round_is_confirmed_and_listed_with_its_buttons(runtime: Runtime) -> None:
    reply = plan(runtime, fields(interval="biweekly", reminders=["1440", "15"], lead="3"))
    assert reply.accepted
    # The clock stands at Tuesday 24 November 2026, 15:30 local: this week's
    # round has begun, and every other week counts from this week.
    assert reply.messages[0].text == (
        "Gepland (#1): Incidentmethode, om de week op dinsdag om 15:30. "
        "De eerste ronde: dinsdag 8 december om 15:30."
    )
    overview = runtime.chat.command(PLACE, ANN, "planning")
    assert overview.form is None, "with schedules, the list comes first; the form is a button"
    message = overview.messages[0]
    (listing,) = [b for b in message.blocks if isinstance(b, ItemList)]
    (item,) = listing.items
    assert item.text == "#1 *Incidentmethode* (live), om de week op dinsdag om 15:30"
    assert item.note == (
        "volgende: dinsdag 8 december om 15:30 · casussen 3 dagen vooraf · "
        "herinnering 1 dag en 15 min vooraf"
    )
    region, feed = [b for b in message.blocks if isinstance(b, Context)]
    assert "Schoolvakanties tellen nog niet mee" in region.text
    assert "http://127.0.0.1:3978/calendar/" in feed.text
    buttons = next(b for b in message.blocks if isinstance(b, Buttons)).buttons
    assert [(b.action, b.value) for b in buttons] == [
        ("plan_new", ""),
        ("plan_pause", "1"),
        ("plan_delete", "1"),
        ("plan_feed", ""),
    ]


@pytest.mark.parametrize(
    ("form", "code", "dutch", "english_text"),
    [
        (fields(time="02:30"), "dst_hour", "Tussen 02:00 en 03:00", "between 02:00 and 03:00"),
        (
            fields(protocol="kletsmethode"),
            "unknown_protocol",
            "Ik ken de methode `kletsmethode` niet",
            "I don't know the method `kletsmethode`",
        ),
        (
            fields(time="half vier"),
            "bad_time",
            "`half vier` is geen tijd",
            "`half vier` is not a time",
        ),
        (fields(time="25:00"), "bad_time", "Schrijf de tijd als UU:MM", "Write the time as HH:MM"),
        (fields(weekdays=[]), "no_weekday", "ten minste één dag", "at least one day"),
        (fields(first="2020-01-01"), "past_date", "in het verleden", "in the past"),
        (fields(interval="daily"), "bad_choice", "(interval)", "(interval)"),
    ],
)
def test_a_plan_that_cannot_be_kept_is_refused_in_the_teams_language(
    runtime: Runtime, form: dict[str, object], code: str, dutch: str, english_text: str
) -> None:
    refused = plan(runtime, form)  # type: ignore[arg-type]
    assert (refused.accepted, refused.error_code) == (False, code)
    assert dutch in refused.messages[0].text
    english(runtime)
    refused = plan(runtime, form)  # type: ignore[arg-type]
    assert (refused.accepted, refused.error_code) == (False, code)
    assert english_text in refused.messages[0].text
    assert schedules(runtime) == [], "a refused plan changes nothing"


def test_an_async_only_method_cannot_be_planned_live(runtime: Runtime) -> None:
    async_only = [p for p in runtime.library if "live" not in p.modes]
    if not async_only:
        pytest.skip("every built-in method runs live")
    refused = plan(runtime, fields(protocol=async_only[0].id, mode="live"))
    assert refused.error_code == "mode_not_offered"


def test_pause_resume_and_delete(runtime: Runtime) -> None:
    schedule_id = planned(runtime, fields())
    value = str(schedule_id)
    paused = runtime.chat.click(PLACE, BOB, "plan_pause", value, {}, round_id=None)
    assert paused.messages[0].text.startswith(f"Planning #{schedule_id} is gepauzeerd")
    assert [s.status for s in schedules(runtime)] == ["paused"]
    again = runtime.chat.click(PLACE, BOB, "plan_pause", value, {}, round_id=None)
    assert "was al gepauzeerd" in again.messages[0].text
    resumed = runtime.chat.click(PLACE, ANN, "plan_resume", value, {}, round_id=None)
    assert "loopt weer" in resumed.messages[0].text
    assert [s.status for s in schedules(runtime)] == ["active"]
    deleted = runtime.chat.click(PLACE, ANN, "plan_delete", value, {}, round_id=None)
    assert deleted.accepted and schedules(runtime) == []


def test_another_channel_cannot_touch_a_teams_schedule(runtime: Runtime) -> None:
    schedule_id = planned(runtime, fields())
    for action in ("plan_pause", "plan_delete"):
        refused = runtime.chat.click(OTHER, BOB, action, str(schedule_id), {}, round_id=None)
        assert (refused.accepted, refused.error_code) == (False, "schedule_gone")
    assert [s.status for s in schedules(runtime)] == ["active"]


def test_a_repeated_submission_plans_once(runtime: Runtime) -> None:
    first = plan(runtime, fields(), key="slack:view-1")
    second = plan(runtime, fields(), key="slack:view-1")
    assert first.messages[0].text == second.messages[0].text
    assert len(schedules(runtime)) == 1


def test_a_tampered_button_gets_a_clear_answer(runtime: Runtime) -> None:
    reply = runtime.chat.click(PLACE, ANN, "plan_pause", "drop table", {}, round_id=None)
    assert (reply.accepted, reply.error_code) == (False, "malformed")
    assert "/dialoog plan" in reply.messages[0].text


def test_what_people_type_into_the_form_never_reaches_the_log(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    plan(runtime, fields(time="geheim-15:30"))
    plan(runtime, fields(protocol="vertrouwelijk"))
    planned(runtime, fields())
    assert caplog.records, "the refusals and the new schedule are logged"
    assert "geheim" not in caplog.text
    assert "vertrouwelijk" not in caplog.text


def test_the_same_submission_delivered_twice_at_once_plans_once(runtime: Runtime) -> None:
    gate = threading.Barrier(2)
    replies: list[str] = []

    def submit() -> None:
        gate.wait()
        replies.append(plan(runtime, fields(), key="slack:view-2").messages[0].text)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(replies) == 2 and replies[0] == replies[1]
    assert len(schedules(runtime)) == 1
