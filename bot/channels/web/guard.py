"""Only this machine's own web chat page may use the web chat.

The web chat has no login. What keeps another website out:
* the Host header must name this server (a loopback name, DIALOOG_HOST or the
  host of DIALOOG_PUBLIC_URL): a page on evil.example whose DNS name was
  rebound to 127.0.0.1 sends `Host: evil.example` and is refused;
* an Origin (or Sec-Fetch-Site) from elsewhere is refused;
* a call that changes something must be `application/json` and carry the
  header SAME_ORIGIN_HEADER: a page elsewhere cannot send either without a
  CORS preflight, which this server never grants (not even with `no-cors`).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from aiohttp import web

from bot.config import Settings

# Sent by app.js with every POST; its value says nothing, its presence is the point.
SAME_ORIGIN_HEADER = "X-Dialoog-Web"
SAME_ORIGIN_VALUE = "1"
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
_ANY = frozenset({"0.0.0.0", "::", ""})


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str


@dataclass(frozen=True)
class Guard:
    # The host names this server answers to in its Host header (lower case).
    names: frozenset[str]

    @classmethod
    def for_settings(cls, settings: Settings) -> Guard:
        names = set(_LOOPBACK)
        host = settings.host.strip().strip("[]").lower()
        if host not in _ANY:
            names.add(host)
        if settings.public_url:
            public = urllib.parse.urlsplit(settings.public_url).hostname
            if public:
                names.add(public.lower())
        return cls(frozenset(names))

    def refusal(self, request: web.Request, *, changes: bool) -> Refusal | None:
        """Why this request may not use the web chat; None when it may."""
        if _hostname(request.headers.get("Host", "")) not in self.names:
            return Refusal(403, "foreign_host")
        origin = request.headers.get("Origin")
        if origin is not None and _netloc(origin) != request.headers.get("Host", "").lower():
            return Refusal(403, "foreign_origin")
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return Refusal(403, "foreign_origin")
        if changes:
            if request.content_type != "application/json":
                return Refusal(415, "not_json")
            if request.headers.get(SAME_ORIGIN_HEADER) != SAME_ORIGIN_VALUE:
                return Refusal(403, "not_from_the_page")
        return None


def _hostname(host: str) -> str | None:
    """The name in a Host header ("[::1]:3978" -> "::1"); None when it is not one."""
    try:
        name = urllib.parse.urlsplit(f"http://{host}").hostname
    except ValueError:
        return None
    return name.rstrip(".").lower() if name else None


def _netloc(origin: str) -> str | None:
    try:
        parts = urllib.parse.urlsplit(origin)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None  # "null" (a sandboxed frame, a file) is never our page
    return parts.netloc.lower()
