"""The local web chat: a channel in the browser for trying dialoog without Slack or Teams."""

from bot.channels.web.channel import setup

__all__ = ["setup"]
