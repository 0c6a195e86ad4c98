"""A fake Slack Web API on 127.0.0.1: records every call and answers like Slack.

Point SLACK_API_URL at `fake.api_url`. Methods answer as Slack does (`ok`,
`ts`, `channel`, ...); `fail(...)` makes the next matching calls answer with a
Slack error (and HTTP 429 with Retry-After for `ratelimited`), `delay(...)`
makes them slow. Like Slack, every call takes `latency` seconds, and
`limit(...)` sets a rate limit per method and workspace (the token's), or per
channel as Slack does for chat.postMessage: a call over it is answered 429
with the Retry-After Slack would name. `response_url(...)` gives a URL that records what the app
sends to a slash command's or click's response_url. For Socket Mode,
apps.connections.open hands out a WebSocket on this server; `push(...)` sends
an envelope over it and the app's acks are recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

Json = dict[str, Any]

TEAM = "T0DIALOOG"
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"


@dataclass
class Call:
    method: str
    args: Json
    token: str | None
    at: float = field(default_factory=time.monotonic)
    # What the fake answered (the body), and when, once it has.
    response: Json | None = None
    answered_at: float | None = None
    status: int = 200

    def blocks(self) -> list[Json]:
        raw = self.args.get("blocks") or []
        if isinstance(raw, str):
            raw = json.loads(raw)
        return list(raw)

    def text_of_blocks(self) -> str:
        """Every text in the call's blocks (and view), joined: what a person would read."""
        source: Any = self.blocks()
        if "view" in self.args:
            view = self.args["view"]
            source = json.loads(view) if isinstance(view, str) else view
        return "\n".join(_texts(source))


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                out.append(item)
            else:
                out += _texts(item)
        return out
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return []


@dataclass
class UploadedFile:
    """A file as Slack keeps it: announced, uploaded, then shared (or not yet)."""

    file_id: str
    filename: str
    length: int
    alt_txt: str
    content: bytes | None = None
    title: str = ""
    channel: str | None = None
    thread_ts: str | None = None
    initial_comment: str = ""


@dataclass
class _Failure:
    method: str
    error: str
    status: int
    retry_after: int | None
    times: int
    when: Callable[[Json], bool]


@dataclass
class _Limit:
    calls: int
    per: float
    per_channel: bool
    # When the calls within the window were made, per (token, channel) key.
    made: dict[tuple[str, str], deque[float]] = field(default_factory=dict)

    def retry_after(self, token: str, channel: str, now: float) -> int | None:
        """None when the call may go (and counts it); else Slack's Retry-After."""
        window = self.made.setdefault((token, channel if self.per_channel else ""), deque())
        while window and window[0] <= now - self.per:
            window.popleft()
        if len(window) < self.calls:
            window.append(now)
            return None
        return max(1, math.ceil(window[0] + self.per - now))


class FakeSlack:
    def __init__(self, *, latency: float = 0.0) -> None:
        # Seconds every Web API call takes, as the real Slack's do (about 0.1).
        self.latency = latency
        self.calls: list[Call] = []
        self._limits: dict[str, _Limit] = {}
        self.socket_acks: list[Json] = []
        # Per channel, the messages posted there (conversations.history reads them).
        self.history: dict[str, list[Json]] = {}
        self._failures: list[_Failure] = []
        self._delays: dict[str, float] = {}
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._changed = asyncio.Event()
        self.url = ""
        # The bot's messages that exist now, by (channel, ts), and those it deleted.
        self.messages: dict[tuple[str, str], Json] = {}
        self.deleted: list[tuple[str, str]] = []
        self._files = itertools.count(1)
        # Files by id, as files.getUploadURLExternal announced them and the upload filled them.
        self.files: dict[str, UploadedFile] = {}

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    # -- the server -----------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        # slack-sdk reads some methods (conversations.history) with GET.
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        sockets = site._server.sockets if site._server else []
        self.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- shaping the answers --------------------------------------------------------------

    def fail(
        self,
        method: str,
        error: str,
        *,
        times: int = 1,
        status: int | None = None,
        retry_after: int | None = None,
        when: Callable[[Json], bool] = lambda _args: True,
    ) -> None:
        """The next `times` calls of `method` matching `when` answer with `error`."""
        if status is None:
            status = 429 if error == "ratelimited" else 200
        self._failures.append(_Failure(method, error, status, retry_after, times, when))

    def delay(self, method: str, seconds: float) -> None:
        self._delays[method] = seconds

    def limit(self, method: str, *, calls: int, per: float, per_channel: bool = False) -> None:
        """At most `calls` calls of `method` in `per` seconds, per workspace (token)
        or per channel; more are refused with 429 and a Retry-After."""
        self._limits[method] = _Limit(calls, per, per_channel)

    def refused(self, method: str | None = None) -> list[Call]:
        """The calls that were answered 429 (rate limited)."""
        return [c for c in self.calls if c.status == 429 and (method is None or c.method == method)]

    def response_url(self, key: str) -> str:
        return f"{self.url}/respond/{key}"

    # -- reading what arrived -------------------------------------------------------------

    def calls_to(self, *methods: str) -> list[Call]:
        return [c for c in self.calls if c.method in methods]

    async def wait_for(
        self,
        predicate: Callable[[list[Call]], bool],
        *,
        timeout: float = 30.0,
        what: str = "the expected Slack calls",
    ) -> list[Call]:
        """Wait until the recorded calls satisfy `predicate`; fail with a summary if not."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if predicate(self.calls):
                    return self.calls
            except AssertionError:
                pass  # not there yet (e.g. no card posted so far)
            left = deadline - time.monotonic()
            if left <= 0:
                seen = [c.method for c in self.calls]
                raise AssertionError(f"timed out waiting for {what}; calls so far: {seen}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(left, 0.2))

    async def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no call has arrived for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        count = -1
        while time.monotonic() < deadline:
            if len(self.calls) == count:
                return
            count = len(self.calls)
            await asyncio.sleep(quiet)
        raise AssertionError("Slack calls kept coming")

    # -- handlers -------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        token = _token(request, args)
        call = Call(method, args, token)
        self._record(call)
        wait = self._delays.get(method, 0.0) + self.latency
        if wait:
            await asyncio.sleep(wait)
        call.answered_at = time.monotonic()
        limit = self._limits.get(method)
        retry_after = (
            limit.retry_after(token or "", str(args.get("channel", "")), call.answered_at)
            if limit
            else None
        )
        if retry_after is not None:
            call.status = 429
            call.response = {"ok": False, "error": "ratelimited"}
            return web.json_response(
                call.response, status=429, headers={"Retry-After": str(retry_after)}
            )
        for failure in self._failures:
            if failure.method == method and failure.times > 0 and failure.when(args):
                failure.times -= 1
                headers = {}
                if failure.retry_after is not None:
                    headers["Retry-After"] = str(failure.retry_after)
                call.response = {"ok": False, "error": failure.error}
                call.status = failure.status
                return web.json_response(call.response, status=failure.status, headers=headers)
        call.response = self._answer(method, args, token)
        return web.json_response(call.response)

    def _answer(self, method: str, args: Json, token: str | None) -> Json:
        if token is None and method not in ("oauth.v2.access",):
            return {"ok": False, "error": "not_authed"}
        match method:
            case "auth.test":
                return {
                    "ok": True,
                    "url": "https://dialoog-test.slack.com/",
                    "team": "Dialoog test",
                    "user": "dialoog",
                    "team_id": TEAM,
                    "user_id": BOT_USER,
                    "bot_id": BOT_ID,
                    "is_enterprise_install": False,
                }
            case "chat.postMessage":
                ts = self._next_ts()
                channel = str(args.get("channel", ""))
                message = {"type": "message", "ts": ts, "user": BOT_USER, "bot_id": BOT_ID}
                if args.get("thread_ts"):
                    message["thread_ts"] = args["thread_ts"]
                self.messages[(channel, ts)] = message
                # What the channel's history holds (with the metadata Slack keeps).
                kept = {**message, "text": args.get("text", ""), "metadata": args.get("metadata")}
                self.history.setdefault(channel, []).append(kept)
                return {"ok": True, "channel": channel, "ts": ts, "message": message}
            case "conversations.history":
                # Newest first, top-level messages; metadata only when asked for.
                with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
                messages = [
                    {k: v for k, v in m.items() if k != "metadata" or with_metadata}
                    for m in reversed(self.history.get(str(args.get("channel", "")), []))
                    if not m.get("thread_ts")
                ]
                return {"ok": True, "messages": messages[: int(args.get("limit") or 100)]}
            case "chat.update":
                return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
            case "chat.postEphemeral":
                return {"ok": True, "message_ts": self._next_ts()}
            case "chat.delete":
                # Slack deletes a message by channel and ts, and only one that exists:
                # the wrong channel, a ts never posted or one deleted already is
                # message_not_found. (A bot token cannot delete other people's messages,
                # cant_delete_message; every message here is the bot's own.)
                where = (str(args.get("channel", "")), str(args.get("ts", "")))
                if self.messages.pop(where, None) is None:
                    return {"ok": False, "error": "message_not_found"}
                self.deleted.append(where)
                kept = self.history.get(where[0], [])
                kept[:] = [m for m in kept if m.get("ts") != where[1]]
                return {"ok": True, "channel": where[0], "ts": where[1]}
            case "conversations.open":
                users = str(args.get("users", ""))
                return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}
            case "views.open" | "views.update" | "views.push":
                n = next(self._views)
                return {"ok": True, "view": {"id": f"V{n:04d}", "hash": f"h{n}"}}
            case "oauth.v2.access":
                return {
                    "ok": True,
                    "access_token": "xoxb-fake-installed-token-4242",
                    "token_type": "bot",
                    "scope": (
                        "commands,chat:write,im:write,channels:history,groups:history,files:write"
                    ),
                    "bot_user_id": BOT_USER,
                    "app_id": "A0DIALOOG",
                    "team": {"id": "T0SCHOOL", "name": "De Vlinder"},
                    "enterprise": None,
                    "is_enterprise_install": False,
                    "authed_user": {"id": "U0ADMIN"},
                }
            case "files.getUploadURLExternal":
                return self._announce(args)
            case "files.completeUploadExternal":
                return self._complete(args)
            case "apps.connections.open":
                return {"ok": True, "url": self.url.replace("http", "ws") + "/socket"}
        return {"ok": True}

    # -- file uploads: files.getUploadURLExternal, POST to its URL, completeUploadExternal --

    def _announce(self, args: Json) -> Json:
        filename = str(args.get("filename") or "")
        length = str(args.get("length") or "")
        if not filename or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._files):08d}"
        self.files[file_id] = UploadedFile(
            file_id, filename, int(length), str(args.get("alt_txt") or "")
        )
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        file = self.files.get(request.match_info["file_id"])
        # slack-sdk posts the file's bytes as the body, as Slack's upload URL takes them.
        body = await request.read()
        self._record(Call("upload", {"file_id": request.match_info["file_id"]}, None))
        if file is None:
            return web.Response(status=404, text="not found")
        if len(body) != file.length:
            return web.Response(status=400, text="length mismatch")
        file.content = body
        return web.Response(text=f"OK - {len(body)}")

    def _complete(self, args: Json) -> Json:
        raw = args.get("files")
        listed = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(listed, list) or not listed:
            return {"ok": False, "error": "invalid_arguments"}
        shared = []
        for entry in listed:
            file = self.files.get(str(entry.get("id")))
            if file is None:
                return {"ok": False, "error": "file_not_found"}
            if file.content is None:
                return {"ok": False, "error": "upload_not_complete"}
            file.title = str(entry.get("title") or file.filename)
            file.channel = args.get("channel_id") or None
            file.thread_ts = args.get("thread_ts") or None
            file.initial_comment = str(args.get("initial_comment") or "")
            shared.append({"id": file.file_id, "title": file.title, "name": file.filename})
        return {"ok": True, "files": shared}

    async def _respond(self, request: web.Request) -> web.Response:
        args = await request.json()
        self._record(Call("response_url", {"key": request.match_info["key"], **args}, None))
        if "response_url" in self._delays:
            await asyncio.sleep(self._delays["response_url"])
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        self._record(Call("socket.connected", {}, None))
        await ws.send_json({"type": "hello", "num_connections": 1})
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
                self._changed.set()
        self._sockets.remove(ws)
        return ws

    async def push(self, envelope: Json) -> None:
        """Send a Socket Mode envelope to the connected app."""
        if not self._sockets:
            raise AssertionError("no Socket Mode connection is open")
        await self._sockets[-1].send_json(envelope)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    def _next_ts(self) -> str:
        return f"1764000000.{next(self._ts):06d}"


async def _arguments(request: web.Request) -> Json:
    """The call's arguments, wherever slack-sdk put them: query, form or JSON body."""
    args: Json = dict(request.query)
    if request.content_type == "application/json":
        data = await request.json()
        return {**args, **data} if isinstance(data, dict) else args
    form = await request.post()
    for key, value in form.items():
        text = str(value)
        if key in ("blocks", "view", "attachments") and text.startswith(("[", "{")):
            args[key] = json.loads(text)
        else:
            args[key] = text
    return args


def _token(request: web.Request, args: Json) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ")
    token = args.get("token")
    return str(token) if token else None
