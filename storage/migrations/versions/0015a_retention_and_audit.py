"""Privacy: when each round's content is purged, per-team retention and take-back,
the uninstall grace period, and the audit log of administrative acts.

Revision ID: 0015a
Revises: 0004
Created: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015a"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON(none_as_null=False).with_variant(postgresql.JSONB(none_as_null=False), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("erase_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("take_back", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("purge_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_rounds_purge_at"), ["purge_at"])
    with op.batch_alter_table("action_points") as batch:
        batch.add_column(sa.Column("purge_at", sa.Date(), nullable=True))
        batch.create_index(batch.f("ix_action_points_purge_at"), ["purge_at"])
    op.create_index(op.f("ix_outbox_created_at"), "outbox", ["created_at"])
    op.create_index(op.f("ix_web_messages_created_at"), "web_messages", ["created_at"])
    op.create_index(op.f("ix_processed_commands_created_at"), "processed_commands", ["created_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("detail", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_action_at"), "audit_log", ["action", "at"])
    # Rounds that ended before this migration: their purge is due the default
    # retention period after their last change; the purger moves these to the
    # school's own period at start-up (storage.retention.reschedule_default).
    later = (
        "datetime(updated_at, '+90 days')"
        if op.get_bind().dialect.name == "sqlite"
        else "updated_at + interval '90 days'"
    )
    op.execute(
        f"UPDATE rounds SET ended_at = updated_at, purge_at = {later} "
        "WHERE status IN ('finished', 'cancelled')"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_action_at"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_processed_commands_created_at"), table_name="processed_commands")
    op.drop_index(op.f("ix_web_messages_created_at"), table_name="web_messages")
    op.drop_index(op.f("ix_outbox_created_at"), table_name="outbox")
    with op.batch_alter_table("action_points") as batch:
        batch.drop_index(batch.f("ix_action_points_purge_at"))
        batch.drop_column("purge_at")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_index(batch.f("ix_rounds_purge_at"))
        batch.drop_column("purged_at")
        batch.drop_column("purge_at")
        batch.drop_column("ended_at")
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("take_back")
        batch.drop_column("retention_days")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("erase_at")
