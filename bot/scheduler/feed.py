"""A team's calendar feed (.ics): its planned rounds for the coming weeks.

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
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web
from icalendar import Calendar, Event
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.i18n import language_of
from bot.scheduler.describe import rule_of
from bot.scheduler.recurrence import occurrences
from bot.scheduler.texts import t
from bot.service.clock import Clock
from protocols.loader import Library
from storage import schedules as repo
from storage.models import Schedule

log = logging.getLogger(__name__)

# How far ahead the feed lists rounds.
WEEKS_AHEAD = 10
# token_urlsafe(32) makes 43 characters; anything else is not one of ours.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def build_feed(
    team: storage.Team,
    schedules: Sequence[Schedule],
    library: Library,
    *,
    now: datetime,
    weeks: int = WEEKS_AHEAD,
) -> bytes:
    """The iCalendar text of a team's active schedules from now on."""
    language = language_of(team.language)
    zone = ZoneInfo(team.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//dialoog//planned rounds//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", t(language, "feed.name", team=team.name or team.external_id))
    calendar.add("x-wr-timezone", team.timezone)
    for schedule in schedules:
        if schedule.status != "active":
            continue
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
        rule = rule_of(schedule, team.timezone)
        for occurrence in occurrences(rule, now, now + timedelta(weeks=weeks)):
            start = occurrence.local.replace(tzinfo=zone)
            event = Event()
            event.add("uid", f"schedule-{schedule.id}-{occurrence.key}@dialoog")
            event.add("dtstamp", now.astimezone(UTC))
            event.add("dtstart", start)
            # Wall-clock arithmetic, then back to the zone's offset on that day.
            event.add("dtend", (occurrence.local + length).replace(tzinfo=zone))
            event.add("summary", t(language, "feed.summary", protocol=title))
            event.add("description", t(language, "feed.description", mode=mode, channel=channel))
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def feed_for_token(
    sessions: sessionmaker[Session], library: Library, token: str, now: datetime
) -> bytes | None:
    with sessions() as session:
        found = repo.team_by_feed_token(session, token)
        if found is None:
            return None
        team, _tenant = found
        return build_feed(team, repo.list_schedules(session, team.id), library, now=now)


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
