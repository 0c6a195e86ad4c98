"""Slack's answers and failures as the dispatcher's three kinds of send error.

Retryable: rate limited after slack-sdk's own retries, Slack briefly down
(5xx), no connection made. Permanent: the channel, the token or the request is
wrong, and sending again will not help. Ambiguous: the request went out and no
answer came back, so the message may have been posted.
"""

from __future__ import annotations

import asyncio

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.channels.slack.limits import retry_after_of
from bot.service import AmbiguousSendError, PermanentSendError, RetryableSendError, SendError

# Errors Slack documents as temporary on its side.
_RETRYABLE = {
    "ratelimited",
    "rate_limited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
}
# Errors about where we post: the person posting should hear of them.
CHANNEL_ERRORS = {"channel_not_found", "not_in_channel", "is_archived", "restricted_action"}


def slack_error_code(error: SlackApiError) -> str:
    data = error.response.data if error.response is not None else None
    code = data.get("error") if isinstance(data, dict) else None
    return str(code or "unknown")


def send_error(error: BaseException) -> SendError:
    """The SendError for whatever a Web API call raised."""
    if isinstance(error, SlackApiError):
        code = slack_error_code(error)
        status = error.response.status_code if error.response is not None else 0
        if status == 429 or code in _RETRYABLE:
            retry_after = _retry_after(error)
            return RetryableSendError(f"slack:{_short(code)}", retry_after)
        if status >= 500:
            return RetryableSendError(f"slack:http_{status}")
        return PermanentSendError(f"slack:{_short(code)}")
    if isinstance(error, aiohttp.ClientConnectorError):
        # No connection was made: nothing reached Slack.
        return RetryableSendError("slack:no_connection")
    if isinstance(error, TimeoutError | asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return AmbiguousSendError("slack:timeout")
    if isinstance(error, aiohttp.ClientError):
        # The connection broke somewhere after it was made: it may have arrived.
        return AmbiguousSendError(f"slack:{_short(type(error).__name__)}")
    return PermanentSendError(f"slack:{_short(type(error).__name__)}")


def _retry_after(error: SlackApiError) -> float | None:
    return retry_after_of(error.response.headers) if error.response is not None else None


def _short(code: str) -> str:
    # Outbox error codes are at most 64 characters of [A-Za-z0-9_.:-].
    cleaned = "".join(c if c.isalnum() or c in "_.-" else "_" for c in code)
    return cleaned[:56] or "unknown"
