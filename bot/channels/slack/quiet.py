"""Keep request bodies and message texts of slack-bolt and slack-sdk out of the log.

Both libraries log what they send and receive: slack-sdk every request and
response at DEBUG, Bolt a request's body at INFO when its signature is wrong,
and parts of it (values, form submissions) when nothing handled it. For us
those are contributions about pupils and colleagues. So every logger we hand
to the libraries (and every one they create from it) passes WARNING and worse
only, with the details replaced by the first words of the message.
"""

from __future__ import annotations

import logging
import re

LIBRARY_LOGGER = "bot.channels.slack.library"
# Loggers the libraries create on their own, without taking ours.
_THEIR_LOGGERS = ("slack_bolt", "slack_sdk")
# The start of a library message, before any parameter or payload follows.
_HEAD = re.compile(r"^[^(:{\[\n<'\"]{0,100}")


class WithoutContent(logging.Filter):
    """Lets WARNING and worse through, reduced to what happened, not with what."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        try:
            message = record.getMessage()
        except Exception:  # a library's broken format string; say that much
            message = ""
        head = _HEAD.match(message)
        summary = (head.group(0) if head else "").strip() or "(no summary)"
        if record.exc_info and record.exc_info[1] is not None:
            summary += f" [{type(record.exc_info[1]).__name__}]"
        record.msg = "slack library (%s): %s (details withheld)"
        record.args = (record.name, summary)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


_FILTER = WithoutContent()


def library_logger() -> logging.Logger:
    """The logger to give Bolt and slack-sdk, and (re)quiet what they made before."""
    logger = logging.getLogger(LIBRARY_LOGGER)
    # An explicit level: slack-sdk tests `logger.level <= DEBUG` before it even
    # builds its request and response dumps, and Bolt copies this level.
    logger.setLevel(logging.WARNING)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    quiet_library_loggers()
    return logger


def quiet_library_loggers() -> None:
    """Every logger of the two libraries that exists now: WARNING, without content.

    Loggers they create later from ours copy our level and filter (Bolt's
    get_bolt_logger does). Module loggers we never hand ours to, such as the
    webhook client behind `respond()`, inherit WARNING from these parents.
    """
    for name in _THEIR_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if not isinstance(logger, logging.Logger):
            continue
        if name.startswith(_THEIR_LOGGERS) or name.startswith("dialoog-slack"):
            logger.setLevel(logging.WARNING)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
