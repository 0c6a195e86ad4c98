"""A team's sector (po, vo, mbo), so the methods speak of leerkracht and groep 6
in a primary school and of docent and klas 2 in a secondary school.

Revision ID: 0013
Revises: 0016a
Created: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0016a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        # NULL: the team has not said; the texts use the neutral leraar and klas.
        batch.add_column(sa.Column("sector", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("sector")
