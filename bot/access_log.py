"""The server's access log: method, path, status and time; never a secret.

aiohttp's default line holds the query string (Slack's OAuth `code` and
`state`) and the full path (a calendar feed's token). Here the query is left
out and tokens in paths are masked.
"""

from __future__ import annotations

import logging
import re

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

log = logging.getLogger("dialoog.access")

_SECRET_PATHS = (re.compile(r"^(/calendar/)[^/]+(\.ics)$"),)


def masked(path: str) -> str:
    for pattern in _SECRET_PATHS:
        path = pattern.sub(r"\1…\2", path)
    return path


class AccessLogger(AbstractAccessLogger):
    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %d %.0fms", request.method, masked(request.path), response.status, time * 1000
        )
