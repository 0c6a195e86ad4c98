"""`/dialoog regio` and `/dialoog studiedag`: a team's school calendar, set in the chat.

Anyone in the channel may set them, as anyone may plan: peer teams have no
hierarchy, and the log records who did what, by user id.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from zoneinfo import ZoneInfo

from bot.i18n import Language
from bot.scheduler.planner import PlanAnswer, Planner
from bot.scheduler.school_calendar import Region, calendar_of
from bot.scheduler.texts import t
from bot.service.places import Person, Place
from bot.words import long_day
from storage import schedules as repo

log = logging.getLogger(__name__)

# What people type for a region, in either language.
_REGION_WORDS: dict[str, Region | None] = {
    "noord": "noord",
    "north": "noord",
    "midden": "midden",
    "middle": "midden",
    "central": "midden",
    "zuid": "zuid",
    "south": "zuid",
    "geen": None,
    "none": None,
}
_REMOVE_WORDS = ("weg", "verwijder", "remove", "delete", "-")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


class SchoolDays:
    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        self.service = planner.service

    def region(self, place: Place, person: Person, typed: str | None) -> PlanAnswer:
        language = self.service.team_language(place)
        if typed is None:
            return self._show(place, language)
        word = typed.strip().lower()
        if word not in _REGION_WORDS:
            return self._refuse(language, "region.unknown")
        region = _REGION_WORDS[word]
        with self.planner.sessions() as session, session.begin():
            team = self.planner.team(session, place)
            repo.set_region(session, team.id, region)
        log.info(
            "team region set team_channel=%s region=%s user=%s",
            place.channel,
            region,
            person.user_id,
        )
        self.planner.notify()
        if region is None:
            return self._say(language, "region.cleared")
        return self._say(language, "region.set", region=t(language, f"region.name.{region}"))

    def study_day(self, place: Place, person: Person, typed: str | None) -> PlanAnswer:
        language = self.service.team_language(place)
        if typed is None:
            return self._show(place, language)
        words = typed.split()
        remove = bool(words) and words[0] in _REMOVE_WORDS
        day = _date(" ".join(words[1:] if remove else words))
        if day is None:
            return self._refuse(language, "study_day.bad_date")
        now = self.service.clock.now()
        with self.planner.sessions() as session, session.begin():
            team = self.planner.team(session, place)
            if remove:
                changed = repo.remove_study_day(session, team.id, day)
                key = "study_day.removed" if changed else "study_day.absent"
            else:
                if day < now.astimezone(ZoneInfo(team.timezone)).date():
                    return self._refuse(language, "study_day.past", day=long_day(language, day))
                changed = repo.add_study_day(
                    session, team.id, day, created_by=person.user_id, now=now
                )
                key = "study_day.added" if changed else "study_day.known"
        if changed:
            log.info(
                "study day %s team_channel=%s user=%s",
                "removed" if remove else "added",
                place.channel,
                person.user_id,
            )
            self.planner.notify()
        return self._say(language, key, day=long_day(language, day))

    # -- pieces -------------------------------------------------------------------------

    def _show(self, place: Place, language: Language) -> PlanAnswer:
        with self.planner.sessions() as session, session.begin():
            team = self.planner.team(session, place)
            school = calendar_of(team, repo.study_days(session, team.id))
            today = self.service.clock.now().astimezone(ZoneInfo(team.timezone)).date()
        days = ", ".join(long_day(language, d) for d in sorted(school.study_days) if d >= today)
        days = days or t(language, "study_day.none")
        if school.region is None:
            return self._say(language, "region.none", days=days)
        region = t(language, f"region.name.{school.region}")
        return self._say(language, "region.show", region=region, days=days)

    def _say(self, language: Language, key: str, **params: object) -> PlanAnswer:
        text = t(language, key, cmd=self.planner.command_name, **params)
        return self.planner.say(text)

    def _refuse(self, language: Language, key: str, **params: object) -> PlanAnswer:
        answer = self._say(language, key, **params)
        return PlanAnswer(messages=answer.messages, accepted=False, error_code=key)


def _date(typed: str) -> date | None:
    """ "2027-03-15" or "15-03-2027" (also with / or .), or None."""
    typed = typed.strip()
    if found := _ISO.fullmatch(typed):
        year, month, day = (int(g) for g in found.groups())
    elif found := _DUTCH.fullmatch(typed):
        day, month, year = (int(g) for g in found.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


__all__ = ["SchoolDays"]
