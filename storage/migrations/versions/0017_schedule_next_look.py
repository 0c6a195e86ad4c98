"""When the scheduler's pass must next look at a schedule, so that a pass reads
the schedules that are due and not all of them (issue 14: 10,000 schedules).

Revision ID: 0017
Revises: 0013
Created: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        # NULL for every existing schedule: the first pass looks at all of them.
        batch.add_column(sa.Column("next_look_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("look_revision", sa.Integer(), server_default="0", nullable=False)
        )
        batch.create_index(
            batch.f("ix_schedules_status_next_look_at"), ["status", "next_look_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        batch.drop_index(batch.f("ix_schedules_status_next_look_at"))
        batch.drop_column("look_revision")
        batch.drop_column("next_look_at")
