"""Fixtures for storage tests: a team to hang rounds on, a fixed clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Protocol

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage import create_round, get_or_create_team, get_or_create_tenant

NOW = datetime(2025, 3, 4, 15, 30, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def team_id(session_factory: sessionmaker[Session]) -> int:
    with session_factory.begin() as session:
        tenant = get_or_create_tenant(session, "slack", "T0001", name="De Vlinder")
        team = get_or_create_team(
            session,
            tenant.id,
            "C0001",
            name="intervisie-groep-3",
            language="nl",
            timezone="Europe/Amsterdam",
        )
        return team.id


class MakeRound(Protocol):
    def __call__(self, *, status: str = ..., deadline: datetime | None = ...) -> str: ...


@pytest.fixture
def make_round(session_factory: sessionmaker[Session], team_id: int) -> MakeRound:
    """Creates committed rounds at version 0 in the team; returns their ids."""

    def make(*, status: str = "running", deadline: datetime | None = None) -> str:
        round_id = str(uuid.uuid4())
        with session_factory.begin() as session:
            create_round(
                session,
                round_id=round_id,
                team_id=team_id,
                protocol_id="incident",
                protocol_version="1",
                protocol_snapshot={"id": "incident", "steps": [{"id": "kies-casus"}]},
                mode="live",
                status=status,
                started_by="U0001",
                now=NOW,
                deadline=deadline,
            )
        return round_id

    return make


@pytest.fixture
def round_id(make_round: MakeRound) -> str:
    return make_round()
