"""Deadlines, ticks, extending and pausing; live and async."""

from __future__ import annotations

from datetime import timedelta

from bot.engine import commands as cmd
from bot.engine import events as ev
from tests.engine.conftest import Play, protocol, step

STEPS = protocol(
    step("questions", "collect", ["advisor"], minutes=10, hours=48),
    step("advice", "collect", ["advisor"], minutes=10, hours=24),
)


def _round(mode: str) -> Play:
    play = Play(STEPS, mode=mode)
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    return play


def test_a_live_step_gets_its_minutes_and_an_async_one_its_hours() -> None:
    live, slow = _round("live"), _round("async")
    assert live.s.deadline == live.now + timedelta(minutes=10)
    assert slow.s.deadline == slow.now + timedelta(hours=48)


def test_a_tick_before_the_deadline_does_nothing() -> None:
    play = _round("live")
    play.later(minutes=7)
    assert play.tick() == []


def test_past_the_deadline_a_live_facilitator_is_told_once_and_the_step_stays() -> None:
    play = _round("live")
    play.later(minutes=11)
    assert [e.kind for e in play.tick()] == ["step_time_up"]
    assert play.tick() == []
    assert play.s.step is not None and play.s.step.id == "questions"


def test_past_the_deadline_an_async_step_closes_and_the_next_begins() -> None:
    play = _round("async")
    play.do(cmd.Contribute(user="cas", text="Wanneer begon het?"))
    play.later(hours=49)
    kinds = [e.kind for e in play.tick()]
    assert kinds == ["step_ended", "step_started"]
    assert play.s.step is not None and play.s.step.id == "advice"
    ended = next(e for e in play.log if isinstance(e, ev.StepEnded))
    assert ended.reason == "deadline"


def test_an_async_step_closes_as_soon_as_everyone_required_is_in() -> None:
    play = _round("async")
    play.do(cmd.Contribute(user="ann", text="Wat deed je toen?"))
    assert play.s.step is not None and play.s.step.id == "questions"
    events = play.do(cmd.Contribute(user="cas", text="Wie was erbij?"))
    assert [e.kind for e in events] == ["contribution_added", "step_ended", "step_started"]
    assert play.s.step is not None and play.s.step.id == "advice"


def test_the_last_async_step_completing_finishes_the_round() -> None:
    play = _round("async")
    for step_id in ("questions", "advice"):
        assert play.s.step is not None and play.s.step.id == step_id
        play.do(cmd.Contribute(user="ann", text="Iets?"))
        play.do(cmd.Contribute(user="cas", text="Nog iets?"))
    assert play.s.status == "finished"


def test_extending_moves_the_deadline_from_now_when_time_was_up() -> None:
    play = _round("live")
    play.later(minutes=12)
    play.tick()
    play.do(cmd.Extend(user="ann", minutes=5))
    assert play.s.deadline == play.now + timedelta(minutes=5)
    assert play.s.time_up is False


def test_pause_keeps_the_time_that_was_left_and_resume_gives_it_back() -> None:
    play = _round("live")
    play.later(minutes=4)
    play.do(cmd.Pause(user="ann"))
    left = play.s.remaining_when_paused
    assert left is not None and 5 * 60 < left < 6 * 60
    assert play.refuse(cmd.Contribute(user="cas", text="Hoi?")).code == "round_paused"
    play.later(hours=3)
    assert play.tick() == [], "a paused round does not time out"
    play.do(cmd.Resume(user="ann"))
    assert play.s.deadline == play.now + timedelta(seconds=left)
    assert play.refuse(cmd.Resume(user="ann")).code == "not_paused"


def test_the_second_click_on_next_step_is_refused_not_doubled() -> None:
    play = _round("live")
    play.do(cmd.Advance(user="ann", step_id="questions"))
    assert play.s.step is not None and play.s.step.id == "advice"
    error = play.refuse(cmd.Advance(user="ann", step_id="questions"))
    assert error.code == "stale_step"


def _reminders(events: list[ev.Event]) -> list[tuple[str, list[str]]]:
    return [(e.stage, e.users) for e in events if isinstance(e, ev.StepReminded)]


def test_a_live_facilitator_is_nudged_shortly_before_time_is_up_once() -> None:
    play = _round("live")
    play.later(minutes=7)
    assert play.tick() == []
    play.later(minutes=1, seconds=5)
    assert _reminders(play.tick()) == [("nearly_up", ["ann"])]
    assert play.tick() == []
    play.later(minutes=2)
    assert [e.kind for e in play.tick()] == ["step_time_up"]


def test_extending_brings_the_nudge_back_for_the_new_end() -> None:
    play = _round("live")
    play.later(minutes=9)
    play.tick()
    play.do(cmd.Extend(user="ann", minutes=10))
    play.later(minutes=8, seconds=30)
    assert _reminders(play.tick()) == [("nearly_up", ["ann"])]


def test_async_reminders_go_half_way_and_near_the_deadline_to_those_still_missing() -> None:
    play = _round("async")  # questions: 48 hours, for the advisors Ann and Cas
    play.do(cmd.Contribute(user="ann", text="Wat ging eraan vooraf?"))
    play.later(hours=23)
    assert play.tick() == []
    play.later(hours=1, minutes=1)
    assert _reminders(play.tick()) == [("half", ["cas"])]
    assert play.tick() == []
    play.later(hours=20)
    assert _reminders(play.tick()) == [("final", ["cas"])]
    assert play.tick() == []


def test_after_downtime_a_missed_reminder_is_skipped_for_the_latest() -> None:
    play = _round("async")
    play.later(hours=45)
    assert _reminders(play.tick()) == [("final", ["ann", "cas"])]
    assert play.tick() == []


def test_the_clock_knows_when_it_is_next_needed() -> None:
    from bot.engine.timers import next_wake

    live = _round("live")
    assert next_wake(live.s) == live.s.deadline - timedelta(minutes=2)
    slow = _round("async")
    assert next_wake(slow.s) == slow.s.deadline - timedelta(hours=24)
    slow.do(cmd.Pause(user="ann"))
    assert next_wake(slow.s) is None, "a paused round needs no clock"
