"""The service: the one entry the channels use. It loads a round, lets the engine
decide, and stores the events, the command's key and the messages to send in one
transaction. The dispatcher sends those messages after the commit.

Split in three: the commands and their transaction (here), the queries
(`bot.service.queries`, the base class), and what a command keeps beside the log
(`bot.service.projections`). `Outcome` and `RoundInfo` live in
`bot.service.outcomes` and are named here too, as before."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Literal

from pydantic import TypeAdapter
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

import storage
import storage.pending
from bot.engine import commands as cmd
from bot.engine import events as ev
from bot.engine import timers
from bot.engine.decide import decide
from bot.engine.errors import DomainError
from bot.engine.messages import Message, message_to_json
from bot.engine.state import RoundState, evolve, fold
from bot.engine.texts import TEXTS
from bot.engine.view import CARD, card, notices
from bot.i18n import Language, language_of, translate
from bot.service.clock import Clock
from bot.service.dispatch import Delivery, claim_at_once
from bot.service.metrics import Metrics
from bot.service.outcomes import Outcome, RoundInfo
from bot.service.places import Person, Place
from bot.service.projections import open_actions, project, role_history
from bot.service.queries import ACTIVE, RoundQueries
from bot.service.retries import tried
from bot.service.states import StateCache
from bot.service.teams import team_at
from bot.service.whereabouts import Whereabouts
from bot.words import listed
from protocols.loader import Library
from protocols.sector import Sector, for_sector, sector_of
from storage.models import PendingContribution

__all__ = ["ACTIVE", "MAX_ROUNDS_PER_CHANNEL", "Outcome", "RoundInfo", "RoundService"]

log = logging.getLogger(__name__)

# Rounds that may run at once in one channel: a live one beside rounds spread over
# days; more would be more cards than a team can follow.
MAX_ROUNDS_PER_CHANNEL = 4
# Racing writers re-read and re-decide; ten tries outlast any realistic burst
# of clicks on one round.
_ATTEMPTS = 10
# What sends a command round again (a racing writer, a busy database), and the most
# seconds waited before the next try.
_CONFLICTS = (storage.VersionConflict, OperationalError)
_CONFLICT_JITTER = 0.05


class RoundService(RoundQueries):
    """Commands, each in one transaction (here), and the queries (`RoundQueries`)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        library: Library,
        clock: Clock,
        *,
        default_language: Language = "nl",
        default_timezone: str = "Europe/Amsterdam",
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
        after_commit: Callable[[], None] | None = None,
        handoff: Callable[[list[Delivery]], None] | None = None,
        metrics: Metrics | None = None,
        retention: storage.retention.RetentionPolicy | None = None,
    ) -> None:
        self.sessions = sessions
        self.library = library
        self.clock = clock
        self.default_language = default_language
        self.default_timezone = default_timezone
        self.new_id = new_id
        # Called after a commit that queued messages: wakes the dispatcher.
        self.after_commit = after_commit
        # Given the messages claimed at once as they were queued (an update of the
        # card), after the commit: the dispatcher sends them without claiming.
        self.handoff = handoff
        self.metrics = metrics or Metrics()
        self.retention = retention or storage.retention.RetentionPolicy()
        self.states = StateCache()
        # Where each round lives: fixed once it exists, so remembered.
        self.whereabouts = Whereabouts(sessions)

    # -- commands ---------------------------------------------------------------------

    def start(
        self,
        place: Place,
        person: Person,
        protocol_name: str,
        *,
        mode: Literal["live", "async"] = "live",
        key: str | None = None,
        scheduled: bool = False,
    ) -> Outcome:
        """Start a round of a protocol in a channel. Several may run in one channel
        (each with its own card and thread), but one live round at a time: people
        meet once. A scheduled round is started for `person` (who planned it) in
        their absence."""
        round_id = self.new_id()
        fresh: list[RoundState] = []

        def attempt(session: Session, now: datetime) -> Outcome:
            fresh.clear()
            team = self._team(session, place)
            storage.teams.lock_team(session, team.id)
            running = storage.active_rounds(session, team.id, statuses=ACTIVE)
            language = language_of(team.language)
            live = [r for r in running if r.mode == "live"]
            if mode == "live" and live:
                title = self._state(session, live[0].id).protocol.title
                raise DomainError("round_running", title=title.get)
            if len(running) >= MAX_ROUNDS_PER_CHANNEL:
                raise DomainError("too_many_rounds", count=len(running))
            protocol = self.library.get(protocol_name)
            if protocol is None:
                titles = listed(p.title for p in self.library)
                raise DomainError("unknown_protocol", name=protocol_name, titles=titles)
            if mode not in protocol.modes:
                raise DomainError("mode_not_offered", mode=_mode_text(mode))
            storage.get_or_create_member(session, team.id, person.user_id, display_name=person.name)
            command = cmd.StartRound(
                round_id=round_id,
                protocol=for_sector(protocol, sector_of(team.sector)).model_dump(mode="json"),
                mode=mode,
                language=language,
                timezone=team.timezone,
                user=person.user_id,
                name=person.name,
                open_actions=open_actions(session, team.id),
                role_history=role_history(session, team.id, protocol.roles),
                scheduled=scheduled,
            )
            events = decide(None, command, now)
            state = fold(events)
            storage.create_round(
                session,
                round_id=round_id,
                team_id=team.id,
                protocol_id=protocol.id,
                protocol_version=str(protocol.version),
                protocol_snapshot=command.protocol,
                mode=mode,
                status=state.status,
                started_by=person.user_id,
                now=now,
            )
            state, _queued, _drawn = self._store(
                session, team.id, place.platform, None, 0, events, person.user_id, key, now
            )
            fresh[:] = [state]
            return Outcome(round_id=round_id, accepted=True)

        return self._remember(self._transaction("StartRound", None, key, attempt), fresh)

    def handle(self, round_id: str, command: cmd.Command, *, key: str | None = None) -> Outcome:
        """Decide one command on a round and store what follows from it."""
        return self._command(type(command).__name__, round_id, lambda _session: command, key)

    def _command(
        self,
        kind: str,
        round_id: str,
        command_of: Callable[[Session], cmd.Command],
        key: str | None,
    ) -> Outcome:
        """Decide the command `command_of` gives (under the round's lock) and store it."""
        fresh: list[RoundState] = []
        handed: list[Delivery] = []
        queued_count = [0]
        # The team's language, read with the round: the answer needs no lookup of its own.
        language: list[Language] = []

        def attempt(session: Session, now: datetime) -> Outcome:
            fresh.clear()
            handed.clear()
            queued_count[0] = 0
            row = storage.rounds.round_head(session, round_id, for_update=True)
            if row is None:
                self.whereabouts.forget(round_id)
                raise DomainError("no_round")
            language[:] = [language_of(row.language, self.default_language)]
            command = command_of(session)
            actor = getattr(command, "user", None)
            if actor and isinstance(command, cmd.Join):
                storage.get_or_create_member(session, row.team_id, actor, display_name=command.name)
            before = self._state(session, round_id, row.version, purged=row.purged)
            events = decide(before, command, now)
            if events:
                place = row.place
                after, queued, drawn = self._store(
                    session,
                    row.team_id,
                    place.platform,
                    before,
                    row.version,
                    events,
                    actor,
                    key,
                    now,
                )
                fresh.append(after)
                queued_count[0] = len(queued)
                if self.handoff is not None and queued:
                    first = claim_at_once(session, queued[0], place, now, message=drawn[0])
                    handed.extend([first] if first else [])
            elif isinstance(command, cmd.Tick) and row.deadline is not None and row.deadline <= now:
                # (A wake-up already moved on: another sweeper redrew this minute.)
                self._redraw(session, row.team_id, row.place.platform, before, now)
            return Outcome(round_id=round_id, accepted=True)

        def all_handed() -> bool:
            # The dispatcher gets those directly; a wake would only make it look for more.
            return bool(handed) and len(handed) == queued_count[0]

        outcome = self._transaction(kind, round_id, key, attempt, quiet=all_handed)
        if handed and self.handoff is not None and outcome.accepted and not outcome.replayed:
            self.handoff(list(handed))
        if language:
            outcome = replace(outcome, team_language=language[0])
        return self._remember(outcome, fresh)

    # -- contributions the pupil-name guard holds back (bot.guard) ----------------------

    def hold(
        self, round_id: str, command: cmd.Command, *, field: str = "text", key: str | None = None
    ) -> Outcome:
        """Keep a command's text (its `field`) aside, durably and privately, instead of
        adding it to the round.

        It is checked as `handle` would (a refusal is told now, not after the author
        chose), but nothing reaches the round's log or the outbox.
        """

        def attempt(session: Session, now: datetime) -> Outcome:
            return self._hold(session, round_id, command, field, now)

        return self._transaction("HoldHeld", round_id, key, attempt)

    def rehold(
        self, round_id: str, pending_id: str, user: str, text: str, *, key: str | None = None
    ) -> Outcome:
        """The author changed a held text and it still needs their choice: the new
        version replaces the old, for the same command (step, question, action)."""

        def attempt(session: Session, now: datetime) -> Outcome:
            earlier = storage.pending.take_pending(session, pending_id, user)
            if earlier is None or earlier.round_id != round_id:
                raise DomainError("held_gone")
            command, field = _held_command(earlier, text)
            return self._hold(session, round_id, command, field, now)

        return self._transaction("HoldHeld", round_id, key, attempt)

    def _hold(
        self, session: Session, round_id: str, command: cmd.Command, field: str, now: datetime
    ) -> Outcome:
        row = storage.rounds.round_head(session, round_id)
        if row is None:
            raise DomainError("no_round")
        state = self._state(session, round_id, row.version, purged=row.purged)
        decide(state, command, now)
        language = language_of(row.language, self.default_language)
        pending_id = self.new_id()
        storage.pending.hold_pending(
            session,
            pending_id=pending_id,
            round_id=round_id,
            user_id=str(getattr(command, "user", "")),
            step_id=getattr(command, "step_id", None),
            text=str(getattr(command, field)),
            # The command without its text: what the text becomes once released.
            command={"field": field, "fields": command.model_dump(mode="json", exclude={field})},
            now=now,
        )
        return Outcome(round_id=round_id, accepted=True, held=pending_id, team_language=language)

    def release(
        self,
        round_id: str,
        pending_id: str,
        user: str,
        rewrite: Callable[[str], str],
        *,
        key: str | None = None,
    ) -> Outcome:
        """The author's choice: their held contribution, as `rewrite` makes it, joins the
        round in the transaction that removes it from the pending ones."""

        def command_of(session: Session) -> cmd.Command:
            pending = storage.pending.take_pending(session, pending_id, user)
            if pending is None or pending.round_id != round_id:
                raise DomainError("held_gone")
            return _held_command(pending, rewrite(pending.text))[0]

        return self._command("ReleaseHeld", round_id, command_of, key)

    def _remember(self, outcome: Outcome, fresh: list[RoundState]) -> Outcome:
        """Keep the state a committed command produced, for the next command."""
        if fresh and outcome.accepted and not outcome.replayed:
            self.states.keep(fresh[-1])
        return outcome

    def sweep(self, *, limit: int = 50) -> int:
        """Let the clock act on every round whose wake-up time has passed.

        Each due round is ticked once, also with several processes sweeping:
        PostgreSQL hands each row to one of them (SKIP LOCKED), and the version
        guard catches the rest. Returns how many rounds were ticked.
        """
        now = self.clock.now()
        with self.sessions() as session:
            due = [r.id for r in storage.due_rounds(session, now, statuses=ACTIVE, limit=limit)]
            session.rollback()
        for round_id in due:
            self.handle(round_id, cmd.Tick())
        return len(due)

    def set_language(self, place: Place, language: Language) -> None:
        with self.sessions() as session, session.begin():
            team = self._team(session, place)
            storage.teams.set_team_language(session, team.id, language)

    def set_sector(self, place: Place, sector: Sector | None) -> None:
        with self.sessions() as session, session.begin():
            team = self._team(session, place)
            storage.teams.set_team_sector(session, team.id, sector)

    # -- the transaction ----------------------------------------------------------------

    def _transaction(
        self,
        kind: str,
        round_id: str | None,
        key: str | None,
        attempt: Callable[[Session, datetime], Outcome],
        *,
        quiet: Callable[[], bool] = lambda: False,
    ) -> Outcome:
        outcome = self._decided(round_id, key, attempt, quiet)
        result = "replayed" if outcome.replayed else "accepted" if outcome.accepted else "refused"
        self.metrics.command(kind, result)
        return outcome

    def _decided(
        self,
        round_id: str | None,
        key: str | None,
        attempt: Callable[[Session, datetime], Outcome],
        quiet: Callable[[], bool],
    ) -> Outcome:
        def once() -> Outcome:
            """One try: the command's transaction, or its refusal's answer recorded."""
            try:
                with self.sessions() as session, session.begin():
                    outcome = attempt(session, self.clock.now())
                    if key is not None:
                        storage.record_processed(
                            session, key, round_id=outcome.round_id, outcome=outcome.to_json()
                        )
                if self.after_commit is not None and not quiet():
                    self.after_commit()
                return outcome
            except DomainError as error:
                # Nothing of the refused command was kept; only its answer is.
                log.info("refused round=%s code=%s", round_id, error.code)
                outcome = Outcome.refused(round_id, error)
            if key is not None:
                with self.sessions() as session, session.begin():
                    storage.record_processed(
                        session, key, round_id=round_id, outcome=outcome.to_json()
                    )
            return outcome

        # The key is not looked up before the work: recording it at the end finds a
        # delivery handled before just as surely (its insert conflicts, and the work
        # is rolled back), and a first delivery, nearly every one, costs a statement
        # less. A repeat is answered from the record, once that insert has said so.
        def answered() -> Outcome:
            try:
                return once()
            except storage.AlreadyProcessed:
                assert key is not None
                done = self._processed(key)
                if done is None:
                    raise  # its writer rolled back after all: try again
                log.info("duplicate delivery ignored key=%s", key)
                return done

        return tried(answered, on=_CONFLICTS, tries=_ATTEMPTS, jitter=_CONFLICT_JITTER)

    def _processed(self, key: str) -> Outcome | None:
        """The answer recorded under a delivery's key, as a replay; None if there is none."""
        with self.sessions() as session:
            done = storage.find_processed(session, key)
        return Outcome.from_json(done.outcome) if done is not None else None

    def _store(
        self,
        session: Session,
        team_id: int,
        platform: str,
        before: RoundState | None,
        version: int,
        events: Sequence[ev.Event],
        actor: str | None,
        key: str | None,
        now: datetime,
    ) -> tuple[RoundState, list[storage.OutboxMessage], list[Message]]:
        """Append the events, keep the projections, queue the messages; the new state,
        the queued rows and their messages (in the same order)."""
        state = before
        for event in events:
            state = evolve(state, event) if state is not None else fold([event])
        assert state is not None
        round_id = state.round_id
        ended = not state.active and (before is None or before.active)
        purge_at = (
            storage.retention.purge_moment(session, team_id, now, self.retention) if ended else None
        )
        storage.append_events(
            session,
            round_id,
            version,
            [
                storage.NewEvent(
                    kind=e.kind,
                    payload=ev.event_to_payload(e),
                    occurred_at=e.at,
                    actor=actor,
                    idempotency_key=key,
                )
                for e in events
            ],
            snapshot=storage.RoundSnapshot(
                status=state.status,
                current_step=state.step.id if state.step else None,
                deadline=timers.wake_up(state, now),
                purge_at=purge_at,
            ),
            now=now,
        )
        project(session, team_id, state, events, now)
        messages = [card(state, now), *notices(before, events, state)]
        queued = storage.enqueue(
            session,
            [
                storage.OutgoingMessage(
                    team_id=team_id,
                    platform=platform,
                    destination={"round": round_id, "user": m.audience},
                    payload=message_to_json(m),
                    round_id=round_id,
                    slot=m.slot,
                )
                for m in messages
            ],
            now=now,
        )
        return state, queued, messages

    def _redraw(
        self, session: Session, team_id: int, platform: str, state: RoundState, now: datetime
    ) -> None:
        """A tick that decided nothing: a minute of a live step passed. Draw the card
        again, so its countdown stays right to the minute, and wake at the next one.

        The redraw goes through the outbox like any card update. When an earlier
        update of the card still waits there (a slow or rate-limited platform),
        that row is given the new card instead of adding one: a card never has
        more than one redraw waiting, however long the platform holds us back.
        """
        storage.set_wake_up(session, state.round_id, timers.wake_up(state, now))
        if timers.next_redraw(state, now) is None:
            # No countdown on the card (async, paused, time up): nothing changed.
            return
        drawn = message_to_json(card(state, now))
        if storage.refresh_pending(session, state.round_id, CARD, drawn):
            return
        storage.enqueue(
            session,
            [
                storage.OutgoingMessage(
                    team_id=team_id,
                    platform=platform,
                    destination={"round": state.round_id, "user": None},
                    payload=drawn,
                    round_id=state.round_id,
                    slot=CARD,
                )
            ],
            now=now,
        )

    def _team(self, session: Session, place: Place) -> storage.Team:
        return team_at(session, place, self)


_COMMAND: TypeAdapter[cmd.Command] = TypeAdapter(cmd.Command)


def _held_command(row: PendingContribution, text: str) -> tuple[cmd.Command, str]:
    """The command a held text belongs to, with `text` as its text; and the field."""
    if row.command is None:
        # Held before the command was kept with it (migration 0015c): a contribution.
        return cmd.Contribute(user=row.user_id, text=text, step_id=row.step_id), "text"
    field = str(row.command["field"])
    return _COMMAND.validate_python({**row.command["fields"], field: text}), field


def _mode_text(mode: str) -> Callable[[Language], str]:
    return lambda lang: translate(TEXTS, f"mode.{mode}", lang)
