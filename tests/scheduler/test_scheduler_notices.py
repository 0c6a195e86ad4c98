"""Before a round the channel is asked for cases and reminded; before its due
date an action's owner is reminded privately. Each once."""

from __future__ import annotations

import logging
from datetime import date

import pytest

import storage
from bot.runtime import Runtime
from bot.scheduler.firing import Firing
from tests.fakes.clock import ManualClock
from tests.scheduler.conftest import (
    ANN,
    PLACE,
    claims,
    fields,
    local,
    outbox,
    planned,
    texts_outside_rounds,
)


def run_at(firing: Firing, clock: ManualClock, moment: str) -> None:
    clock.set(local(moment))
    firing.run_due()


def test_the_channel_is_asked_for_cases_and_reminded_before_the_round(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-11-20 09:00"))
    planned(runtime, fields(lead="3", reminders=["1440", "15"]))
    for moment in ("2026-11-21 15:29", "2026-11-21 15:30", "2026-11-21 15:31"):
        run_at(firing, clock, moment)
    for moment in ("2026-11-23 15:30", "2026-11-23 16:00"):
        run_at(firing, clock, moment)
    for moment in ("2026-11-24 15:14", "2026-11-24 15:15", "2026-11-24 15:20"):
        run_at(firing, clock, moment)
    notes = texts_outside_rounds(runtime)
    assert len(notes) == 3
    assert notes[0].startswith(
        "*Incidentmethode* op dinsdag 24 november om 15:30. Heb je een casus"
    )
    assert (
        notes[1]
        == "Herinnering: *Incidentmethode* begint hier dinsdag 24 november om 15:30 (live)."
    )
    assert notes[2] == notes[1]
    assert [c.kind for c in claims(runtime, "notice:4320")] == ["notice:4320"]
    messages = [m for m in outbox(runtime) if m.round_id is None]
    assert all(m.destination == {"user": None} for m in messages), "in the channel"
    assert [m.created_at for m in messages] == [
        local("2026-11-21 15:30"),
        local("2026-11-23 15:30"),
        local("2026-11-24 15:15"),
    ]


def test_after_downtime_only_the_latest_notice_is_posted(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-11-20 09:00"))
    planned(runtime, fields(lead="3", reminders=["1440", "15"]))
    # Down from Friday until ten minutes before the round.
    run_at(firing, clock, "2026-11-24 15:20")
    run_at(firing, clock, "2026-11-24 15:21")
    notes = texts_outside_rounds(runtime)
    assert len(notes) == 1 and notes[0].startswith("Herinnering")


def test_no_notice_for_a_round_already_begun_nor_from_before_planning(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-11-24 15:20"))
    planned(runtime, fields(reminders=["1440"]))  # its day-before moment has passed
    run_at(firing, clock, "2026-11-24 15:25")
    run_at(firing, clock, "2026-11-24 15:35")
    assert texts_outside_rounds(runtime) == []


def test_notices_speak_english_in_an_english_team(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    runtime.chat.command(PLACE, ANN, "language en")
    clock.set(local("2026-11-20 09:00"))
    planned(runtime, fields(reminders=["60"], mode="async"))
    run_at(firing, clock, "2026-11-24 14:30")
    assert texts_outside_rounds(runtime) == [
        "Reminder: *Incident method* starts here Tuesday 24 November at 15:30 (spread out)."
    ]


# -- agreed actions -------------------------------------------------------------------------


def add_action(
    runtime: Runtime,
    action_id: str,
    *,
    owner: str,
    due: date,
    status: str = "open",
    channel: str = PLACE.channel,
) -> None:
    round_id = f"round-of-{action_id}"
    now = runtime.clock.now()
    with runtime.sessions() as session, session.begin():
        tenant = storage.get_or_create_tenant(session, PLACE.platform, PLACE.workspace)
        team = storage.get_or_create_team(
            session, tenant.id, channel, language="nl", timezone="Europe/Amsterdam"
        )
        storage.create_round(
            session,
            round_id=round_id,
            team_id=team.id,
            protocol_id="incident",
            protocol_version="1",
            protocol_snapshot={},
            mode="live",
            status="finished",
            started_by=owner,
            now=now,
        )
        storage.add_action(
            session,
            action_id=action_id,
            team_id=team.id,
            round_id=round_id,
            text=f"geheime tekst van {action_id}",
            owner_user_id=owner,
            due_date=due,
            now=now,
        )
        if status != "open":
            storage.update_action(session, action_id, status=status, now=now)


def private_reminders(runtime: Runtime) -> list[storage.OutboxMessage]:
    return [m for m in outbox(runtime) if m.round_id is None and m.destination.get("user")]


def test_an_open_action_comes_back_to_its_owner_the_day_before_once(
    runtime: Runtime, clock: ManualClock, firing: Firing, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    clock.set(local("2026-11-20 10:00"))
    add_action(runtime, "a1", owner="bob", due=date(2026, 11, 27))
    add_action(runtime, "a2", owner="cas", due=date(2026, 11, 27), status="done")
    add_action(runtime, "a3", owner="dee", due=date(2026, 12, 4))
    add_action(runtime, "a4", owner="eva", due=date(2026, 11, 27), status="not_yet")
    for moment in ("2026-11-26 15:59", "2026-11-26 16:00", "2026-11-26 16:01", "2026-11-27 09:00"):
        run_at(firing, clock, moment)
    reminders = private_reminders(runtime)
    assert sorted(m.destination["user"] for m in reminders) == ["bob", "eva"], (
        "open ones only (not yet counts as open), each once, not the one due next week"
    )
    bob = next(m for m in reminders if m.destination["user"] == "bob")
    assert bob.created_at == local("2026-11-26 16:00")
    assert bob.payload["text"].startswith("Herinnering aan je actiepunt (af op 27 november 2026)")
    assert bob.payload["audience"] == "bob"
    assert "geheime tekst" not in caplog.text, "the action's text is not logged"


def test_a_pass_reads_forty_teams_calendars_in_as_many_statements_as_ten(
    runtime: Runtime, clock: ManualClock, firing: Firing, counted: dict[str, int]
) -> None:
    clock.set(local("2026-11-20 10:00"))

    def statements_of_a_pass(teams: range, moment: str) -> int:
        for n in teams:
            add_action(runtime, f"a{n}", owner="bob", due=date(2026, 11, 27), channel=f"C{n}")
        counted.update(statements=0)
        run_at(firing, clock, moment)
        return counted["statements"]

    ten = statements_of_a_pass(range(10), "2026-11-20 10:01")
    forty = statements_of_a_pass(range(10, 40), "2026-11-20 10:02")
    assert forty == ten, "a calendar look-up per team would be 60 statements more"
    run_at(firing, clock, "2026-11-26 16:00")
    assert len(private_reminders(runtime)) == 40, "and each team's owner is reminded"


def test_an_action_past_its_due_date_or_agreed_after_the_moment_gets_no_reminder(
    runtime: Runtime, clock: ManualClock, firing: Firing
) -> None:
    clock.set(local("2026-11-26 17:00"))
    add_action(runtime, "late", owner="bob", due=date(2026, 11, 27))  # agreed after 16:00
    add_action(runtime, "old", owner="cas", due=date(2026, 11, 20))
    run_at(firing, clock, "2026-11-26 17:01")
    assert private_reminders(runtime) == []
