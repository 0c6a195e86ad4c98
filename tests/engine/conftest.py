"""A round driven by commands, with a clock the test moves."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.engine import DomainError, RoundState, decide, fold
from bot.engine import commands as cmd
from bot.engine import events as ev
from protocols.loader import Library

T0 = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)
PEOPLE = {"ann": "Ann", "bob": "Bob", "cas": "Cas", "dee": "Dee"}


class Play:
    """A round under test: `do` a command, `refuse` one, read `state`."""

    def __init__(self, protocol: dict[str, Any], *, mode: str = "live", **start: Any) -> None:
        self.now = T0
        self.log: list[ev.Event] = []
        self.state: RoundState | None = None
        self.do(
            cmd.StartRound(
                round_id="r1", protocol=protocol, mode=mode, user="ann", name="Ann", **start
            )
        )

    @property
    def s(self) -> RoundState:
        assert self.state is not None
        return self.state

    def do(self, command: cmd.Command) -> list[ev.Event]:
        self.now += timedelta(seconds=10)
        events = decide(self.state, command, self.now)
        self.log += events
        self.state = fold(self.log)
        return events

    def refuse(self, command: cmd.Command) -> DomainError:
        """The round refuses `command`, and nothing changed: decide may not touch the
        state it was given on its way to a refusal (the service would keep that)."""
        before = copy.deepcopy(self.state)
        with pytest.raises(DomainError) as caught:
            decide(self.state, command, self.now)
        assert self.state == before, "a refused command changed the state"
        return caught.value

    def join(self, *users: str) -> None:
        for user in users:
            self.do(cmd.Join(user=user, name=PEOPLE.get(user, user.title())))

    def advance(self, by: str = "ann") -> list[ev.Event]:
        return self.do(cmd.Advance(user=by))

    def until(self, step_id: str) -> None:
        """Advance (as the facilitator) until the given step runs."""
        while self.s.step is None or self.s.step.id != step_id:
            assert self.s.active, f"round ended before step {step_id}"
            self.advance()

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def tick(self) -> list[ev.Event]:
        return self.do(cmd.Tick())


@pytest.fixture
def builtin(library: Library) -> Iterator[Any]:
    def protocol(name: str) -> dict[str, Any]:
        found = library.get(name)
        assert found is not None, name
        return found.model_dump(mode="json")

    yield protocol


def text(nl: str, en: str | None = None) -> dict[str, str]:
    return {"nl": nl, "en": en or nl}


def step(
    step_id: str, kind: str, actors: list[str] | None = None, **options: Any
) -> dict[str, Any]:
    return {
        "id": step_id,
        "kind": kind,
        "title": text(f"Stap {step_id}", f"Step {step_id}"),
        "prompt": text(f"Doe {step_id}", f"Do {step_id}"),
        "actors": actors or ["everyone"],
        "minutes": options.pop("minutes", 5),
        **options,
    }


def protocol(*steps: dict[str, Any], roles: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A small valid protocol: a facilitator (the starter), a case owner who
    volunteers, advisors for everyone else, and the given steps."""
    return {
        "id": "test",
        "version": 1,
        "title": text("Testronde", "Test round"),
        "summary": text("Een ronde om te testen.", "A round to test."),
        "group_size": {"min": 2, "max": 10},
        "roles": roles
        or [
            {
                "id": "facilitator",
                "name": text("Gespreksleider", "Facilitator"),
                "assign": "starter",
            },
            {"id": "case_owner", "name": text("Inbrenger", "Case owner"), "assign": "volunteer"},
            {"id": "advisor", "name": text("Adviseur", "Advisor"), "assign": "everyone_else"},
        ],
        "steps": list(steps),
    }
