"""The service layer: the only entry the channels use (see rounds.RoundService)."""

from bot.service.clock import Clock, SystemClock
from bot.service.dispatch import (
    AmbiguousSendError,
    Delivery,
    Dispatcher,
    PermanentSendError,
    RetryableSendError,
    Sender,
    SendError,
)
from bot.service.places import Person, Place
from bot.service.rounds import Outcome, RoundInfo, RoundService

__all__ = [
    "AmbiguousSendError",
    "Clock",
    "Delivery",
    "Dispatcher",
    "Outcome",
    "PermanentSendError",
    "Person",
    "Place",
    "RetryableSendError",
    "RoundInfo",
    "RoundService",
    "SendError",
    "Sender",
    "SystemClock",
]
