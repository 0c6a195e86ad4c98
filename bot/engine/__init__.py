"""The round engine: pure, no I/O and no clock. decide / evolve / view.

events = decide(state, command, now)   # or DomainError
state = evolve(state, event)           # fold(events) for a whole log
card(state, now), panel(state, user, now), notices(before, events, after)
"""

from bot.engine.decide import decide
from bot.engine.errors import DomainError
from bot.engine.state import RoundState, evolve, fold
from bot.engine.summary import summary
from bot.engine.view import card, notices, panel

__all__ = [
    "DomainError",
    "RoundState",
    "card",
    "decide",
    "evolve",
    "fold",
    "notices",
    "panel",
    "summary",
]
