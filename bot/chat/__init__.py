"""The channel-neutral chat layer: the `/dialoog` grammar, clicks and thread replies."""

from bot.chat.chat import START, Chat, Reply
from bot.chat.grammar import Parsed, parse

__all__ = ["START", "Chat", "Parsed", "Reply", "parse"]
