"""What storage raises; callers catch these, never a driver's exception."""

from __future__ import annotations

__all__ = [
    "AlreadyProcessed",
    "DatabaseUnavailable",
    "InvalidDatabaseUrl",
    "NotFound",
    "StorageError",
    "VersionConflict",
]


class StorageError(Exception):
    """Base of every error storage raises on purpose."""


class VersionConflict(StorageError):
    """Another transaction changed the round first.

    Roll back, re-read the round and its events, and decide again.
    """


class AlreadyProcessed(VersionConflict):
    """A command with this idempotency key was recorded by another transaction.

    A subclass of VersionConflict so that the service's retry loop handles it:
    after the rollback, `find_processed` returns the stored outcome.
    """


class NotFound(StorageError, LookupError):
    """The row the caller named does not exist."""


class DatabaseUnavailable(StorageError):
    """The database cannot be reached (the message never holds a password)."""


class InvalidDatabaseUrl(StorageError, ValueError):
    """The database URL cannot be parsed or names a backend storage does not support."""
