"""Sends what the outbox holds to Slack: the card, the thread, direct messages.

The card (slot "card") is posted once at the top of the channel, which starts
the round's thread, and updated in place after that. Everything else for the
channel goes into that thread; a message for one person goes to them directly.
A message too long for one Slack message is sent as several; a card too long
keeps its buttons and first part in place and continues in the thread, in
messages that are themselves updated in place. The dispatcher records the parts
(`Posted`) and hands them back with the next update (`Delivery.existing_parts`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.channels.slack.blocks import SlackMessage, render_message
from bot.channels.slack.clients import WebClients
from bot.channels.slack.errors import CHANNEL_ERRORS, send_error, slack_error_code
from bot.channels.slack.texts import TEXTS
from bot.engine.messages import File
from bot.failures import log_failure
from bot.i18n import translate
from bot.service import Clock, Delivery, RetryableSendError, RoundService, SendError
from bot.service.dispatch import Posted
from bot.service.purge import TakeBack

log = logging.getLogger(__name__)

PLATFORM = "slack"
CARD = "card"
# The Slack message metadata of a round card, and how far back to look for one.
_CARD_EVENT = "dialoog_card"
_CARD_LOOK_BACK = 100
# What an emptied continuation of the card shows once the card is short again.
_EMPTIED = SlackMessage("…", ({"type": "context", "elements": [{"type": "mrkdwn", "text": "…"}]},))


def _card_metadata(round_id: str | None) -> dict[str, object] | None:
    if round_id is None:
        return None
    return {"event_type": _CARD_EVENT, "event_payload": {"round_id": round_id}}


class SlackSender:
    def __init__(
        self,
        clients: WebClients,
        sessions: sessionmaker[Session],
        service: RoundService,
        clock: Clock,
        *,
        command_name: str = "/dialoog",
    ) -> None:
        self.clients = clients
        self.sessions = sessions
        self.service = service
        self.clock = clock
        self.command_name = command_name
        self._dm_channels: dict[tuple[str, str], str] = {}
        # Files of a message already shared, so a retry does not share them again.
        self._uploaded: dict[int, set[int]] = {}
        # (round, code) pairs the facilitator has been told about.
        self._told: set[tuple[str, str]] = set()

    async def deliver(self, delivery: Delivery) -> Posted:
        # The ids of the parts posted or updated so far, first to last.
        done: list[str] = []
        try:
            return Posted(await self._send(delivery, done))
        except SendError as error:
            # What went out: the dispatcher records it, and a retry updates or skips it.
            error.posted = tuple(done)
            if not isinstance(error, RetryableSendError):
                # Not sent again: forget which files of it went out.
                self._uploaded.pop(delivery.outbox_id, None)
            raise

    async def _send(self, delivery: Delivery, done: list[str]) -> tuple[str, ...]:
        try:
            return await self._deliver(delivery, done)
        except SendError:
            raise
        except SlackApiError as error:
            code = slack_error_code(error)
            if code in CHANNEL_ERRORS and delivery.audience is None and delivery.round_id:
                await self._tell_facilitator(delivery, code)
            raise send_error(error) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            mapped = send_error(error)
            log.warning("slack: message %d: %s", delivery.outbox_id, mapped.code)
            raise mapped from None
        except Exception as error:
            # Our own mistake (a message we cannot render): sending again will not help.
            log_failure(log, f"slack: message {delivery.outbox_id} failed unexpectedly", error)
            raise send_error(error) from None

    async def _deliver(self, d: Delivery, done: list[str]) -> tuple[str, ...]:
        if d.slot is not None and d.audience is None:
            # The dispatcher read the posted ids after the round's previous message was recorded.
            client, updates = await self.clients.for_sending(d.workspace)
            chunks = render_message(d.message, round_id=d.round_id)
            await self._slot(client, updates, d, chunks, done)
            return tuple(done)
        client = await self.clients.for_team(d.workspace)
        chunks = render_message(d.message, round_id=d.round_id)
        files = [b for b in d.message.blocks if isinstance(b, File)]
        if d.audience is not None:
            channel = await self._dm_channel(client, d.workspace, d.audience)
            await self._upload(client, d, channel, files, thread=None)
            return await self._post_all(client, d, channel, chunks, done, thread=None)
        thread = d.thread
        if thread is None and d.round_id is not None:
            # The round's messages hang under its card, also after a crash during its post.
            thread = await self._card_after_crash(client, d, post=True)
        await self._upload(client, d, d.channel, files, thread=thread)
        return await self._post_all(client, d, d.channel, chunks, done, thread=thread)

    # -- the card and other messages updated in place -------------------------------------

    async def _slot(
        self,
        client: AsyncWebClient,
        updates: AsyncWebClient,
        d: Delivery,
        chunks: Sequence[SlackMessage],
        done: list[str],
    ) -> None:
        """Each part in place of the one posted before, else posted; parts left over
        from a longer version are emptied and kept, for the message to grow into."""
        assert d.slot is not None
        before = list(d.existing_parts)
        if not before and d.slot == CARD:
            found = await self._card_after_crash(client, d, post=False)
            before = [found] if found else []
        first, rest = chunks[0], chunks[1:]
        # The card starts the thread; another slot lives inside it.
        in_thread = None if d.slot == CARD else d.thread
        metadata = _card_metadata(d.round_id) if d.slot == CARD else None
        ts = await self._put(
            client,
            d.channel,
            first,
            existing=before[0] if before else None,
            thread=in_thread,
            metadata=metadata,
            updates=updates,
        )
        done.append(ts)
        if d.round_id is None:
            return
        for n, chunk in enumerate(rest, start=1):
            known = before[n] if n < len(before) else None
            done.append(
                await self._put(
                    client, d.channel, chunk, existing=known, thread=ts, updates=updates
                )
            )
        for known in before[len(chunks) :]:
            await self._put(client, d.channel, _EMPTIED, existing=known, thread=ts, updates=updates)
            done.append(known)

    async def _put(
        self,
        client: AsyncWebClient,
        channel: str,
        message: SlackMessage,
        *,
        existing: str | None,
        thread: str | None,
        metadata: dict[str, object] | None = None,
        updates: AsyncWebClient | None = None,
    ) -> str:
        """Update the message when it exists, else post it; its ts. `metadata` goes
        with a post (Slack message metadata), so the post can be found again.
        `updates`: the client for the update (kept-alive connections)."""
        if existing is not None:
            try:
                # The Web API call itself: chat_update would only look at every block
                # (dicts already) for a slack-sdk model to turn into one.
                await (updates or client).api_call(
                    "chat.update", json={"channel": channel, "ts": existing, **message.payload()}
                )
                return existing
            except SlackApiError as error:
                if slack_error_code(error) != "message_not_found":
                    raise
                # Someone deleted it: post it again rather than lose it.
                log.info("slack: a message to update was gone; posting it again")
        response = await client.chat_postMessage(
            channel=channel, thread_ts=thread, metadata=metadata, **message.payload()
        )
        return str(response["ts"])

    # -- the card after a crash during its first post ---------------------------------------

    async def _card_after_crash(
        self, client: AsyncWebClient, d: Delivery, *, post: bool
    ) -> str | None:
        """The round card's ts when a crash left its first post uncertain: found in the
        channel by its metadata, or (`post`) posted now from the round's state, so that
        the round keeps one card and its thread hangs under it. None otherwise."""
        assert d.round_id is not None
        if not await asyncio.to_thread(self._card_uncertain, d.round_id):
            return None
        ts = await self._find_card(client, d.channel, d.round_id)
        if ts is None and post:
            card = await asyncio.to_thread(self.service.card, d.round_id)
            if card is not None:
                first = render_message(card, round_id=d.round_id)[0]
                metadata = _card_metadata(d.round_id)
                ts = await self._put(
                    client, d.channel, first, existing=None, thread=None, metadata=metadata
                )
        if ts is not None:
            await asyncio.to_thread(self._record, d, CARD, ts)
            log.info("slack: round %s: its card after a crash is %s", d.round_id, ts)
        return ts

    async def _find_card(self, client: AsyncWebClient, channel: str, round_id: str) -> str | None:
        try:
            response = await client.conversations_history(
                channel=channel, limit=_CARD_LOOK_BACK, include_all_metadata=True
            )
        except SlackApiError as error:
            log.warning("slack: cannot look for a card in the channel: %s", slack_error_code(error))
            return None
        for message in response.get("messages") or []:
            meta = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == _CARD_EVENT and payload.get("round_id") == round_id:
                return str(message["ts"])
        return None

    def _card_uncertain(self, round_id: str) -> bool:
        with self.sessions() as session:
            return storage.outbox.slot_uncertain(session, round_id, CARD)

    # -- everything else -----------------------------------------------------------------

    async def _post_all(
        self,
        client: AsyncWebClient,
        d: Delivery,
        channel: str,
        chunks: Sequence[SlackMessage],
        done: list[str],
        *,
        thread: str | None,
    ) -> tuple[str, ...]:
        """Post the parts an earlier try did not get out (`existing_parts`)."""
        done.extend(d.existing_parts)
        for chunk in chunks[len(done) :]:
            response = await client.chat_postMessage(
                channel=channel, thread_ts=thread, **chunk.payload()
            )
            done.append(str(response["ts"]))
        self._uploaded.pop(d.outbox_id, None)
        # Every part's ts, so that the retention purge can take them all back.
        return tuple(done)

    async def _upload(
        self,
        client: AsyncWebClient,
        d: Delivery,
        channel: str,
        files: Sequence[File],
        *,
        thread: str | None,
    ) -> None:
        """Share the message's files in the channel first, its text after them.

        files_upload_v2 is files.getUploadURLExternal, the upload, then
        files.completeUploadExternal: scope files:write alone (it no longer
        calls files.info, which would need files:read). An upload done before a
        failed post counts as a part already sent, so a retry does not repeat it.
        """
        done = self._uploaded.setdefault(d.outbox_id, set())
        for n, file in enumerate(files):
            if n in done:
                continue
            await client.files_upload_v2(
                channel=channel,
                thread_ts=thread,
                file=file.content(),
                filename=file.name,
                title=file.alt or file.name,
                alt_txt=file.alt or None,
            )
            done.add(n)

    async def _dm_channel(self, client: AsyncWebClient, workspace: str, user: str) -> str:
        key = (workspace, user)
        if key not in self._dm_channels:
            response = await client.conversations_open(users=user)
            channel: Any = response["channel"]
            self._dm_channels[key] = str(channel["id"])
        return self._dm_channels[key]

    # -- taking back what the bot posted (retention) -------------------------------------

    async def take_back(self, message: TakeBack) -> None:
        """Delete one of the bot's messages (chat.delete); one that is gone already
        counts as deleted. Slack lets a bot token delete the bot's own messages only."""
        try:
            client = await self.clients.for_team(message.workspace)
            channel = message.conversation or message.channel
            if message.audience is not None:
                channel = await self._dm_channel(client, message.workspace, message.audience)
            await client.chat_delete(channel=channel, ts=message.external_id)
        except SendError:
            raise
        except SlackApiError as error:
            if slack_error_code(error) == "message_not_found":
                return
            raise send_error(error) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise send_error(error) from None

    # -- telling someone when the channel refuses us ------------------------------------

    async def _tell_facilitator(self, d: Delivery, code: str) -> None:
        """Slack refused the channel: tell the round's facilitator, once, directly."""
        assert d.round_id is not None
        if (d.round_id, code) in self._told:
            return
        self._told.add((d.round_id, code))
        state = await asyncio.to_thread(self.service.round, d.round_id)
        if state is None:
            return
        key = "cannot_post_archived" if code == "is_archived" else "cannot_post"
        # Our own sentence, in mrkdwn already: <#C…> shows as a link to the channel.
        text = translate(
            TEXTS, key, state.language, channel=d.channel, code=code, cmd=self.command_name
        )
        section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
        try:
            client = await self.clients.for_team(d.workspace)
            channel = await self._dm_channel(client, d.workspace, state.started_by)
            await client.chat_postMessage(channel=channel, text=text, blocks=[section])
            log.info("slack: told the facilitator of round %s about %s", d.round_id, code)
        except (SlackApiError, SendError) as error:
            reason = slack_error_code(error) if isinstance(error, SlackApiError) else error.code
            log.warning("slack: could not tell round %s's facilitator: %s", d.round_id, reason)

    # -- the database side ---------------------------------------------------------------

    def _record(self, d: Delivery, slot: str, ts: str) -> None:
        assert d.round_id is not None
        with self.sessions() as session, session.begin():
            storage.record_posted(
                session,
                round_id=d.round_id,
                slot=slot,
                platform=PLATFORM,
                channel=d.channel,
                external_id=ts,
                now=self.clock.now(),
            )
