"""The audit log of administrative acts on personal data: who did what, when.

Export, erasure, a retention change, a purge: each leaves one row. The row holds
ids and counts only. `record_audit` checks that: a detail value is an int or a
short code without spaces, so no sentence of a conversation can end up here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditEntry

__all__ = [
    "AUDIT_ACTIONS",
    "AUDIT_ERASURE",
    "AUDIT_EXPORT",
    "AUDIT_RETENTION_CHANGE",
    "AUDIT_RETENTION_PURGE",
    "AUDIT_UNINSTALL",
    "AUDIT_UNINSTALL_PURGE",
    "list_audit",
    "record_audit",
]

AUDIT_EXPORT = "export"
AUDIT_ERASURE = "erasure"
AUDIT_RETENTION_CHANGE = "retention_change"
AUDIT_RETENTION_PURGE = "retention_purge"
# The platform told us the app was removed (the erasure is then due, see erase_at).
AUDIT_UNINSTALL = "uninstall"
AUDIT_UNINSTALL_PURGE = "uninstall_purge"
AUDIT_ACTIONS = (
    AUDIT_EXPORT,
    AUDIT_ERASURE,
    AUDIT_RETENTION_CHANGE,
    AUDIT_RETENTION_PURGE,
    AUDIT_UNINSTALL,
    AUDIT_UNINSTALL_PURGE,
)

# Ids ("slack:T0001:U0042", "round:ab12", "cli:root") and codes ("on", "14").
_ID = re.compile(r"[A-Za-z0-9_.:@/+=-]{1,255}")
_CODE = re.compile(r"[A-Za-z0-9_.:@/+=-]{0,64}")


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    now: datetime,
    detail: Mapping[str, int | str] | None = None,
) -> None:
    """Add one entry; raises ValueError for an unknown action or for a name, a
    sentence or anything else that is not an id, a count or a short code."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; use one of {', '.join(AUDIT_ACTIONS)}")
    for name, given in (("actor", actor), ("target", target)):
        if not _ID.fullmatch(given):
            raise ValueError(f"audit {name} must be an id without spaces")
    checked: dict[str, int | str] = {}
    for key, value in (detail or {}).items():
        if not _CODE.fullmatch(key) or not key:
            raise ValueError("audit detail keys must be short codes")
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"audit detail {key} must be a count or a short code")
        if isinstance(value, str) and not _CODE.fullmatch(value):
            raise ValueError(f"audit detail {key} must be a short code, never content")
        checked[key] = value
    session.add(AuditEntry(at=now, actor=actor, action=action, target=target, detail=checked))
    session.flush()


def list_audit(
    session: Session,
    *,
    since: datetime | None = None,
    action: str | None = None,
    limit: int = 1000,
) -> list[AuditEntry]:
    """Entries oldest first (the newest `limit` of them), optionally from `since` on
    and of one action."""
    query = select(AuditEntry)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    newest = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return sorted(session.scalars(newest), key=lambda e: (e.at, e.id))
