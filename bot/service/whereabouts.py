"""Where a round lives: the one answer to "does this round belong to this place", and
to "which round's thread is this line in"."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.service.places import Place
from bot.service.states import Lru

# Rounds whose place each replica keeps (a few hundred bytes each).
PLACES_KEPT = 4096


class Whereabouts:
    """The channel each round was started in, remembered.

    A round never moves: its team is fixed when it is started, and so are the
    team's channel and workspace ids (the platform's). So a replica may keep the
    answer without asking the database again; only a round that is gone (erased
    with its team) can make a kept answer wrong, and the command's own
    transaction finds that out and says `forget`.
    """

    def __init__(self, sessions: sessionmaker[Session], *, size: int = PLACES_KEPT) -> None:
        self.sessions = sessions
        self._places: Lru[str, Place] = Lru(size)

    def home_of(self, round_id: str) -> Place | None:
        """The channel a round was started in; None for a round that does not exist.
        (Without the channel's name: no answer needs it.)"""
        home = self._places.get(round_id)
        if home is not None:
            return home
        with self.sessions() as session:
            at = storage.teams.place_of_round(session, round_id)
        if at is None:
            return None
        home = Place(*at)
        self._places.put(round_id, home)
        return home

    def forget(self, round_id: str) -> None:
        """The round is gone: do not answer for it from memory any more."""
        self._places.pop(round_id)


def belongs(home: Place, place: Place, *, private: bool = False) -> bool:
    """Whether a round at `home` may be acted on from `place`: its own channel, or
    (`private`) a person's own conversation with the bot in the same workspace."""
    if (home.platform, home.workspace) != (place.platform, place.workspace):
        return False
    return private or home.channel == place.channel


def round_under(sessions: sessionmaker[Session], place: Place, post: str) -> str | None:
    """The round whose card is the platform post `post` in this channel: the round a
    reply in that post's thread belongs to. A card in parts is stored by its first
    post (the thread hangs under it), the rest in `parts`."""
    posted = storage.PostedMessage
    with sessions() as session:
        return session.scalars(
            select(posted.round_id).where(
                posted.platform == place.platform,
                posted.channel == place.channel,
                posted.slot == "card",
                posted.external_id == post,
            )
        ).first()
