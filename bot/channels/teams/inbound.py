"""Reading an incoming Teams activity: where it comes from, who sent it, what it says.

Pure functions over botbuilder's Activity; nothing here talks to Teams or the database.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from typing import Any, Literal

from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
)

from bot.chat.edge import storable, storable_json
from bot.errors import MalformedInput
from bot.service.places import Person, Place

PLATFORM = "teams"
# What Teams appends to a channel's conversation id for a post's reply thread.
THREAD_MARK = ";messageid="

# Room for the key in the processed-commands table (255), with margin.
_KEY_LIMIT = 200

Kind = Literal["channel", "groupChat", "personal"]


class MalformedActivity(MalformedInput):
    """An activity that lacks what every Teams activity of its type carries."""


@dataclass(frozen=True)
class Conversation:
    """A Teams conversation, reduced to what the bot needs."""

    id: str  # without the thread suffix: the channel, group chat or personal chat
    kind: Kind
    tenant: str
    # The post whose reply thread the activity is in (channels only).
    thread: str | None
    # The Teams team the channel belongs to (channels only).
    team: str | None


def conversation_of(activity: Activity) -> Conversation:
    conversation = activity.conversation
    if conversation is None or not conversation.id:
        raise MalformedActivity("no conversation id")
    base, _, thread = conversation.id.partition(THREAD_MARK)
    data = channel_data(activity)
    tenant = _dig(data, "tenant", "id") or conversation.tenant_id or "local"
    kind: Kind
    raw_kind = conversation.conversation_type or ""
    if raw_kind == "channel" or _dig(data, "channel", "id"):
        kind = "channel"
    elif raw_kind == "personal" or (raw_kind == "" and conversation.is_group is False):
        kind = "personal"
    else:
        kind = "groupChat"
    team = _dig(data, "team", "id") if kind == "channel" else None
    return Conversation(
        id=base, kind=kind, tenant=str(tenant), thread=thread or None, team=team or None
    )


def place_of(conversation: Conversation, name: str = "") -> Place:
    return Place(
        platform=PLATFORM,
        workspace=conversation.tenant,
        channel=conversation.id,
        channel_name=name,
    )


def person_of(activity: Activity) -> Person:
    sender = activity.from_property
    if sender is None or not sender.id:
        raise MalformedActivity("no sender")
    # Names and ids go into the records: without what the database cannot store.
    return Person(
        user_id=storable(sender.aad_object_id or sender.id), name=storable(sender.name or "")
    )


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def channel_name(activity: Activity) -> str:
    name = _dig(channel_data(activity), "channel", "name")
    return storable(name) if isinstance(name, str) else ""


def mentions_bot(activity: Activity) -> bool:
    return any(True for _ in _bot_mentions(activity))


def command_text(activity: Activity) -> str:
    """The text with the bot's @mention taken out, as the user meant it.

    Not TurnContext.remove_recipient_mention: that removes every occurrence of the
    bot's name, also where it is part of what the user typed.
    """
    text = activity.text or ""
    for tag in _bot_mentions(activity):
        text = text.replace(tag, " ", 1)
    text = html.unescape(text).replace("\xa0", " ")
    return " ".join(text.split())


def _bot_mentions(activity: Activity) -> list[str]:
    bot_id = activity.recipient.id if activity.recipient else None
    tags = []
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        extra = getattr(entity, "additional_properties", None) or {}
        mentioned = extra.get("mentioned") or {}
        if bot_id and mentioned.get("id") == bot_id:
            tags.append(str(extra.get("text") or f"<at>{mentioned.get('name', '')}</at>"))
    return tags


def idempotency_key(activity: Activity, conversation: Conversation) -> str | None:
    """Teams re-sends a slow request with the same activity id; the key makes that harmless."""
    if not activity.id:
        return None
    key = f"teams:{conversation.id}:{activity.id}"
    if len(key) > _KEY_LIMIT:
        # Personal chat ids run to 150 characters; the stored key has room for 255.
        digest = hashlib.sha256(conversation.id.encode()).hexdigest()[:32]
        key = f"teams:{digest}:{activity.id}"[:_KEY_LIMIT]
    return key


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def reference_of(activity: Activity, conversation: Conversation) -> dict[str, Any]:
    """The ConversationReference to store for proactive messages to this conversation.

    Without the activity id and the thread suffix: a reference that holds them posts
    into that activity's thread instead of the channel's top level. Without the
    sender's locale too: it differs per person, and would rewrite the row each time.
    """
    bot = activity.recipient
    reference = ConversationReference(
        bot=ChannelAccount(id=bot.id, name=bot.name) if bot else None,
        conversation=ConversationAccount(
            id=conversation.id,
            conversation_type=conversation.kind,
            tenant_id=conversation.tenant,
            is_group=conversation.kind != "personal",
        ),
        channel_id=activity.channel_id or "msteams",
        service_url=activity.service_url,
    )
    data: dict[str, Any] = storable_json(reference.serialize())
    return data
