"""Where a command comes from and who sends it, in platform-neutral terms."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A channel on a platform: where a team holds its rounds."""

    platform: str  # "slack" | "teams" | "web"
    workspace: str  # Slack team id, Teams tenant id, "local" for the web chat
    channel: str
    channel_name: str = ""


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
