"""The channel-neutral chat layer: the `/dialoog` grammar, clicks and thread replies."""

from bot.chat.chat import START, Chat, Reply
from bot.chat.grammar import Parsed, parse
from bot.chat.guarded import SETTLES as GUARD_SETTLES

__all__ = ["GUARD_SETTLES", "START", "Chat", "Parsed", "Reply", "parse"]
