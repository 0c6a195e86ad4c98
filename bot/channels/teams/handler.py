"""The bot's turns, routed: which Teams activity goes where. Runs after /api/messages
has answered Teams (see endpoint.py), so nothing here races Teams' time limit.

A line or a card submit is a person's turn (turns.py), a change of members or of
the app's installation goes to the records (membership.py); what is answered goes
out as cards (answers.py), and where a turn may act is access.py's. The meaning of
it all is the chat layer's (bot.chat.inbound), the same for every channel.
"""

from __future__ import annotations

from collections.abc import Sequence

from botbuilder.core import BotAdapter, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ChannelAccount
from botbuilder.schema.teams import TeamInfo, TeamsChannelAccount

from bot.channels.teams import inbound
from bot.channels.teams.answers import Answers
from bot.channels.teams.connector import TIMEOUT_SECONDS, configure
from bot.channels.teams.membership import Membership
from bot.channels.teams.records import Records
from bot.channels.teams.sender import TeamsSender
from bot.channels.teams.turns import STORED, Turns, is_submit
from bot.chat import Chat
from bot.chat.inbound import Inbound
from bot.service.rounds import RoundService
from bot.service.uninstall import Uninstalls

__all__ = ["ADAPTIVE_CARD_ACTION", "STORED", "DialoogBot"]

ADAPTIVE_CARD_ACTION = "adaptiveCard/action"


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
        answers = Answers(self.inbound, service, records, sender)
        self.members = Membership(self.inbound, records, sender, answers, uninstalls)
        self.turns = Turns(self.inbound, self.members, answers)

    async def on_turn(self, turn_context: TurnContext) -> None:
        # The turn's connector client is botbuilder's: bound its waits and stop msrest
        # from repeating a POST on its own, as for the sender's.
        client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
        if client is not None:
            configure(client, TIMEOUT_SECONDS)
        await super().on_turn(turn_context)

    # -- a person's turn --------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        conversation = inbound.conversation_of(activity)
        person = inbound.person_of(activity)
        key = inbound.idempotency_key(activity, conversation)
        self.members.learn_personal_chat(activity, conversation)
        if activity.value is not None and (is_submit(activity.value) or not activity.text):
            await self.turns.submit(turn_context, conversation, person, activity.value, key)
            return
        await self.turns.line(turn_context, conversation, person, key)

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
        await self.turns.submit(turn_context, conversation, person, data, key)
        return InvokeResponse(status=200)

    # -- conversation updates ----------------------------------------------------------------

    async def on_teams_members_added_dispatch(
        self,
        members_added: Sequence[ChannelAccount],
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        # Not botbuilder's dispatch: it asks Teams for every new member's profile and
        # fails the whole update when one lookup fails.
        await self.members.added(turn_context, members_added)

    async def on_teams_members_removed(
        self,
        teams_members_removed: Sequence[TeamsChannelAccount],
        team_info: TeamInfo | None,
        turn_context: TurnContext,
    ) -> None:
        await self.members.removed(turn_context, teams_members_removed)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self.members.installed(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self.members.uninstalled(turn_context)
