"""The chat side of insights: `/dialoog overzicht` (with its page links),
`/dialoog naam uit|aan` and `/dialoog mijn dossier`.

The overview goes to the channel and the dossier to the person, both through
the outbox like every other message, so a crash or a slow platform loses
neither. Links go only to the person who asked, privately.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

import storage
from bot.engine import events as ev
from bot.engine.messages import File, Message, Paragraph, message_to_json
from bot.engine.state import fold
from bot.i18n import Language
from bot.insights.dossier import DossierRound, OwnAction, dossier_markdown
from bot.insights.gather import team_insights
from bot.insights.numbers import Period
from bot.insights.report import overview_message, titles_in
from bot.insights.texts import t
from bot.service.places import Person, Place
from bot.service.rounds import RoundService
from bot.service.teams import team_at
from protocols.schema import FACILITATOR
from storage import insights as repo

log = logging.getLogger(__name__)

TEAM_PAGE = "/overzicht/{token}"
SCHOOL_PAGE = "/overzicht/school/{token}"
_YEAR = re.compile(r"(\d{4})(?:[-/](\d{2}|\d{4}))?")
_REVOKE = {"intrekken", "revoke", "uit", "off", "stop"}
_OFF = {"uit", "off", "nee", "no"}
_ON = {"aan", "on", "ja", "yes"}


@dataclass(frozen=True)
class DeskAnswer:
    messages: tuple[Message, ...] = ()
    accepted: bool = True
    error_code: str | None = None


class InsightsDesk:
    def __init__(
        self,
        service: RoundService,
        *,
        public_url: str = "http://127.0.0.1:3978",
        coordinators: Collection[str] = (),
        command_name: str = "/dialoog",
        new_token: Callable[[], str] = lambda: secrets.token_urlsafe(32),
    ) -> None:
        self.service = service
        self.public_url = public_url.rstrip("/")
        self.coordinators = frozenset(coordinators)
        self.command_name = command_name
        self.new_token = new_token

    def for_command(self, command_name: str) -> InsightsDesk:
        """The same desk, naming the command as a channel types it ("@dialoog")."""
        if command_name == self.command_name:
            return self
        return InsightsDesk(
            self.service,
            public_url=self.public_url,
            coordinators=self.coordinators,
            command_name=command_name,
            new_token=self.new_token,
        )

    @property
    def sessions(self) -> Callable[[], Session]:
        return self.service.sessions

    # -- /dialoog overzicht ------------------------------------------------------------

    def overview(self, place: Place, person: Person, argument: str | None) -> DeskAnswer:
        words = (argument or "").lower().split()
        language = self.service.team_language(place)
        match words:
            case ["link"]:
                return self._team_link(place, person, language)
            case ["link", word] if word in _REVOKE:
                return self._revoke_team_link(place, person, language)
            case ["school"]:
                return self._school_link(place, person, language)
            case ["school", word] if word in _REVOKE:
                return self._revoke_school_link(place, person, language)
            case []:
                return self._post(place, language, None)
            case [year]:
                period = period_of(year)
                if period is not None:
                    return self._post(place, language, period)
        return self._refuse(language, "period_unknown")

    def _post(self, place: Place, language: Language, period: Period | None) -> DeskAnswer:
        now = self.service.clock.now()
        with self.sessions() as session, session.begin():
            team = self._team(session, place)
            if period is None:
                period = Period.school_year_of(now.astimezone(ZoneInfo(team.timezone)).date())
            insights = team_insights(session, team, period)
        # Drawn between the transactions: the chart takes a few hundred milliseconds,
        # which no database lock (SQLite's one writer) should wait for.
        message = overview_message(
            insights,
            language,
            team.name or team.external_id,
            titles_in(self.service.library, language),
        )
        with self.sessions() as session, session.begin():
            storage.enqueue(
                session,
                [
                    storage.OutgoingMessage(
                        team_id=team.id,
                        platform=place.platform,
                        destination={"user": None},
                        payload=message_to_json(message),
                    )
                ],
                now=now,
            )
        log.info(
            "insights posted team=%s period=%s rounds=%d", team.id, period.label, insights.held
        )
        self._wake()
        return self._say(language, "posted")

    # -- the page links -------------------------------------------------------------------

    def _team_link(self, place: Place, person: Person, language: Language) -> DeskAnswer:
        now = self.service.clock.now()
        with self.sessions() as session, session.begin():
            team = self._team(session, place)
            if not repo.has_steered(session, team.id, person.user_id, role_id=FACILITATOR):
                return self._refuse(language, "not_facilitator")
            token = repo.insight_link(
                session,
                "team",
                team.id,
                created_by=person.user_id,
                now=now,
                new_token=self.new_token,
            )
        log.info("insights link handed out team=%s user=%s", team.id, person.user_id)
        return self._say(language, "link", url=self.public_url + TEAM_PAGE.format(token=token))

    def _revoke_team_link(self, place: Place, person: Person, language: Language) -> DeskAnswer:
        with self.sessions() as session, session.begin():
            team = self._team(session, place)
            if not repo.has_steered(session, team.id, person.user_id, role_id=FACILITATOR):
                return self._refuse(language, "not_facilitator")
            gone = repo.revoke_insight_link(session, "team", team.id)
        log.info("insights link revoked team=%s user=%s found=%s", team.id, person.user_id, gone)
        return self._say(language, "revoked" if gone else "nothing_to_revoke")

    def _school_link(self, place: Place, person: Person, language: Language) -> DeskAnswer:
        if person.user_id not in self.coordinators:
            return self._refuse(language, "not_coordinator")
        now = self.service.clock.now()
        with self.sessions() as session, session.begin():
            tenant = self._team(session, place).tenant_id
            token = repo.insight_link(
                session,
                "school",
                tenant,
                created_by=person.user_id,
                now=now,
                new_token=self.new_token,
            )
        log.info("school insights link handed out tenant=%s user=%s", tenant, person.user_id)
        url = self.public_url + SCHOOL_PAGE.format(token=token)
        return self._say(language, "school_link", url=url)

    def _revoke_school_link(self, place: Place, person: Person, language: Language) -> DeskAnswer:
        if person.user_id not in self.coordinators:
            return self._refuse(language, "not_coordinator")
        with self.sessions() as session, session.begin():
            tenant = self._team(session, place).tenant_id
            gone = repo.revoke_insight_link(session, "school", tenant)
        log.info("school insights link revoked tenant=%s user=%s", tenant, person.user_id)
        return self._say(language, "revoked" if gone else "nothing_to_revoke")

    # -- /dialoog naam uit|aan ----------------------------------------------------------------

    def naming(self, place: Place, person: Person, argument: str | None) -> DeskAnswer:
        language = self.service.team_language(place)
        word = (argument or "").lower()
        if word not in _OFF | _ON:
            return self._say(language, "naming_how")
        named = word in _ON
        with self.sessions() as session, session.begin():
            team = self._team(session, place)
            storage.get_or_create_member(session, team.id, person.user_id, display_name=person.name)
            repo.set_insights_named(session, team.id, person.user_id, named=named)
        log.info("insights naming team=%s user=%s named=%s", team.id, person.user_id, named)
        return self._say(language, "naming_on" if named else "naming_off")

    # -- /dialoog mijn dossier ------------------------------------------------------------

    def dossier(self, place: Place, person: Person) -> DeskAnswer:
        language = self.service.team_language(place)
        now = self.service.clock.now()
        with self.sessions() as session, session.begin():
            here = self._team(session, place)
            entries = _own_rounds(session, here.tenant_id, person.user_id)
            text = dossier_markdown(person.user_id, person.name, entries, language, now)
            document = File.of(t(language, "dossier.file"), "text/markdown", text.encode("utf-8"))
            message = Message(text=text, blocks=(Paragraph(text), document))
            storage.enqueue(
                session,
                [
                    storage.OutgoingMessage(
                        team_id=here.id,
                        platform=place.platform,
                        destination={"user": person.user_id},
                        payload=message_to_json(message),
                    )
                ],
                now=now,
            )
        log.info("dossier sent user=%s rounds=%d", person.user_id, len(entries))
        self._wake()
        return self._say(language, "dossier.sent")

    # -- pieces ---------------------------------------------------------------------------

    def _team(self, session: Session, place: Place) -> storage.Team:
        return team_at(session, place, self.service)

    def _wake(self) -> None:
        if self.service.after_commit is not None:
            self.service.after_commit()

    def _say(self, language: Language, key: str, **params: object) -> DeskAnswer:
        text = t(language, key, cmd=self.command_name, **params)
        return DeskAnswer(messages=(Message(text=text, blocks=(Paragraph(text),)),))

    def _refuse(self, language: Language, code: str) -> DeskAnswer:
        said = self._say(language, code)
        return DeskAnswer(messages=said.messages, accepted=False, error_code=code)


def period_of(word: str) -> Period | None:
    """ "2025-2026", "2025/26" or "2025": the school year that starts in August 2025."""
    match = _YEAR.fullmatch(word)
    if match is None:
        return None
    first = int(match.group(1))
    second = match.group(2)
    if second is not None and int(second[-2:]) != (first + 1) % 100:
        return None
    if not 2000 <= first <= 2100:
        return None
    return Period.school_year(first)


def _own_rounds(session: Session, tenant_id: int, user: str) -> list[DossierRound]:
    """The finished rounds the user took part in, in every team of the workspace."""
    out: list[DossierRound] = []
    for team in storage.list_teams(session, tenant_id):
        rounds = repo.rounds_of_teams(session, [team.id])
        finished = [r for r in rounds if r.status == "finished"]
        actions = repo.actions_of_rounds(session, [r.id for r in finished])
        for row in finished:
            state = fold(
                ev.event_from_payload(e.payload) for e in storage.load_events(session, row.id)
            )
            if user not in state.participants:
                continue
            own = [
                OwnAction(a.text, a.due_date, a.status, a.report)
                for a in actions
                if a.round_id == row.id and a.owner_user_id == user
            ]
            out.append(DossierRound(state, team.name or team.external_id, own))
    out.sort(key=lambda entry: entry.state.started_at)
    return out


def coordinators_of(setting: str | None) -> frozenset[str]:
    """The user ids DIALOOG_SCHOOL_COORDINATORS names, comma- or space-separated."""
    return frozenset(part for part in re.split(r"[,\s]+", setting or "") if part)
