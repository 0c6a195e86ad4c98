"""Processed commands: a command delivered twice is handled once."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage import AlreadyProcessed, VersionConflict, find_processed, record_processed


def test_an_unknown_key_is_not_processed(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        assert find_processed(session, "teams:activity:1") is None


def test_the_outcome_round_trips(session_factory: sessionmaker[Session], round_id: str) -> None:
    outcome = {"events": [3, 4], "reply": "Bedankt, je vraag is genoteerd ✓"}
    with session_factory.begin() as session:
        record_processed(session, "slack:action:1.2", round_id=round_id, outcome=outcome)
    with session_factory() as session:
        found = find_processed(session, "slack:action:1.2")
        assert found is not None
        assert (found.round_id, found.outcome) == (round_id, outcome)
        assert found.created_at.tzinfo is not None


def test_recording_the_same_key_twice_raises_already_processed(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as session:
        record_processed(session, "k1", round_id=None, outcome={"refused": "not_your_turn"})
    with session_factory() as session:
        with pytest.raises(AlreadyProcessed):
            record_processed(session, "k1", round_id=None, outcome={"events": [1]})
        session.rollback()
    with session_factory() as session:
        found = find_processed(session, "k1")
        assert found is not None and found.outcome == {"refused": "not_your_turn"}


def test_already_processed_is_handled_like_a_version_conflict() -> None:
    assert issubclass(AlreadyProcessed, VersionConflict)


def test_a_processed_command_may_name_a_round_that_does_not_exist_yet(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as session:
        record_processed(session, "start:1", round_id="round-to-be", outcome={"events": [1]})
    with session_factory() as session:
        found = find_processed(session, "start:1")
        assert found is not None and found.round_id == "round-to-be"
