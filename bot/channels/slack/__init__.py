"""Slack: a Bolt app on the server, Block Kit rendering, the outbox sender."""

from bot.channels.slack.app import SlackConfigError, choose_mode, setup
from bot.channels.slack.sender import SlackSender

__all__ = ["SlackConfigError", "SlackSender", "choose_mode", "setup"]
