"""What the web chat does with a typed line, a click or "colleagues fill in".

Synchronous (it uses the database): the routes call it in a thread. Checked
input only: see requests.py.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from typing import Any

import storage
from bot.channels.web.colleagues import COLLEAGUES
from bot.channels.web.texts import SAYS, ui_texts
from bot.chat import Chat, Reply
from bot.chat.edge import storable
from bot.engine import commands as cmd
from bot.engine.messages import Message, Paragraph, message_to_json
from bot.engine.simulate import fill_in
from bot.i18n import Language, translate
from bot.runtime import Runtime
from bot.service import Person, Place, RoundService
from storage.models import WebMessage
from storage.web_chat import WebPost, post_web_message, web_revision, web_timeline

log = logging.getLogger(__name__)

PLATFORM = "web"
WORKSPACE = "local"
_COMMAND = re.compile(r"/dialoog(?:\s+(?P<rest>.*))?", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Said:
    """The answer to a typed line, and the channel's revision when it was posted."""

    reply: Reply
    posted: int | None = None


def place(channel: str) -> Place:
    return Place(platform=PLATFORM, workspace=WORKSPACE, channel=channel, channel_name=channel)


class ChatRoom:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def service(self) -> RoundService:
        return self.runtime.service

    @property
    def chat(self) -> Chat:
        return self.runtime.chat

    def language(self, channel: str) -> Language:
        return self.service.team_language(place(channel))

    def say_text(self, language: Language, key: str, **params: object) -> Reply:
        text = translate(SAYS, key, language, **params)
        return Reply(messages=(Message(text=text, blocks=(Paragraph(text),)),))

    # -- reading ------------------------------------------------------------------------

    def timeline(self, channel: str, viewer: Person, after: int) -> dict[str, Any]:
        """What one colleague's tab shows: messages changed after `after`, and the page."""
        with self.runtime.sessions() as session:
            # The revision first: a change committed meanwhile is then fetched twice, never lost.
            revision = web_revision(session, channel)
            rows = web_timeline(session, channel, viewer=viewer.user_id, after=after)
        language = self.language(channel)
        info = self.service.active_round(place(channel))
        current = None
        if info is not None:
            current = {"id": info.round_id, "status": info.state.status}
        return {
            "channel": channel,
            "language": language,
            "texts": ui_texts(language),
            "colleagues": [{"id": p.user_id, "name": p.name} for p in COLLEAGUES],
            "revision": max([revision, *(row.revision for row in rows)]),
            "round": current,
            "messages": [_row(row) for row in rows],
        }

    def revision(self, channel: str) -> int:
        with self.runtime.sessions() as session:
            return web_revision(session, channel)

    def round_in_channel(self, round_id: str, channel: str) -> bool:
        with self.runtime.sessions() as session:
            row = storage.get_round(session, round_id)
            team = storage.find_team(session, PLATFORM, WORKSPACE, channel)
            return row is not None and team is not None and row.team_id == team.id

    # -- acting -------------------------------------------------------------------------

    def say(self, channel: str, person: Person, text: str, key: str | None) -> Said:
        """A line typed in the compose box: a command, or a message in the channel.
        It is stored without NUL and half characters (bot.chat.edge); the writer
        hears so when that changed their line."""
        kept = storable(text)
        said = self._say(channel, person, kept, key)
        if kept == text:
            return said
        note = self.chat.say(self.language(channel), "cleaned").messages
        reply = dataclasses.replace(said.reply, messages=said.reply.messages + note)
        return dataclasses.replace(said, reply=reply)

    def _say(self, channel: str, person: Person, text: str, key: str | None) -> Said:
        here = place(channel)
        line = text.strip()
        command = _COMMAND.fullmatch(line)
        if command is not None:
            return Said(self.chat.command(here, person, command.group("rest") or "", key=key))
        if line.startswith("/"):
            hint = self.say_text(self.language(channel), "not_a_command")
            return Said(Reply(hint.messages, accepted=False, error_code="not_a_command"))
        info = self.service.active_round(here)
        reply: Reply | None = None
        if info is not None:
            reply = self.chat.thread_message(
                here, person, text, round_id=info.round_id, key=key, shown=False
            )
        if reply is not None and (reply.messages or not reply.accepted):
            # Refused, or hidden in this step: the text stays out of the channel.
            return Said(reply)
        revision = self._post(channel, person, text, info.round_id if info else None)
        return Said(reply or Reply(), posted=revision)

    def click(
        self,
        channel: str,
        person: Person,
        action: str,
        value: str,
        fields: dict[str, Any],
        round_id: str | None,
        key: str | None,
    ) -> Reply:
        return self.chat.click(
            place(channel), person, action, value, fields, round_id=round_id, key=key
        )

    def fill_in(self, channel: str, person: Person, round_id: str) -> Reply:
        """Simulated colleagues do their part of the round: join it while it
        gathers, else contribute to the current step."""
        language = self.language(channel)
        state = self.service.round(round_id)
        if state is None or not state.active:
            return self.say_text(language, "nothing_to_fill_in")
        if state.status == "gathering":
            joined = self._join_colleagues(round_id, person, state.protocol.group_size.min)
            if joined:
                return self.say_text(language, "joined", names=", ".join(joined))
            return self.say_text(language, "nothing_to_fill_in")
        done = 0
        for command in fill_in(state, leave_out=person.user_id):
            # A batch may outrun itself (an async step closes half-way): the rest is refused.
            if self.service.handle(round_id, command).accepted:
                done += 1
        log.info("web: colleagues filled in round=%s commands=%d", round_id, done)
        if done == 0:
            return self.say_text(language, "nothing_to_fill_in")
        return self.say_text(language, "filled_in", count=done)

    # -- pieces -------------------------------------------------------------------------

    def _join_colleagues(self, round_id: str, person: Person, wanted: int) -> list[str]:
        state = self.service.round(round_id)
        assert state is not None
        joined: list[str] = []
        for other in COLLEAGUES:
            if len(state.participants) + len(joined) >= max(wanted, 3):
                break
            if other.user_id == person.user_id or other.user_id in state.participants:
                continue
            join = cmd.Join(user=other.user_id, name=other.name)
            if self.service.handle(round_id, join).accepted:
                joined.append(other.name)
        state = self.service.round(round_id)
        assert state is not None
        for role in state.mode_roles:
            # A role that needs a volunteer before the first step: a colleague offers.
            if role.assign != "volunteer" or not role.required or state.holders(role.id):
                continue
            taken = {u for holders in state.roles.values() for u in holders}
            free = [u for u in state.participants if u not in taken and u != person.user_id]
            if free:
                self.service.handle(round_id, cmd.Volunteer(user=free[0], role=role.id))
                state = self.service.round(round_id) or state
        log.info("web: colleagues joined round=%s count=%d", round_id, len(joined))
        return joined

    def _post(self, channel: str, person: Person, text: str, round_id: str | None) -> int:
        payload = message_to_json(Message(text=text))
        with self.runtime.sessions() as session, session.begin():
            row = post_web_message(
                session,
                WebPost(
                    channel=channel,
                    payload=payload,
                    round_id=round_id,
                    author=person.user_id,
                    author_name=person.name,
                ),
                now=self.runtime.clock.now(),
            )
            return row.revision


def reply_json(reply: Reply) -> dict[str, Any]:
    return {
        "accepted": reply.accepted,
        "error_code": reply.error_code,
        "round_id": reply.round_id,
        "messages": [message_to_json(m) for m in reply.messages],
        "form": message_to_json(reply.form) if reply.form is not None else None,
        "private": reply.private,
        "settles": reply.settles,
    }


def _row(row: WebMessage) -> dict[str, Any]:
    return {
        "id": row.id,
        "revision": row.revision,
        "round_id": row.round_id,
        "private": row.audience is not None,
        "author": {"id": row.author, "name": row.author_name} if row.author else None,
        "at": row.created_at.isoformat(),
        "message": row.payload,
    }
