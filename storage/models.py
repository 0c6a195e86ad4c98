"""The tables. Storage knows teams, rounds and their event log, not what a step is."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.columns import UTCDateTime, json_document, utcnow
from storage.crypto import SealedJSON, SealedText

__all__ = [
    "ACTION_STATUSES",
    "OUTBOX_STATUSES",
    "ActionPoint",
    "Base",
    "Member",
    "OutboxMessage",
    "PostedMessage",
    "ProcessedCommand",
    "RoleHolding",
    "Round",
    "RoundEvent",
    "StudyDay",
    "Team",
    "Tenant",
    "WebChannel",
    "WebMessage",
]

# Fixed constraint names: batch migrations on SQLite need them, and a later
# migration can then drop a constraint by name on either backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ACTION_STATUSES = ("open", "done", "partly", "not_yet", "dropped")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "uncertain")

# Platform ids (Slack team/channel/user ids, Teams tenant/conversation ids) are
# short, but Teams conversation ids with a thread suffix run past 100 chars.
_EXTERNAL_ID = 255
EXTERNAL_ID_LENGTH = _EXTERNAL_ID
_ROUND_ID = 64


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Tenant(Base):
    """A workspace: a Slack team, a Teams tenant, or "local" for the web chat."""

    __tablename__ = "tenants"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Team(Base):
    """A channel where rounds happen."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("tenant_id", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    name: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    # The school-holiday region (noord / midden / zuid); None: no holidays known.
    region: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # po / vo / mbo, or None: which words the methods use (leerkracht, docent, ...).
    sector: Mapped[str | None] = mapped_column(String(8), nullable=True, default=None)
    conversation_ref: Mapped[dict[str, Any] | None] = mapped_column(
        json_document(nullable=True), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Days a round's content is kept after it ended; None: the school's default.
    retention_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Whether the purge also deletes what the bot posted for the round.
    take_back: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Set when the app was removed from the channel or its workspace: the team's data
    # is erased at this moment (after the school's grace period); a reinstall clears it.
    erase_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    display_name: Mapped[str] = mapped_column(String(255), default="")
    # False: the team's insights count this person but never name them.
    insights_named: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Round(Base):
    """The snapshot of a round for queries; its event log is the truth."""

    __tablename__ = "rounds"
    __table_args__ = (
        Index(None, "status", "deadline"),
        Index(None, "team_id"),
    )

    id: Mapped[str] = mapped_column(String(_ROUND_ID), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    protocol_id: Mapped[str] = mapped_column(String(64))
    protocol_version: Mapped[str] = mapped_column(String(32))
    protocol_snapshot: Mapped[dict[str, Any]] = mapped_column(json_document())
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    current_step: Mapped[str | None] = mapped_column(String(64), nullable=True)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    started_by: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # When the round's content is due to be purged; None before it ended and after
    # the purge, so the purge's index holds only what is still to come.
    purge_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class RoundEvent(Base):
    """One entry of a round's append-only log; seq counts from 1 without gaps."""

    __tablename__ = "round_events"
    __table_args__ = (UniqueConstraint("round_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(64))
    # What happened, with what people wrote: sealed (storage.crypto).
    payload: Mapped[dict[str, Any]] = mapped_column(SealedJSON())
    actor: Mapped[str | None] = mapped_column(String(_EXTERNAL_ID), nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProcessedCommand(Base):
    """A command that has been handled, by its idempotency key, with its outcome.

    round_id has no foreign key on purpose: a StartRound may be recorded before
    its round row is inserted, and the key must outlive an erased round so a
    late duplicate is still recognised.
    """

    __tablename__ = "processed_commands"
    __table_args__ = (Index(None, "round_id"),)

    idempotency_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    round_id: Mapped[str | None] = mapped_column(String(_ROUND_ID), nullable=True)
    # The answer given (it may quote what was written): sealed.
    outcome: Mapped[dict[str, Any]] = mapped_column(SealedJSON())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ActionPoint(Base):
    """An agreed action, kept in step with the events that record it."""

    __tablename__ = "action_points"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(ACTION_STATUSES)})", name="status"),
        Index(None, "team_id", "status"),
        Index(None, "owner_user_id", "status", "due_date"),
    )

    id: Mapped[str] = mapped_column(String(_ROUND_ID), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(SealedText())
    owner_user_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    report: Mapped[str | None] = mapped_column(SealedText(), nullable=True)
    # How often its owner reported "not yet"; the third time asks to drop or rephrase.
    not_yet_reports: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set once its round was purged while the action was still open: when its text
    # goes (it expired, or it was closed since).
    purge_at: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)


class RoleHolding(Base):
    """Who held which role in which round: the memory behind role rotation."""

    __tablename__ = "role_holdings"
    __table_args__ = (
        UniqueConstraint("round_id", "role_id", "user_id"),
        Index(None, "team_id", "role_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    role_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """A message to send after the deciding transaction commits.

    last_error holds an error code only; the payload is never copied into it.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(OUTBOX_STATUSES)})", name="status"),
        Index(None, "status", "next_attempt_at"),
        Index(None, "round_id", "status"),
        # The purge of messages that belong to no round goes by age.
        Index(None, "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[str | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), nullable=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    destination: Mapped[dict[str, Any]] = mapped_column(json_document())
    slot: Mapped[str | None] = mapped_column(String(64), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(SealedJSON())
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(_EXTERNAL_ID), nullable=True)


class PostedMessage(Base):
    """The platform's id of a message that is updated in place (the round card).

    A message too long for one platform message is posted in parts: `external_id`
    is the first (the message itself, which a thread hangs under), `parts` the ids
    of all of them, first to last; NULL for a message of one part.
    """

    __tablename__ = "posted_messages"
    __table_args__ = (UniqueConstraint("round_id", "slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    external_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    parts: Mapped[list[str] | None] = mapped_column(json_document(nullable=True), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WebChannel(Base):
    """A channel of the local web chat, with the counter of its changes.

    Every post or update in the channel takes the next revision, under this
    row's lock, so a reconnecting browser asks for "everything after N" and
    misses nothing.
    """

    __tablename__ = "web_channels"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class WebMessage(Base):
    """One message in a web chat channel: the bot's (a neutral message as JSON) or
    a colleague's chat line. audience None is for everyone in the channel."""

    __tablename__ = "web_messages"
    __table_args__ = (
        UniqueConstraint("outbox_id"),
        Index(None, "channel_id", "revision"),
        Index(None, "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[str] = mapped_column(ForeignKey("web_channels.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    # Erasing a round erases what the web chat showed of it.
    round_id: Mapped[str | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), nullable=True
    )
    audience: Mapped[str | None] = mapped_column(String(_EXTERNAL_ID), nullable=True)
    author: Mapped[str | None] = mapped_column(String(_EXTERNAL_ID), nullable=True)
    author_name: Mapped[str] = mapped_column(String(255), default="")
    # The outbox message this row delivered: a repeated delivery finds it again.
    outbox_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(SealedJSON())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


# -- Slack installations (multi-workspace OAuth) ------------------------------------------

__all__ += ["SlackInstallation", "SlackOAuthState"]


class SlackInstallation(Base):
    """A Slack workspace that installed the app through OAuth.

    Tokens are stored only as ciphertext (the channel encrypts them with
    DIALOOG_SECRET_KEY); storage never sees a token in the clear. An absent
    enterprise or team id is stored as "", so the unique key holds on every
    backend (NULLs never collide in a unique constraint).
    """

    __tablename__ = "slack_installations"
    __table_args__ = (UniqueConstraint("client_id", "enterprise_id", "team_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    app_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID), default="")
    enterprise_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID), default="")
    enterprise_name: Mapped[str] = mapped_column(String(255), default="")
    team_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID), default="")
    team_name: Mapped[str] = mapped_column(String(255), default="")
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    bot_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    bot_user_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    bot_token_ciphertext: Mapped[str] = mapped_column(Text)
    bot_refresh_token_ciphertext: Mapped[str | None] = mapped_column(Text, nullable=True)
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    installer_user_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID), default="")
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SlackOAuthState(Base):
    """An OAuth `state` handed to a browser at /slack/install, usable once."""

    __tablename__ = "slack_oauth_states"
    __table_args__ = (Index(None, "expires_at"),)

    state: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


# -- schedules (recurring rounds) ----------------------------------------------------

SCHEDULE_STATUSES = ("active", "paused")
OCCURRENCE_STATUSES = ("claimed", "started", "refused", "skipped", "sent")


class Schedule(Base):
    """A team's recurring round: weekdays at a local time, in the team's time zone.

    The scheduler's jobs are rebuilt from these rows; they are the truth.
    """

    __tablename__ = "schedules"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(SCHEDULE_STATUSES)})", name="status"),
        Index(None, "team_id"),
        Index(None, "status"),
        Index(None, "status", "next_look_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    protocol_id: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))
    # "1,3" = Tuesday and Thursday (0 is Monday).
    weekdays: Mapped[str] = mapped_column(String(16))
    # Local wall-clock time "HH:MM".
    time_of_day: Mapped[str] = mapped_column(String(5))
    interval: Mapped[str] = mapped_column(String(16))
    # Monthly only: 1..4, or -1 for the last such weekday of the month.
    week_of_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The first date that may hold a round; biweekly counts weeks from its week.
    first_date: Mapped[date] = mapped_column(Date)
    # Members are asked for cases this many days before (0: not asked).
    lead_days: Mapped[int] = mapped_column(Integer, default=0)
    # Minutes before a round at which the channel is reminded, e.g. [1440, 15].
    reminders: Mapped[list[int]] = mapped_column(json_document())
    created_by: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    created_by_name: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16), default="active")
    # A round on a school holiday or study day: "skip" it, or "move" it to the next school day.
    holiday_policy: Mapped[str] = mapped_column(String(8), default="skip", server_default="skip")
    # Occurrences before this moment are not the schedule's (it was paused or new).
    active_since: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the scheduler's pass must next look at it; NULL: at once. Every change
    # that could alter what the schedule does sets it to NULL and bumps the
    # revision, so a pass that read the schedule before the change cannot store
    # a moment reckoned from what it read.
    next_look_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    look_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class StudyDay(Base):
    """A day a team has no school beyond the region's holidays (a study day)."""

    __tablename__ = "study_days"
    __table_args__ = (UniqueConstraint("team_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ScheduleOccurrence(Base):
    """The claim of one occurrence (or one notice before it), taken before anything
    is posted. The unique key is what makes each of them happen once, whichever
    process gets there first, and once across the autumn clock change: an
    occurrence is named by its local date and time, not by its UTC moment.

    kind: "round", or "notice:<minutes before>" for a reminder or the call for
    cases. round_id has no foreign key on purpose: the claim must outlive an
    erased round so that the occurrence is never started again.
    """

    __tablename__ = "schedule_occurrences"
    __table_args__ = (
        UniqueConstraint("schedule_id", "kind", "local_at"),
        CheckConstraint(f"status IN ({_in(OCCURRENCE_STATUSES)})", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    # The occurrence's local wall-clock name, e.g. "2026-03-31T15:30".
    local_at: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    round_id: Mapped[str | None] = mapped_column(String(_ROUND_ID), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ActionReminder(Base):
    """That an action's owner was reminded before its due date: sent once."""

    __tablename__ = "action_reminders"
    __table_args__ = (UniqueConstraint("action_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[str] = mapped_column(ForeignKey("action_points.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalendarFeed(Base):
    """The unguessable token behind a team's calendar feed (.ics)."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("team_id"), UniqueConstraint("token"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# -- privacy: the audit log ------------------------------------------------------------

__all__ += ["AuditEntry"]


class AuditEntry(Base):
    """An administrative act on personal data (export, erasure, retention change,
    purge): who, what, when. Ids and counts only, never content or names."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "at"), Index(None, "action", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    detail: Mapped[dict[str, Any]] = mapped_column(json_document())


# -- Contributions held back by the pupil-name guard --------------------------------------

__all__ += ["PendingContribution"]


class PendingContribution(Base):
    """A contribution the pupil-name guard held back: it is in no round's log and
    nobody else sees it. Only its author's choice (replace, edit, post anyway)
    turns it into the round's contribution, in the transaction that deletes it;
    until then it waits here, so a crash loses nothing the author wrote."""

    __tablename__ = "pending_contributions"
    __table_args__ = (Index(None, "round_id", "user_id"),)

    # Random and unguessable: it is the value of the author's buttons.
    id: Mapped[str] = mapped_column(String(_ROUND_ID), primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    step_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # What the author wrote: sealed (storage.crypto).
    text: Mapped[str] = mapped_column(SealedText())
    # The command the text belongs to, without the text (a contribution, an answer,
    # an action point, a reflection): {"field": ..., "fields": {...}}.
    command: Mapped[dict[str, Any] | None] = mapped_column(
        json_document(nullable=True), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# -- insights (read-only pages behind an unguessable link) ------------------------------

__all__ += ["INSIGHT_SCOPES", "InsightLink"]

INSIGHT_SCOPES = ("team", "school")


class InsightLink(Base):
    """The token behind a read-only insights page: a team's (owner a team id) or a
    school's (owner a tenant id). Deleting the row is revoking the link."""

    __tablename__ = "insight_links"
    __table_args__ = (
        CheckConstraint(f"scope IN ({_in(INSIGHT_SCOPES)})", name="scope"),
        UniqueConstraint("scope", "owner_id"),
        UniqueConstraint("token"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(_EXTERNAL_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
