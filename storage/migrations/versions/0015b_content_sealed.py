"""What people wrote, encrypted at rest: event and outbox payloads, the web chat's
timeline, stored outcomes, action points and held-back contributions become
ciphertext (storage.crypto).

Existing rows are encrypted in place with the engine's content key, a batch at a
time; a database that holds content needs the key the server will use
(DIALOOG_SECRET_KEY, or the key file next to a SQLite database).

Revision ID: 0015b
Revises: 0015a2
Created: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from storage.crypto import cipher_of

revision: str = "0015b"
down_revision: str | None = "0015a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 500

# (table, column, primary key, was JSON)
SEALED = (
    ("round_events", "payload", "id", True),
    ("outbox", "payload", "id", True),
    ("web_messages", "payload", "id", True),
    ("processed_commands", "outcome", "idempotency_key", True),
    ("action_points", "text", "id", False),
    ("action_points", "report", "id", False),
    ("pending_contributions", "text", "id", False),
)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=False).with_variant(
        postgresql.JSONB(none_as_null=False), "postgresql"
    )


def _rewrite(table: str, column: str, key: str, change: Callable[[str], str]) -> None:
    """Pass every non-null value of a column through `change`, in key order, in batches."""
    bind = op.get_bind()
    rows = sa.table(table, sa.column(key), sa.column(column, sa.Text()))
    last: object = None
    while True:
        query = sa.select(rows.c[key], rows.c[column]).where(rows.c[column].is_not(None))
        if last is not None:
            query = query.where(rows.c[key] > last)
        batch = bind.execute(query.order_by(rows.c[key]).limit(_BATCH)).all()
        if not batch:
            return
        for row_key, value in batch:
            bind.execute(
                sa.update(rows).where(rows.c[key] == row_key).values({column: change(value)})
            )
        last = batch[-1][0]


def _cipher_text(table: str, column: str, key: str) -> None:
    bind = op.get_bind()
    holds = sa.table(table, sa.column(column))
    if bind.execute(sa.select(sa.func.count()).select_from(holds)).scalar_one() == 0:
        return
    cipher = cipher_of(bind.dialect)
    _rewrite(table, column, key, cipher.seal)


def upgrade() -> None:
    for table, column, key, was_json in SEALED:
        if was_json:
            with op.batch_alter_table(table) as batch:
                batch.alter_column(
                    column,
                    existing_type=_json(),
                    type_=sa.Text(),
                    existing_nullable=False,
                    postgresql_using=f"{column}::text",
                )
        _cipher_text(table, column, key)


def downgrade() -> None:
    bind = op.get_bind()
    for table, column, key, was_json in reversed(SEALED):
        holds = sa.table(table, sa.column(column))
        if bind.execute(sa.select(sa.func.count()).select_from(holds)).scalar_one():
            _rewrite(table, column, key, cipher_of(bind.dialect).open)
        if was_json:
            with op.batch_alter_table(table) as batch:
                batch.alter_column(
                    column,
                    existing_type=sa.Text(),
                    type_=_json(),
                    existing_nullable=False,
                    postgresql_using=f"{column}::jsonb",
                )
