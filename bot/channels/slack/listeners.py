"""What happens when Slack calls: the slash command, clicks, modals, thread replies.

Each listener starts the work and acks once what the person wrote is committed
(`Stored`; Slack waits three seconds at most, the work takes milliseconds); the
answers to the person (private messages, a modal) go out after the ack. Every
delivery carries an idempotency key built from Slack's own ids, so a retried
delivery changes nothing: the chat layer says it was handled before
(`Reply.replayed`) and nothing more is sent. Everything goes through
bot.chat.inbound; this module only translates Slack's payloads and answers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import wire
from bot.channels.slack.blocks import (
    Submission,
    error_texts,
    read_submission,
    render_message,
    render_modal,
)
from bot.channels.slack.errors import slack_error_code
from bot.channels.slack.markup import plain
from bot.channels.slack.texts import TEXTS
from bot.chat import Chat, Reply
from bot.chat.background import Background
from bot.chat.inbound import Inbound
from bot.chat.stored import Stored
from bot.engine.actions import PART, FieldValue
from bot.engine.messages import ItemList, ListItem, Message, Paragraph
from bot.engine.vocabulary import FREE_TEXT_FIELDS, Action
from bot.failures import log_failure
from bot.i18n import Language, language_of, translate
from bot.service import Person, Place

log = logging.getLogger(__name__)

PLATFORM = "slack"
# Message subtypes that are someone writing in the thread; edits, joins, bots are not.
_WRITTEN = {None, "thread_broadcast", "file_share"}
Json = dict[str, Any]


class SlackListeners:
    def __init__(
        self,
        chat: Chat,
        background: Background,
        *,
        command_name: str = "/dialoog",
    ) -> None:
        self.inbound = Inbound(chat)
        self.background = background
        self.command_name = command_name

    def register(self, app: AsyncApp) -> None:
        # The most frequent first: Bolt matches listeners in this order.
        app.action(re.compile(f"^{wire.PREFIX}:"))(self.on_action)
        app.event("message")(self.on_message)
        app.command(self.command_name)(self.on_command)
        app.view_submission(wire.FORM_CALLBACK)(self.on_view)

    # -- the slash command ----------------------------------------------------------------

    async def on_command(
        self, ack: Callable[..., Awaitable[None]], command: Json, respond: AsyncRespond
    ) -> None:
        stored = Stored()
        self.background.spawn(
            self._command(command, respond, stored), kind="command", stored=stored
        )
        await stored.wait(channel=PLATFORM)
        await ack()

    async def _command(self, command: Json, respond: AsyncRespond, stored: Stored) -> None:
        trigger = command.get("trigger_id")
        key = f"slack:cmd:{trigger}" if trigger else None
        place = Place(
            PLATFORM,
            str(command.get("team_id", "")),
            str(command.get("channel_id", "")),
            str(command.get("channel_name", "")),
        )
        user = str(command.get("user_id", ""))
        person = Person(user, str(command.get("user_name") or user))
        try:
            reply = await self.inbound.command(place, person, str(command.get("text", "")), key=key)
        except Exception as error:
            await self._failed(
                respond, place, stored, f"slack: the command failed key={key}", error
            )
            return
        stored.mark()
        if _replayed(reply, key):
            return
        log.info(
            "slack: command team=%s channel=%s accepted=%s code=%s",
            place.workspace,
            place.channel,
            reply.accepted,
            reply.error_code,
        )
        await self._respond(respond, reply.messages, round_id=reply.round_id)

    # -- buttons ----------------------------------------------------------------------------

    async def on_action(
        self,
        ack: Callable[..., Awaitable[None]],
        body: Json,
        action: Json,
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        stored = Stored()
        work = self._click(body, action, respond, client, stored)
        self.background.spawn(work, kind="action", stored=stored)
        await stored.wait(channel=PLATFORM)
        await ack()

    async def _click(
        self,
        body: Json,
        action: Json,
        respond: AsyncRespond,
        client: AsyncWebClient,
        stored: Stored,
    ) -> None:
        try:
            name, round_id = wire.read_action(str(action["action_id"]), action.get("block_id"))
            user: Json = body["user"]
            channel = _channel_of(body)
            team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
            key = f"slack:act:{action['action_ts']}:{user['id']}"
            # A button in a person's modal (change or withdraw their own text): the
            # modal says which channel it belongs to, and it is the person's own.
            modal = _modal_of(body)
            channel = modal.channel if modal is not None else channel
        except (wire.WireError, KeyError, TypeError) as error:
            log.warning("slack: a click we cannot read: %s", type(error).__name__)
            return
        place = Place(PLATFORM, team, channel, str((body.get("channel") or {}).get("name", "")))
        person = Person(str(user["id"]), _name(user))
        if modal is not None:
            await self._modal_click(client, body, place, person, name, action, modal, key, stored)
            return
        value = str(action.get("value") or "")
        try:
            reply = await self.inbound.click(
                place,
                person,
                name,
                value,
                {},
                round_id=round_id,
                key=key,
                # Slack's direct message channels begin with D: a person's own.
                private=channel.startswith("D"),
            )
        except Exception as error:
            await self._failed(respond, place, stored, f"slack: a click failed key={key}", error)
            return
        stored.mark()
        if _replayed(reply, key):
            return
        log.info(
            "slack: click %s round=%s accepted=%s code=%s",
            name,
            round_id,
            reply.accepted,
            reply.error_code,
        )
        if reply.form is not None and reply.round_id is not None:
            await self._open_modal(client, body, reply, respond)
        if reply.accepted and (name == Action.START or reply.settles):
            # The choice of methods (or the guard's question) has served its purpose.
            await self._webhook(respond(delete_original=True))
        await self._respond(respond, reply.messages, round_id=reply.round_id or round_id)

    async def _open_modal(
        self, client: AsyncWebClient, body: Json, reply: Reply, respond: AsyncRespond
    ) -> None:
        assert reply.form is not None and reply.round_id is not None
        round_id = reply.round_id
        language = reply.language or self.inbound.chat.service.default_language
        channel = _channel_of(body)
        view = render_modal(reply.form, round_id=round_id, channel=channel, language=language)
        try:
            await client.views_open(trigger_id=str(body.get("trigger_id", "")), view=view)
        except SlackApiError as error:
            code = slack_error_code(error)
            log.warning("slack: the form for round %s did not open: %s", round_id, code)
            text = translate(TEXTS, "modal.failed", language, code=code)
            await self._respond(respond, [_plain(text)], round_id=None)

    async def _modal_click(
        self,
        client: AsyncWebClient,
        body: Json,
        place: Place,
        person: Person,
        name: str,
        action: Json,
        modal: wire.ModalMeta,
        key: str,
        stored: Stored,
    ) -> None:
        """A button in a modal has no response_url: answers go privately to the channel,
        and the modal itself shows what follows (the edit form, or the panel again)."""
        try:
            reply = await self.inbound.click(
                place,
                person,
                name,
                str(action.get("value") or ""),
                {},
                round_id=modal.round_id,
                key=key,
                private=True,
            )
        except Exception as error:
            stored.mark()
            log_failure(log, f"slack: a click in a modal failed key={key}", error)
            trouble = [await self._trouble(place)]
            await self._ephemeral(
                client, place.channel, person.user_id, trouble, None, place.workspace
            )
            return
        stored.mark()
        if _replayed(reply, key):
            return
        log.info("slack: modal click %s round=%s accepted=%s", name, modal.round_id, reply.accepted)
        shown = reply.form
        if shown is None and reply.accepted:
            shown = await self.inbound.run(
                self.inbound.chat.service.panel, modal.round_id, person.user_id
            )
        view = (body.get("view") or {}).get("id")
        if shown is not None and view:
            rendered = render_modal(
                shown,
                round_id=modal.round_id,
                channel=place.channel,
                language=language_of(modal.language),
            )
            try:
                await client.views_update(view_id=str(view), view=rendered)
            except SlackApiError as error:
                log.warning("slack: a modal did not update: %s", slack_error_code(error))
        await self._ephemeral(
            client, place.channel, person.user_id, reply.messages, modal.round_id, place.workspace
        )

    # -- modals -----------------------------------------------------------------------------

    async def on_view(
        self,
        ack: Callable[..., Awaitable[None]],
        body: Json,
        view: Json,
        client: AsyncWebClient,
    ) -> None:
        try:
            meta = wire.ModalMeta.decode(str(view.get("private_metadata", "")))
            values = view["state"]["values"]
            submission = read_submission(values, len(meta.forms))
        except (wire.WireError, KeyError, TypeError) as error:
            log.warning("slack: a form submission we cannot read: %s", type(error).__name__)
            await ack()
            return
        if submission.errors:
            # Still in the modal, with the person's text: say what is missing there.
            await ack(
                response_action="errors", errors=error_texts(submission.errors, meta.language)
            )
            return
        too_long = submission.too_long(meta.language)
        if too_long:
            await ack(response_action="errors", errors=too_long)
            return
        stored = Stored()
        work = self._submit(client, body, view, meta, submission, stored)
        self.background.spawn(work, kind="view", stored=stored)
        errors = await stored.wait(channel=PLATFORM)
        if errors:
            # Storing failed: the modal stays open with the person's text and says so.
            await ack(response_action="errors", errors=dict(errors))
            return
        await ack()

    async def _submit(
        self,
        client: AsyncWebClient,
        body: Json,
        view: Json,
        meta: wire.ModalMeta,
        submission: Submission,
        stored: Stored,
    ) -> None:
        user: Json = body.get("user") or {}
        team = str((body.get("team") or {}).get("id") or view.get("team_id") or "")
        place = Place(PLATFORM, team, meta.channel)
        person = Person(str(user.get("id", "")), _name(user))
        base = f"slack:view:{view.get('id', '')}:{view.get('hash', '')}" if view.get("id") else None
        language = language_of(meta.language)
        messages: list[Message] = []
        failed: dict[str, str] = {}
        for index, form in enumerate(meta.forms):
            fields = submission.filled.get(index)
            if fields is None:
                continue
            key = base if base is None or len(meta.forms) == 1 else f"{base}:{index}"
            try:
                reply = await self.inbound.click(
                    place,
                    person,
                    form.action,
                    form.value,
                    fields,
                    round_id=meta.round_id,
                    key=key,
                    # A modal is the person's own; the workspace is Slack's word.
                    private=True,
                )
            except Exception as error:
                log_failure(log, f"slack: a form submission failed key={key}", error)
                trouble = await self._trouble(place)
                block = submission.first_blocks.get(index)
                if block is not None:
                    failed[block] = trouble.text
                else:
                    messages.append(trouble)
                continue
            if _replayed(reply, key):
                continue
            log.info(
                "slack: form %s round=%s accepted=%s code=%s",
                form.action,
                meta.round_id,
                reply.accepted,
                reply.error_code,
            )
            block = submission.first_blocks.get(index)
            if not reply.accepted and reply.messages and block is not None:
                # Refused: the modal stays open with what was typed, and says why.
                failed[block] = _error_text(reply.messages[0].text)
                continue
            messages += reply.messages
            if not reply.accepted:
                messages += _written_back(fields, language)
        if failed and not stored.mark(failed):
            # The modal closed before we knew; the text goes back privately instead.
            messages += [_plain(text) for text in failed.values()]
            for index, fields in submission.filled.items():
                if submission.first_blocks.get(index) in failed:
                    messages += _written_back(fields, language)
        stored.mark()
        await self._ephemeral(
            client, place.channel, person.user_id, _unique(messages), meta.round_id, team
        )

    # -- replies in a round's thread --------------------------------------------------------

    async def on_message(
        self,
        ack: Callable[..., Awaitable[None]],
        body: Json,
        event: Json,
        client: AsyncWebClient,
    ) -> None:
        thread = event.get("thread_ts")
        if (
            not thread
            or thread == event.get("ts")
            or event.get("subtype") not in _WRITTEN
            or event.get("bot_id")
            or not event.get("user")
            or not str(event.get("text") or "").strip()
        ):
            await ack()
            return
        stored = Stored()
        work = self._thread_reply(client, body, event, stored)
        self.background.spawn(work, kind="thread", stored=stored)
        await stored.wait(channel=PLATFORM)
        await ack()

    async def _thread_reply(
        self, client: AsyncWebClient, body: Json, event: Json, stored: Stored
    ) -> None:
        channel = str(event.get("channel", ""))
        thread = str(event["thread_ts"])
        # The workspace the app is installed in (whose token answers), not the
        # writer's own workspace, which differs in a channel shared between them.
        team = str(body.get("team_id") or event.get("team") or "")
        place = Place(PLATFORM, team, channel)
        round_id = await self.inbound.round_of_thread(place, thread)
        if round_id is None:
            return
        event_id = body.get("event_id")
        key = f"slack:evt:{event_id}" if event_id else None
        user = str(event["user"])
        text = plain(str(event.get("text", ""))).strip()
        try:
            reply = await self.inbound.thread_message(
                place,
                Person(user, user),
                text,
                round_id=round_id,
                key=key,
            )
        except Exception as error:
            stored.mark()
            log_failure(log, f"slack: a thread reply failed key={key}", error)
            # Not saved: say so privately, with the text, so nothing is lost unnoticed.
            language = await self.inbound.language(place)
            lost = [await self._trouble(place), *_written_back({"text": text}, language)]
            await self._ephemeral(client, channel, user, lost, round_id, team, thread=thread)
            return
        stored.mark()
        if reply is None or _replayed(reply, key):
            return
        log.info(
            "slack: thread reply round=%s accepted=%s code=%s",
            round_id,
            reply.accepted,
            reply.error_code,
        )
        messages = list(reply.messages)
        await self._ephemeral(client, channel, user, messages, round_id, team, thread=thread)

    # -- answering privately ----------------------------------------------------------------

    async def _respond(
        self, respond: AsyncRespond, messages: Sequence[Message], *, round_id: str | None
    ) -> None:
        """Privately to the person, through the response_url of their command or click."""
        for message in messages:
            for chunk in render_message(message, round_id=round_id):
                await self._webhook(
                    respond(
                        text=chunk.text,
                        blocks=list(chunk.blocks),
                        response_type="ephemeral",
                        replace_original=False,
                    )
                )

    async def _webhook(self, call: Awaitable[Any]) -> None:
        try:
            response = await call
        except Exception as error:
            log.warning("slack: a private answer failed: %s", type(error).__name__)
            return
        status = getattr(response, "status_code", 200)
        if status != 200:
            log.warning("slack: a private answer was refused: http %s", status)

    async def _ephemeral(
        self,
        client: AsyncWebClient,
        channel: str,
        user: str,
        messages: Sequence[Message],
        round_id: str | None,
        team: str,
        *,
        thread: str | None = None,
    ) -> None:
        """Privately to the person, in the channel (or thread) where they are."""
        if not messages:
            return
        for message in messages:
            for chunk in render_message(message, round_id=round_id):
                try:
                    await client.chat_postEphemeral(
                        channel=channel,
                        user=user,
                        thread_ts=thread,
                        text=chunk.text,
                        blocks=list(chunk.blocks),
                    )
                except SlackApiError as error:
                    log.warning(
                        "slack: a private answer in team %s failed: %s",
                        team,
                        slack_error_code(error),
                    )
                    return

    # -- small things -----------------------------------------------------------------------

    async def _failed(
        self, respond: AsyncRespond, place: Place, stored: Stored, what: str, error: Exception
    ) -> None:
        """Nothing was stored: Slack may have its answer, the person hears of the trouble."""
        stored.mark()
        log_failure(log, what, error)
        await self._respond(respond, [await self._trouble(place)], round_id=None)

    async def _trouble(self, place: Place) -> Message:
        return _plain(translate(TEXTS, "trouble", await self.inbound.language(place)))


def _replayed(reply: Reply, key: str | None) -> bool:
    """A delivery handled before (Slack retried it): the person has had their answer."""
    if reply.replayed:
        log.info("slack: repeated delivery dropped key=%s", key)
    return reply.replayed


def _modal_of(body: Json) -> wire.ModalMeta | None:
    """The modal a click came from (its metadata), or None for a click on a message."""
    container = body.get("container") or {}
    view = body.get("view")
    if container.get("type") != "view" or not isinstance(view, dict):
        return None
    return wire.ModalMeta.decode(str(view.get("private_metadata", "")))


def _channel_of(body: Json) -> str:
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    return str(channel.get("id") or container.get("channel_id") or "")


def _name(user: Json) -> str:
    return str(user.get("username") or user.get("name") or user.get("id") or "")


def _plain(text: str) -> Message:
    return Message(text=text, blocks=(Paragraph(text),))


def _error_text(text: str) -> str:
    """A refusal as a modal's input error: plain text, without our light markup."""
    return text.replace("*", "").replace("`", "")


def _written_back(fields: Mapping[str, FieldValue], language: Language) -> list[Message]:
    """A refused form's texts, back to the person who wrote them, so nothing is lost."""
    texts = [
        v
        for k, v in fields.items()
        if k.partition(PART)[0] in FREE_TEXT_FIELDS and isinstance(v, str) and v
    ]
    if not texts:
        return []
    title = translate(TEXTS, "not_saved", language)
    items = tuple(ListItem(text) for text in texts)
    return [Message(text=title, blocks=(ItemList(title, items),))]


def _unique(messages: Iterable[Message]) -> list[Message]:
    seen: set[str] = set()
    out = []
    for message in messages:
        if message.text not in seen:
            seen.add(message.text)
            out.append(message)
    return out
