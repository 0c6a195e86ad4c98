"""The bot's turns: what an @mention, a card submit, a thread reply or a change of
members means, through the chat layer (bot.chat.inbound). Runs after /api/messages
has answered Teams (see endpoint.py), so nothing here races Teams' time limit.
What is left here is translation: an activity in, cards out, and the records of
who is who in Teams (records.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from botbuilder.core import BotAdapter, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount
from botbuilder.schema.teams import TeamInfo, TeamsChannelAccount

from bot.channels.teams import inbound
from bot.channels.teams.cards import (
    CardTooLarge,
    MalformedSubmit,
    Mention,
    read_submit,
    render,
)
from bot.channels.teams.connector import (
    TIMEOUT_SECONDS,
    card_activity,
    configure,
    sorted_errors,
)
from bot.channels.teams.inbound import PLATFORM, Conversation
from bot.channels.teams.records import Member, Records
from bot.channels.teams.sender import NOT_ALLOWED, Route, TeamsSender
from bot.channels.teams.texts import TEXTS
from bot.chat import Chat, Reply
from bot.chat.edge import storable
from bot.chat.inbound import Addressed, Inbound
from bot.chat.stored import Stored
from bot.engine.messages import Message, Paragraph
from bot.i18n import Language, translate
from bot.service.dispatch import SendError
from bot.service.places import Person, Place
from bot.service.rounds import RoundService
from bot.service.uninstall import Uninstalls

log = logging.getLogger(__name__)

ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
# The turn_state key of the turn's `Stored` signal (bot.chat.stored), set by the endpoint.
STORED = "dialoog.stored"


def _stored(ctx: TurnContext) -> None:
    """What the person sent is committed: the endpoint may answer Teams now."""
    signal = ctx.turn_state.get(STORED)
    if isinstance(signal, Stored):
        signal.mark()


class DialoogBot(TeamsActivityHandler):  # type: ignore[misc]
    def __init__(
        self,
        chat: Chat,
        service: RoundService,
        records: Records,
        sender: TeamsSender,
        uninstalls: Uninstalls | None = None,
    ) -> None:
        super().__init__()
        self.inbound = Inbound(chat)
        self.service = service
        self.records = records
        self.sender = sender
        self.uninstalls = uninstalls

    async def on_turn(self, turn_context: TurnContext) -> None:
        # The turn's connector client is botbuilder's: bound its waits and stop msrest
        # from repeating a POST on its own, as for the sender's.
        client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
        if client is not None:
            configure(client, TIMEOUT_SECONDS)
        await super().on_turn(turn_context)

    # -- messages ---------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        conversation = inbound.conversation_of(activity)
        person = inbound.person_of(activity)
        key = inbound.idempotency_key(activity, conversation)
        if conversation.kind == "personal":
            self.sender.learn_personal_chat(activity.from_property.id, conversation.id)
        if activity.value is not None and (read_submit_safely(activity.value) or not activity.text):
            await self._submit(turn_context, conversation, person, activity.value, key)
            return
        await self._text(turn_context, conversation, person, key)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Only Action.Execute reaches here, answered already by our endpoint; it means
        what the same Action.Submit would."""
        activity = turn_context.activity
        if activity.name != ADAPTIVE_CARD_ACTION:
            return InvokeResponse(status=501)
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action")
        data = action.get("data") if isinstance(action, dict) else None
        conversation = inbound.conversation_of(activity)
        person = inbound.person_of(activity)
        key = inbound.idempotency_key(activity, conversation)
        await self._submit(turn_context, conversation, person, data, key)
        return InvokeResponse(status=200)

    async def _text(
        self, ctx: TurnContext, conversation: Conversation, person: Person, key: str | None
    ) -> None:
        activity = ctx.activity
        text = inbound.command_text(activity)
        mentioned = inbound.mentions_bot(activity)
        personal = conversation.kind == "personal"
        place = inbound.place_of(conversation, inbound.channel_name(activity))
        round_id = None
        if conversation.kind != "channel" or conversation.thread:
            # A channel's rounds live in their card's thread; a chat is one thread.
            round_id = await self.inbound.round_of_thread(place, conversation.thread)
        if (round_id is not None and text) or mentioned or personal:
            # Before the chat layer: what it queues is sent with this reference.
            await self._remember(activity, conversation, place, person)
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
            await self._typing(ctx)
        await self._answer(ctx, conversation, place, written.reply)

    async def _submit(
        self,
        ctx: TurnContext,
        conversation: Conversation,
        person: Person,
        value: object,
        key: str | None,
    ) -> None:
        activity = ctx.activity
        place = inbound.place_of(conversation, inbound.channel_name(activity))
        personal = conversation.kind == "personal"
        try:
            submit = read_submit(value)
        except MalformedSubmit as error:
            log.warning("teams: malformed card submit (%s)", error)
            submit = None
        if submit is None:
            language = await self.inbound.language(place)
            refusal = self.inbound.chat.say(language, "malformed")
            await self._say(ctx, conversation, refusal.messages, language)
            return
        log.info("teams: submit action=%s round=%s", submit.action, submit.round_id)
        home: Place | None = place
        if personal and submit.round_id is not None:
            home = await self.inbound.run(self.records.place_of_round, submit.round_id)
        if home == place:
            await self._remember(activity, conversation, place, person)
        elif home is not None:
            # A form in a personal chat: learn the person's Teams id for the round's channel.
            member = Member(person.user_id, activity.from_property.id, person.name)
            await self.inbound.run(self.records.remember, home, members=[member])
        reply = await self.inbound.click(
            place,
            person,
            submit.action,
            submit.value,
            submit.fields,
            round_id=submit.round_id,
            key=key,
            # A personal chat is the person's own: its forms act on their rounds.
            private=personal,
        )
        _stored(ctx)
        if reply.replayed:
            return
        if reply.form is not None:
            await self._open_form(ctx, conversation, place, reply)
        if not reply.messages:
            return
        # A form (or the guard's question) becomes its confirmation, and cannot be
        # sent twice by accident.
        replaced = (
            reply.accepted
            and (submit.form or reply.settles)
            and (personal or not reply.private)
            and activity.reply_to_id
            and await self._replace(ctx, activity.reply_to_id, reply)
        )
        if replaced:
            return
        await self._answer(ctx, conversation, place, reply)

    # -- conversation updates ----------------------------------------------------------------

    async def on_teams_members_added_dispatch(
        self,
        members_added: Sequence[ChannelAccount],
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        # Not botbuilder's dispatch: it asks Teams for every new member's profile and
        # fails the whole update when one lookup fails.
        activity = turn_context.activity
        conversation = inbound.conversation_of(activity)
        bot_id = activity.recipient.id if activity.recipient else None
        people = [
            Member(storable(m.aad_object_id or m.id), storable(m.id), storable(m.name or ""))
            for m in members_added
            if m.id and m.id != bot_id
        ]
        if conversation.kind == "personal" and activity.from_property is not None:
            self.sender.learn_personal_chat(activity.from_property.id, conversation.id)
        reference = inbound.reference_of(activity, conversation)
        await self.inbound.run(self.records.members_added, conversation, reference, people)
        log.info(
            "teams: members added conversation=%s people=%d bot=%s",
            conversation.kind,
            len(people),
            len(people) < len(members_added),
        )
        if len(people) < len(members_added):
            await self._welcome(turn_context, conversation)

    async def on_teams_members_removed(
        self,
        teams_members_removed: Sequence[TeamsChannelAccount],
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        activity = turn_context.activity
        conversation = inbound.conversation_of(activity)
        bot_id = activity.recipient.id if activity.recipient else None
        if any(m.id == bot_id for m in teams_members_removed):
            await self._removed(conversation)
        people = [m.aad_object_id or m.id for m in teams_members_removed if m.id != bot_id]
        if people:
            removed = await self.inbound.run(self.records.members_removed, conversation, people)
            log.info("teams: members removed people=%d records=%d", len(people), removed)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        conversation = inbound.conversation_of(activity)
        reference = inbound.reference_of(activity, conversation)
        await self.inbound.run(self.records.members_added, conversation, reference, [])
        if self.uninstalls is not None:
            channels = await self.inbound.run(self.records.channels_of, conversation)
            await self.inbound.run(
                self.uninstalls.returned, PLATFORM, conversation.tenant, channels
            )

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self._removed(inbound.conversation_of(turn_context.activity))

    async def _removed(self, conversation: Conversation) -> None:
        """The app left a Teams team or chat: no more sending there, and its data is
        erased after the school's grace period."""
        channels = await self.inbound.run(self.records.bot_removed, conversation)
        log.warning(
            "teams: the bot was removed; %d channel(s) can no longer be reached", len(channels)
        )
        if self.uninstalls is not None and channels:
            await self.inbound.run(self.uninstalls.removed, PLATFORM, conversation.tenant, channels)

    # -- pieces -------------------------------------------------------------------------------

    async def _remember(
        self, activity: Activity, conversation: Conversation, place: Place, person: Person
    ) -> None:
        member = Member(person.user_id, activity.from_property.id, person.name)
        reference = inbound.reference_of(activity, conversation)
        await self.inbound.run(
            self.records.remember,
            place,
            reference=reference,
            conversation=conversation,
            members=[member],
        )

    async def _typing(self, ctx: TurnContext) -> None:
        try:
            with sorted_errors("typing"):
                await ctx.send_activity(Activity(type=ActivityTypes.typing))
        except SendError:
            pass  # logged with its code; the work goes on

    async def _answer(
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
            for card in cards:
                try:
                    with sorted_errors("reply"):
                        sent = await ctx.send_activity(card_activity(card))
                except SendError:
                    break
                if sent is not None and sent.id:
                    posted.append(str(sent.id))
        if round_id is not None and posted and ctx.activity.conversation is not None:
            # A reply about a round (its status card, a refusal) stays in Teams: remember
            # it, so that the retention purge takes it back with the round's own posts.
            await self._posted_in_turn(round_id, ctx.activity.conversation.id, posted)

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
        posted: list[str] = []
        for card in cards:
            try:
                with sorted_errors("form"):
                    sent = await ctx.send_activity(card_activity(card))
            except SendError:
                break
            if sent is not None and sent.id:
                posted.append(str(sent.id))
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
            text = translate(TEXTS, key, language, name=name)
            note = Message(text=text, blocks=(Paragraph(text),))
            await self._say(ctx, conversation, [note], language, round_id=round_id)

    async def _welcome(self, ctx: TurnContext, conversation: Conversation) -> None:
        place = inbound.place_of(conversation)
        language = await self.inbound.language(place)
        text = translate(TEXTS, "welcome", language)
        welcome = Message(text=text, blocks=(Paragraph(text),))
        for card in render(welcome, round_id=None, language=language):
            try:
                with sorted_errors("welcome"):
                    await ctx.send_activity(card_activity(card))
            except SendError:
                return


def read_submit_safely(value: object) -> bool:
    """Whether a message's value is (or claims to be) one of our cards' submits."""
    try:
        return read_submit(value) is not None
    except MalformedSubmit:
        return True
