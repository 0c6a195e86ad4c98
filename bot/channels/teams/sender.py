"""The Teams sender: what the outbox dispatcher hands over, posted through the
stored ConversationReference of the round's channel (a proactive message, so it
works the same for a scheduled round that nobody typed to start).

* the round card: posted once at the channel's top level (that post starts the
  round's reply thread) and then updated in place; a card too large for one
  message continues in replies, whose ids the dispatcher records (`Posted`) and
  hands back with the next update (`Delivery.existing_parts`);
* the round's other messages: replies in that thread;
* private messages: in the person's personal chat with the bot. Where Teams will
  not open one, a short note in the thread (never the private text) tells the
  person, and the message is marked failed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from botbuilder.schema import ChannelAccount

from bot.channels.teams.cards import MAX_CARD_BYTES, Card, CardTooLarge, Mention, render
from bot.channels.teams.connector import Connector, card_activity
from bot.channels.teams.inbound import PLATFORM, THREAD_MARK
from bot.channels.teams.records import Records, Reference
from bot.channels.teams.texts import TEXTS
from bot.engine.messages import Message, Paragraph
from bot.engine.view import CARD
from bot.i18n import Language, translate
from bot.service.dispatch import Delivery, PermanentSendError, Posted, SendError, all_ids
from bot.service.places import Place
from bot.service.purge import TakeBack
from bot.service.rounds import RoundService

log = logging.getLogger(__name__)

UNREACHABLE = "teams_personal_unreachable"
# Failures that mean "Teams will not let the bot write to this person".
NOT_ALLOWED = frozenset({"teams_forbidden", "teams_not_found"})


@dataclass(frozen=True)
class Route:
    """Enough to reach one person privately: their Teams id, in which tenant, from which bot."""

    service_url: str
    bot_id: str
    bot_name: str
    tenant: str
    teams_id: str


class TeamsSender:
    def __init__(
        self,
        connector: Connector,
        records: Records,
        service: RoundService,
        *,
        max_card_bytes: int = MAX_CARD_BYTES,
    ) -> None:
        self.connector = connector
        self.records = records
        self.service = service
        self.max_card_bytes = max_card_bytes
        # Teams answers the same personal chat for a user every time; this saves asking.
        self._personal: dict[str, str] = {}
        # Who was told in a round's thread that a private message did not reach them.
        self._told: set[tuple[str | None, str]] = set()

    async def deliver(self, delivery: Delivery) -> Posted:
        # The ids of the parts posted or updated so far, first to last.
        done: list[str] = []
        try:
            await self._deliver(delivery, done)
        except SendError as error:
            # What went out: the dispatcher records it, and a retry updates or skips it.
            error.posted = tuple(done)
            raise
        return Posted(tuple(done))

    async def _deliver(self, delivery: Delivery, done: list[str]) -> None:
        reference = Reference.read(delivery.conversation_ref)
        if reference is None:
            raise PermanentSendError("teams_no_conversation")
        place = Place(PLATFORM, delivery.workspace, delivery.channel)
        language = await asyncio.to_thread(self.service.team_language, place)
        try:
            cards = render(
                delivery.message,
                round_id=delivery.round_id,
                language=language,
                max_bytes=self.max_card_bytes,
            )
        except CardTooLarge:
            raise PermanentSendError("teams_card_too_large") from None
        if delivery.audience is not None:
            done.extend(await self._privately(delivery, reference, place, language, cards))
            return
        if delivery.slot is not None:
            await self._slot(delivery, reference, cards, done)
            return
        target = reference.conversation_id
        if reference.kind == "channel" and delivery.thread:
            target = thread_of(reference.conversation_id, delivery.thread)
        # The parts an earlier try got out are not posted again.
        done.extend(delivery.existing_parts)
        await self._post_all(reference.service_url, target, cards, done)

    # -- public API for the bot's own turns -------------------------------------------------

    async def personal_chat(self, route: Route) -> str:
        """The personal chat with one person; raises PermanentSendError where Teams refuses."""
        known = self._personal.get(route.teams_id)
        if known is not None:
            return known
        bot = ChannelAccount(id=route.bot_id, name=route.bot_name)
        conversation = await self.connector.personal_chat(
            route.service_url, bot, route.teams_id, route.tenant
        )
        self._personal[route.teams_id] = conversation
        return conversation

    def learn_personal_chat(self, teams_id: str, conversation_id: str) -> None:
        self._personal[teams_id] = conversation_id

    async def send_privately(self, route: Route, cards: list[Card]) -> str:
        """Post cards in a person's personal chat; a stale chat id is asked for again.
        The ids of the posts, space separated (as the outbox keeps them)."""
        ids = await self._privately_posted(route, cards)
        return all_ids(ids) or ids[0]

    async def _privately_posted(self, route: Route, cards: list[Card]) -> list[str]:
        conversation = await self.personal_chat(route)
        try:
            return await self._post_all(route.service_url, conversation, cards, [])
        except PermanentSendError as error:
            if error.code not in NOT_ALLOWED or route.teams_id not in self._personal:
                raise
            self._personal.pop(route.teams_id, None)
            conversation = await self.personal_chat(route)
            return await self._post_all(route.service_url, conversation, cards, [])

    # -- taking back what the bot posted (retention) ------------------------------------------

    async def take_back(self, message: TakeBack) -> None:
        """Delete one of the bot's posts (Bot Framework delete activity), in the channel
        or in the person's personal chat; a post that is gone already counts as deleted."""
        reference = Reference.read(message.conversation_ref)
        if reference is None:
            raise PermanentSendError("teams_no_conversation")
        conversation = reference.conversation_id
        if message.conversation and message.conversation != message.channel:
            # A form the bot posted in someone's personal chat during their own turn.
            conversation = message.conversation
        elif message.audience is not None:
            teams_id = reference.teams_id(message.audience)
            if teams_id is None:
                raise PermanentSendError(UNREACHABLE)
            route = Route(
                reference.service_url,
                reference.bot_id,
                reference.bot_name,
                reference.tenant,
                teams_id,
            )
            conversation = await self.personal_chat(route)
        try:
            await self.connector.delete(reference.service_url, conversation, message.external_id)
        except PermanentSendError as error:
            if error.code != "teams_not_found":
                raise

    # -- pieces -------------------------------------------------------------------------------

    async def _slot(
        self, delivery: Delivery, reference: Reference, cards: list[Card], done: list[str]
    ) -> None:
        """Post the slot's message, or update it in place, part by part; parts left over
        from a longer version are taken away."""
        earlier = list(delivery.existing_parts)
        url, conversation = reference.service_url, reference.conversation_id
        if earlier:
            try:
                await self.connector.update(url, conversation, earlier[0], card_activity(cards[0]))
            except PermanentSendError as error:
                if error.code != "teams_not_found":
                    raise
                # Someone deleted the card: post it anew (the new post holds the thread).
                log.info("teams: card of round %s was deleted; posting it again", delivery.round_id)
                earlier = []
            else:
                done.append(earlier[0])
        # The card starts the round's thread at the channel's top level; another slot
        # (a question's own message) is a reply in that thread.
        top = conversation
        if delivery.slot != CARD and reference.kind == "channel" and delivery.thread:
            top = thread_of(conversation, delivery.thread)
        if not done:
            done.append(await self.connector.post(url, top, card_activity(cards[0])))
        thread = top
        if top == conversation and reference.kind == "channel":
            thread = thread_of(conversation, done[0])
        for n, card in enumerate(cards[1:], start=1):
            if n < len(earlier):
                await self.connector.update(url, conversation, earlier[n], card_activity(card))
                done.append(earlier[n])
            else:
                done.append(await self.connector.post(url, thread, card_activity(card)))
        for stale in earlier[len(cards) :]:
            try:
                await self.connector.delete(url, conversation, stale)
            except PermanentSendError:
                log.info(
                    "teams: an old part of round %s's card was gone already", delivery.round_id
                )

    async def _post_all(
        self, service_url: str, conversation: str, cards: list[Card], done: list[str]
    ) -> list[str]:
        """Post the cards `done` does not hold yet (the first ones went out before)."""
        for card in cards[len(done) :]:
            done.append(await self.connector.post(service_url, conversation, card_activity(card)))
        return done

    async def _privately(
        self,
        delivery: Delivery,
        reference: Reference,
        place: Place,
        language: Language,
        cards: list[Card],
    ) -> list[str]:
        user = delivery.audience
        assert user is not None
        teams_id = reference.teams_id(user)
        if teams_id is not None:
            route = Route(
                reference.service_url,
                reference.bot_id,
                reference.bot_name,
                reference.tenant,
                teams_id,
            )
            try:
                return await self._privately_posted(route, cards)
            except PermanentSendError as error:
                if error.code not in NOT_ALLOWED:
                    raise
        log.warning(
            "teams: no personal chat with a participant of round %s (outbox %d)",
            delivery.round_id,
            delivery.outbox_id,
        )
        await self._tell_in_thread(delivery, reference, place, language, user, teams_id)
        raise PermanentSendError(UNREACHABLE)

    async def _tell_in_thread(
        self,
        delivery: Delivery,
        reference: Reference,
        place: Place,
        language: Language,
        user: str,
        teams_id: str | None,
    ) -> None:
        """Say in the round's thread that a private message did not reach this person
        (once per round and person): never what it said."""
        if (delivery.round_id, user) in self._told:
            return
        name = await asyncio.to_thread(self.records.member_name, place, user)
        name = name or translate(TEXTS, "someone", language)
        text = translate(TEXTS, "personal_unreachable", language, name=name)
        mention = Mention(teams_id, name) if teams_id else None
        note = render(
            Message(text=text, blocks=(Paragraph(text),)),
            round_id=delivery.round_id,
            language=language,
            mention=mention,
        )
        target = reference.conversation_id
        if reference.kind == "channel" and delivery.thread:
            target = thread_of(reference.conversation_id, delivery.thread)
        try:
            await self._post_all(reference.service_url, target, note, [])
        except SendError as error:
            log.warning("teams: could not post the unreachable note: %s", error.code)
            return
        self._told.add((delivery.round_id, user))


def thread_of(channel: str, post: str) -> str:
    """The conversation id of a post's reply thread in a channel."""
    return f"{channel}{THREAD_MARK}{post}"
