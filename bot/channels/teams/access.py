"""Where a Teams turn acts, as far as the adapter must know before the chat layer
decides. The rule is bot.service.whereabouts' and the chat layer applies it to every
click and thread reply; here it only keeps the records of one tenant from learning
what a turn in another sent.

A personal chat is the person's own: a form submitted there acts on their round in
its channel (the chat layer's `private`), and the person's Teams id is learnt for
that channel, so that the round's later private messages reach them.
"""

from __future__ import annotations

from bot.channels.teams.inbound import Conversation
from bot.chat.inbound import Inbound
from bot.service.places import Place
from bot.service.whereabouts import belongs


def own(conversation: Conversation) -> bool:
    """Whether the conversation is the person's own with the bot (a personal chat)."""
    return conversation.kind == "personal"


async def submit_home(
    inbound: Inbound, conversation: Conversation, place: Place, round_id: str | None
) -> Place | None:
    """The channel a card submit acts in: this one; for a round's form in a personal
    chat, the round's channel, when it is of this tenant (None otherwise: a round id
    of another tenant, or of none, teaches no records anything)."""
    if not own(conversation) or round_id is None:
        return place
    home = await inbound.run(inbound.chat.service.whereabouts.home_of, round_id)
    return home if home is not None and belongs(home, place, private=True) else None
