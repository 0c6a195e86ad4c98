"""view: what the channel shows now (`card`), what each person gets privately
(`panel`), and the messages a batch of new events calls for (`notices`). Pure:
the time comes in as an argument.

What someone wrote (a contribution, a name, a case) never goes through the
catalog's light markup: it is a parameter of `fill`, a literal span of its own.
"""

from bot.engine.view.cards import card
from bot.engine.view.common import CARD, CONTEXT, EDIT_FOCUS, EXTEND_MINUTES, REPORT, ROLES
from bot.engine.view.notifications import notices
from bot.engine.view.panels import confirming, own_item_buttons, panel

__all__ = [
    "CARD",
    "CONTEXT",
    "EDIT_FOCUS",
    "EXTEND_MINUTES",
    "REPORT",
    "ROLES",
    "card",
    "confirming",
    "notices",
    "own_item_buttons",
    "panel",
]
