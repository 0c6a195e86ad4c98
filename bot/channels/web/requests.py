"""Reading the browser's requests: everything is checked before anything changes.

A problem raises WebError with a short code; the route answers it in the
team's language. Codes and field names may be logged; values never are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.channels.web.colleagues import colleague
from bot.engine.actions import FieldValue
from bot.engine.vocabulary import OUTSIDE_ROUND, Action
from bot.errors import DialoogError
from bot.service import Person

# The largest body a button or form sends; a contribution is at most a few
# thousand characters, and the engine says kindly when a text is too long.
MAX_BODY = 64 * 1024
MAX_TEXT = 20_000
MAX_FIELDS = 20
MAX_CHOICES = 50
CHANNEL = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Every action a button or form can carry: the one vocabulary, none left out.
ACTIONS = frozenset(Action)


class WebError(DialoogError):
    """A request the web chat answers with an HTTP error: `code` and `params` go to the page."""

    def __init__(self, status: int, code: str, **params: object) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params


def bad(problem: str, field: str = "") -> WebError:
    return WebError(400, "bad_request", problem=problem, field=field)


@dataclass(frozen=True)
class Click:
    person: Person
    action: str
    value: str
    fields: dict[str, FieldValue]
    round_id: str | None
    key: str | None


def channel_of(request: web.Request) -> str:
    channel = request.match_info.get("channel", "")
    if not CHANNEL.fullmatch(channel):
        raise WebError(404, "no_channel")
    return channel


async def read_body(request: web.Request) -> dict[str, Any]:
    """The JSON object of a POST, read no further than MAX_BODY."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise WebError(413, "too_large", limit=MAX_BODY)
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise WebError(413, "too_large", limit=MAX_BODY)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise WebError(400, "bad_json") from None
    if not isinstance(body, dict):
        raise bad("not_an_object")
    return body


def person_of(value: object) -> Person:
    if not isinstance(value, str):
        raise bad("missing" if value is None else "not_text", "as")
    person = colleague(value)
    if person is None:
        raise WebError(400, "unknown_colleague")
    return person


def text_of(
    body: Mapping[str, Any], name: str, *, max_length: int = MAX_TEXT, required: bool = True
) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise bad("missing", name)
        return None
    if not isinstance(value, str):
        raise bad("not_text", name)
    if len(value) > max_length:
        raise bad("too_long", name)
    return value


def reply_to_of(body: Mapping[str, Any]) -> str | None:
    """The id of the message a typed line replies to (a question's own message)."""
    value = text_of(body, "reply_to", max_length=20, required=False)
    if value is None:
        return None
    if not value.isdigit() or not value.isascii():
        raise bad("bad_key", "reply_to")
    return value


def key_of(body: Mapping[str, Any]) -> str | None:
    """The browser's idempotency key of an action, scoped to the web chat."""
    key = text_of(body, "key", max_length=64, required=False)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise bad("bad_key", "key")
    return f"web:{key}"


def fields_of(body: Mapping[str, Any]) -> dict[str, FieldValue]:
    raw = body.get("fields", {})
    if raw is None:
        return {}
    if not isinstance(raw, dict) or len(raw) > MAX_FIELDS:
        raise bad("bad_fields", "fields")
    fields: dict[str, FieldValue] = {}
    for name, value in raw.items():
        if len(name) > 64:
            raise bad("bad_fields", "fields")
        if isinstance(value, str) and len(value) <= MAX_TEXT:
            fields[name] = value
        elif (
            isinstance(value, list)
            and len(value) <= MAX_CHOICES
            and all(isinstance(v, str) and len(v) <= 200 for v in value)
        ):
            fields[name] = list(value)
        else:
            raise bad("bad_fields", "fields")
    return fields


def click_of(body: Mapping[str, Any]) -> Click:
    person = person_of(body.get("as"))
    action = text_of(body, "action", max_length=64)
    assert action is not None
    if action not in ACTIONS:
        raise WebError(400, "unknown_action")
    value = text_of(body, "value", max_length=200, required=False) or ""
    # Starting a round and planning come before any round: every other click is on one.
    round_id = round_id_of(body, required=action not in OUTSIDE_ROUND)
    return Click(
        person=person,
        action=action,
        value=value,
        fields=fields_of(body),
        round_id=round_id,
        key=key_of(body),
    )


def round_id_of(body: Mapping[str, Any], *, required: bool = True) -> str | None:
    """A round id as the server hands them out (hex); checked before any query."""
    round_id = text_of(body, "round_id", max_length=64, required=required)
    if round_id is not None and not _KEY.fullmatch(round_id):
        raise WebError(404, "no_round")
    return round_id


def after_of(request: web.Request) -> int:
    raw = request.query.get("after", "0")
    if not raw.isdigit() or len(raw) > 18:
        raise bad("bad_after", "after")
    return int(raw)
