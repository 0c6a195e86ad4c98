"""The web chat's HTTP side: the page, its JSON endpoints and the live stream.

GET  /                                  the page (static, no CDN)
GET  /web/static/{name}                 its script and style sheet
GET  /web/api/channels/{channel}        the timeline as one colleague sees it (?as=&after=)
GET  /web/api/channels/{channel}/events server-sent events: "the timeline changed"
POST /web/api/channels/{channel}/say    a typed line: /dialoog command or a message
POST /web/api/channels/{channel}/click  a button or a form
POST /web/api/channels/{channel}/fill-in  simulated colleagues do their part

Every route first passes the Guard (guard.py): only this machine's own page.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.web.chatroom import ChatRoom, place, reply_json
from bot.channels.web.guard import Guard
from bot.channels.web.hub import Hub
from bot.channels.web.requests import (
    WebError,
    after_of,
    channel_of,
    click_of,
    key_of,
    person_of,
    read_body,
    reply_to_of,
    round_id_of,
    text_of,
)
from bot.channels.web.texts import error_text
from bot.chat import Reply
from bot.chat.edge import storable
from bot.chat.inbound import NOT_HERE, Addressed, Inbound
from bot.failures import log_failure
from bot.i18n import Language, language_of
from bot.service import Person

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}
# The page loads nothing from elsewhere and runs no inline script: even text
# that slipped through as markup could not run.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
KEEP_ALIVE_SECONDS = 15.0
# The web chat's command syntax: a line that begins with the command's name.
_COMMAND = re.compile(r"/dialoog(?:\s+(?P<rest>.*))?", re.IGNORECASE | re.DOTALL)
_STATIC_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\.(?:html|js|css|svg)")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebRoutes:
    def __init__(self, room: ChatRoom, hub: Hub, *, keep_alive: float = KEEP_ALIVE_SECONDS) -> None:
        self.room = room
        self.inbound = Inbound(room.chat)
        self.hub = hub
        self.keep_alive = keep_alive
        self.guard = Guard.for_settings(room.runtime.settings)

    def add_to(self, app: web.Application) -> None:
        api = "/web/api/channels/{channel}"
        get, post = app.router.add_get, app.router.add_post
        get("/", self._guarded(self.page))
        get("/web/static/{name}", self._guarded(self.static))
        get(api, self._guarded(self._answering(self.timeline, "timeline")))
        get(f"{api}/events", self._guarded(self._answering(self.events, "events")))
        for name, handler in (("say", self.say), ("click", self.click), ("fill-in", self.fill_in)):
            post(f"{api}/{name}", self._guarded(self._answering(handler, name), changes=True))

    # -- the page ---------------------------------------------------------------------

    async def page(self, _request: web.Request) -> web.StreamResponse:
        return _file(STATIC / "index.html")

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        # Only the files that ship, by their own name, checked before the file system
        # is asked anything (a name of 5,000 characters is an OSError there).
        if not _STATIC_NAME.fullmatch(name) or not (STATIC / name).is_file():
            raise web.HTTPNotFound()
        return _file(STATIC / name)

    # -- the API ------------------------------------------------------------------------

    async def timeline(self, request: web.Request) -> web.StreamResponse:
        channel = channel_of(request)
        person = person_of(request.query.get("as"))
        after = after_of(request)
        data = await self.inbound.run(self.room.timeline, channel, person, after)
        return web.json_response(data, headers={"Cache-Control": "no-store"})

    async def say(self, request: web.Request) -> web.StreamResponse:
        channel = channel_of(request)
        body = await read_body(request)
        person = person_of(body.get("as"))
        text = text_of(body, "text")
        assert text is not None
        if not text.strip():
            raise WebError(400, "bad_request", problem="empty", field="text")
        replied_to = reply_to_of(body)
        reply, posted = await self._said(channel, person, text, key_of(body), replied_to)
        if posted is not None:
            self.hub.notify(channel, posted)
        log.info(
            "web: say channel=%s as=%s accepted=%s code=%s",
            channel,
            person.user_id,
            reply.accepted,
            reply.error_code,
        )
        return web.json_response({**reply_json(reply), "posted": posted is not None})

    async def _said(
        self,
        channel: str,
        person: Person,
        text: str,
        key: str | None,
        replied_to: str | None = None,
    ) -> tuple[Reply, int | None]:
        """A line typed in the compose box: a command, a reply in the round's thread, or
        a message in the channel (then the channel's revision when it was posted). It is
        stored without NUL and half characters (bot.chat.edge); the writer hears so when
        that changed their line."""
        here = place(channel)
        kept = storable(text)
        line = kept.strip()
        command = _COMMAND.fullmatch(line)
        posted: int | None = None
        reply: Reply | None
        if command is not None:
            reply = await self.inbound.command(here, person, command.group("rest") or "", key=key)
        elif line.startswith("/"):
            language = await self.inbound.language(here)
            hint = self.room.say_text(language, "not_a_command")
            reply = replace(hint, accepted=False, error_code="not_a_command", language=language)
        else:
            # A reply to one of a round's messages belongs to that round; else the whole
            # channel is the thread of its latest active round.
            round_id = None
            if replied_to is not None:
                round_id = await self.inbound.run(self.room.round_of_reply, channel, replied_to)
            if round_id is None:
                round_id = await self.inbound.round_of_thread(here, None)
            written = await self.inbound.written(
                here,
                person,
                kept,
                round_id=round_id,
                addressed=Addressed.NOT,
                key=key,
                shown=False,
                replied_to=replied_to,
            )
            reply = written.reply if written is not None else None
            if reply is None or not (reply.messages or not reply.accepted):
                # Conversation, or a contribution taken: the line shows in the channel.
                posted = await self.inbound.run(self.room.post, channel, person, kept, round_id)
        reply = reply or Reply()
        if kept != text:
            language = reply.language or await self.inbound.language(here)
            note = self.inbound.chat.say(language, "cleaned").messages
            reply = replace(reply, messages=reply.messages + note)
        return reply, posted

    async def click(self, request: web.Request) -> web.StreamResponse:
        channel = channel_of(request)
        click = click_of(await read_body(request))
        reply = await self.inbound.click(
            place(channel),
            click.person,
            click.action,
            click.value,
            click.fields,
            round_id=click.round_id,
            key=click.key,
        )
        if reply.error_code in (NOT_HERE, "no_round"):
            # A round of another channel, or none: as if this channel had never heard of it.
            raise WebError(404, "no_round")
        log.info(
            "web: click channel=%s as=%s action=%s round=%s accepted=%s code=%s",
            channel,
            click.person.user_id,
            click.action,
            click.round_id,
            reply.accepted,
            reply.error_code,
        )
        return web.json_response(reply_json(reply))

    async def fill_in(self, request: web.Request) -> web.StreamResponse:
        channel = channel_of(request)
        body = await read_body(request)
        person = person_of(body.get("as"))
        round_id = round_id_of(body)
        assert round_id is not None
        reply = await self.inbound.run(self.room.fill_in, channel, person, round_id)
        return web.json_response(reply_json(reply))

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: `changed` with the channel's revision, at once and on
        every change. The browser reconnects by itself and then fetches what it missed."""
        channel = channel_of(request)
        if self.hub.full:
            raise WebError(503, "busy")
        # Counted from here, before the first await: a burst of tabs cannot all pass
        # the check above while none of them listens yet.
        with self.hub.listen(channel) as queue:
            # Read before the stream starts: a database error is then still a JSON answer.
            first = await self.inbound.run(self.room.revision, channel)
            response = web.StreamResponse(
                headers={
                    "Content-Type": "text/event-stream",
                    "Cache-Control": "no-store",
                    "X-Accel-Buffering": "no",
                }
            )
            await response.prepare(request)
            with contextlib.suppress(ConnectionError):
                await response.write(b"retry: 2000\n\n")
                await _send(response, first)
                while True:
                    try:
                        revision = await asyncio.wait_for(queue.get(), timeout=self.keep_alive)
                    except TimeoutError:
                        await response.write(b": keep-alive\n\n")
                        continue
                    if revision < 0:
                        break
                    await _send(response, revision)
            return response

    # -- checks and answers ---------------------------------------------------------------

    def _guarded(self, handler: Handler, *, changes: bool = False) -> Handler:
        """Refused, in words and before any work, unless it comes from our own page."""

        async def guarded(request: web.Request) -> web.StreamResponse:
            refusal = self.guard.refusal(request, changes=changes)
            if refusal is None:
                return await handler(request)
            log.warning("web: refused %s %s: %s", request.method, request.path, refusal.code)
            # The team's language would take a database read for a request from outside.
            language = language_of(self.room.runtime.settings.language)
            text = error_text(language, refusal.code, port=_local_port(request))
            return web.json_response(
                {"error": refusal.code, "message": text}, status=refusal.status
            )

        return guarded

    def _answering(self, handler: Handler, name: str) -> Handler:
        """Bad input becomes a JSON answer in the team's language; a failure is
        logged by kind and place only, never with what was sent."""

        async def answer(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except WebError as error:
                log.info("web: %s refused: %s (%d)", name, error.code, error.status)
                language = await self._language(request)
                text = error_text(language, error.code, **error.params)
                return web.json_response(
                    {"error": error.code, "message": text}, status=error.status
                )
            except SQLAlchemyError as error:
                # Its text can hold a statement's parameters, i.e. someone's words.
                log.error("web: %s: database error %s", name, type(error).__name__)
                return self._failure("unavailable", 503)
            except web.HTTPException:
                raise
            except Exception as error:
                log_failure(log, f"web: {name} failed", error)
                return self._failure("internal", 500)

        return answer

    def _failure(self, code: str, status: int) -> web.Response:
        # The team's language would need the database that may just have failed.
        language = language_of(self.room.runtime.settings.language)
        text = error_text(language, code)
        return web.json_response({"error": code, "message": text}, status=status)

    async def _language(self, request: web.Request) -> Language:
        try:
            channel = channel_of(request)
        except WebError:
            return language_of(self.room.runtime.settings.language)
        return await self.inbound.language(place(channel))


def _local_port(request: web.Request) -> int | str:
    """The port this request reached (not the Host header's, which may lie)."""
    address = request.transport.get_extra_info("sockname") if request.transport else None
    return address[1] if isinstance(address, tuple) else "3978"


async def _send(response: web.StreamResponse, revision: int) -> None:
    data = json.dumps({"revision": revision})
    await response.write(f"id: {revision}\nevent: changed\ndata: {data}\n\n".encode())


def _file(path: Path) -> web.StreamResponse:
    headers = {**_HEADERS, "Content-Type": f"{_TYPES[path.suffix]}; charset=utf-8"}
    return web.FileResponse(path, headers=headers)
