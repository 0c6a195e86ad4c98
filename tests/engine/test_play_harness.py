"""The test harness itself: `Play.refuse` fails when a refusal changed anything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.engine import DomainError, RoundState
from bot.engine import commands as cmd
from tests.engine import conftest
from tests.engine.conftest import Play, protocol, step


def test_refuse_passes_when_the_round_refuses_and_nothing_changed() -> None:
    play = Play(protocol(step("cases", "collect", ["advisor"])))
    error = play.refuse(cmd.Contribute(user="zed", text="Ik doe niet mee"))
    assert isinstance(error, DomainError)


def test_refuse_fails_when_a_refusal_changed_the_state(monkeypatch: pytest.MonkeyPatch) -> None:
    play = Play(protocol(step("cases", "collect", ["advisor"])))

    def careless(state: RoundState, command: Any, now: datetime) -> Any:
        state.participants["zed"] = "Zed"  # a half-done change on the way to a refusal
        raise DomainError("not_joined")

    monkeypatch.setattr(conftest, "decide", careless)
    with pytest.raises(AssertionError, match="a refused command changed the state"):
        play.refuse(cmd.Contribute(user="zed", text="Ik doe niet mee"))
