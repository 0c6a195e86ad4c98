"""`/dialoog plan`: create, list, pause, resume and delete a team's schedules.

The planner wires three parts: what a valid plan is (`plan_rules`), the schedules in
the database (`plan_store`) and what people see (`plan_view`). Sync (it uses the
database), like the rest of the chat layer. Every change calls `changed` afterwards,
so that this process's scheduler rebuilds its jobs at once; other processes see the
change when they next re-read the table.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

import storage
from bot.engine.actions import FieldValue
from bot.engine.vocabulary import Action
from bot.i18n import Language
from bot.scheduler.plan_rules import PlanProblem, read_plan, schedule_id
from bot.scheduler.plan_store import PlanStore
from bot.scheduler.plan_view import PlanAnswer, PlanView
from bot.service.places import Person, Place
from bot.service.rounds import RoundService

__all__ = ["PlanAnswer", "Planner"]

log = logging.getLogger(__name__)


class Planner:
    def __init__(
        self,
        service: RoundService,
        *,
        feed_base: str = "http://127.0.0.1:3978",
        command_name: str = "/dialoog",
        new_token: Callable[[], str] = lambda: secrets.token_urlsafe(32),
    ) -> None:
        self.service = service
        self.store = PlanStore(service, new_token=new_token)
        self.view = PlanView(service.library, command_name=command_name, feed_base=feed_base)
        # Set by the scheduler of this process: rebuild the jobs after a change.
        self.changed: Callable[[], None] | None = None

    @property
    def feed_base(self) -> str:
        return self.view.feed_base

    @property
    def command_name(self) -> str:
        return self.view.command_name

    @property
    def new_token(self) -> Callable[[], str]:
        return self.store.new_token

    @property
    def sessions(self) -> Callable[[], Session]:
        return self.store.sessions

    def team(self, session: Session, place: Place) -> storage.Team:
        return self.store.team(session, place)

    # -- entry points -------------------------------------------------------------------

    def overview(self, place: Place) -> PlanAnswer:
        """The team's schedules with their buttons, and the form when there are none."""
        language = self.service.team_language(place)
        now = self.service.clock.now()
        found = self.store.listing(place, now)
        feed = self.view.feed_url(found.feed_token) if found.feed_token else None
        overview = self.view.overview(
            language, found.schedules, found.zone, now, feed, found.school
        )
        if found.schedules:
            return PlanAnswer(messages=(overview,))
        return PlanAnswer(messages=(overview,), form=self.view.form(language, found.zone, now))

    def click(
        self,
        place: Place,
        person: Person,
        action: str,
        value: str,
        fields: Mapping[str, FieldValue],
        *,
        key: str | None = None,
    ) -> PlanAnswer:
        language = self.service.team_language(place)
        try:
            match action:
                case Action.PLAN_NEW:
                    now = self.service.clock.now()
                    return PlanAnswer(form=self.view.form(language, self.store.zone(place), now))
                case Action.PLAN_CREATE:
                    return self._create(place, person, fields, language, key)
                case Action.PLAN_PAUSE | Action.PLAN_RESUME:
                    status = "paused" if action == Action.PLAN_PAUSE else "active"
                    return self._set_status(place, person, schedule_id(value), status, language)
                case Action.PLAN_DELETE:
                    number = schedule_id(value)
                    self.store.delete(place, person, number)
                    self.notify()
                    return self.view.tell(language, "deleted", id=number)
                case Action.PLAN_FEED:
                    token = self.store.renew_feed(place, person, self.service.clock.now())
                    return self.view.tell(language, "feed_renewed", url=self.view.feed_url(token))
                case _:
                    raise PlanProblem("malformed")
        except PlanProblem as problem:
            # The code and who, never what was typed.
            log.info(
                "plan refused action=%s code=%s team_channel=%s user=%s",
                action,
                problem.code,
                place.channel,
                person.user_id,
            )
            return self.view.refusal(language, problem)

    def say(self, text: str) -> PlanAnswer:
        return self.view.say(text)

    def notify(self) -> None:
        if self.changed is not None:
            self.changed()

    # -- the changes ------------------------------------------------------------------

    def _create(
        self,
        place: Place,
        person: Person,
        fields: Mapping[str, FieldValue],
        language: Language,
        key: str | None,
    ) -> PlanAnswer:
        now = self.service.clock.now()
        zone = self.store.zone(place)
        today = now.astimezone(ZoneInfo(zone)).date()
        plan = read_plan(fields, self.service.library, today=today)
        saved = self.store.create(place, person, plan, zone, now, key)
        self.notify()
        return self.view.created(language, saved, now)

    def _set_status(
        self, place: Place, person: Person, number: int, status: str, language: Language
    ) -> PlanAnswer:
        now = self.service.clock.now()
        saved = self.store.set_status(place, person, number, status, now)
        if saved.changed:
            self.notify()
        return self.view.status(language, number, status, saved, now)
