"""A full dump of a test database as text: what a copied file or a backup would show."""

from __future__ import annotations

import subprocess

from sqlalchemy import Engine


def full_dump(engine: Engine) -> str:
    """SQLite: iterdump of the file; PostgreSQL: `pg_dump` of the database."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            return "\n".join(raw.driver_connection.iterdump())  # type: ignore[union-attr]
        finally:
            raw.close()
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        ["pg_dump", "--data-only", "--no-owner", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    # \restrict lines carry a fresh random key per dump; they say nothing of the data.
    return "\n".join(
        line
        for line in done.stdout.splitlines()
        if not line.startswith(("\\restrict", "\\unrestrict"))
    )


def holds(dump: str, text: str) -> bool:
    """Whether the dump shows `text`, in any of the quotings SQL and JSON give it."""
    forms = {text, text.replace("'", "''"), text.replace('"', '\\"')}
    return any(form in dump for form in forms)
