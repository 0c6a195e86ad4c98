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
from storage.web_chat import WebPost, post_web_message, update_web_message

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
