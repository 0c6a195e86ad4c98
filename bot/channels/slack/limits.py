"""Slack's rate limits, shared by every call the sender makes in this process.

Slack limits each Web API method per workspace (its tiers), and chat.postMessage
also per channel (about one message a second). A refused call (HTTP 429) says
in Retry-After how long to wait. Until then every call under the same key
waits, not only the refused one, and calls under other keys (another
workspace, another channel's posts) go on. A wait longer than the dispatcher
is willing to hold a message in flight becomes a RetryableSendError, so the
message goes back to the outbox until then and its place goes to another team.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.service import RetryableSendError
from bot.service.dispatch import QUICK_HOLD

# Methods Slack limits per channel as well as per workspace.
PER_CHANNEL = frozenset({"chat.postMessage"})

Key = tuple[str, str, str]


class RateLimits:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._until: dict[Key, float] = {}

    @staticmethod
    def key(workspace: str, method: str, channel: str = "") -> Key:
        return (workspace, method, channel if method in PER_CHANNEL else "")

    def hold(self, key: Key, seconds: float) -> None:
        now = self._monotonic()
        # Forget what has run out, so the table stays as small as the limits in force.
        for old in [k for k, until in self._until.items() if until <= now]:
            del self._until[old]
        self._until[key] = max(self._until.get(key, now), now + seconds)

    def remaining(self, key: Key) -> float:
        until = self._until.get(key)
        return max(0.0, until - self._monotonic()) if until is not None else 0.0

    async def wait(self, key: Key, *, longest: float = QUICK_HOLD) -> None:
        """Wait until calls under `key` may go; refuse at once if that is longer than `longest`."""
        while (left := self.remaining(key)) > 0:
            if left > longest:
                raise RetryableSendError("slack:ratelimited", retry_after=left)
            await asyncio.sleep(left)


class LimitedWebClient(AsyncWebClient):
    """A Web API client of one workspace that keeps to the limits Slack has set."""

    def __init__(self, *, limits: RateLimits, workspace: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limits = limits
        self.workspace = workspace

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        arguments = kwargs.get("json") or kwargs.get("data") or kwargs.get("params") or {}
        channel = str(arguments.get("channel") or "") if isinstance(arguments, dict) else ""
        key = RateLimits.key(self.workspace, api_method, channel)
        await self.limits.wait(key)
        try:
            return await super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            response = error.response
            if response is not None and response.status_code == 429:
                self.limits.hold(key, retry_after_of(response.headers) or 1.0)
            raise


def retry_after_of(headers: Any) -> float | None:
    """Seconds from a Retry-After header, if it names any."""
    raw = None
    if hasattr(headers, "items"):
        raw = next((v for k, v in headers.items() if str(k).lower() == "retry-after"), None)
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except (TypeError, ValueError):
        return None
