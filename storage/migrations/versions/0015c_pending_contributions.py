"""Contributions held back by the pupil-name guard until their author chooses.

Revision ID: 0015c
Revises: 0015a
Created: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015c"
down_revision: str | None = "0015a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_contributions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("round_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_pending_contributions_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_contributions")),
    )
    op.create_index(
        op.f("ix_pending_contributions_round_id_user_id"),
        "pending_contributions",
        ["round_id", "user_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_pending_contributions_round_id_user_id"), table_name="pending_contributions"
    )
    op.drop_table("pending_contributions")
