"""What the service answers without changing anything: a round's state, card and
panel, where it lives, the channel's rounds, a team's language and sector."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

import storage
import storage.pending
from bot.engine import commands as cmd
from bot.engine.decide import decide
from bot.engine.errors import DomainError
from bot.engine.guide import question_of_slot
from bot.engine.messages import Message
from bot.engine.state import RoundState
from bot.engine.view import card, panel
from bot.i18n import Language, language_of
from bot.service.clock import Clock
from bot.service.outcomes import Outcome, RoundInfo
from bot.service.places import Place
from bot.service.states import StateCache
from bot.service.whereabouts import Whereabouts, belongs
from protocols.sector import Sector, sector_of

ACTIVE = ("gathering", "running", "paused")


class RoundQueries:
    """The reading half of `RoundService` (its base class): nothing here writes."""

    sessions: sessionmaker[Session]
    clock: Clock
    default_language: Language
    states: StateCache
    whereabouts: Whereabouts

    def check(self, round_id: str, command: cmd.Command) -> Outcome | None:
        """Whether the round would take the command now: its refusal, or None.
        Nothing is stored (the guard asks before it holds part of a form)."""
        with self.sessions() as session:
            row = storage.rounds.round_head(session, round_id)
            if row is None:
                return Outcome.refused(round_id, DomainError("no_round"))
            state = self._state(session, round_id, row.version, purged=row.purged)
            try:
                decide(state, command, self.clock.now())
            except DomainError as error:
                return Outcome.refused(round_id, error)
        return None

    def held_text(self, pending_id: str, user: str) -> str | None:
        """What the author wrote in a held contribution (only to show it to them)."""
        with self.sessions() as session:
            row = storage.pending.get_pending(session, pending_id, user)
            return row.text if row is not None else None

    def active_round(self, place: Place) -> RoundInfo | None:
        """The channel's most recently started active round (see `active_rounds`)."""
        rounds = self.active_rounds(place)
        return rounds[-1] if rounds else None

    def active_rounds(self, place: Place) -> list[RoundInfo]:
        """The channel's active rounds, oldest first."""
        with self.sessions() as session:
            team = self._find_team(session, place)
            if team is None:
                return []
            running = storage.active_rounds(session, team.id, statuses=ACTIVE)
            return [RoundInfo(r.id, team.id, place, self._state(session, r.id)) for r in running]

    def round_is_at(self, round_id: str, place: Place, *, private: bool = False) -> bool:
        """Whether the round belongs to this channel (`private`: a person's own
        conversation with the bot, which may act on any round of its workspace).
        A round that does not exist is not refused here: handling it says so."""
        home = self.whereabouts.home_of(round_id)
        return home is None or belongs(home, place, private=private)

    def would_change(self, round_id: str, command: cmd.Command) -> bool:
        """Whether the command would add anything to the round now; raises the
        DomainError it would be refused with. Nothing is stored."""
        with self.sessions() as session:
            row = storage.rounds.round_head(session, round_id)
            if row is None:
                raise DomainError("no_round")
            state = self._state(session, round_id, row.version, purged=row.purged)
            return bool(decide(state, command, self.clock.now()))

    def question_of_post(self, round_id: str, external_id: str) -> str | None:
        """The question whose own message (see bot.engine.guide) is this platform post."""
        with self.sessions() as session:
            slot = storage.slot_of_posted(session, round_id, external_id)
        return question_of_slot(slot) if slot else None

    def round(self, round_id: str) -> RoundState | None:
        with self.sessions() as session:
            row = storage.rounds.round_head(session, round_id)
            if row is None:
                return None
            return self._state(session, round_id, row.version, purged=row.purged)

    def card(self, round_id: str) -> Message | None:
        state = self.round(round_id)
        return card(state, self.clock.now()) if state else None

    def panel(self, round_id: str, user: str, focus: str = "") -> Message | None:
        """The person's private form(s) (what a Slack modal shows); see view.panel."""
        state = self.round(round_id)
        return panel(state, user, self.clock.now(), focus) if state else None

    def undelivered(self, round_id: str) -> int:
        """Messages of the round that failed for good or may not have arrived."""
        with self.sessions() as session:
            return storage.outbox.undelivered(session, round_id)

    def team_sector(self, place: Place) -> Sector | None:
        with self.sessions() as session:
            team = self._find_team(session, place)
            return sector_of(team.sector if team else None)

    def team_language(self, place: Place) -> Language:
        with self.sessions() as session:
            found = storage.teams.team_language_at(
                session, place.platform, place.workspace, place.channel
            )
            return language_of(found, self.default_language)

    def _state(
        self, session: Session, round_id: str, version: int | None = None, *, purged: bool = False
    ) -> RoundState:
        if version is None:
            row = storage.rounds.round_head(session, round_id)
            assert row is not None
            version, purged = row.version, row.purged
        return self.states.load(session, round_id, version, purged=purged)

    def _find_team(self, session: Session, place: Place) -> storage.Team | None:
        return storage.teams.find_team(session, place.platform, place.workspace, place.channel)
