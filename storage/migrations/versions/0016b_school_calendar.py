"""The school calendar (a team's holiday region and study days, what a schedule
does on a free day) and the count of "not yet" reports on an action.

Revision ID: 0016b
Revises: 0015c2
Created: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016b"
down_revision: str | None = "0015c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "study_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_study_days_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_days")),
        sa.UniqueConstraint("team_id", "day", name=op.f("uq_study_days_team_id_day")),
    )
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("region", sa.String(length=8), nullable=True))
    with op.batch_alter_table("schedules") as batch:
        batch.add_column(
            sa.Column("holiday_policy", sa.String(length=8), server_default="skip", nullable=False)
        )
    with op.batch_alter_table("action_points") as batch:
        batch.add_column(
            sa.Column("not_yet_reports", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("action_points") as batch:
        batch.drop_column("not_yet_reports")
    with op.batch_alter_table("schedules") as batch:
        batch.drop_column("holiday_policy")
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("region")
    op.drop_table("study_days")
