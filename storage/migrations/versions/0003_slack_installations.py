"""Slack installations (multi-workspace OAuth, tokens encrypted) and OAuth states.

Revision ID: 0003
Revises: 0002
Created: 2025-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("app_id", sa.String(length=255), nullable=False),
        sa.Column("enterprise_id", sa.String(length=255), nullable=False),
        sa.Column("enterprise_name", sa.String(length=255), nullable=False),
        sa.Column("team_id", sa.String(length=255), nullable=False),
        sa.Column("team_name", sa.String(length=255), nullable=False),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("bot_id", sa.String(length=255), nullable=False),
        sa.Column("bot_user_id", sa.String(length=255), nullable=False),
        sa.Column("bot_scopes", sa.Text(), nullable=False),
        sa.Column("bot_token_ciphertext", sa.Text(), nullable=False),
        sa.Column("bot_refresh_token_ciphertext", sa.Text(), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("installer_user_id", sa.String(length=255), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_installations")),
        sa.UniqueConstraint(
            "client_id",
            "enterprise_id",
            "team_id",
            name=op.f("uq_slack_installations_client_id_enterprise_id_team_id"),
        ),
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("state", sa.String(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_slack_oauth_states")),
    )
    with op.batch_alter_table("slack_oauth_states", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_slack_oauth_states_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("slack_oauth_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_oauth_states_expires_at"))

    op.drop_table("slack_oauth_states")
    op.drop_table("slack_installations")
