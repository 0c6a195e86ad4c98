"""A contribution the pupil-name guard held back and its author never settled goes
with the round's content when the retention period ends."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.engine import commands as cmd
from bot.service import Dispatcher, RoundService
from bot.service.purge import Purger
from storage.models import PendingContribution
from tests.fakes.clock import ManualClock
from tests.privacy.conftest import POLICY
from tests.privacy.dumps import full_dump, holds
from tests.service.conftest import ANN, BOB, CAS, accepted, play_through, start

HELD = "Daan Willems uit 3B huilde"


async def test_an_unsettled_held_contribution_is_purged_with_its_round(
    service: RoundService,
    dispatcher: Dispatcher,
    purger: Purger,
    session_factory: sessionmaker[Session],
    engine: Engine,
    clock: ManualClock,
) -> None:
    round_id = start(service, "incident", BOB, CAS)
    accepted(service.handle(round_id, cmd.Advance(user=ANN.user_id)))
    accepted(service.handle(round_id, cmd.Advance(user=ANN.user_id)))
    command = cmd.Contribute(user=BOB.user_id, text=HELD, step_id="propose")
    assert accepted(service.hold(round_id, command)).held is not None
    play_through(service, round_id, clock)
    await dispatcher.run_once()
    count = select(func.count()).select_from(PendingContribution)
    with session_factory() as session:
        assert session.scalar(count) == 1

    clock.advance(days=POLICY.default_days + 400)
    assert (await purger.run_once()).rounds == 1
    with session_factory() as session:
        assert session.scalar(count) == 0
    assert not holds(full_dump(engine), HELD)
