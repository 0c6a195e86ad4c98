"""Whom an export or an erasure is about: a user id in one workspace."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

import storage
from bot.errors import DialoogError
from storage import people


@dataclass(frozen=True)
class Subject:
    platform: str  # "slack" | "teams" | "web"
    workspace: str  # Slack team id, Teams tenant id, "local"
    user_id: str


class SubjectUnclear(DialoogError, LookupError):
    """No such person, or the user id is known in more than one workspace."""


def resolve(
    session: Session, user_id: str, *, platform: str | None = None, workspace: str | None = None
) -> tuple[Subject, storage.Tenant]:
    """The one workspace the user id belongs to; SubjectUnclear says what to add."""
    found = people.tenants_of_user(session, user_id, platform=platform, workspace=workspace)
    if not found:
        raise SubjectUnclear(f"nothing is stored about user {user_id!r} (check the id)")
    if len(found) > 1:
        places = ", ".join(f"--platform {t.platform} --workspace {t.external_id}" for t in found)
        raise SubjectUnclear(
            f"user {user_id!r} is known in several workspaces; add one of: {places}"
        )
    tenant = found[0]
    return Subject(tenant.platform, tenant.external_id, user_id), tenant
