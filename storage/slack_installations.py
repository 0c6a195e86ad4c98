"""Slack installations (multi-workspace OAuth) and the OAuth states of installs.

Tokens arrive here already encrypted; these functions store and return
ciphertext only. An absent enterprise or team id is "" (see the model).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage._sql import dialect_insert, rowcount
from storage.models import SlackInstallation, SlackOAuthState

__all__ = [
    "NewSlackInstallation",
    "consume_slack_oauth_state",
    "count_slack_installations",
    "delete_slack_installation",
    "find_slack_installation",
    "issue_slack_oauth_state",
    "list_slack_installations",
    "save_slack_installation",
]


@dataclass(frozen=True)
class NewSlackInstallation:
    client_id: str
    enterprise_id: str
    team_id: str
    bot_id: str
    bot_user_id: str
    bot_token_ciphertext: str
    installed_at: datetime
    app_id: str = ""
    enterprise_name: str = ""
    team_name: str = ""
    is_enterprise_install: bool = False
    bot_scopes: str = ""
    bot_refresh_token_ciphertext: str | None = None
    bot_token_expires_at: datetime | None = None
    installer_user_id: str = ""


def save_slack_installation(session: Session, new: NewSlackInstallation) -> SlackInstallation:
    """Store an installation; installing again in a workspace replaces the old one."""
    values = asdict(new)
    keys = ("client_id", "enterprise_id", "team_id")
    session.execute(
        dialect_insert(session, SlackInstallation)
        .values(**values)
        .on_conflict_do_update(
            index_elements=list(keys),
            set_={k: v for k, v in values.items() if k not in keys},
        )
    )
    found = find_slack_installation(
        session, client_id=new.client_id, enterprise_id=new.enterprise_id, team_id=new.team_id
    )
    assert found is not None
    return found


def find_slack_installation(
    session: Session, *, client_id: str, enterprise_id: str | None, team_id: str
) -> SlackInstallation | None:
    """The installation of a workspace; enterprise_id None: in whichever org it is."""
    query = select(SlackInstallation).where(
        SlackInstallation.client_id == client_id, SlackInstallation.team_id == team_id
    )
    if enterprise_id is not None:
        query = query.where(SlackInstallation.enterprise_id == enterprise_id)
    row = session.scalars(query.order_by(SlackInstallation.installed_at.desc())).first()
    if row is not None:
        # The row may have been changed by the upsert behind the session's back.
        session.refresh(row)
    return row


def delete_slack_installation(
    session: Session, *, client_id: str, enterprise_id: str, team_id: str
) -> int:
    """Forget a workspace's installation (uninstalled, tokens revoked); how many rows went."""
    return rowcount(
        session.execute(
            delete(SlackInstallation).where(
                SlackInstallation.client_id == client_id,
                SlackInstallation.enterprise_id == enterprise_id,
                SlackInstallation.team_id == team_id,
            )
        )
    )


def count_slack_installations(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SlackInstallation)) or 0


def list_slack_installations(session: Session) -> list[SlackInstallation]:
    """Every installation, for re-encrypting tokens after a key rotation."""
    return list(session.scalars(select(SlackInstallation).order_by(SlackInstallation.id)))


def issue_slack_oauth_state(
    session: Session, state: str, *, expires_at: datetime, now: datetime
) -> None:
    """Remember a state handed out; states that expired unused are cleared on the way."""
    session.execute(delete(SlackOAuthState).where(SlackOAuthState.expires_at < now))
    session.add(SlackOAuthState(state=state, expires_at=expires_at))


def consume_slack_oauth_state(session: Session, state: str, *, now: datetime) -> bool:
    """True once for a state that was issued and has not expired; then it is gone."""
    removed = rowcount(
        session.execute(
            delete(SlackOAuthState).where(
                SlackOAuthState.state == state, SlackOAuthState.expires_at >= now
            )
        )
    )
    return removed == 1
