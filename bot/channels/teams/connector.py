"""Calls to the Bot Connector service, with its failures sorted into the outbox's
three families: retry later, give up, or "it may have arrived".

Every call goes to the service URL of the conversation (from the incoming activity
or the stored ConversationReference); tests point it at a loopback fake.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import time
from collections.abc import Iterator
from typing import Any

from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationParameters,
)
from botframework.connector.auth import (
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
)
from botframework.connector.models import ErrorResponseException
from msrest.exceptions import ClientRequestError
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from bot.channels.teams.cards import CONTENT_TYPE, Card
from bot.service.dispatch import (
    AmbiguousSendError,
    PermanentSendError,
    RetryableSendError,
    SendError,
)
from bot.service.states import Lru

log = logging.getLogger(__name__)

# How long one call may take before it counts as "no answer".
TIMEOUT_SECONDS = 15
_CLIENTS_KEPT = 64


def card_activity(card: Card, *, activity_id: str | None = None) -> Activity:
    activity = Activity(
        type=ActivityTypes.message,
        attachments=[Attachment(content_type=CONTENT_TYPE, content=card)],
    )
    if activity_id is not None:
        activity.id = activity_id
    return activity


class Connector:
    """The bot's side of the Bot Connector REST API, for one app id (or none)."""

    def __init__(
        self,
        authentication: BotFrameworkAuthentication,
        app_id: str | None,
        *,
        timeout: int = TIMEOUT_SECONDS,
    ) -> None:
        self.authentication = authentication
        self.app_id = app_id or ""
        self.timeout = timeout
        # One client per service URL, as botbuilder's own adapter keeps them: making
        # one builds msrest's configuration and retry policy (~6 ms of CPU), and
        # its credentials fetch and renew their token themselves. Teams has a few
        # service URLs (one per region); the bound only guards against a flood.
        self._clients: Lru[str, Any] = Lru(_CLIENTS_KEPT)

    async def post(self, service_url: str, conversation_id: str, activity: Activity) -> str:
        """Add a message to a conversation (a channel's top level, or a thread); its id."""
        client = await self._client(service_url)
        with sorted_errors("post"):
            response = await client.conversations.send_to_conversation(conversation_id, activity)
        return str(getattr(response, "id", None) or "")

    async def update(
        self, service_url: str, conversation_id: str, activity_id: str, activity: Activity
    ) -> None:
        activity.id = activity_id
        client = await self._client(service_url)
        with sorted_errors("update"):
            await client.conversations.update_activity(conversation_id, activity_id, activity)

    async def delete(self, service_url: str, conversation_id: str, activity_id: str) -> None:
        client = await self._client(service_url)
        with sorted_errors("delete"):
            await client.conversations.delete_activity(conversation_id, activity_id)

    async def personal_chat(
        self, service_url: str, bot: ChannelAccount, user_id: str, tenant: str
    ) -> str:
        """The id of the bot's one-to-one chat with a user (Teams makes it once, then
        answers the same id)."""
        parameters = ConversationParameters(
            is_group=False,
            bot=bot,
            members=[ChannelAccount(id=user_id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        client = await self._client(service_url)
        with sorted_errors("create_conversation"):
            response = await client.conversations.create_conversation(parameters)
        conversation_id = getattr(response, "id", None)
        if not conversation_id:
            raise PermanentSendError("teams_no_conversation_id")
        return str(conversation_id)

    async def _client(self, service_url: str) -> Any:
        client = self._clients.get(service_url)
        if client is None:
            client = await self._new_client(service_url)
            self._clients.put(service_url, client)
        return client

    async def _new_client(self, service_url: str) -> Any:
        claims = ClaimsIdentity(
            {
                AuthenticationConstants.AUDIENCE_CLAIM: self.app_id,
                AuthenticationConstants.APP_ID_CLAIM: self.app_id,
            },
            True,
        )
        factory = self.authentication.create_connector_factory(claims)
        try:
            client = await factory.create(
                service_url, self.authentication.get_originating_audience()
            )
        except PermissionError:
            # msal said no: a wrong app password or tenant. Retrying will not help.
            raise PermanentSendError("teams_token_refused") from None
        except Exception as error:
            log.warning("teams: no token for the connector (%s)", type(error).__name__)
            raise RetryableSendError("teams_token_unavailable") from None
        configure(client, self.timeout)
        return client


def configure(client: Any, timeout: int) -> None:
    """A bounded wait, and no retries inside msrest: it would repeat a POST after a
    timeout (a double message); the outbox decides about retries instead."""
    client.config.connection.timeout = timeout
    # Changed in place: msrest's requests session already holds this very object
    # (it is made when the client is), so a new one would not be seen.
    policy = client.config.retry_policy.policy
    policy.total = policy.connect = policy.read = policy.status = policy.redirect = 0
    policy.other = 0
    policy.status_forcelist = frozenset()
    policy.raise_on_status = False


@contextlib.contextmanager
def sorted_errors(what: str) -> Iterator[None]:
    """Turn a connector failure into RetryableSendError / PermanentSendError /
    AmbiguousSendError with a short code (never the response body)."""
    try:
        yield
    except SendError:
        raise
    except Exception as error:
        sorted_error = classify(error)
        if sorted_error is None:
            raise
        log.warning("teams: %s failed: %s", what, sorted_error.code)
        raise sorted_error from None


def classify(error: BaseException) -> SendError | None:
    """The outbox family of a connector failure; None for errors of our own code."""
    if isinstance(error, ErrorResponseException):
        response = getattr(error, "response", None)
        status = int(getattr(response, "status_code", 0) or 0)
        headers = getattr(response, "headers", None) or {}
        return _by_status(status, headers)
    if isinstance(error, ClientRequestError):
        causes = list(_causes(error))
        if any(isinstance(c, NewConnectionError | ConnectTimeoutError) for c in causes):
            return RetryableSendError("teams_unreachable")
        if any(isinstance(c, ReadTimeoutError | TimeoutError) for c in causes):
            return AmbiguousSendError("teams_timeout")
        if any(isinstance(c, ProtocolError) for c in causes):
            return AmbiguousSendError("teams_connection_lost")
        return RetryableSendError("teams_request_failed")
    return None


def _by_status(status: int, headers: Any) -> SendError:
    if status == 429:
        return RetryableSendError("teams_rate_limited", retry_after(headers))
    if status in (500, 502, 503, 504):
        return RetryableSendError(f"teams_http_{status}", retry_after(headers))
    if status == 403:
        # The bot was removed from the team or chat, or may not message this user.
        return PermanentSendError("teams_forbidden")
    if status == 404:
        return PermanentSendError("teams_not_found")
    if status == 401:
        return PermanentSendError("teams_unauthorized")
    if status == 413:
        return PermanentSendError("teams_too_large")
    return PermanentSendError(f"teams_http_{status or 'unknown'}")


def retry_after(headers: Any) -> float | None:
    """Seconds to wait, from a Retry-After header (seconds or an HTTP date)."""
    raw = headers.get("Retry-After") if hasattr(headers, "get") else None
    if not raw:
        return None
    raw = str(raw).strip()
    if raw.isdigit():
        return float(raw)
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException] = [error]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nested in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(nested, BaseException):
                stack.append(nested)
        for arg in current.args:
            if isinstance(arg, BaseException):
                stack.append(arg)
        if isinstance(current, MaxRetryError) and isinstance(current.reason, BaseException):
            stack.append(current.reason)
