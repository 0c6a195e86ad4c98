"""slack-sdk's installation and OAuth state stores, on our own tables.

Bolt asks these (async) for the bot token of the workspace a request comes
from, and saves what an OAuth install returns. Tokens are encrypted before
they reach storage and decrypted on the way out; the database never holds
one in the clear.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.channels.slack.tokens import TokenCipher
from bot.service import Clock

log = logging.getLogger(__name__)

# How long an install link stays good (Slack's own stores use ten minutes).
STATE_LIFETIME = timedelta(minutes=10)


class DatabaseInstallationStore(AsyncInstallationStore):
    """Bot installations only: dialoog asks for no user scopes."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: TokenCipher,
        *,
        client_id: str,
        logger: logging.Logger,
        reinstalled: Callable[[str], object] | None = None,
    ) -> None:
        self.sessions = sessions
        self.cipher = cipher
        self.client_id = client_id
        self._logger = logger
        # Told the workspace of every saved installation (an uninstall's erasure stops).
        self.reinstalled = reinstalled

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def async_save(self, installation: Installation) -> None:
        await self._save(installation.to_bot(), installer=installation.user_id or "")

    async def async_save_bot(self, bot: Bot) -> None:
        await self._save(bot, installer="")

    async def _save(self, bot: Bot, *, installer: str) -> None:
        new = storage.NewSlackInstallation(
            client_id=self.client_id,
            enterprise_id=bot.enterprise_id or "",
            team_id="" if bot.is_enterprise_install else (bot.team_id or ""),
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_token_ciphertext=self.cipher.encrypt(bot.bot_token),
            installed_at=datetime.fromtimestamp(bot.installed_at, tz=UTC),
            app_id=bot.app_id or "",
            enterprise_name=bot.enterprise_name or "",
            team_name=bot.team_name or "",
            is_enterprise_install=bot.is_enterprise_install,
            bot_scopes=",".join(bot.bot_scopes or []),
            bot_refresh_token_ciphertext=(
                self.cipher.encrypt(bot.bot_refresh_token) if bot.bot_refresh_token else None
            ),
            bot_token_expires_at=(
                datetime.fromtimestamp(bot.bot_token_expires_at, tz=UTC)
                if bot.bot_token_expires_at
                else None
            ),
            installer_user_id=installer,
        )

        def save() -> None:
            with self.sessions() as session, session.begin():
                storage.save_slack_installation(session, new)
            if self.reinstalled is not None and bot.team_id:
                self.reinstalled(bot.team_id)

        await asyncio.to_thread(save)
        log.info("slack: installation saved for team=%s", new.team_id or new.enterprise_id)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        team = "" if is_enterprise_install else (team_id or "")

        def find() -> Bot | None:
            with self.sessions() as session:
                row = storage.find_slack_installation(
                    session,
                    client_id=self.client_id,
                    enterprise_id=enterprise_id or "",
                    team_id=team,
                )
                if row is None and enterprise_id and team:
                    # A workspace of an Enterprise Grid org may be stored without its org.
                    row = storage.find_slack_installation(
                        session, client_id=self.client_id, enterprise_id=None, team_id=team
                    )
                return self._bot(row) if row is not None else None

        return await asyncio.to_thread(find)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        bot = await self.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is None:
            return None
        return Installation(
            app_id=bot.app_id,
            enterprise_id=bot.enterprise_id,
            enterprise_name=bot.enterprise_name,
            team_id=bot.team_id,
            team_name=bot.team_name,
            bot_token=bot.bot_token,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_scopes=bot.bot_scopes,
            bot_refresh_token=bot.bot_refresh_token,
            bot_token_expires_at=bot.bot_token_expires_at,
            user_id=user_id or "",
            is_enterprise_install=bot.is_enterprise_install,
            installed_at=bot.installed_at,
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        def delete() -> None:
            with self.sessions() as session, session.begin():
                storage.delete_slack_installation(
                    session,
                    client_id=self.client_id,
                    enterprise_id=enterprise_id or "",
                    team_id=team_id or "",
                )

        await asyncio.to_thread(delete)
        log.info("slack: installation removed for team=%s", team_id or enterprise_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        # Only bot installations are kept; a user's token was never stored.
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def _bot(self, row: storage.SlackInstallation) -> Bot:
        refresh = row.bot_refresh_token_ciphertext
        return Bot(
            app_id=row.app_id or None,
            enterprise_id=row.enterprise_id or None,
            enterprise_name=row.enterprise_name or None,
            team_id=row.team_id or None,
            team_name=row.team_name or None,
            bot_token=self.cipher.decrypt(row.bot_token_ciphertext),
            bot_id=row.bot_id,
            bot_user_id=row.bot_user_id,
            bot_scopes=row.bot_scopes,
            bot_refresh_token=self.cipher.decrypt(refresh) if refresh else None,
            bot_token_expires_at=(
                int(row.bot_token_expires_at.timestamp()) if row.bot_token_expires_at else None
            ),
            is_enterprise_install=row.is_enterprise_install,
            installed_at=row.installed_at.timestamp(),
        )

    async def bot_token(self, team_id: str) -> str | None:
        """The decrypted bot token of a workspace, for sending outside a request."""

        def find() -> str | None:
            with self.sessions() as session:
                row = storage.find_slack_installation(
                    session, client_id=self.client_id, enterprise_id=None, team_id=team_id
                )
                return self.cipher.decrypt(row.bot_token_ciphertext) if row else None

        return await asyncio.to_thread(find)


class DatabaseStateStore(AsyncOAuthStateStore):
    """OAuth `state` values, each good once and for ten minutes."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Clock, *, logger: logging.Logger
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self._logger = logger

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        state = secrets.token_urlsafe(32)
        now = self.clock.now()

        def issue() -> None:
            with self.sessions() as session, session.begin():
                storage.issue_slack_oauth_state(
                    session, state, expires_at=now + STATE_LIFETIME, now=now
                )

        await asyncio.to_thread(issue)
        return state

    async def async_consume(self, state: str) -> bool:
        now = self.clock.now()

        def consume() -> bool:
            with self.sessions() as session, session.begin():
                return storage.consume_slack_oauth_state(session, state, now=now)

        valid = await asyncio.to_thread(consume)
        if not valid:
            log.warning("slack: an install came back with an unknown or expired state")
        return valid


def stored_installations(sessions: sessionmaker[Session]) -> int:
    """How many workspaces' installations (with their encrypted tokens) are stored."""
    with sessions() as session:
        return storage.count_slack_installations(session)


def rotate_tokens(sessions: sessionmaker[Session], cipher: TokenCipher) -> int:
    """Re-encrypt every stored token that an older key encrypted; how many rows changed."""
    changed = 0
    with sessions() as session, session.begin():
        for row in storage.list_slack_installations(session):
            touched = False
            if not cipher.is_current(row.bot_token_ciphertext):
                row.bot_token_ciphertext = cipher.rotate(row.bot_token_ciphertext)
                touched = True
            refresh = row.bot_refresh_token_ciphertext
            if refresh and not cipher.is_current(refresh):
                row.bot_refresh_token_ciphertext = cipher.rotate(refresh)
                touched = True
            changed += touched
    return changed
