"""Two server processes on one database: what one of them remembers between clicks
must never hide what the other changed."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.chat import Chat
from bot.chat.inbound import NOT_HERE
from bot.service import Person, Place, RoundService
from protocols.loader import Library
from tests.fakes.clock import ManualClock

PLACE = Place("web", "local", "team-a")
ELSEWHERE = Place("web", "local", "team-b")
ANN, BOB = Person("ann", "Ann"), Person("bob", "Bob")


@pytest.fixture
def replicas(
    session_factory: sessionmaker[Session], library: Library, clock: ManualClock
) -> tuple[Chat, Chat]:
    return (
        Chat(RoundService(session_factory, library, clock)),
        Chat(RoundService(session_factory, library, clock)),
    )


def _live_round(chat: Chat) -> str:
    """A live round at its first step, led by Ann."""
    started = chat.command(PLACE, ANN, "start incident")
    assert started.round_id
    assert chat.click(PLACE, BOB, "join", "", {}, round_id=started.round_id).accepted
    assert chat.click(PLACE, ANN, "advance", "", {}, round_id=started.round_id).accepted
    return started.round_id


def test_a_click_is_answered_in_the_language_the_other_replica_set(
    replicas: tuple[Chat, Chat],
) -> None:
    one, other = replicas
    round_id = _live_round(one)
    # Bob may not steer: refused, in the team's language.
    refused = other.click(PLACE, BOB, "pause", "", {}, round_id=round_id)
    assert (refused.accepted, refused.language) == (False, "nl")
    assert one.command(PLACE, ANN, "taal en").accepted
    again = other.click(PLACE, BOB, "pause", "", {}, round_id=round_id)
    assert (again.accepted, again.language) == (False, "en")
    assert again.messages[0].text != refused.messages[0].text
    ok = other.click(PLACE, ANN, "pause", "", {}, round_id=round_id, key="k-pause")
    assert (ok.accepted, ok.language) == (True, "en")


def test_a_round_remembered_by_one_replica_is_still_refused_from_another_channel(
    replicas: tuple[Chat, Chat],
) -> None:
    one, other = replicas
    round_id = _live_round(one)
    assert other.click(PLACE, ANN, "pause", "", {}, round_id=round_id).accepted
    # Its place is remembered now; another channel of the workspace is still refused,
    # a person's own conversation with the bot is not.
    refused = other.click(ELSEWHERE, ANN, "resume", "", {}, round_id=round_id)
    assert (refused.accepted, refused.error_code) == (False, NOT_HERE)
    mine = other.click(ELSEWHERE, ANN, "resume", "", {}, round_id=round_id, private=True)
    assert mine.accepted
    made_up = other.click(PLACE, ANN, "pause", "", {}, round_id="0" * 32)
    assert (made_up.accepted, made_up.error_code) == (False, "no_round")
