"""What the Teams channel keeps in the database: each conversation's reference, and
the Teams ids of the people in it. Synchronous; call it from a thread.

A team's `conversation_ref` is botbuilder's ConversationReference (as JSON, without
an activity id: a reference that holds one posts into that activity's thread) plus
one key of ours, "dialoog", with the Teams team the channel belongs to and a map
from each person's user id (their Entra object id) to their Teams id ("29:...").
Teams only opens a personal chat for the latter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.channels.teams.inbound import PLATFORM, Conversation
from bot.service.places import Place

OURS = "dialoog"


@dataclass(frozen=True)
class Member:
    user_id: str  # what the engine knows them by: the Entra object id where there is one
    teams_id: str  # what Teams needs to open a personal chat
    name: str = ""


@dataclass(frozen=True)
class Reference:
    """A stored reference, read back for sending."""

    service_url: str
    conversation_id: str
    kind: str
    tenant: str
    bot_id: str
    bot_name: str
    members: dict[str, str]

    @classmethod
    def read(cls, data: dict[str, Any] | None) -> Reference | None:
        if not data:
            return None
        conversation = data.get("conversation") or {}
        bot = data.get("bot") or {}
        ours = data.get(OURS) or {}
        service_url = data.get("serviceUrl")
        conversation_id = conversation.get("id")
        if not service_url or not conversation_id:
            return None
        return cls(
            service_url=str(service_url),
            conversation_id=str(conversation_id),
            kind=str(conversation.get("conversationType") or ""),
            # msrest writes ConversationAccount.tenant_id as "tenantID".
            tenant=str(
                conversation.get("tenantID")
                or conversation.get("tenantId")
                or ours.get("tenant")
                or ""
            ),
            bot_id=str(bot.get("id") or ""),
            bot_name=str(bot.get("name") or ""),
            members=dict(ours.get("members") or {}),
        )

    def teams_id(self, user_id: str) -> str | None:
        if user_id in self.members:
            return self.members[user_id]
        # Without an Entra object id the engine knows a person by their Teams id.
        return user_id if user_id.startswith("29:") else None


class Records:
    def __init__(self, sessions: sessionmaker[Session], *, language: str, timezone: str) -> None:
        self.sessions = sessions
        self.language = language
        self.timezone = timezone

    def remember(
        self,
        place: Place,
        *,
        reference: dict[str, Any] | None = None,
        conversation: Conversation | None = None,
        members: Iterable[Member] = (),
    ) -> None:
        """Keep a conversation's team, its reference and its people's Teams ids current.

        Writes only when something changed: the first message of each person, a new
        service URL. The usual message is a read.
        """
        with self.sessions() as session, session.begin():
            team = self._team(session, place)
            stored = team.conversation_ref or {}
            wanted = _merged(stored, reference, conversation, members)
            if wanted == stored:
                return
            # Serialize writers of this row; re-read and merge what they wrote.
            storage.lock_team(session, team.id)
            session.refresh(team)
            wanted = _merged(team.conversation_ref or {}, reference, conversation, members)
            storage.set_conversation_ref(session, team.id, wanted)

    def card_root(self, round_id: str) -> str | None:
        """The id of the round card's post, under which the round's thread hangs."""
        with self.sessions() as session:
            posted = storage.posted_message(session, round_id, "card")
            return posted.external_id if posted else None

    def posted_in_turn(
        self, round_id: str, conversation: str, ids: Iterable[str], *, now: datetime
    ) -> None:
        """Remember posts about a round made while answering someone's own turn (a form
        in their personal chat, a status card in the thread), not through the outbox,
        so that the retention purge can take them back too."""
        with self.sessions() as session, session.begin():
            for activity_id in ids:
                storage.record_posted(
                    session,
                    round_id=round_id,
                    slot=f"turn:{activity_id}"[:64],
                    platform=PLATFORM,
                    channel=conversation,
                    external_id=activity_id,
                    now=now,
                )

    def member_name(self, place: Place, user_id: str) -> str:
        with self.sessions() as session:
            team = storage.find_team(session, place.platform, place.workspace, place.channel)
            if team is None:
                return ""
            for member in storage.list_members(session, team.id):
                if member.user_id == user_id:
                    return member.display_name
            return ""

    def members_added(
        self, conversation: Conversation, reference: dict[str, Any], members: list[Member]
    ) -> None:
        """Teams added people (or the bot) to a team or chat."""
        with self.sessions() as session, session.begin():
            own = self._team(session, _place(conversation))
            for team in {own.id: own, **self._teams_of(session, conversation)}.values():
                for member in members:
                    storage.get_or_create_member(
                        session, team.id, member.user_id, display_name=member.name
                    )
        self.remember(
            _place(conversation), reference=reference, conversation=conversation, members=members
        )

    def members_removed(self, conversation: Conversation, user_ids: list[str]) -> int:
        """Teams removed people from a team or chat; returns how many records went."""
        removed = 0
        with self.sessions() as session, session.begin():
            for team in self._teams_of(session, conversation).values():
                for user_id in user_ids:
                    removed += storage.remove_member(session, team.id, user_id)
        return removed

    def bot_removed(self, conversation: Conversation) -> list[str]:
        """The bot left a team or chat: forget how to reach it, so sends fail at once.
        Returns the channels (our teams' external ids) it left."""
        with self.sessions() as session, session.begin():
            teams = self._teams_of(session, conversation)
            for team in teams.values():
                storage.set_conversation_ref(session, team.id, None)
            return [team.external_id for team in teams.values()]

    def channels_of(self, conversation: Conversation) -> list[str]:
        """Every channel we know of the same Teams team (or the chat itself)."""
        with self.sessions() as session, session.begin():
            return [team.external_id for team in self._teams_of(session, conversation).values()]

    # -- pieces -------------------------------------------------------------------------

    def _team(self, session: Session, place: Place) -> storage.Team:
        return storage.team_at(
            session,
            PLATFORM,
            place.workspace,
            place.channel,
            language=self.language,
            timezone=self.timezone,
            name=place.channel_name,
        )

    def _teams_of(self, session: Session, conversation: Conversation) -> dict[int, storage.Team]:
        """Every team (channel) we know of the same Teams team, or the chat itself."""
        found: dict[int, storage.Team] = {}
        own = storage.find_team(session, PLATFORM, conversation.tenant, conversation.id)
        if own is not None:
            found[own.id] = own
        if conversation.team:
            tenant = storage.get_or_create_tenant(session, PLATFORM, conversation.tenant)
            for team in storage.list_teams(session, tenant.id):
                ours = (team.conversation_ref or {}).get(OURS) or {}
                if ours.get("team") == conversation.team:
                    found[team.id] = team
        return found


def _place(conversation: Conversation) -> Place:
    return Place(PLATFORM, conversation.tenant, conversation.id)


def _merged(
    stored: dict[str, Any],
    reference: dict[str, Any] | None,
    conversation: Conversation | None,
    members: Iterable[Member],
) -> dict[str, Any]:
    base = dict(reference) if reference is not None else {k: v for k, v in stored.items()}
    base.pop("activityId", None)
    base.pop("user", None)
    ours = dict(stored.get(OURS) or {})
    known = dict(ours.get("members") or {})
    for member in members:
        if member.teams_id and member.user_id:
            known[member.user_id] = member.teams_id
    ours["members"] = known
    if conversation is not None:
        ours["tenant"] = conversation.tenant
        if conversation.team:
            ours["team"] = conversation.team
    base[OURS] = ours
    return base
