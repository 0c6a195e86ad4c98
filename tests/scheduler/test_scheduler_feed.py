"""The calendar feed: behind an unguessable token, parsed by icalendar, right local times."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import aiohttp
import icalendar
from dateutil.rrule import rruleset, rrulestr

from bot.runtime import Runtime
from tests.fakes.clock import ManualClock
from tests.scheduler.conftest import ANN, PLACE, fields, local, planned


def feed_url(runtime: Runtime, server_url: str) -> str:
    overview = runtime.chat.command(PLACE, ANN, "plan")
    found = re.search(r"/calendar/[A-Za-z0-9_-]+\.ics", str(overview.messages[0].blocks))
    assert found is not None, "the overview shows the feed's address"
    return server_url + found[0]


def expand(event: icalendar.Event, until: datetime) -> list[datetime]:
    """The starts of a recurring event up to `until`, as a calendar app computes them."""
    start = event.decoded("dtstart")
    rules = rruleset()
    rules.rrule(rrulestr(event["rrule"].to_ical().decode(), dtstart=start))
    for field, add in (("exdate", rules.exdate), ("rdate", rules.rdate)):
        values = event.get(field, [])
        for value in values if isinstance(values, list) else [values]:
            for moment in value.dts:
                add(moment.dt)
    return list(rules.between(start, until, inc=True))


async def get(url: str) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, response.content_type, await response.read()


async def test_the_feed_lists_the_planned_rounds_at_their_local_times(
    runtime: Runtime, clock: ManualClock, server_url: str
) -> None:
    clock.set(local("2026-03-16 09:00"))
    planned(runtime, fields(interval="biweekly", first="2026-03-17"))
    status, content_type, body = await get(feed_url(runtime, server_url))
    assert (status, content_type) == (200, "text/calendar")
    calendar = icalendar.Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1, "one recurring event per schedule, not a list of dates"
    first = events[0]
    assert first["rrule"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=MO"
    starts = expand(first, until=local("2026-05-20 00:00").astimezone(ZoneInfo("Europe/Amsterdam")))
    # Every other Tuesday, across the change to summer time.
    assert [s.date().isoformat() for s in starts] == [
        "2026-03-17",
        "2026-03-31",
        "2026-04-14",
        "2026-04-28",
        "2026-05-12",
    ]
    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert {s.astimezone(amsterdam).time() for s in starts} == {time(15, 30)}
    assert [s.utcoffset().total_seconds() / 3600 for s in starts[:2]] == [1.0, 2.0]
    assert first["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert str(first["summary"]) == "Incidentmethode (dialoog)"
    minutes = (first.decoded("dtend") - first.decoded("dtstart")).total_seconds() / 60
    assert minutes == runtime.library["incident"].live_minutes
    assert "exdate" not in first, "a team without a region has no holidays"


async def test_a_paused_schedule_leaves_the_feed(
    runtime: Runtime, clock: ManualClock, server_url: str
) -> None:
    schedule_id = planned(runtime, fields())
    url = feed_url(runtime, server_url)
    runtime.chat.click(PLACE, ANN, "plan_pause", str(schedule_id), {}, round_id=None)
    status, _, body = await get(url)
    assert status == 200
    assert icalendar.Calendar.from_ical(body).walk("VEVENT") == []


async def test_an_unknown_or_renewed_token_gets_404(runtime: Runtime, server_url: str) -> None:
    planned(runtime, fields())
    old = feed_url(runtime, server_url)
    assert (await get(f"{server_url}/calendar/{'x' * 43}.ics"))[0] == 404
    assert (await get(f"{server_url}/calendar/short.ics"))[0] == 404
    renewed = runtime.chat.click(PLACE, ANN, "plan_feed", "", {}, round_id=None)
    assert "werkt niet meer" in renewed.messages[0].text
    assert (await get(old))[0] == 404
    new = feed_url(runtime, server_url)
    assert new != old and (await get(new))[0] == 200
    token = new.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43, "32 random bytes"
