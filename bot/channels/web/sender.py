"""The web chat's Sender: the dispatcher delivers the bot's messages here, and
they land in the channel's durable timeline."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.web.hub import Hub
from bot.engine.messages import message_to_json
from bot.service import Clock, Delivery, RetryableSendError
from bot.service.purge import TakeBack
from storage.web_chat import WebPost, delete_web_message, post_web_message, update_web_message

log = logging.getLogger(__name__)


class WebSender:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock, hub: Hub) -> None:
        self.sessions = sessions
        self.clock = clock
        self.hub = hub

    async def deliver(self, delivery: Delivery) -> str | None:
        try:
            message_id, revision = await asyncio.to_thread(self._store, delivery)
        except OperationalError:
            # The database was busy or briefly away: the outbox tries again.
            raise RetryableSendError("web:database") from None
        self.hub.notify(delivery.channel, revision)
        return str(message_id)

    async def take_back(self, message: TakeBack) -> None:
        """The web chat's copy of a message is a row of ours: delete it (the purge
        deletes the round's rows as well; this one also serves a message without a round)."""
        if message.external_id.isdigit():
            await asyncio.to_thread(self._delete, int(message.external_id))

    def _delete(self, message_id: int) -> None:
        with self.sessions() as session, session.begin():
            delete_web_message(session, message_id)

    def _store(self, delivery: Delivery) -> tuple[int, int]:
        payload = message_to_json(delivery.message)
        now = self.clock.now()
        with self.sessions() as session, session.begin():
            if delivery.existing is not None and delivery.existing.isdigit():
                updated = update_web_message(session, int(delivery.existing), payload, now=now)
                if updated is not None:
                    return updated.id, updated.revision
                log.warning("web: message %s to update is gone; posting it anew", delivery.existing)
            posted = post_web_message(
                session,
                WebPost(
                    channel=delivery.channel,
                    payload=payload,
                    round_id=delivery.round_id,
                    audience=delivery.audience,
                    outbox_id=delivery.outbox_id,
                ),
                now=now,
            )
            return posted.id, posted.revision
