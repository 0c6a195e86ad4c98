"""Who is in which Teams conversation, and how to reach them: what the activities
tell the records (records.py). The people who write or submit, the members Teams
adds and removes, the app installed in a team or chat and removed from it (then
no more sending there, and its data erased after the school's grace period).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount

from bot.channels.teams import inbound
from bot.channels.teams.answers import Answers
from bot.channels.teams.inbound import PLATFORM, Conversation
from bot.channels.teams.records import Member, Records
from bot.channels.teams.sender import TeamsSender
from bot.chat.edge import storable
from bot.chat.inbound import Inbound
from bot.service.places import Person, Place
from bot.service.uninstall import Uninstalls

log = logging.getLogger(__name__)


class Membership:
    def __init__(
        self,
        inbound_: Inbound,
        records: Records,
        sender: TeamsSender,
        answers: Answers,
        uninstalls: Uninstalls | None = None,
    ) -> None:
        self.inbound = inbound_
        self.records = records
        self.sender = sender
        self.answers = answers
        self.uninstalls = uninstalls

    def learn_personal_chat(self, activity: Activity, conversation: Conversation) -> None:
        """A personal chat names the person it is with: the sender need not ask Teams."""
        if conversation.kind == "personal" and activity.from_property is not None:
            self.sender.learn_personal_chat(activity.from_property.id, conversation.id)

    async def remember(
        self, activity: Activity, conversation: Conversation, place: Place, person: Person
    ) -> None:
        """The conversation's reference and the writer's Teams id, before the chat layer
        queues anything to be sent with them."""
        reference = inbound.reference_of(activity, conversation)
        await self.inbound.run(
            self.records.remember,
            place,
            reference=reference,
            conversation=conversation,
            members=[_member(activity, person)],
        )

    async def remember_at(self, home: Place, activity: Activity, person: Person) -> None:
        """A form from a personal chat: the person's Teams id, for their round's channel."""
        await self.inbound.run(self.records.remember, home, members=[_member(activity, person)])

    async def added(self, ctx: TurnContext, members_added: Sequence[ChannelAccount]) -> None:
        activity = ctx.activity
        conversation = inbound.conversation_of(activity)
        bot_id = activity.recipient.id if activity.recipient else None
        people = [
            Member(storable(m.aad_object_id or m.id), storable(m.id), storable(m.name or ""))
            for m in members_added
            if m.id and m.id != bot_id
        ]
        self.learn_personal_chat(activity, conversation)
        reference = inbound.reference_of(activity, conversation)
        await self.inbound.run(self.records.members_added, conversation, reference, people)
        log.info(
            "teams: members added conversation=%s people=%d bot=%s",
            conversation.kind,
            len(people),
            len(people) < len(members_added),
        )
        if len(people) < len(members_added):
            await self.answers.welcome(ctx, inbound.place_of(conversation))

    async def removed(self, ctx: TurnContext, members_removed: Sequence[ChannelAccount]) -> None:
        activity = ctx.activity
        conversation = inbound.conversation_of(activity)
        bot_id = activity.recipient.id if activity.recipient else None
        if any(m.id == bot_id for m in members_removed):
            await self._bot_removed(conversation)
        people = [m.aad_object_id or m.id for m in members_removed if m.id != bot_id]
        if people:
            removed = await self.inbound.run(self.records.members_removed, conversation, people)
            log.info("teams: members removed people=%d records=%d", len(people), removed)

    async def installed(self, ctx: TurnContext) -> None:
        activity = ctx.activity
        conversation = inbound.conversation_of(activity)
        reference = inbound.reference_of(activity, conversation)
        await self.inbound.run(self.records.members_added, conversation, reference, [])
        if self.uninstalls is not None:
            channels = await self.inbound.run(self.records.channels_of, conversation)
            await self.inbound.run(
                self.uninstalls.returned, PLATFORM, conversation.tenant, channels
            )

    async def uninstalled(self, ctx: TurnContext) -> None:
        await self._bot_removed(inbound.conversation_of(ctx.activity))

    async def _bot_removed(self, conversation: Conversation) -> None:
        """The app left a Teams team or chat: no more sending there, and its data is
        erased after the school's grace period."""
        channels = await self.inbound.run(self.records.bot_removed, conversation)
        log.warning(
            "teams: the bot was removed; %d channel(s) can no longer be reached", len(channels)
        )
        if self.uninstalls is not None and channels:
            await self.inbound.run(self.uninstalls.removed, PLATFORM, conversation.tenant, channels)


def _member(activity: Activity, person: Person) -> Member:
    return Member(person.user_id, activity.from_property.id, person.name)
