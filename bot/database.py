"""The database engine of the settings, with the keys of the content encrypted at rest."""

from __future__ import annotations

from sqlalchemy import Engine

import storage
from bot.config import Settings, secret


def engine_for(settings: Settings) -> Engine:
    """Raises InvalidDatabaseUrl, or WeakSecret for a key that cannot be used."""
    return storage.make_engine(
        settings.database_url, secret_key=secret(settings.secret_key), key_file=settings.key_file
    )
