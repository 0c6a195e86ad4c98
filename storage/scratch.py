"""Throw-away PostgreSQL databases, for the test suite and the benchmarks.

Both run against a shared server (DIALOOG_TEST_POSTGRES_URL, DIALOOG_BENCH_POSTGRES_URL)
and must not see each other's rows, so each makes a database of its own under a
unique name and drops it afterwards. It lives here, beside `make_engine`, because
bench/ and tests/ both need it and neither may import the other.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from storage.db import make_engine, normalize_url


@contextmanager
def scratch_postgres_database(server_url: str, *, prefix: str) -> Iterator[str]:
    """A new, empty database named `prefix`_<random> on the server of `server_url`
    (any database of it will do); its URL. Dropped afterwards, even with clients
    still connected."""
    server = normalize_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
