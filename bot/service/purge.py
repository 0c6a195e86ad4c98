"""The purge: what retention and uninstalls call for, run by the scheduler.

Each pass, in this order, and each part only as large as what is due:

1. teams (channels) whose uninstall grace period has passed are erased whole;
2. rounds whose retention has passed: first the bot takes back what it posted
   for them (where the team wants that and the platform allows it), then their
   content goes in one transaction, and the audit log says so (counts only);
3. actions of purged rounds that were closed since, or expired, lose their text;
4. reminders, notices and chat lines that belong to no round, by age.

A pass that dies half-way leaves the claimed rounds leased for a while; the
next pass after that takes them back again (deleting twice is harmless) and
purges them. Nothing here logs content: ids, counts and error codes only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.engine.redact import redact_payload
from bot.service.clock import Clock
from bot.service.dispatch import RetryableSendError, SendError
from storage import audit, retention
from storage.projections import OPEN_ACTION_STATUSES

log = logging.getLogger(__name__)

SYSTEM = "system"
# Statuses of outbox rows that no dispatcher will touch again.
_SETTLED = ("sent", "failed", "uncertain")
# A retryable refusal (rate limited) is tried again this often, then left.
_TRIES = 3
_MAX_WAIT = 5.0


@dataclass(frozen=True)
class TakeBack:
    """One message the bot posted, to be deleted: where it is and its platform id."""

    platform: str
    workspace: str
    channel: str
    conversation_ref: dict[str, Any] | None
    # A user id for a direct message; None for the channel (or the round's thread).
    audience: str | None
    external_id: str
    # Where it was posted, when the record knows: a channel's id, or a personal chat
    # the bot posted a form in during a person's own turn.
    conversation: str | None = None


@runtime_checkable
class Retractor(Protocol):
    async def take_back(self, message: TakeBack) -> None:
        """Delete the message; a message that is gone already counts as deleted.
        Raises a SendError with a short code where the platform will not."""
        ...


@dataclass
class PurgeReport:
    teams_erased: int = 0
    rounds: int = 0
    taken_back: int = 0
    # Messages that could not be taken back, by error code.
    left: dict[str, int] = field(default_factory=dict)
    actions: int = 0
    unattached: int = 0


class Purger:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        senders: Mapping[str, object],
        clock: Clock,
        policy: retention.RetentionPolicy,
        *,
        batch: int = 20,
        lease: timedelta = timedelta(minutes=15),
        quick_wait: float = 1.0,
    ) -> None:
        self.sessions = sessions
        # The channels' senders; those that can delete their messages are Retractors.
        self.senders = senders
        self.clock = clock
        self.policy = policy
        self.batch = batch
        self.lease = lease
        self.quick_wait = quick_wait

    def start(self) -> int:
        """At start-up: move pending purges to the policy in force now."""
        with self.sessions() as session, session.begin():
            moved = retention.reschedule_default(session, self.policy)
        if moved:
            log.info("retention: %d pending purge(s) moved to the current policy", moved)
        return moved

    async def run_once(self) -> PurgeReport:
        report = PurgeReport()
        report.teams_erased = await asyncio.to_thread(self._erase_due_teams)
        while True:
            due = await asyncio.to_thread(self._claim)
            for purge in due:
                await self._purge(purge, report)
            if len(due) < self.batch:
                break
        report.actions, report.unattached = await asyncio.to_thread(self._sweep_rest)
        if report.rounds or report.teams_erased or report.actions or report.unattached:
            log.info(
                "retention: purged rounds=%d taken_back=%d left=%d actions=%d "
                "unattached=%d teams_erased=%d",
                report.rounds,
                report.taken_back,
                sum(report.left.values()),
                report.actions,
                report.unattached,
                report.teams_erased,
            )
        return report

    # -- one round ----------------------------------------------------------------------

    async def _purge(self, purge: retention.DuePurge, report: PurgeReport) -> None:
        taken = 0
        left: dict[str, int] = {}
        if purge.take_back:
            for message in await asyncio.to_thread(self._posted, purge):
                code = await self._take_back(message)
                if code is None:
                    taken += 1
                else:
                    left[code] = left.get(code, 0) + 1
        await asyncio.to_thread(self._purge_content, purge, taken, left)
        report.rounds += 1
        report.taken_back += taken
        for code, count in left.items():
            report.left[code] = report.left.get(code, 0) + count

    async def _take_back(self, message: TakeBack) -> str | None:
        """Delete one message; None when done, else the code of why not."""
        sender = self.senders.get(message.platform)
        if not isinstance(sender, Retractor):
            return "not_supported"
        for attempt in range(1, _TRIES + 1):
            try:
                await sender.take_back(message)
                return None
            except RetryableSendError as error:
                if attempt == _TRIES:
                    return error.code
                wait = error.retry_after if error.retry_after is not None else self.quick_wait
                await asyncio.sleep(min(wait, _MAX_WAIT))
            except SendError as error:
                return error.code
        raise AssertionError("unreachable")

    # -- the database side (run in a thread) ----------------------------------------------

    def _claim(self) -> list[retention.DuePurge]:
        with self.sessions() as session, session.begin():
            return retention.claim_due_purges(
                session, self.clock.now(), limit=self.batch, lease=self.lease
            )

    def _posted(self, purge: retention.DuePurge) -> list[TakeBack]:
        with self.sessions() as session:
            team = storage.get_team(session, purge.team_id)
            tenant = session.get(storage.Tenant, team.tenant_id) if team else None
            if team is None or tenant is None:
                return []
            return [
                TakeBack(
                    platform=record.platform,
                    workspace=tenant.external_id,
                    channel=team.external_id,
                    conversation_ref=team.conversation_ref,
                    audience=record.audience,
                    external_id=external_id,
                    conversation=record.conversation,
                )
                for record in retention.posted_of_round(session, purge.round_id)
                for external_id in record.external_ids
            ]

    def _purge_content(self, purge: retention.DuePurge, taken: int, left: dict[str, int]) -> None:
        now = self.clock.now()
        with self.sessions() as session, session.begin():
            counts = retention.purge_round(
                session,
                purge.round_id,
                redact=redact_payload,
                now=now,
                policy=self.policy,
                open_statuses=OPEN_ACTION_STATUSES,
            )
            detail: dict[str, int | str] = {
                "events_emptied": counts.events,
                "messages_removed": counts.outbox + counts.web_messages,
                "taken_back": taken,
                "not_taken_back": sum(left.values()),
                "actions_kept_open": counts.actions_kept_open,
            }
            detail.update({f"left:{code}": count for code, count in left.items()})
            audit.record_audit(
                session,
                actor=SYSTEM,
                action=audit.AUDIT_RETENTION_PURGE,
                target=f"round:{purge.round_id}",
                now=now,
                detail=detail,
            )
        if left:
            log.warning(
                "retention: round %s purged; %d posted message(s) could not be taken back (%s)",
                purge.round_id,
                sum(left.values()),
                ",".join(sorted(left)),
            )

    def _sweep_rest(self) -> tuple[int, int]:
        now = self.clock.now()
        with self.sessions() as session, session.begin():
            actions = retention.purge_actions_due(
                session, now.date(), open_statuses=OPEN_ACTION_STATUSES
            )
            unattached = retention.purge_unattached(session, now, self.policy, settled=_SETTLED)
        return actions, unattached

    def _erase_due_teams(self) -> int:
        now = self.clock.now()
        with self.sessions() as session, session.begin():
            erased = retention.erase_due_teams(session, now)
            for team in erased:
                audit.record_audit(
                    session,
                    actor=SYSTEM,
                    action=audit.AUDIT_UNINSTALL_PURGE,
                    target=f"{team.platform}:{team.workspace}",
                    now=now,
                    detail={"teams": 1, "rounds": team.rounds},
                )
        for team in erased:
            log.info(
                "uninstall: a team of %s workspace %s erased (rounds=%d)",
                team.platform,
                team.workspace,
                team.rounds,
            )
        return len(erased)
