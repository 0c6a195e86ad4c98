"""Slack's side of the conversation: requests exactly as Slack sends them, signed.

Slack signs each request with the app's signing secret: the header
X-Slack-Signature is "v0=" + hex HMAC-SHA256 of "v0:{timestamp}:{body}", and
X-Slack-Request-Timestamp holds the timestamp. A person clicks what the fake
Web API recorded that the app posted: a button found on the card by its
label, a modal filled in by its labels.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

import aiohttp

from tests.fakes.slack_api import BOT_USER, TEAM, Call, FakeSlack

Json = dict[str, Any]

SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"
CHANNEL = "C0INTERVISIE"
CHANNEL_NAME = "intervisie-groep-3"


@dataclass(frozen=True)
class User:
    id: str
    name: str


ANN = User("U0ANN", "ann")
BOB = User("U0BOB", "bob")
CAS = User("U0CAS", "cas")
DEE = User("U0DEE", "dee")


def signature_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{ts}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Answer:
    status: int
    text: str


class Slack:
    """Posts to the app's /slack/events what Slack would, and reads the fake's records."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        server_url: str,
        api: FakeSlack,
        *,
        channel: str = CHANNEL,
        channel_name: str = CHANNEL_NAME,
    ) -> None:
        self.http = http
        self.url = f"{server_url}/slack/events"
        self.api = api
        self.channel = channel
        self.channel_name = channel_name
        self._ids = itertools.count(1)

    # -- raw requests ---------------------------------------------------------------------

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        signed: bool = True,
        secret: str = SIGNING_SECRET,
        timestamp: int | None = None,
    ) -> Answer:
        """POST a body; signed as Slack signs (with another secret or time if given)."""
        all_headers = {"Content-Type": content_type}
        if signed:
            all_headers.update(signature_headers(body, secret=secret, timestamp=timestamp))
        all_headers.update(headers or {})
        async with self.http.post(self.url, data=body.encode(), headers=all_headers) as response:
            return Answer(response.status, await response.text())

    async def post_form(self, fields: Json, **options: Any) -> Answer:
        return await self.post(urllib.parse.urlencode(fields), _FORM, **options)

    async def post_payload(self, payload: Json, **options: Any) -> Answer:
        return await self.post_form({"payload": json.dumps(payload)}, **options)

    async def post_event(self, event_body: Json, **options: Any) -> Answer:
        return await self.post(json.dumps(event_body), "application/json", **options)

    # -- what people do -------------------------------------------------------------------

    def command_body(self, user: User, text: str, *, channel: str | None = None) -> Json:
        n = next(self._ids)
        return {
            "token": "deprecated-verification-token",
            "team_id": TEAM,
            "team_domain": "dialoog-test",
            "channel_id": channel or self.channel,
            "channel_name": self.channel_name,
            "user_id": user.id,
            "user_name": user.name,
            "command": "/dialoog",
            "text": text,
            "api_app_id": "A0DIALOOG",
            "is_enterprise_install": "false",
            "response_url": self.api.response_url(f"cmd-{n}"),
            "trigger_id": f"1000{n}.4242.trigger{n}",
        }

    async def command(self, user: User, text: str, *, channel: str | None = None) -> Answer:
        return await self.post_form(self.command_body(user, text, channel=channel))

    def click_payload(
        self, user: User, button: Json, block_id: str, *, message_ts: str, channel: str
    ) -> Json:
        n = next(self._ids)
        return block_actions(
            user,
            button,
            block_id,
            message_ts=message_ts,
            channel=channel,
            channel_name=self.channel_name,
            response_url=self.api.response_url(f"act-{n}"),
            n=n,
        )

    async def click(self, user: User, label: str, *, on: Call | None = None) -> Answer:
        """Click the button with this label on the card (or on the given posted message)."""
        call = on or self.card()
        button, block_id = find_button(call, label)
        ts = card_ts(self.api) if on is None else str(call.args.get("ts") or "")
        channel = str(call.args.get("channel") or self.channel)
        return await self.post_payload(
            self.click_payload(user, button, block_id, message_ts=ts, channel=channel)
        )

    def submit_payload(self, user: User, view_call: Call, answers: Json) -> Json:
        view = dict(view_call.args["view"])
        n = next(self._ids)
        number = view_call_number(self.api, view_call)
        view.update(
            {
                "id": f"V{number:04d}",
                "team_id": TEAM,
                "hash": f"h{number}",
                "state": {"values": fill(view, answers)},
            }
        )
        return {
            "type": "view_submission",
            "team": {"id": TEAM, "domain": "dialoog-test"},
            "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": TEAM},
            "api_app_id": "A0DIALOOG",
            "token": "deprecated-verification-token",
            "trigger_id": f"3000{n}.4242.trigger{n}",
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }

    async def submit(self, user: User, view_call: Call, answers: Json) -> Answer:
        return await self.post_payload(self.submit_payload(user, view_call, answers))

    def message_event(
        self,
        user: User,
        text: str,
        *,
        thread_ts: str,
        event_id: str | None = None,
        markup: bool = False,
    ) -> Json:
        """A message event; the text is escaped as Slack escapes what people type,
        unless `markup` says it already holds Slack's markup (mentions, links)."""
        if not markup:
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        n = next(self._ids)
        ts = f"1764100{n:03d}.{n:06d}"
        return {
            "token": "deprecated-verification-token",
            "team_id": TEAM,
            "api_app_id": "A0DIALOOG",
            "event": {
                "type": "message",
                "channel": self.channel,
                "user": user.id,
                "text": text,
                "ts": ts,
                "thread_ts": thread_ts,
                "parent_user_id": BOT_USER,
                "channel_type": "channel",
                "event_ts": ts,
                "team": TEAM,
            },
            "type": "event_callback",
            "event_id": event_id or f"Ev{n:08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM,
                    "user_id": BOT_USER,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }

    async def reply_in_thread(
        self, user: User, text: str, *, markup: bool = False, **options: Any
    ) -> Answer:
        event = self.message_event(user, text, thread_ts=card_ts(self.api), markup=markup)
        return await self.post_event(event, **options)

    # -- what the app posted --------------------------------------------------------------

    def card(self) -> Call:
        """The card as it looks now: its post, or its latest update."""
        ts = card_ts(self.api)
        latest = None
        for call in self.api.calls:
            if (call.method == "chat.update" and call.args.get("ts") == ts) or (
                call.method == "chat.postMessage"
                and call.response
                and latest is None
                and call.response.get("ts") == ts
            ):
                latest = call
        assert latest is not None, "no card was posted"
        return latest

    async def modal(self, user: User, label: str, *, on: Call | None = None) -> Call:
        """Click a button that opens a form and return the views.open call it caused."""
        before = len(self.api.calls_to("views.open"))
        answer = await self.click(user, label, on=on)
        assert answer.status == 200
        calls = await self.api.wait_for(
            lambda calls: len([c for c in calls if c.method == "views.open"]) > before,
            what=f"a modal for {user.name}",
        )
        return [c for c in calls if c.method == "views.open"][-1]


_FORM = "application/x-www-form-urlencoded"


def block_actions(
    user: User,
    button: Json,
    block_id: str,
    *,
    message_ts: str,
    channel: str,
    channel_name: str,
    response_url: str,
    n: int,
) -> Json:
    """The payload of a click on a message's button, as Slack sends it (the n-th
    request of its sender: its ids are unique)."""
    return {
        "type": "block_actions",
        "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": TEAM},
        "api_app_id": "A0DIALOOG",
        "token": "deprecated-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": f"2000{n}.4242.trigger{n}",
        "team": {"id": TEAM, "domain": "dialoog-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": channel_name},
        "message": {"type": "message", "ts": message_ts, "user": BOT_USER},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": block_id,
                "text": button["text"],
                "value": button.get("value", ""),
                "action_ts": f"1764000{n:03d}.{n:06d}",
            }
        ],
    }


def card_ts(api: FakeSlack) -> str:
    """The ts of the first top-level post in the channel: the round card."""
    for call in api.calls:
        if (
            call.method == "chat.postMessage"
            and not call.args.get("thread_ts")
            and not str(call.args.get("channel", "")).startswith("D")
            and call.response
            and call.response.get("ok")
        ):
            return str(call.response["ts"])
    raise AssertionError("no card was posted")


def view_call_number(api: FakeSlack, view_call: Call) -> int:
    assert view_call.response is not None
    return int(str(view_call.response["view"]["id"]).removeprefix("V"))


def find_button(call: Call, label: str) -> tuple[Json, str]:
    labels = []
    for block in call.blocks():
        # A button beside a section's text (a folded recall's "Lees alles") counts too.
        elements = block.get("elements", []) if block.get("type") == "actions" else []
        accessory = block.get("accessory") if block.get("type") == "section" else None
        if accessory and accessory.get("type") == "button":
            elements = [accessory]
        for element in elements:
            text = element.get("text", {}).get("text", "")
            labels.append(text)
            if text == label or text.startswith(label):
                return element, str(block.get("block_id", ""))
    raise AssertionError(f"no button {label!r}; there are {labels}")


def fill(view: Json, answers: Json) -> Json:
    """view.state.values as Slack builds them when a person fills in the labelled inputs.

    Answers are keyed by an input's label (or its start). An answer is the text
    typed, the label of the option picked (or a list of labels), or a date
    "YYYY-MM-DD". When several inputs share a label, give
    a list of answers (one each, in order; None leaves one empty).
    """
    remaining = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
    values: Json = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        label = block["label"]["text"]
        element = block["element"]
        key = next((k for k in remaining if label == k or label.startswith(k)), None)
        answer = remaining.get(key) if key is not None else None
        if isinstance(answer, tuple | list) and element["type"] != "multi_static_select":
            answer = answer.pop(0) if answer else None
        values[block["block_id"]] = {element["action_id"]: _state(element, answer)}
    return values


def _state(element: Json, answer: Any) -> Json:
    kind = element["type"]
    if kind == "plain_text_input":
        return {"type": kind, "value": answer}
    if kind == "datepicker":
        return {"type": kind, "selected_date": answer or element.get("initial_date")}
    options = element.get("options", [])

    def option(label: str) -> Json:
        for o in options:
            if o["text"]["text"] == label or o["text"]["text"].startswith(label):
                return {"text": o["text"], "value": o["value"]}
        raise AssertionError(f"no option {label!r} in {[o['text']['text'] for o in options]}")

    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": option(answer) if answer else None}
    chosen = answer if isinstance(answer, list) else [answer] if answer else []
    return {"type": kind, "selected_options": [option(a) for a in chosen]}
