"""What the bot answers in a person's turn, as Adaptive Cards: a reply in the
conversation they wrote in, a form, what only they may read (in their personal
chat), a form turned into its confirmation, the welcome.

Posts about a round made here, not through the outbox, are recorded (records.py),
so that the retention purge takes them back with the round's own posts.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.channels.teams.cards import Card, CardTooLarge, Mention, render
from bot.channels.teams.connector import card_activity, sorted_errors
from bot.channels.teams.inbound import Conversation
from bot.channels.teams.records import Records
from bot.channels.teams.sender import NOT_ALLOWED, Route, TeamsSender
from bot.channels.teams.texts import TEXTS
from bot.chat import Reply
from bot.chat.inbound import Inbound
from bot.engine.messages import Message, Paragraph
from bot.i18n import Language, translate
from bot.service.dispatch import SendError
from bot.service.places import Place
from bot.service.rounds import RoundService

log = logging.getLogger(__name__)


class Answers:
    def __init__(
        self, inbound: Inbound, service: RoundService, records: Records, sender: TeamsSender
    ) -> None:
        self.inbound = inbound
        self.service = service
        self.records = records
        self.sender = sender

    async def answer(
        self, ctx: TurnContext, conversation: Conversation, place: Place, reply: Reply
    ) -> None:
        if not reply.messages:
            return
        language = reply.language or await self.inbound.language(place)
        if reply.private and conversation.kind != "personal":
            # Not in the thread where the others read along: in the person's own chat.
            await self._privately(ctx, conversation, reply.messages, reply.round_id, language)
            return
        await self._say(ctx, conversation, reply.messages, language, round_id=reply.round_id)

    async def submitted(
        self,
        ctx: TurnContext,
        conversation: Conversation,
        place: Place,
        reply: Reply,
        *,
        form: bool,
    ) -> None:
        """The answer to a card submit (`form`: a form's, not a button's)."""
        if reply.form is not None:
            await self._open_form(ctx, conversation, place, reply)
            if form and not reply.accepted:
                # The form came back holding what was typed, with why it was refused.
                return
        if not reply.messages:
            return
        # A form (or the guard's question) becomes its confirmation, and cannot be
        # sent twice by accident.
        replaced = (
            reply.accepted
            and (form or reply.settles)
            and (conversation.kind == "personal" or not reply.private)
            and ctx.activity.reply_to_id
            and await self._replace(ctx, ctx.activity.reply_to_id, reply)
        )
        if not replaced:
            await self.answer(ctx, conversation, place, reply)

    async def malformed(self, ctx: TurnContext, conversation: Conversation, place: Place) -> None:
        """A card submit none of our cards sends: say so, in the conversation."""
        language = await self.inbound.language(place)
        refusal = self.inbound.chat.say(language, "malformed")
        await self._say(ctx, conversation, refusal.messages, language)

    async def welcome(self, ctx: TurnContext, place: Place) -> None:
        language = await self.inbound.language(place)
        welcome = _plain(translate(TEXTS, "welcome", language))
        cards = render(welcome, round_id=None, language=language)
        await self._post(ctx, cards, "welcome")

    async def typing(self, ctx: TurnContext) -> None:
        try:
            with sorted_errors("typing"):
                await ctx.send_activity(Activity(type=ActivityTypes.typing))
        except SendError:
            pass  # logged with its code; the work goes on

    # -- pieces -------------------------------------------------------------------------------

    async def _say(
        self,
        ctx: TurnContext,
        conversation: Conversation,
        messages: Sequence[Message],
        language: Language,
        *,
        round_id: str | None = None,
    ) -> None:
        """Answer in the conversation the person wrote in (in a channel: in the same
        thread), addressed to them where others read along."""
        sender = ctx.activity.from_property
        mention = None
        if conversation.kind != "personal" and sender is not None and sender.id:
            mention = Mention(sender.id, sender.name or translate(TEXTS, "someone", language))
        posted: list[str] = []
        for message in messages:
            try:
                cards = render(message, round_id=round_id, language=language, mention=mention)
            except CardTooLarge:
                log.error("teams: a reply did not fit in a card")
                continue
            mention = None
            posted += await self._post(ctx, cards, "reply")
        if round_id is not None and posted and ctx.activity.conversation is not None:
            # A reply about a round (its status card, a refusal) stays in Teams.
            await self._posted_in_turn(round_id, ctx.activity.conversation.id, posted)

    async def _post(self, ctx: TurnContext, cards: Sequence[Card], what: str) -> list[str]:
        """Post cards in the turn's conversation, up to the first that fails (logged
        with its code); the ids of those posted."""
        posted: list[str] = []
        for card in cards:
            try:
                with sorted_errors(what):
                    sent = await ctx.send_activity(card_activity(card))
            except SendError:
                break
            if sent is not None and sent.id:
                posted.append(str(sent.id))
        return posted

    async def _posted_in_turn(self, round_id: str, conversation: str, ids: list[str]) -> None:
        await self.inbound.run(
            self.records.posted_in_turn, round_id, conversation, ids, now=self.service.clock.now()
        )

    async def _replace(self, ctx: TurnContext, activity_id: str, reply: Reply) -> bool:
        language = reply.language or self.service.default_language
        cards = render(reply.messages[0], round_id=reply.round_id, language=language)
        try:
            with sorted_errors("update_form"):
                await ctx.update_activity(card_activity(cards[0], activity_id=activity_id))
        except SendError:
            return False
        return len(cards) == 1 and len(reply.messages) == 1

    async def _open_form(
        self, ctx: TurnContext, conversation: Conversation, place: Place, reply: Reply
    ) -> None:
        """Show the person their form: here in a personal chat; from a channel or group
        chat in their personal chat, because a round's form can hold what only they
        may read."""
        assert reply.form is not None
        language = reply.language or await self.inbound.language(place)
        if conversation.kind != "personal" and reply.round_id is not None:
            await self._privately(ctx, conversation, [reply.form], reply.round_id, language)
            return
        try:
            cards = render(reply.form, round_id=reply.round_id, language=language)
        except CardTooLarge:
            log.error("teams: a form of round %s did not fit in a card", reply.round_id)
            return
        # Outside a round (planning) a form holds nothing private, and belongs to
        # the conversation it was asked for in: its submit names no round.
        posted = await self._post(ctx, cards, "form")
        if reply.round_id is not None and posted:
            # A round's form in the person's own personal chat: taken back with the round.
            await self._posted_in_turn(reply.round_id, conversation.id, posted)

    async def _privately(
        self,
        ctx: TurnContext,
        conversation: Conversation,
        messages: Sequence[Message],
        round_id: str | None,
        language: Language,
    ) -> None:
        """Send what only this person may read (a round's form, the guard's question)
        to their personal chat; tell them in the conversation if that cannot be done."""
        activity = ctx.activity
        try:
            cards = [
                card
                for message in messages
                for card in render(message, round_id=round_id, language=language)
            ]
        except CardTooLarge:
            log.error("teams: a private card of round %s did not fit", round_id)
            return
        route = Route(
            service_url=activity.service_url,
            bot_id=activity.recipient.id,
            bot_name=activity.recipient.name or "",
            tenant=conversation.tenant,
            teams_id=activity.from_property.id,
        )
        try:
            ids = await self.sender.send_privately(route, cards)
            if round_id is not None:
                chat = await self.sender.personal_chat(route)
                await self._posted_in_turn(round_id, chat, ids.split())
        except SendError as error:
            key = "personal_unreachable" if error.code in NOT_ALLOWED else "form_failed"
            log.warning("teams: private card of round %s not delivered: %s", round_id, error.code)
            name = activity.from_property.name or translate(TEXTS, "someone", language)
            note = _plain(translate(TEXTS, key, language, name=name))
            await self._say(ctx, conversation, [note], language, round_id=round_id)


def _plain(text: str) -> Message:
    return Message(text=text, blocks=(Paragraph(text),))
