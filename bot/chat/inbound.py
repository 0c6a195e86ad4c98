"""The one way in for every channel: what a person typed, clicked or wrote.

Each adapter (Slack's listeners, Teams' handler, the web chat's routes) turns its
platform's payload into a place, a person and a text or an action, calls this,
and renders the `Reply`. What every channel needs lives here, once:

* the thread hop: the chat layer is synchronous (it uses the database), so each
  delivery runs on a database thread (`bot.service.threads`), never on the event loop;
  a command that draws a chart on threads of its own, so no click waits for it;
* "does this round belong to this place": `Chat.click` and `Chat.thread_message`
  refuse a round of another workspace or channel (`Reply.error_code == NOT_HERE`);
* the duplicate check: a delivery whose key was handled before comes back with
  `Reply.replayed`, and the channel sends nothing more (no pre-check of its own);
* telling a command from a reply in a round's thread (`written`), and which
  round's thread a line is in (`round_of_thread`);
* the team's language on every reply (`Reply.language`), and a fallback when the
  database that failed cannot say it (`language`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ParamSpec, TypeVar

from bot.chat.chat import NOT_HERE, Chat, Reply
from bot.chat.grammar import Verb, parse
from bot.engine.actions import FieldValue
from bot.i18n import Language
from bot.service.places import Person, Place
from bot.service.threads import command_threads, drawing_threads, in_thread
from bot.service.whereabouts import round_under

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

__all__ = ["NOT_HERE", "Addressed", "Inbound", "Written"]

# Commands whose answer draws a chart: off the commands' thread (bot.service.threads).
DRAWING_VERBS: frozenset[Verb] = frozenset({"insights"})


class Addressed(StrEnum):
    """How a line someone wrote speaks to the bot, in the platform's own way."""

    # Talk in the channel or thread, not to the bot.
    NOT = "not"
    # The bot was named (a Teams @mention): a command when it reads as one, else a
    # reply in the round's thread that happens to name the bot. (A platform's own
    # command syntax, Slack's slash command or the web chat's `/dialoog`, is always a
    # command: `command`.)
    MENTIONED = "mentioned"


@dataclass(frozen=True)
class Written:
    """What became of a line someone wrote: the reply, and whether it was taken as a
    command (a channel may show it is working on one)."""

    reply: Reply
    command: bool


class Inbound:
    """The async facade over `Chat` that every channel adapter calls."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat

    async def command(
        self, place: Place, person: Person, text: str, *, key: str | None = None
    ) -> Reply:
        """A typed command (`/dialoog ...`, `@dialoog ...`), without the command's name."""
        sessions = self.chat.service.sessions
        if parse(text).verb in DRAWING_VERBS:
            threads = drawing_threads(sessions)
        else:
            threads = command_threads(sessions)
        reply = await in_thread(threads, self.chat.command, place, person, text, key=key)
        return await self._with_language(reply, place)

    async def click(
        self,
        place: Place,
        person: Person,
        action: str,
        value: str,
        fields: Mapping[str, FieldValue],
        *,
        round_id: str | None,
        key: str | None = None,
        private: bool = False,
    ) -> Reply:
        """A button or a submitted form. `private`: from the person's own conversation
        with the bot (a DM, a modal, a personal chat), which may act on any round of
        its workspace; elsewhere the round must be this channel's."""
        reply = await self.run(
            self.chat.click,
            place,
            person,
            action,
            value,
            fields,
            round_id=round_id,
            key=key,
            private=private,
        )
        return await self._with_language(reply, place)

    async def thread_message(
        self,
        place: Place,
        person: Person,
        text: str,
        *,
        round_id: str,
        key: str | None = None,
        shown: bool = True,
        replied_to: str | None = None,
    ) -> Reply | None:
        """A reply in a round's thread: a contribution, an answer to a question, or just
        conversation (None). `replied_to`: the platform's id of the message it answers."""
        reply = await self.run(
            self.chat.thread_message,
            place,
            person,
            text,
            round_id=round_id,
            key=key,
            shown=shown,
            replied_to=replied_to,
        )
        return None if reply is None else await self._with_language(reply, place)

    async def written(
        self,
        place: Place,
        person: Person,
        text: str,
        *,
        round_id: str | None,
        addressed: Addressed,
        direct: bool = False,
        key: str | None = None,
        shown: bool = True,
        replied_to: str | None = None,
    ) -> Written | None:
        """A line someone wrote where the bot reads along: a command, a reply in the
        round's thread (`round_id`: the round whose thread it is in), or neither (None).

        `direct`: a conversation with the bot alone, where a line outside a round is a
        command even when it does not name the bot.
        """
        command = addressed is Addressed.MENTIONED and parse(text).verb != "unknown"
        if round_id is not None and not command:
            if not text:
                return None
            reply = await self.thread_message(
                place, person, text, round_id=round_id, key=key, shown=shown, replied_to=replied_to
            )
            if reply is not None or addressed is Addressed.NOT:
                return None if reply is None else Written(reply, command=False)
        elif addressed is Addressed.NOT and not (direct and round_id is None):
            return None
        return Written(await self.command(place, person, text, key=key), command=True)

    async def round_of_thread(self, place: Place, post: str | None) -> str | None:
        """The round whose thread a line was written in: the round whose card is `post`
        (Slack's thread ts, a Teams channel post), or, where a conversation has no
        threads of its own (a chat, the web chat; `post` None), the active round."""
        if post is None:
            info = await self.run(self.chat.service.active_round, place)
            return info.round_id if info is not None else None
        return await self.run(round_under, self.chat.service.sessions, place, post)

    async def language(self, place: Place) -> Language:
        """The team's language; the default when the database cannot say (it may be
        what just failed)."""
        service = self.chat.service
        try:
            return await self.run(service.team_language, place)
        except Exception:
            return service.default_language

    async def run(self, work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Synchronous work (the database) on a database thread: the one thread hop."""
        return await in_thread(command_threads(self.chat.service.sessions), work, *args, **kwargs)

    async def _with_language(self, reply: Reply, place: Place) -> Reply:
        if reply.language is not None:
            return reply
        return dataclasses.replace(reply, language=await self.language(place))
