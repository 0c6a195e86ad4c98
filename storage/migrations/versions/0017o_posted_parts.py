"""A message posted in parts keeps the ids of its parts in one form for every
platform: `posted_messages.parts`, first to last, beside its first part's id.

Before, Slack recorded a long card's continuations as slots of their own
("card~2", "card~3", ...) and Teams joined the ids of its posts with spaces in
`external_id`. Both become one row per message: `external_id` its first part,
`parts` all of them.

Revision ID: 0017o
Revises: 0017
Created: 2026-12-01
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0017o"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTS = sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
# How Slack named the continuations of a slot's message: "card~2", "card~3", ...
_CONTINUATION = re.compile(r"^(?P<slot>.+)~(?P<n>[0-9]+)$")

_posted = sa.table(
    "posted_messages",
    sa.column("id", sa.Integer),
    sa.column("round_id", sa.String),
    sa.column("slot", sa.String),
    sa.column("platform", sa.String),
    sa.column("channel", sa.String),
    sa.column("external_id", sa.String),
    sa.column("updated_at", sa.DateTime),
    sa.column("parts", _PARTS),
)


def upgrade() -> None:
    with op.batch_alter_table("posted_messages") as batch:
        batch.add_column(sa.Column("parts", _PARTS, nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_posted.c.id, _posted.c.round_id, _posted.c.slot, _posted.c.external_id)
    ).all()
    owners = {(row.round_id, row.slot): row for row in rows}
    parts: dict[int, list[str]] = {}
    continued: dict[int, dict[int, str]] = {}
    gone: list[int] = []
    for row in rows:
        ids = str(row.external_id).split()
        if len(ids) > 1:
            # Teams: the ids of every post of the message, space separated.
            parts[row.id] = ids
        found = _CONTINUATION.match(row.slot)
        owner = owners.get((row.round_id, found["slot"])) if found else None
        if found and owner is not None:
            # Slack: part n of the owner's message, as a slot of its own.
            continued.setdefault(owner.id, {})[int(found["n"])] = row.external_id
            gone.append(row.id)
    first_of = {row.id: str(row.external_id) for row in rows}
    for owner_id, more in continued.items():
        parts[owner_id] = [first_of[owner_id], *(more[n] for n in sorted(more))]
    for row_id, ids in parts.items():
        connection.execute(
            _posted.update().where(_posted.c.id == row_id).values(external_id=ids[0], parts=ids)
        )
    if gone:
        connection.execute(_posted.delete().where(_posted.c.id.in_(gone)))


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_posted).where(_posted.c.parts.is_not(None))).all()
    for row in rows:
        if row.platform == "slack" and len(row.parts) > 1:
            connection.execute(
                _posted.insert(),
                [
                    {
                        "round_id": row.round_id,
                        "slot": f"{row.slot}~{n}",
                        "platform": row.platform,
                        "channel": row.channel,
                        "external_id": one,
                        "updated_at": row.updated_at,
                    }
                    for n, one in enumerate(row.parts[1:], start=2)
                ],
            )
        else:
            connection.execute(
                _posted.update()
                .where(_posted.c.id == row.id)
                .values(external_id=" ".join(row.parts))
            )
    with op.batch_alter_table("posted_messages") as batch:
        batch.drop_column("parts")
