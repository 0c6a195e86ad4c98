"""A held text keeps the command it belongs to: the guard holds answers, action
points and reflections too, not only contributions.

Revision ID: 0015c2
Revises: 0015c
Created: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015c2"
down_revision: str | None = "0015c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pending_contributions") as batch:
        batch.add_column(
            sa.Column(
                "command",
                sa.JSON(none_as_null=True).with_variant(
                    postgresql.JSONB(none_as_null=True), "postgresql"
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_contributions") as batch:
        batch.drop_column("command")
