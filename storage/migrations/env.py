"""Alembic environment: used by `storage.db.upgrade` and by the `alembic` command."""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON, Connection

from storage.columns import UTCDateTime
from storage.crypto import SealedJSON, SealedText
from storage.db import make_engine, normalize_url
from storage.models import Base

config = context.config
target_metadata = Base.metadata

# Only the `alembic` command line has an ini file; the application configures
# its own logging and must not have it replaced here.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    url = os.environ.get("DIALOOG_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set DIALOOG_DATABASE_URL or sqlalchemy.url in alembic.ini")
    return url


def _render_type(type_: str, obj: Any, autogen: AutogenContext) -> str | Literal[False]:
    """Write our column types as plain SQLAlchemy ones, so that a migration
    keeps working when storage's own code changes later."""
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, SealedJSON | SealedText):
        # Ciphertext; see storage.crypto.
        return "sa.Text()"
    if isinstance(obj, JSON):
        autogen.imports.add("from sqlalchemy.dialects import postgresql")
        flag = f"none_as_null={obj.none_as_null}"
        return f'sa.JSON({flag}).with_variant(postgresql.JSONB({flag}), "postgresql")'
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
        render_item=_render_type,
    )


def run_offline() -> None:
    context.configure(
        url=normalize_url(_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    shared = config.attributes.get("connection")
    if shared is not None:
        _configure(shared)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
