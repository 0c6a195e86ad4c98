"""Insights: whether a member may be named in them, and the links of their pages.

Revision ID: 0016a
Revises: 0015b
Created: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016a"
down_revision: str | None = "0015b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("insights_named", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "insight_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("scope IN ('team', 'school')", name=op.f("ck_insight_links_scope")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_links")),
        sa.UniqueConstraint("scope", "owner_id", name=op.f("uq_insight_links_scope_owner_id")),
        sa.UniqueConstraint("token", name=op.f("uq_insight_links_token")),
    )


def downgrade() -> None:
    op.drop_table("insight_links")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("insights_named")
