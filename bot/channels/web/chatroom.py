"""What the web chat keeps of its own: its timeline, the lines people post in it,
and the simulated colleagues who "fill in". Commands, clicks and replies go
through bot.chat.inbound like every channel's.

Synchronous (it uses the database): the routes call it through the facade's
thread hop. Checked input only: see requests.py.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.channels.web.colleagues import COLLEAGUES
from bot.channels.web.requests import WebError
from bot.channels.web.texts import SAYS, ui_texts
from bot.chat import Chat, Reply
from bot.engine import commands as cmd
from bot.engine.messages import (
    Message,
    Paragraph,
    message_from_json,
    message_to_json,
    spelled_out,
)
from bot.engine.simulate import fill_in
from bot.engine.vocabulary import Action
from bot.i18n import Language, translate
from bot.runtime import Runtime
from bot.service import Person, Place, RoundService
from storage.models import WebMessage
from storage.web_chat import WebPost, post_web_message, web_revision, web_timeline

log = logging.getLogger(__name__)

PLATFORM = "web"
WORKSPACE = "local"


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
            # The page names actions by their member (OPEN_FORM), never by value.
            "actions": {action.name: action.value for action in Action},
            "colleagues": [{"id": p.user_id, "name": p.name} for p in COLLEAGUES],
            "revision": max([revision, *(row.revision for row in rows)]),
            "round": current,
            "messages": [_row(row) for row in rows],
        }

    def revision(self, channel: str) -> int:
        with self.runtime.sessions() as session:
            return web_revision(session, channel)

    def round_of_reply(self, channel: str, replied_to: str) -> str | None:
        """The round of the message a typed line replies to (a question's own message),
        so that with several rounds in the channel the line counts in that one."""
        with self.runtime.sessions() as session:
            row = session.get(WebMessage, int(replied_to))
            if row is not None and row.channel_id == channel and row.round_id is not None:
                return row.round_id
        return None

    # -- acting -------------------------------------------------------------------------

    def fill_in(self, channel: str, person: Person, round_id: str) -> Reply:
        """Simulated colleagues do their part of the round: join it while it
        gathers, else contribute to the current step."""
        state = self.service.round(round_id)
        if state is None or not self.service.round_is_at(round_id, place(channel)):
            raise WebError(404, "no_round")
        language = self.language(channel)
        if not state.active:
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

    def post(self, channel: str, person: Person, text: str, round_id: str | None) -> int:
        """A line someone wrote, shown in the channel; returns the channel's revision."""
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
        "messages": [_page(m) for m in reply.messages],
        "form": _page(reply.form) if reply.form is not None else None,
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
        "message": _page(message_from_json(row.payload)),
    }


def _page(message: Message) -> dict[str, Any]:
    """A message as the page reads it: text as spans, never markup to parse."""
    return message_to_json(spelled_out(message))
