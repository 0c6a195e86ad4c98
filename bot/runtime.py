"""The wiring of one server process: database, protocols, service, chat, dispatcher."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.chat import Chat
from bot.chat.background import Background
from bot.config import ConfigError, Settings
from bot.database import engine_for
from bot.insights.desk import InsightsDesk, coordinators_of
from bot.scheduler.planner import Planner
from bot.service import Clock, Dispatcher, RoundService, Sender, SystemClock
from bot.service.metrics import Metrics
from bot.service.purge import Purger
from bot.service.uninstall import Uninstalls
from protocols.loader import Library, load_library

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    library: Library
    clock: Clock
    service: RoundService
    chat: Chat
    # What the channels call when a platform says the app was removed (or is back).
    uninstalls: Uninstalls
    # Each channel that is switched on adds its sender under its platform name.
    senders: dict[str, Sender] = field(default_factory=dict)
    dispatcher: Dispatcher | None = None
    # The work each channel does after answering its platform (see bot.chat.background).
    backgrounds: list[Background] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        """Whether a channel is still doing work it answered its platform for."""
        return any(background.busy for background in self.backgrounds)

    def start_dispatcher(self) -> Dispatcher:
        self.dispatcher = Dispatcher(
            self.sessions, self.senders, self.clock, metrics=self.service.metrics
        )
        return self.dispatcher

    def purger(self) -> Purger:
        """The retention and uninstall purge; it takes back messages through the senders."""
        return Purger(self.sessions, self.senders, self.clock, self.service.retention)


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, migrate: bool = True
) -> Runtime:
    """Everything a server needs; migrates the database first unless told not to."""
    engine = engine_for(settings)
    if migrate:
        result = storage.upgrade(engine)
        if result.changed:
            log.info("database migrated from %s to %s", result.before or "empty", result.after)
    school = Path(settings.protocols_dir) if settings.protocols_dir else None
    library = load_library(school)
    sessions = storage.make_session_factory(engine)
    clock = clock or SystemClock()
    metrics = Metrics()
    metrics.watch_database(sessions, clock.now)
    service = RoundService(
        sessions,
        library,
        clock,
        default_language=settings.language,
        default_timezone=settings.timezone.key,
        metrics=metrics,
        retention=retention_policy(settings),
    )
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        library=library,
        clock=clock,
        service=service,
        chat=Chat(
            service,
            planner=Planner(service, feed_base=_public_url(settings)),
            insights=InsightsDesk(
                service,
                public_url=_public_url(settings),
                coordinators=coordinators_of(settings.school_coordinators),
            ),
        ),
        uninstalls=Uninstalls(sessions, clock, grace=timedelta(days=settings.uninstall_grace_days)),
    )


def _public_url(settings: Settings) -> str:
    """The address people reach this server at, for links the bot shows."""
    return settings.public_url or f"http://{settings.host}:{settings.port}"


def retention_policy(settings: Settings) -> storage.retention.RetentionPolicy:
    try:
        return storage.retention.RetentionPolicy(
            default_days=settings.retention_days,
            min_days=settings.retention_min_days,
            max_days=settings.retention_max_days,
        )
    except ValueError as exc:
        raise ConfigError(
            "DIALOOG_RETENTION_MIN_DAYS <= DIALOOG_RETENTION_DAYS <= DIALOOG_RETENTION_MAX_DAYS "
            f"must hold: {exc}"
        ) from None
