"""A fake Bot Connector service (the Teams side of the Bot Framework REST API) on
127.0.0.1: it records what the bot posts, updates and deletes and the personal
chats it opens, answers with ids like the real one, and fails on cue.

Point an activity's serviceUrl at `connector.url` and the bot's answers land here.
It also serves a Bot Framework OpenID document and signing keys (`/openid/...`),
so tests can sign tokens the bot must accept.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# Teams' message ids are millisecond timestamps.
_FIRST_ID = 1_764_000_000_000


@dataclass
class Posted:
    conversation: str  # as addressed: a channel's thread carries ";messageid=<root>"
    id: str
    activity: dict[str, Any]
    reply_to: str | None = None


@dataclass
class Updated:
    conversation: str
    id: str
    activity: dict[str, Any]


@dataclass
class Request:
    method: str
    kind: str  # post, update, delete, create
    conversation: str | None
    authorization: str | None
    status: int


@dataclass
class _Failure:
    kind: str | None
    status: int
    times: int
    retry_after: str | None
    conversation: str | None
    code: str


@dataclass
class FakeConnector:
    url: str = ""
    posted: list[Posted] = field(default_factory=list)
    updated: list[Updated] = field(default_factory=list)
    deleted: list[tuple[str, str]] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    # Teams ids ("29:...") of people Teams will not open a personal chat with.
    unreachable: set[str] = field(default_factory=set)
    # The JSON Web Key Set served at /openid/keys, and how often it was asked for.
    keys: list[dict[str, Any]] = field(default_factory=list)
    openid_requests: int = 0
    # Seconds every conversation call waits before answering (a slow Teams), and
    # every signing keys request (an unreachable key service).
    delay: float = 0.0
    keys_delay: float = 0.0
    # Calls being answered right now.
    in_flight: int = 0
    _failures: list[_Failure] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(_FIRST_ID))
    _personal: dict[str, str] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    # -- cues -----------------------------------------------------------------------------

    def fail(
        self,
        kind: str | None,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        conversation: str | None = None,
        code: str = "",
    ) -> None:
        """Answer the next `times` calls of `kind` (post, update, delete, create; None:
        any) with `status`, optionally only for one conversation."""
        default = {403: "BotNotInConversationRoster", 404: "ConversationNotFound"}
        self._failures.append(
            _Failure(
                kind,
                status,
                times,
                retry_after,
                conversation,
                code or default.get(status, "ServiceError"),
            )
        )

    # -- reading what arrived -------------------------------------------------------------------

    def in_conversation(self, conversation: str) -> list[Posted]:
        """Posts addressed to a conversation (exactly, thread suffix included)."""
        return [p for p in self.posted if p.conversation == conversation]

    def current(self, activity_id: str) -> dict[str, Any]:
        """A posted activity as it looks now, after any updates."""
        latest = next(p.activity for p in self.posted if p.id == activity_id)
        for update in self.updated:
            if update.id == activity_id:
                latest = update.activity
        return latest

    async def wait_for(
        self, condition: Callable[[], Any], *, timeout: float = 10.0, what: str = "it"
    ) -> Any:
        """Wait until `condition()` is truthy (checked on every request); returns its value."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            result = condition()
            if result:
                return result
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError(f"the fake connector never saw {what}")
            self.changed.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout=min(left, 0.2))

    # -- the service ----------------------------------------------------------------------------

    def app(self) -> web.Application:
        @web.middleware
        async def counting(request: web.Request, handler: Any) -> web.StreamResponse:
            self.in_flight += 1
            try:
                response: web.StreamResponse = await handler(request)
                return response
            finally:
                self.in_flight -= 1
                self.changed.set()

        app = web.Application(middlewares=[counting])
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{id}", self._update)
        app.router.add_delete("/v3/conversations/{conversation}/activities/{id}", self._delete)
        app.router.add_get("/openid/.well-known/openid-configuration", self._openid)
        app.router.add_get("/openid/keys", self._keys)
        return app

    def _failure(
        self, request: web.Request, kind: str, conversation: str | None
    ) -> web.Response | None:
        for failure in self._failures:
            if failure.kind not in (None, kind) or failure.times <= 0:
                continue
            if failure.conversation is not None and failure.conversation != conversation:
                continue
            failure.times -= 1
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            body = {"error": {"code": failure.code, "message": "fake connector failure"}}
            return web.json_response(body, status=failure.status, headers=headers)
        return None

    def _record(
        self, request: web.Request, kind: str, conversation: str | None, status: int
    ) -> None:
        self.requests.append(
            Request(
                request.method,
                kind,
                conversation,
                request.headers.get("Authorization"),
                status,
            )
        )
        self.changed.set()

    async def _post(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        conversation = request.match_info["conversation"]
        body = await request.json()
        refused = self._failure(request, "post", conversation) or await _too_big(request)
        if refused is not None:
            self._record(request, "post", conversation, refused.status)
            return refused
        activity_id = str(next(self._ids))
        reply_to = request.match_info.get("reply_to")
        if body.get("type") == "message":
            self.posted.append(Posted(conversation, activity_id, body, reply_to))
        self._record(request, "post", conversation, 201)
        return web.json_response({"id": activity_id}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        conversation = request.match_info["conversation"]
        activity_id = request.match_info["id"]
        body = await request.json()
        refused = self._failure(request, "update", conversation)
        if refused is None and not any(p.id == activity_id for p in self.posted):
            refused = web.json_response({"error": {"code": "NotFound"}}, status=404)
        if refused is not None:
            self._record(request, "update", conversation, refused.status)
            return refused
        self.updated.append(Updated(conversation, activity_id, body))
        self._record(request, "update", conversation, 200)
        return web.json_response({"id": activity_id})

    async def _delete(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        conversation = request.match_info["conversation"]
        activity_id = request.match_info["id"]
        refused = self._failure(request, "delete", conversation)
        # Like the real service: only an activity that exists (posted, not deleted yet).
        gone = {deleted for _, deleted in self.deleted}
        if refused is None and (
            activity_id in gone or not any(p.id == activity_id for p in self.posted)
        ):
            refused = web.json_response({"error": {"code": "NotFound"}}, status=404)
        if refused is not None:
            self._record(request, "delete", conversation, refused.status)
            return refused
        self.deleted.append((conversation, activity_id))
        self._record(request, "delete", conversation, 200)
        return web.Response(status=200)

    async def _create(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        body = await request.json()
        members = body.get("members") or []
        user = members[0].get("id") if members else None
        refused = self._failure(request, "create", None)
        if refused is None and (user is None or user in self.unreachable or body.get("isGroup")):
            refused = web.json_response(
                {"error": {"code": "Forbidden", "message": "fake: cannot start a chat"}},
                status=403,
            )
        if refused is not None:
            self._record(request, "create", None, refused.status)
            return refused
        self.created.append(body)
        conversation = self._personal.setdefault(user, f"a:personal-{len(self._personal) + 1}")
        self._record(request, "create", conversation, 201)
        return web.json_response({"id": conversation}, status=201)

    async def _openid(self, request: web.Request) -> web.Response:
        self.openid_requests += 1
        await asyncio.sleep(self.keys_delay)
        base = f"{request.url.scheme}://{request.url.host}:{request.url.port}"
        return web.json_response(
            {"issuer": "https://api.botframework.com", "jwks_uri": f"{base}/openid/keys"}
        )

    async def _keys(self, _request: web.Request) -> web.Response:
        self.openid_requests += 1
        return web.Response(text=json.dumps({"keys": self.keys}), content_type="application/json")

    def personal_chat_of(self, teams_id: str) -> str | None:
        return self._personal.get(teams_id)


@asynccontextmanager
async def running_connector(connector: FakeConnector | None = None) -> AsyncIterator[FakeConnector]:
    """The fake (or the given one) on 127.0.0.1 at a free port; `connector.url` is its
    service URL."""
    connector = connector or FakeConnector()
    # Do not wait for a deliberately slow answer when the test is over.
    runner = web.AppRunner(connector.app(), shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    sockets = site._server.sockets if site._server else []
    connector.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/"
    try:
        yield connector
    finally:
        await runner.cleanup()


# Teams refuses a message above about 28 KB with 413 MessageSizeTooBig.
MAX_MESSAGE_BYTES = 28 * 1024


async def _too_big(request: web.Request) -> web.Response | None:
    if len(await request.read()) <= MAX_MESSAGE_BYTES:
        return None
    error = {"error": {"code": "MessageSizeTooBig", "message": "Message size too big"}}
    return web.json_response(error, status=413)


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    """The Adaptive Card an activity carries."""
    attachments = activity.get("attachments") or []
    assert attachments, "the activity carries no card"
    content: dict[str, Any] = attachments[0]["content"]
    return content


def texts_of(activity: dict[str, Any]) -> list[str]:
    """Every text on an activity's card, in order (text blocks, facts, inputs' labels)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(node["text"])
            if node.get("type") == "FactSet":
                found.extend(f"{f['title']}: {f['value']}" for f in node["facts"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card_of(activity).get("body"))
    return found


def buttons_of(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Action.Submit on an activity's card: {"title", "data", "inputs"}."""
    found: list[dict[str, Any]] = []
    inputs: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input."):
                inputs.append(node)
            if node.get("type") == "Action.Submit":
                found.append({"title": node["title"], "data": node["data"], "inputs": inputs})
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card_of(activity).get("body"))
    return found
