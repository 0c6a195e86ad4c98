"""When the clock has something to do for a round: reminders, nudges, deadlines.

Moments are measured back from the deadline, so pausing or extending a step
moves them along with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.engine.state import RoundState

# Live: tell the facilitator this long before time is up (at most half the step).
NUDGE_BEFORE = timedelta(minutes=2)
# Async: the last reminder comes this long before the deadline (at most a quarter).
FINAL_BEFORE = timedelta(hours=4)


def _duration(state: RoundState) -> timedelta:
    step = state.step
    assert step is not None
    if state.mode == "live":
        return timedelta(minutes=step.minutes)
    return timedelta(hours=step.hours)


def moments(state: RoundState) -> dict[str, datetime]:
    """The moments of the current step that are still to come, by stage name."""
    if state.status != "running" or state.step is None or state.deadline is None:
        return {}
    deadline, duration = state.deadline, _duration(state)
    due: dict[str, datetime] = {}
    if state.offer is not None:
        # Waiting for one person's private answer: no reminders, only its deadline.
        return {"deadline": deadline}
    if state.mode == "live":
        if state.time_up:
            return due
        if "nearly_up" not in state.reminded:
            due["nearly_up"] = deadline - min(NUDGE_BEFORE, duration / 2)
        due["deadline"] = deadline
        return due
    if "half" not in state.reminded and "final" not in state.reminded:
        due["half"] = deadline - duration / 2
    if "final" not in state.reminded:
        due["final"] = deadline - min(FINAL_BEFORE, duration / 4)
    due["deadline"] = deadline
    return due


def next_wake(state: RoundState) -> datetime | None:
    """When the round next needs the clock (None: only people move it on now)."""
    pending = moments(state)
    return min(pending.values()) if pending else None


def due_stage(state: RoundState, now: datetime) -> str | None:
    """The latest stage whose moment has come; an earlier one that was missed
    (the server was down) is skipped rather than sent late."""
    passed = [(at, stage) for stage, at in moments(state).items() if at <= now]
    return max(passed)[1] if passed else None


# The live card counts down in whole minutes; it is redrawn as each one passes.
MINUTE = timedelta(minutes=1)


def next_redraw(state: RoundState, now: datetime) -> datetime | None:
    """When the live card's "N min left" next changes: the next whole minute
    before the deadline, counted back from it (None: no countdown to keep)."""
    if (
        state.mode != "live"
        or state.status != "running"
        or state.deadline is None
        or state.time_up
        or state.deadline <= now
    ):
        return None
    # The card shows ceil(left / 1 min); it changes at deadline - k min.
    whole = (state.deadline - now) // MINUTE
    at = state.deadline - whole * MINUTE
    return at if at > now else at + MINUTE


def wake_up(state: RoundState, now: datetime) -> datetime | None:
    """When the round next needs the clock: a stage of `moments`, or a redraw."""
    found = [m for m in (next_wake(state), next_redraw(state, now)) if m is not None]
    return min(found) if found else None
