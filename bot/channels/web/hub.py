"""Live updates: tells every open tab of a channel that its timeline changed.

Only "revision N" travels here, never a message: each tab then asks for what
changed, as the colleague it acts as, so private messages stay private.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

# A tab that has not read its last notice needs only the newest one.
_CLOSED = -1


class Hub:
    def __init__(self, *, max_listeners: int = 200) -> None:
        self.max_listeners = max_listeners
        self._listeners: dict[str, set[asyncio.Queue[int]]] = {}
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def full(self) -> bool:
        """As many tabs listen as the hub serves."""
        return sum(len(queues) for queues in self._listeners.values()) >= self.max_listeners

    @contextmanager
    def listen(self, channel: str) -> Iterator[asyncio.Queue[int]]:
        """A queue of the channel's new revisions; -1 when the server shuts down."""
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
        if self._closed:
            queue.put_nowait(_CLOSED)
        self._listeners.setdefault(channel, set()).add(queue)
        try:
            yield queue
        finally:
            queues = self._listeners.get(channel, set())
            queues.discard(queue)
            if not queues:
                self._listeners.pop(channel, None)

    def notify(self, channel: str, revision: int) -> None:
        for queue in self._listeners.get(channel, ()):
            _replace(queue, revision)

    def close(self) -> None:
        """Let every stream end, so that the server stops without waiting for tabs."""
        self._closed = True
        for queues in self._listeners.values():
            for queue in queues:
                _replace(queue, _CLOSED)


def _replace(queue: asyncio.Queue[int], value: int) -> None:
    if queue.full():
        old = queue.get_nowait()
        if old == _CLOSED:
            value = _CLOSED
    queue.put_nowait(value)
