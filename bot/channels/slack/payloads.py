"""The shapes of the Slack payloads we (and Bolt) read, checked before Bolt sees them.

A payload of the wrong shape answers 400 with a short reason, instead of a
KeyError or AttributeError deep in Bolt or our listeners (a 500). Only the parts
that are read are described; everything else passes as it is. Ids must look
like Slack's ids: they end up in idempotency keys and database rows.
"""

from __future__ import annotations

import binascii
import re
import urllib.parse
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.chat.edge import BadJson, for_checking, loads, storable_as_read

# Slack's ids and timestamps: "U0ANN", "T0DIALOOG", "1764000001.000001", "Ev0123".
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9._:-]{1,255}$")]
# A message's timestamp ("1764000001.000001"); empty on some ephemeral messages.
Ts = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{0,64}$")]
# What a person typed or a button carries: any text of a sane length.
Text = Annotated[str, Field(max_length=40_000)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class _User(_Part):
    id: Id
    username: Text | None = None
    name: Text | None = None
    team_id: Id | None = None


class _Team(_Part):
    id: Id | None = None
    domain: Text | None = None


class _Enterprise(_Part):
    id: Id | None = None


class _Channel(_Part):
    id: Id | None = None
    name: Text | None = None


class _Container(_Part):
    channel_id: Id | None = None
    message_ts: Ts | None = None
    is_ephemeral: bool | None = None


class _Action(_Part):
    action_id: Text
    block_id: Text | None = None
    value: Text | None = None
    action_ts: Id
    type: Text | None = None


class _Authorization(_Part):
    enterprise_id: Id | None = None
    team_id: Id | None = None
    user_id: Id | None = None
    is_bot: bool | None = None
    is_enterprise_install: bool | None = None


class _Common(_Part):
    """What Bolt reads of any payload to find its workspace, user and channel."""

    token: Text | None = None
    api_app_id: Id | None = None
    team: _Team | Id | None = None
    team_id: Id | None = None
    enterprise: _Enterprise | Id | None = None
    enterprise_id: Id | None = None
    user: _User | Id | None = None
    user_id: Id | None = None
    channel: _Channel | Id | None = None
    channel_id: Id | None = None
    is_enterprise_install: bool | None = None
    is_ext_shared_channel: bool | None = None
    authorizations: list[_Authorization] | None = None
    trigger_id: Id | None = None
    response_url: Text | None = None
    thread_ts: Ts | None = None
    view: dict[str, Any] | None = None
    event: dict[str, Any] | None = None
    message: dict[str, Any] | None = None
    previous_message: dict[str, Any] | None = None
    item: dict[str, Any] | None = None


class BlockActions(_Common):
    type: Literal["block_actions"]
    user: _User
    team: _Team | None = None
    channel: _Channel | None = None
    container: _Container | None = None
    actions: list[_Action] = Field(min_length=1, max_length=25)
    state: dict[str, Any] | None = None


class _ViewState(_Part):
    # block_id -> action_id -> the input's state (its own shape is read by blocks.py).
    values: dict[str, dict[str, dict[str, Any]]]


class _View(_Part):
    id: Id
    type: Text
    hash: Id | None = None
    team_id: Id | None = None
    callback_id: Text
    private_metadata: Text = ""
    state: _ViewState
    blocks: list[dict[str, Any]] | None = None


class ViewSubmission(_Common):
    type: Literal["view_submission"]
    user: _User
    team: _Team | None = None
    view: _View  # type: ignore[assignment]
    response_urls: list[dict[str, Any]] | None = None


class _Event(_Part):
    type: Text
    subtype: Text | None = None
    channel: Id | None = None
    user: Id | None = None
    text: Text | None = None
    ts: Ts | None = None
    thread_ts: Ts | None = None
    event_ts: Ts | None = None
    bot_id: Id | None = None
    team: Id | None = None
    channel_type: Text | None = None


class EventCallback(_Common):
    type: Literal["event_callback"]
    event: _Event  # type: ignore[assignment]
    event_id: Id | None = None
    event_time: int | None = None


class UrlVerification(_Common):
    type: Literal["url_verification"]
    challenge: Text
    token: Text | None = None


class SlashCommand(_Part):
    model_config = ConfigDict(extra="allow", strict=True)

    command: Text
    text: Text = ""
    team_id: Id
    channel_id: Id
    channel_name: Text | None = None
    user_id: Id
    user_name: Text | None = None
    trigger_id: Id | None = None
    response_url: Text | None = None
    api_app_id: Id | None = None
    enterprise_id: Id | None = None
    is_enterprise_install: Literal["true", "false"] | None = None


# What urllib.parse.parse_qs was given as max_num_fields: no payload of Slack's has more.
_MAX_FIELDS = 100
# What binascii.a2b_qp would read otherwise than urllib.parse.unquote does.
_NOT_QP = re.compile(r"[=\r\n]|%(?![0-9A-Fa-f]{2})")

_INTERACTIONS: dict[str, type[_Part]] = {
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
}
_EVENTS: dict[str, type[_Part]] = {
    "event_callback": EventCallback,
    "url_verification": UrlVerification,
}


@dataclass(frozen=True)
class Read:
    """A request body as Bolt reads it (an interaction's payload, an event, a slash
    command's fields), or why it cannot be read: a short reason, no content."""

    body: dict[str, Any]
    reason: str | None = None


def read(body: str, content_type: str) -> Read:
    """Slack's request body, parsed and checked once: Bolt is handed what this read."""
    try:
        if content_type == "application/json":
            return _checked(body, _EVENTS, "event")
        if content_type == "application/x-www-form-urlencoded":
            fields = form_fields(body)
            if any(len(values) != 1 for values in fields.values()):
                return _refused("a form field given twice")
            form = {name: values[0] for name, values in fields.items()}
            if "payload" in form:
                return _checked(form["payload"], _INTERACTIONS, "interaction")
            if "command" in form:
                SlashCommand.model_validate(for_checking(form))
                return Read(dict(form))
            if "ssl_check" in form:
                return Read(dict(form))
            return _refused("neither a command nor an interaction")
    except BadJson as error:
        return _refused(str(error))
    except ValueError as error:  # parse_qs's too many fields; pydantic's ValidationError
        return _refused(_reason(error))
    return _refused(f"content type {content_type or 'missing'}")


def form_fields(body: str) -> dict[str, list[str]]:
    """`urllib.parse.parse_qs(body, keep_blank_values=True, max_num_fields=100)`,
    with a quicker decoder of each name and value (`_decoded`)."""
    if 1 + body.count("&") > _MAX_FIELDS:
        raise ValueError("Max number of fields exceeded")
    fields: dict[str, list[str]] = {}
    for pair in body.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            fields.setdefault(_decoded(name), []).append(_decoded(value))
    return fields


def _decoded(part: str) -> str:
    """`urllib.parse.unquote_plus`. Slack percent-encodes every brace and quote of the
    JSON it sends: urllib decodes escape by escape in Python, binascii's decoder of
    quoted-printable ("=XX") in C, and the two agree on ASCII without "=", line
    breaks or a broken escape (tests/slack/test_slack_payloads.py)."""
    spaced = part.replace("+", " ")
    if "%" in spaced and spaced.isascii() and _NOT_QP.search(spaced) is None:
        return binascii.a2b_qp(spaced.replace("%", "=")).decode("utf-8", "replace")
    return urllib.parse.unquote(spaced)


def _refused(reason: str) -> Read:
    return Read({}, reason)


def _checked(raw: str, kinds: dict[str, type[_Part]], what: str) -> Read:
    data = loads(raw)
    if not isinstance(data, dict):
        return _refused(f"the {what} is not a JSON object")
    kind = data.get("type")
    # Kinds we do not handle go to Bolt (it answers them), once what it reads is sound.
    model = kinds.get(kind, _Common) if isinstance(kind, str) else _Common
    model.model_validate(data if storable_as_read(raw) else for_checking(data))
    return Read(data)


def _reason(error: ValueError) -> str:
    if isinstance(error, ValidationError):
        first = error.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['type']}"
    return "the form has too many fields"
