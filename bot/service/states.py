"""Folded round states kept between commands, trusted only at the version the
database shows, so a long round costs its new events, not its whole log.

Bounded twice: the 256 most recently used rounds at most, and only running ones."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

import storage
from bot.engine import events as ev
from bot.engine.state import RoundState, evolve, fold

ERASED = ev.ParticipantErased.model_fields["kind"].default


class StateCache:
    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._states: OrderedDict[str, RoundState] = OrderedDict()
        # Rounds whose cached state was folded after their content was purged.
        self._purged: set[str] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._states)

    def __contains__(self, round_id: object) -> bool:
        return round_id in self._states

    def load(
        self, session: Session, round_id: str, version: int, *, purged: bool = False
    ) -> RoundState:
        """The round's state at `version` (read from its locked or current row).

        A purge empties texts without adding events, so the version alone does not
        say a cached state is stale: once the row says purged, fold again, once."""
        with self._lock:
            cached = self._states.get(round_id)
            if purged and round_id not in self._purged:
                cached = None
                self._purged.add(round_id)
        if cached is not None and cached.version == version:
            return cached
        newer = (
            storage.load_events(session, round_id, after_seq=cached.version)
            if cached is not None and cached.version < version
            else None
        )
        if newer is None or any(row.kind == ERASED for row in newer):
            # No usable fold, or an erasure redacted the events it was made of.
            rows = storage.load_events(session, round_id)
            state = fold(ev.event_from_payload(r.payload) for r in rows)
        else:
            # Another process moved the round on: fold in what it added.
            assert cached is not None
            state = cached
            for row in newer:
                state = evolve(state, ev.event_from_payload(row.payload))
        self.keep(state)
        return state

    def keep(self, state: RoundState) -> None:
        """Remember a state; only ever a committed one. A finished round is let go:
        it is rarely asked about again, and 256 of them would be memory spent on the past."""
        with self._lock:
            if not state.active:
                self._states.pop(state.round_id, None)
                self._purged.discard(state.round_id)
                return
            self._states[state.round_id] = state
            self._states.move_to_end(state.round_id)
            while len(self._states) > self._size:
                evicted, _ = self._states.popitem(last=False)
                self._purged.discard(evicted)


_K = TypeVar("_K")
_V = TypeVar("_V")


class Lru(Generic[_K, _V]):
    """A small thread-safe map that forgets the least recently used beyond `size`."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[_K, _V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: _K) -> _V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def pop(self, key: _K) -> None:
        with self._lock:
            self._items.pop(key, None)

    def put(self, key: _K, value: _V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
