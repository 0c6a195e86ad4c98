"""What GET /metrics shows, in Prometheus terms.

Labels hold only names we chose (a command's kind, an outcome, a platform, an
error code): never content, never a user, channel or round id, so a scrape
says how the bot is doing and nothing about who said what. Each Metrics owns
its registry, so two servers in one process (the tests) do not share counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

import storage

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# From a loopback fake's few milliseconds to a platform that takes seconds.
_SEND_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_ACTIVE = ("gathering", "running", "paused")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._commands = Counter(
            "dialoog_commands",
            "Commands handled, by kind and outcome (accepted, refused, replayed).",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self._send_seconds = Histogram(
            "dialoog_send_seconds",
            "Time to deliver one outbox message to its platform, retries in place included.",
            ["platform"],
            buckets=_SEND_BUCKETS,
            registry=self.registry,
        )
        self._send_failures = Counter(
            "dialoog_send_failures",
            "Sends that failed, by platform and error code (retried later or not).",
            ["platform", "code"],
            registry=self.registry,
        )
        self._scheduler_runs = Counter(
            "dialoog_scheduler_runs",
            "Passes of the scheduler over the planned rounds, by outcome.",
            ["outcome"],
            registry=self.registry,
        )

    def command(self, kind: str, outcome: str) -> None:
        self._commands.labels(kind=kind, outcome=outcome).inc()

    def sent(self, platform: str, seconds: float) -> None:
        self._send_seconds.labels(platform=platform).observe(seconds)

    def failed(self, platform: str, code: str) -> None:
        self._send_failures.labels(platform=platform, code=code).inc()

    def scheduler_run(self, outcome: str) -> None:
        self._scheduler_runs.labels(outcome=outcome).inc()

    def watch_database(self, sessions: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        """Read the outbox and the rounds at every scrape (counts only)."""
        self.registry.register(_DatabaseCollector(sessions, now))

    def exposition(self) -> bytes:
        """The text a scrape gets; reads the database, so run it off the event loop."""
        return generate_latest(self.registry)


class _DatabaseCollector(Collector):
    def __init__(self, sessions: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._now = now

    def describe(self) -> list[GaugeMetricFamily]:
        # Described without reading: registering must not need the database.
        return list(self._families(0, 0.0, 0))

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self._sessions() as session:
            depth, oldest = storage.queue_depth(session)
            active = storage.count_rounds(session, statuses=_ACTIVE)
        age = (self._now() - oldest).total_seconds() if oldest is not None else 0.0
        yield from self._families(depth, max(age, 0.0), active)

    @staticmethod
    def _families(depth: int, age: float, active: int) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "dialoog_outbox_depth", "Messages waiting to be sent or being sent.", value=depth
        )
        yield GaugeMetricFamily(
            "dialoog_outbox_oldest_age_seconds",
            "How long the oldest message waiting to be sent has waited.",
            value=age,
        )
        yield GaugeMetricFamily(
            "dialoog_rounds_active", "Rounds gathering, running or paused.", value=active
        )
