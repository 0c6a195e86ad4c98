"""The shape of the parts of a Teams activity the bot reads, checked before botbuilder
deserialises it: a wrong shape answers 400 with a short reason, not an
AttributeError somewhere in a turn. Everything else passes as it is."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from bot.chat.edge import for_checking

# Teams' ids: "29:1ann-...", "19:...@thread.tacv2;messageid=1764...", "a:1x...", GUIDs.
Id = Annotated[str, Field(pattern=r"^[\x21-\x7e]{1,1024}$")]
Text = Annotated[str, Field(max_length=100_000)]


class _Part(BaseModel):
    # Teams' field names are camelCase: serviceUrl, aadObjectId, ...
    model_config = ConfigDict(extra="allow", strict=True, alias_generator=to_camel)


class _Account(_Part):
    id: Id | None = None
    name: Text | None = None
    aad_object_id: Id | None = None
    role: Text | None = None


class _Conversation(_Part):
    id: Id | None = None
    name: Text | None = None
    conversation_type: Text | None = None
    tenant_id: Id | None = None
    is_group: bool | None = None


class _Ref(_Part):
    id: Id | None = None
    name: Text | None = None


class _ChannelData(_Part):
    tenant: _Ref | None = None
    channel: _Ref | None = None
    team: _Ref | None = None
    event_type: Text | None = None


class _Entity(_Part):
    type: Text | None = None
    text: Text | None = None
    mentioned: _Account | None = None


class Activity(_Part):
    type: Text
    id: Id | None = None
    name: Text | None = None
    service_url: Text | None = None
    channel_id: Id | None = None
    from_: _Account | None = Field(None, alias="from")
    recipient: _Account | None = None
    conversation: _Conversation | None = None
    channel_data: _ChannelData | None = None
    text: Text | None = None
    text_format: Text | None = None
    value: Any = None
    reply_to_id: Id | None = None
    entities: list[_Entity] | None = Field(None, max_length=100)
    members_added: list[_Account] | None = Field(None, max_length=1000)
    members_removed: list[_Account] | None = Field(None, max_length=1000)
    locale: Text | None = None
    timestamp: Text | None = None
    local_timestamp: Text | None = None


def refusal(body: object) -> str | None:
    """Why this body is not an activity the bot can read (short, no content); None if it is."""
    if not isinstance(body, dict):
        return "not a JSON object"
    try:
        Activity.model_validate(for_checking(body))
    except ValidationError as error:
        first = error.errors(include_input=False, include_url=False)[0]
        return ".".join(str(part) for part in first["loc"]) + f": {first['type']}"
    return None
