"""Retention: how long a round's content is kept after it ended, and its purge.

A round that ends gets a `purge_at` moment (ended + the team's retention). The
purge claims due rounds through an index on that column, so its cost follows
what is due, never the size of the database; a purged round's `purge_at` goes
back to NULL, so running the purge again finds nothing to do.

What the purge keeps is what insights need: the round row (protocol, dates,
status), the event log with every free text emptied (so it still replays and
counts), who held which role, and action points that are still open (until they
are done or expire). What it removes: texts in the events, the outbox payloads,
the web chat's copies, the stored outcomes of commands, the ids of posted messages.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, or_, select, update
from sqlalchemy.orm import Session

from storage._sql import rowcount
from storage.errors import NotFound
from storage.models import (
    ActionPoint,
    OutboxMessage,
    PendingContribution,
    PostedMessage,
    ProcessedCommand,
    Round,
    RoundEvent,
    SlackInstallation,
    Team,
    Tenant,
    WebChannel,
    WebMessage,
)

__all__ = [
    "DuePurge",
    "ErasedTeam",
    "PostedRecord",
    "PurgeCounts",
    "RetentionPolicy",
    "cancel_erasure",
    "claim_due_purges",
    "erase_due_teams",
    "posted_of_round",
    "purge_actions_due",
    "purge_round",
    "purge_unattached",
    "reschedule_default",
    "schedule_erasure",
    "set_team_retention",
    "set_team_take_back",
]

# What stays of an action whose text went.
_CLOSED_BY_EXPIRY = "dropped"


@dataclass(frozen=True)
class RetentionPolicy:
    """The school's retention: a default and the bounds a team may choose within."""

    default_days: int = 90
    min_days: int = 7
    max_days: int = 365

    def __post_init__(self) -> None:
        if not 1 <= self.min_days <= self.default_days <= self.max_days:
            raise ValueError(
                "retention needs 1 <= minimum <= default <= maximum days, "
                f"got {self.min_days} <= {self.default_days} <= {self.max_days}"
            )

    def effective(self, team_days: int | None) -> int:
        """The team's own choice within the bounds, or the default."""
        if team_days is None:
            return self.default_days
        return max(self.min_days, min(self.max_days, team_days))

    def allows(self, days: int) -> bool:
        return self.min_days <= days <= self.max_days


@dataclass(frozen=True)
class DuePurge:
    round_id: str
    team_id: int
    take_back: bool


@dataclass(frozen=True)
class PostedRecord:
    """Messages the bot posted for a round in one place: the channel (audience
    None) or one person's direct messages. ids are the platform's message ids;
    `conversation` is where they are when the record says (posted slots do)."""

    platform: str
    audience: str | None
    external_ids: tuple[str, ...]
    conversation: str | None = None


@dataclass(frozen=True)
class PurgeCounts:
    events: int
    outbox: int
    web_messages: int
    processed: int
    actions_emptied: int
    actions_kept_open: int


def _team_days(session: Session, team_id: int, policy: RetentionPolicy) -> int:
    days = session.scalar(select(Team.retention_days).where(Team.id == team_id))
    return policy.effective(days)


def purge_moment(
    session: Session, team_id: int, ended_at: datetime, policy: RetentionPolicy
) -> datetime:
    """When a round of the team that ended at `ended_at` is due to be purged."""
    return ended_at + timedelta(days=_team_days(session, team_id, policy))


def set_team_retention(
    session: Session, team_id: int, days: int | None, policy: RetentionPolicy
) -> int:
    """Set a team's retention (None: back to the school default) and move the purge
    of its ended, not yet purged rounds along. Returns how many were moved.

    Raises ValueError outside the school's bounds, NotFound for an unknown team.
    """
    if days is not None and not policy.allows(days):
        raise ValueError(f"retention must be {policy.min_days}..{policy.max_days} days")
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"team {team_id}")
    team.retention_days = days
    session.flush()
    pending = session.scalars(
        select(Round).where(Round.team_id == team_id, Round.purge_at.is_not(None))
    ).all()
    period = timedelta(days=policy.effective(days))
    for row in pending:
        assert row.ended_at is not None  # purge_at is only set when a round ends
        row.purge_at = row.ended_at + period
    session.flush()
    return len(pending)


def set_team_take_back(session: Session, team_id: int, on: bool) -> None:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"team {team_id}")
    team.take_back = on


def reschedule_default(session: Session, policy: RetentionPolicy) -> int:
    """Move every pending purge to the policy now in force (the school changed its
    default or bounds). Costs the rounds still waiting for their purge; run it at
    start-up, not per pass. Returns how many moved."""
    rows = session.execute(
        select(Round, Team.retention_days)
        .join(Team, Team.id == Round.team_id)
        .where(Round.purge_at.is_not(None), Round.ended_at.is_not(None))
    ).all()
    moved = 0
    for row, team_days in rows:
        assert row.ended_at is not None
        due = row.ended_at + timedelta(days=policy.effective(team_days))
        if row.purge_at != due:
            row.purge_at = due
            moved += 1
    session.flush()
    return moved


def claim_due_purges(
    session: Session, now: datetime, *, limit: int, lease: timedelta
) -> list[DuePurge]:
    """Rounds whose purge is due, oldest first; each is put `lease` into the future so
    that another process (or a purge that dies half-way) tries it again only then.
    On PostgreSQL rows another purger holds are skipped. Commit right after."""
    rows = session.execute(
        select(Round.id, Round.team_id, Team.take_back)
        .join(Team, Team.id == Round.team_id)
        .where(Round.purge_at <= now)
        .order_by(Round.purge_at, Round.id)
        .limit(limit)
        .with_for_update(of=Round, skip_locked=True)
    ).all()
    if not rows:
        return []
    session.execute(
        update(Round)
        .where(Round.id.in_([r.id for r in rows]), Round.purge_at <= now)
        .values(purge_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    return [DuePurge(r.id, r.team_id, bool(r.take_back)) for r in rows]


def posted_of_round(session: Session, round_id: str) -> list[PostedRecord]:
    """Every message the bot is known to have posted for the round, by place.

    From the outbox (what was sent, with the platform's id) and the posted slots
    (the card and its continuations). A slot updated many times is one message.
    """
    places: dict[tuple[str, str | None, str | None], dict[str, None]] = {}
    sent = session.execute(
        select(OutboxMessage.platform, OutboxMessage.destination, OutboxMessage.external_id)
        .where(OutboxMessage.round_id == round_id, OutboxMessage.external_id.is_not(None))
        .order_by(OutboxMessage.id)
    ).all()
    for platform, destination, external_id in sent:
        audience = destination.get("user") if isinstance(destination, dict) else None
        ids = places.setdefault((platform, audience, None), {})
        ids.update(dict.fromkeys(str(external_id).split()))
    slots = session.execute(
        select(
            PostedMessage.platform,
            PostedMessage.channel,
            PostedMessage.external_id,
            PostedMessage.parts,
        )
        .where(PostedMessage.round_id == round_id)
        .order_by(PostedMessage.id)
    ).all()
    seen = {one for ids in places.values() for one in ids}
    for platform, channel, external_id, parts in slots:
        # A message posted in parts: every part is taken back.
        fresh = [one for one in (parts or [external_id]) if one not in seen]
        places.setdefault((platform, None, channel), {}).update(dict.fromkeys(fresh))
        seen.update(fresh)
    return [
        PostedRecord(platform, audience, tuple(ids), conversation)
        for (platform, audience, conversation), ids in places.items()
        if ids
    ]


def purge_round(
    session: Session,
    round_id: str,
    *,
    redact: Callable[[dict[str, Any]], dict[str, Any]],
    now: datetime,
    policy: RetentionPolicy,
    open_statuses: Collection[str],
) -> PurgeCounts:
    """Remove the round's content; keep what insights need. Idempotent.

    `redact` turns a stored event payload into the same event without its free
    texts (the engine knows which fields those are). Open actions stay, and get a
    moment at which they expire: their due date plus the team's retention.
    """
    row = session.get(Round, round_id, with_for_update=True)
    if row is None:
        raise NotFound(f"round {round_id}")
    changed = 0
    for event in session.scalars(select(RoundEvent).where(RoundEvent.round_id == round_id)):
        emptied = redact(event.payload)
        if emptied != event.payload:
            event.payload = emptied
            changed += 1
    outbox = rowcount(
        session.execute(delete(OutboxMessage).where(OutboxMessage.round_id == round_id))
    )
    session.execute(delete(PostedMessage).where(PostedMessage.round_id == round_id))
    # A contribution the pupil-name guard held back and its author never settled.
    session.execute(delete(PendingContribution).where(PendingContribution.round_id == round_id))
    web = rowcount(session.execute(delete(WebMessage).where(WebMessage.round_id == round_id)))
    processed = rowcount(
        session.execute(delete(ProcessedCommand).where(ProcessedCommand.round_id == round_id))
    )
    emptied_actions = kept_open = 0
    period = timedelta(days=_team_days(session, row.team_id, policy))
    for action in session.scalars(select(ActionPoint).where(ActionPoint.round_id == round_id)):
        if action.status in open_statuses:
            action.purge_at = action.due_date + period
            kept_open += 1
        elif action.text or action.report:
            action.text, action.report = "", None
            action.purge_at = None
            emptied_actions += 1
    row.purged_at = now
    row.purge_at = None
    session.flush()
    return PurgeCounts(changed, outbox, web, processed, emptied_actions, kept_open)


def purge_actions_due(session: Session, today: date, *, open_statuses: Collection[str]) -> int:
    """Empty the actions of purged rounds that were closed since, or expired open
    (those are closed as dropped: an empty action should not come back)."""
    due = session.scalars(select(ActionPoint).where(ActionPoint.purge_at <= today)).all()
    for action in due:
        if action.status in open_statuses:
            action.status = _CLOSED_BY_EXPIRY
        action.text, action.report, action.purge_at = "", None, None
    session.flush()
    return len(due)


def purge_unattached(
    session: Session, now: datetime, policy: RetentionPolicy, *, settled: Collection[str]
) -> int:
    """Remove what belongs to no round once it is older than its team's retention:
    reminders and notices in the outbox, colleagues' lines in the web chat, stored
    outcomes of commands. Each delete walks an index on the creation time."""
    removed = 0
    for days, team_ids, web_channels in _teams_by_retention(session, policy):
        cutoff = now - timedelta(days=days)
        removed += rowcount(
            session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.created_at < cutoff,
                    OutboxMessage.round_id.is_(None),
                    OutboxMessage.status.in_(settled),
                    OutboxMessage.team_id.in_(team_ids),
                )
            )
        )
        if web_channels:
            removed += rowcount(
                session.execute(
                    delete(WebMessage).where(
                        WebMessage.created_at < cutoff,
                        WebMessage.round_id.is_(None),
                        WebMessage.channel_id.in_(web_channels),
                    )
                )
            )
    cutoff = now - timedelta(days=policy.default_days)
    every_web_team = select(Team.external_id).join(Tenant).where(Tenant.platform == "web")
    removed += rowcount(
        session.execute(
            delete(WebMessage).where(
                WebMessage.created_at < cutoff,
                WebMessage.round_id.is_(None),
                WebMessage.channel_id.not_in(every_web_team),
            )
        )
    )
    # Stored outcomes only answer repeated deliveries (minutes, not days); the
    # shortest retention a school allows is long enough for every platform.
    short = now - timedelta(days=policy.min_days)
    removed += rowcount(
        session.execute(
            delete(ProcessedCommand).where(
                ProcessedCommand.created_at < short, ProcessedCommand.round_id.is_(None)
            )
        )
    )
    session.flush()
    return removed


def _teams_by_retention(
    session: Session, policy: RetentionPolicy
) -> Iterable[tuple[int, list[int], list[str]]]:
    """Teams grouped by their effective retention: (days, team ids, web chat channels)."""
    groups: dict[int, tuple[list[int], list[str]]] = {}
    rows = session.execute(
        select(Team.id, Team.retention_days, Team.external_id, Tenant.platform).join(Tenant)
    ).all()
    for team_id, team_days, external_id, platform in rows:
        ids, channels = groups.setdefault(policy.effective(team_days), ([], []))
        ids.append(team_id)
        if platform == "web":
            channels.append(external_id)
    for days, (ids, channels) in sorted(groups.items()):
        yield days, ids, channels


# -- uninstall: a workspace, or some of its channels -------------------------------------


@dataclass(frozen=True)
class ErasedTeam:
    platform: str
    workspace: str
    rounds: int


def _teams_in(platform: str, workspace: str, channels: Collection[str] | None) -> Select[Any]:
    query = (
        select(Team.id)
        .join(Tenant, Tenant.id == Team.tenant_id)
        .where(Tenant.platform == platform, Tenant.external_id == workspace)
    )
    if channels is not None:
        query = query.where(Team.external_id.in_(list(channels)))
    return query


def schedule_erasure(
    session: Session,
    platform: str,
    workspace: str,
    channels: Collection[str] | None,
    *,
    at: datetime,
) -> int:
    """The app was removed from a workspace (channels None) or from these channels:
    erase their teams at `at` (an earlier moment already set stays). Returns how
    many teams that concerns (0: we hold nothing there)."""
    ids = list(session.scalars(_teams_in(platform, workspace, channels)))
    if not ids:
        return 0
    session.execute(
        update(Team)
        .where(Team.id.in_(ids), or_(Team.erase_at.is_(None), Team.erase_at > at))
        .values(erase_at=at)
        .execution_options(synchronize_session=False)
    )
    return len(ids)


def cancel_erasure(
    session: Session, platform: str, workspace: str, channels: Collection[str] | None
) -> int:
    """The app is back before the grace period ended: keep the data. Returns how
    many pending erasures were cancelled."""
    return rowcount(
        session.execute(
            update(Team)
            .where(
                Team.id.in_(_teams_in(platform, workspace, channels).scalar_subquery()),
                Team.erase_at.is_not(None),
            )
            .values(erase_at=None)
            .execution_options(synchronize_session=False)
        )
    )


def erase_due_teams(session: Session, now: datetime, *, limit: int = 50) -> list[ErasedTeam]:
    """Erase every team whose erasure is due: its members, rounds and their logs,
    outbox, web chat, schedules. A workspace left without teams goes too, with its
    Slack installation. Only the audit log (written by the caller) says it was there."""
    due = session.execute(
        select(Team.id, Team.external_id, Team.tenant_id, Tenant.platform, Tenant.external_id)
        .join(Tenant, Tenant.id == Team.tenant_id)
        .where(Team.erase_at <= now)
        .order_by(Team.erase_at, Team.id)
        .limit(limit)
        .with_for_update(of=Team, skip_locked=True)
    ).all()
    erased = []
    for team_id, channel, tenant_id, platform, workspace in due:
        round_ids = list(session.scalars(select(Round.id).where(Round.team_id == team_id)))
        session.execute(delete(ProcessedCommand).where(ProcessedCommand.round_id.in_(round_ids)))
        if platform == "web":
            session.execute(delete(WebMessage).where(WebMessage.channel_id == channel))
            session.execute(delete(WebChannel).where(WebChannel.id == channel))
        # Everything else of the team hangs off it with ON DELETE CASCADE.
        session.execute(delete(Team).where(Team.id == team_id))
        erased.append(ErasedTeam(platform, workspace, len(round_ids)))
        if session.scalar(select(Team.id).where(Team.tenant_id == tenant_id).limit(1)) is None:
            if platform == "slack":
                session.execute(
                    delete(SlackInstallation).where(SlackInstallation.team_id == workspace)
                )
            session.execute(delete(Tenant).where(Tenant.id == tenant_id))
    session.flush()
    return erased
