"""A person's turn, translated: a line they wrote (an @mention, a reply in a round's
thread, a personal chat) or a card they submitted becomes a call of the chat layer
(bot.chat.inbound), and its `Reply` goes to the answers (answers.py).

Each turn marks its `Stored` signal once what the person sent is committed, so
that the endpoint may answer Teams; a delivery Teams sends again is answered
nothing (`Reply.replayed`).
"""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext

from bot.channels.teams import access, inbound
from bot.channels.teams.answers import Answers
from bot.channels.teams.cards import MalformedSubmit, read_submit
from bot.channels.teams.inbound import Conversation
from bot.channels.teams.membership import Membership
from bot.chat.inbound import Addressed, Inbound
from bot.chat.stored import Stored
from bot.service.places import Person

log = logging.getLogger(__name__)

# The turn_state key of the turn's `Stored` signal (bot.chat.stored), set by the endpoint.
STORED = "dialoog.stored"


class Turns:
    def __init__(self, inbound_: Inbound, members: Membership, answers: Answers) -> None:
        self.inbound = inbound_
        self.members = members
        self.answers = answers

    async def line(
        self, ctx: TurnContext, conversation: Conversation, person: Person, key: str | None
    ) -> None:
        activity = ctx.activity
        text = inbound.command_text(activity)
        mentioned = inbound.mentions_bot(activity)
        personal = access.own(conversation)
        place = inbound.place_of(conversation, inbound.channel_name(activity))
        round_id = None
        if conversation.kind != "channel" or conversation.thread:
            # A channel's rounds live in their card's thread; a chat is one thread.
            round_id = await self.inbound.round_of_thread(place, conversation.thread)
        if (round_id is not None and text) or mentioned or personal:
            # Before the chat layer: what it queues is sent with this reference.
            await self.members.remember(activity, conversation, place, person)
        # A reply to one of the round's posts (a question's own message) says which.
        replied_to = activity.reply_to_id if activity.reply_to_id != conversation.thread else None
        written = await self.inbound.written(
            place,
            person,
            text,
            round_id=round_id,
            addressed=Addressed.MENTIONED if mentioned else Addressed.NOT,
            direct=personal,
            key=key,
            replied_to=replied_to or None,
        )
        _stored(ctx)
        if written is None or written.reply.replayed:
            return
        if written.command:
            log.info("teams: command conversation=%s", conversation.kind)
            # After the commit: the indicator must not hold up Teams' answer.
            await self.answers.typing(ctx)
        await self.answers.answer(ctx, conversation, place, written.reply)

    async def submit(
        self,
        ctx: TurnContext,
        conversation: Conversation,
        person: Person,
        value: object,
        key: str | None,
    ) -> None:
        activity = ctx.activity
        place = inbound.place_of(conversation, inbound.channel_name(activity))
        try:
            submit = read_submit(value)
        except MalformedSubmit as error:
            log.warning("teams: malformed card submit (%s)", error)
            submit = None
        if submit is None:
            await self.answers.malformed(ctx, conversation, place)
            return
        log.info("teams: submit action=%s round=%s", submit.action, submit.round_id)
        home = await access.submit_home(self.inbound, conversation, place, submit.round_id)
        if home == place:
            await self.members.remember(activity, conversation, place, person)
        elif home is not None:
            await self.members.remember_at(home, activity, person)
        reply = await self.inbound.click(
            place,
            person,
            submit.action,
            submit.value,
            submit.fields,
            round_id=submit.round_id,
            key=key,
            # A personal chat is the person's own: its forms act on their rounds.
            private=access.own(conversation),
        )
        _stored(ctx)
        if not reply.replayed:
            await self.answers.submitted(ctx, conversation, place, reply, form=submit.form)


def is_submit(value: object) -> bool:
    """Whether a message's value is (or claims to be) one of our cards' submits."""
    try:
        return read_submit(value) is not None
    except MalformedSubmit:
        return True


def _stored(ctx: TurnContext) -> None:
    """What the person sent is committed: the endpoint may answer Teams now."""
    signal = ctx.turn_state.get(STORED)
    if isinstance(signal, Stored):
        signal.mark()
