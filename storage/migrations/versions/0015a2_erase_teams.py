"""Uninstall erases per team, not per workspace: a Teams app can be removed from one
Teams team while the tenant (the whole school board) keeps it elsewhere.

Revision ID: 0015a2
Revises: 0016b
Created: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015a2"
down_revision: str | None = "0016b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("erase_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE teams SET erase_at = "
        "(SELECT tenants.erase_at FROM tenants WHERE tenants.id = teams.tenant_id)"
    )
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("erase_at")


def downgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("erase_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("erase_at")
