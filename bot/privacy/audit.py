"""Exports and erasures in the audit log (storage.audit): who, what, when, no content.

An erasure names the workspace and the pseudonym, not the user id: the log must
not keep what the erasure took away.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.privacy.subject import Subject
from storage.audit import AUDIT_ERASURE, AUDIT_EXPORT, record_audit


def exported(session: Session, actor: str, subject: Subject, now: datetime) -> None:
    record_audit(
        session,
        actor=actor,
        action=AUDIT_EXPORT,
        target=f"{subject.platform}:{subject.workspace}:{subject.user_id}",
        now=now,
    )


def erased(
    session: Session,
    actor: str,
    subject: Subject,
    now: datetime,
    *,
    pseudonym: str,
    rounds: int,
    events: int,
) -> None:
    record_audit(
        session,
        actor=actor,
        action=AUDIT_ERASURE,
        target=f"{subject.platform}:{subject.workspace}",
        now=now,
        detail={"pseudonym": pseudonym, "rounds": rounds, "events": events},
    )
