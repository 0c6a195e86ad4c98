"""Web API clients: one per workspace token, all pointed at SLACK_API_URL.

slack-sdk retries what is safe to retry on its own: a connection that could
not be made at all, and (for the Bolt app's own calls) a 429 after the
Retry-After Slack names. The sender's clients leave a 429 to the shared
RateLimits instead, which hold back every call under the refused key, not only
the refused one. A request that may have reached Slack is never retried here
(a post could appear twice); the dispatcher decides what to do with those.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.installations import DatabaseInstallationStore
from bot.channels.slack.limits import LimitedWebClient, RateLimits
from bot.service import PermanentSendError

DEFAULT_API_URL = "https://slack.com/api/"
# Seconds for one Web API call before it counts as unanswered.
TIMEOUT = 15
# Seconds an idle kept-alive connection is kept: well below what Slack's servers
# keep one, so that we close it first (a request on a connection the server has
# just closed fails, and may or may not have been sent).
KEEP_ALIVE = 10.0


def retry_handlers(*, rate_limited: bool = True) -> list[AsyncRetryHandler]:
    # Only "could not connect": nothing was sent, so trying again cannot double a post.
    handlers: list[AsyncRetryHandler] = [
        AsyncConnectionErrorRetryHandler(
            max_retry_count=2, error_types=[aiohttp.ClientConnectorError]
        )
    ]
    if rate_limited:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    return handlers


class WebClients:
    """Hands out a client for a workspace: the one bot token, or an installation's."""

    def __init__(
        self,
        *,
        base_url: str | None,
        logger: logging.Logger,
        token: str | None = None,
        store: DatabaseInstallationStore | None = None,
        timeout: int | None = None,
    ) -> None:
        base = base_url or DEFAULT_API_URL
        self.base_url = base if base.endswith("/") else base + "/"
        self.logger = logger
        self.token = token
        self.store = store
        self._timeout = timeout
        self.limits = RateLimits()
        # One HTTP session of kept-alive connections for updates in place.
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None
        # The sender's clients, made once per workspace (a client costs about as much to
        # make as a call's own work); a new token or session makes new ones.
        self._clients: dict[tuple[str, bool], tuple[tuple[object, ...], LimitedWebClient]] = {}

    async def lifetime(self, _app: object) -> AsyncIterator[None]:
        """aiohttp cleanup context: the kept-alive connections close with the server."""
        yield
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _kept_alive(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            connector = aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE)
            self._session = aiohttp.ClientSession(connector=connector)
            self._session_loop = loop
        return self._session

    def new(self, token: str | None = None) -> AsyncWebClient:
        return AsyncWebClient(
            token=token,
            base_url=self.base_url,
            logger=self.logger,
            timeout=self._timeout if self._timeout is not None else TIMEOUT,
            retry_handlers=retry_handlers(),
        )

    async def for_team(self, team_id: str, *, in_place: bool = False) -> AsyncWebClient:
        """A client for the sender: it keeps to the rate limits Slack set for the workspace.

        `in_place`: for updates of a message in place (chat.update), on kept-alive
        connections. An update that fails as its connection drops is harmless to
        send again; a post is not, so posts get a connection of their own."""
        return (await self.for_sending(team_id, in_place=(in_place,)))[0]

    async def for_sending(
        self, team_id: str, *, in_place: tuple[bool, ...] = (False, True)
    ) -> tuple[AsyncWebClient, ...]:
        """The workspace's clients for posts and for updates in place (see `for_team`),
        with one look-up of its token."""
        token = self.token if self.store is None else await self.store.bot_token(team_id)
        if token is None:
            raise PermanentSendError("slack:not_installed")
        return tuple(self._client(team_id, token, kept) for kept in in_place)

    def _client(self, team_id: str, token: str, in_place: bool) -> LimitedWebClient:
        session = self._kept_alive() if in_place else None
        timeout = self._timeout if self._timeout is not None else TIMEOUT
        made_of = (token, session, timeout)
        known = self._clients.get((team_id, in_place))
        if known is not None and known[0] == made_of:
            return known[1]
        client = LimitedWebClient(
            session=session,
            limits=self.limits,
            workspace=team_id,
            token=token,
            base_url=self.base_url,
            logger=self.logger,
            timeout=timeout,
            retry_handlers=retry_handlers(rate_limited=False),
        )
        self._clients[(team_id, in_place)] = (made_of, client)
        return client
