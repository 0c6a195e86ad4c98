"""A team's calendar feed (.ics): each schedule as one recurring event.

A schedule is published as its RRULE, so a calendar shows every future round
without the feed listing dates; the rounds that fall in a school holiday or on
a study day are EXDATEs (and RDATEs on their new day when the schedule moves them).

Served at GET /calendar/{token}.ics. The token is the only key, so it is long
and random (secrets.token_urlsafe(32)) and never written to our log; an
unknown token gets a plain 404 that says nothing about which tokens exist.
Times carry their TZID with a VTIMEZONE, so every calendar shows 15:30 in
Amsterdam as 15:30, in summer and winter.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web
from icalendar import Calendar, Event, vRecur
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.i18n import language_of
from bot.scheduler.describe import rule_of
from bot.scheduler.school_calendar import SchoolCalendar, calendar_of, plan, policy_of
from bot.scheduler.texts import t
from bot.service.clock import Clock
from protocols.loader import Library
from storage import schedules as repo
from storage.models import Schedule

log = logging.getLogger(__name__)

# The feed names the rounds the school calendar skips or moves within this window.
EXCEPTIONS_BEHIND = timedelta(weeks=8)
EXCEPTIONS_AHEAD = timedelta(days=400)
# token_urlsafe(32) makes 43 characters; anything else is not one of ours.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def build_feed(
    team: storage.Team,
    schedules: Sequence[Schedule],
    library: Library,
    *,
    now: datetime,
    study_days: Sequence[date] = (),
) -> bytes:
    """The iCalendar text of a team's active schedules: one recurring event each."""
    language = language_of(team.language)
    calendar = Calendar()
    calendar.add("prodid", "-//dialoog//planned rounds//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", t(language, "feed.name", team=team.name or team.external_id))
    calendar.add("x-wr-timezone", team.timezone)
    school = calendar_of(team, study_days)
    for schedule in schedules:
        if schedule.status == "active":
            event = _recurring_event(team, schedule, library, school, now)
            if event is not None:
                calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _recurring_event(
    team: storage.Team,
    schedule: Schedule,
    library: Library,
    school: SchoolCalendar,
    now: datetime,
) -> Event | None:
    """A schedule as one VEVENT with its RRULE; the rounds the school calendar
    skips are EXDATEs, the ones it moves also RDATEs on their new day."""
    language = language_of(team.language)
    zone = ZoneInfo(team.timezone)
    rule = rule_of(schedule, team.timezone)
    first = rule.first_local
    if first is None:
        return None
    protocol = library.get(schedule.protocol_id)
    title = protocol.title.get(language) if protocol else schedule.protocol_id
    if protocol is None:
        length = timedelta(hours=1)
    elif schedule.mode == "async":
        length = timedelta(hours=protocol.async_hours)
    else:
        length = timedelta(minutes=protocol.live_minutes)
    mode = t(language, f"feed.{'async' if schedule.mode == 'async' else 'live'}")
    channel = f"#{team.name}" if team.name else team.external_id
    event = Event()
    event.add("uid", f"schedule-{schedule.id}@dialoog")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", first.replace(tzinfo=zone))
    # Wall-clock arithmetic, then back to the zone's offset on that day.
    event.add("dtend", (first + length).replace(tzinfo=zone))
    event.add("rrule", vRecur.from_ical(rule.rrule_text))
    event.add("summary", t(language, "feed.summary", protocol=title))
    event.add("description", t(language, "feed.description", mode=mode, channel=channel))
    slots = plan(
        rule,
        school,
        policy_of(schedule.holiday_policy),
        now - EXCEPTIONS_BEHIND,
        now + EXCEPTIONS_AHEAD,
    )
    skipped = sorted(
        datetime.combine(slot.planned_on, slot.occurrence.local.time())
        for slot in slots
        if slot.planned_on is not None
    )
    moved = sorted(slot.occurrence.local for slot in slots if slot.moved)
    if skipped:
        event.add("exdate", [local.replace(tzinfo=zone) for local in skipped])
    if moved:
        event.add("rdate", [local.replace(tzinfo=zone) for local in moved])
    return event


def feed_for_token(
    sessions: sessionmaker[Session], library: Library, token: str, now: datetime
) -> bytes | None:
    with sessions() as session:
        found = repo.team_by_feed_token(session, token)
        if found is None:
            return None
        team, _tenant = found
        return build_feed(
            team,
            repo.list_schedules(session, team.id),
            library,
            now=now,
            study_days=repo.study_days(session, team.id),
        )


def feed_route(
    app: web.Application, sessions: sessionmaker[Session], library: Library, clock: Clock
) -> None:
    """Add GET /calendar/{token}.ics to the server."""

    async def serve(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        body = None
        if _TOKEN.fullmatch(token):
            body = await asyncio.to_thread(feed_for_token, sessions, library, token, clock.now())
        if body is None:
            log.info("calendar feed: unknown token")
            raise web.HTTPNotFound(text="not found")
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )

    app.router.add_get("/calendar/{token}.ics", serve)
