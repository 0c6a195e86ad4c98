"""The live timer: right to the minute on the card, and time up told to everyone."""

from __future__ import annotations

from datetime import timedelta

from bot.engine import card, notices, timers
from bot.engine import commands as cmd
from bot.engine.actions import command_for
from bot.engine.messages import Buttons, Context, Message, Paragraph
from tests.engine.conftest import Play, protocol, step

STEPS = protocol(
    step("questions", "collect", ["advisor"], minutes=5, hours=48),
    step("advice", "collect", ["advisor"], minutes=5, hours=24),
)


def _round(mode: str = "live") -> Play:
    play = Play(STEPS, mode=mode)
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    return play


def timer_line(message: Message) -> str:
    lines = [b.text for b in message.blocks if isinstance(b, Context) and "min" in b.text]
    return lines[0] if lines else ""


def test_the_card_is_redrawn_at_every_whole_minute_before_the_deadline() -> None:
    play = _round()
    deadline = play.s.deadline
    assert deadline is not None
    moments = []
    now = play.now
    while (at := timers.next_redraw(play.s, now)) is not None and at < deadline:
        moments.append(at)
        now = at
    assert moments == [deadline - timedelta(minutes=k) for k in (4, 3, 2, 1)]
    # The deadline itself is the moment time is up: the card changes with that event.
    assert timers.next_redraw(play.s, moments[-1]) == deadline


def test_between_two_redraws_the_card_shows_the_same_whole_minutes() -> None:
    play = _round()
    deadline = play.s.deadline
    assert deadline is not None
    for seconds_left in (299, 241, 240, 181, 61, 60, 1):
        now = deadline - timedelta(seconds=seconds_left)
        minutes = -(-seconds_left // 60)
        line = timer_line(card(play.s, now))
        assert line.startswith(f"Nog {minutes} min"), (seconds_left, line)
        # The card does not change again until the next redraw.
        redraw = timers.next_redraw(play.s, now)
        assert redraw is not None
        just_before = redraw - timedelta(seconds=1)
        if just_before > now:
            assert timer_line(card(play.s, just_before)) == line


def test_the_timer_names_the_end_time_in_the_teams_time_zone() -> None:
    play = _round()
    assert play.s.deadline is not None
    local = play.s.deadline + timedelta(hours=1)  # Europe/Amsterdam in November
    assert timer_line(card(play.s, play.now)).endswith(f"tot {local:%H:%M}")


def test_the_round_wakes_for_a_redraw_before_its_reminders() -> None:
    play = _round()
    assert timers.wake_up(play.s, play.now) == play.now + timedelta(minutes=1)
    assert timers.next_wake(play.s) == play.s.deadline - timedelta(minutes=2)  # nearly up


def test_an_async_or_paused_round_has_no_countdown_to_redraw() -> None:
    slow = _round("async")
    assert timers.next_redraw(slow.s, slow.now) is None
    paused = _round()
    paused.do(cmd.Pause(user="ann"))
    assert timers.next_redraw(paused.s, paused.now) is None


def test_after_time_up_no_more_redraws() -> None:
    play = _round()
    play.later(minutes=6)
    play.tick()
    assert play.s.time_up
    assert timers.next_redraw(play.s, play.now) is None
    assert timers.wake_up(play.s, play.now) is None


def _time_up(play: Play) -> list[Message]:
    before = play.s
    play.later(minutes=6)
    events = play.tick()
    assert [e.kind for e in events] == ["step_time_up"]
    return notices(before, events, play.s)


def test_time_up_is_told_to_the_whole_group_gently() -> None:
    told = _time_up(_round())
    group = [m for m in told if m.audience is None]
    assert len(group) == 1
    assert group[0].text == (
        "De tijd voor 'Stap questions' is om. Maak rustig af waar je mee bezig bent; "
        "Ann kiest zo of jullie verdergaan of er nog even bij nemen."
    )


def test_the_facilitator_chooses_to_extend_or_move_on_when_time_is_up() -> None:
    play = _round()
    told = _time_up(play)
    (private,) = [m for m in told if m.audience is not None]
    assert private.audience == "ann"
    assert isinstance(private.blocks[0], Paragraph)
    (buttons,) = [b for b in private.blocks if isinstance(b, Buttons)]
    extend, advance = buttons.buttons
    assert (extend.action, extend.value, extend.label) == (
        "extend",
        "5:questions",
        "5 minuten erbij",
    )
    assert (advance.action, advance.value, advance.label) == (
        "advance",
        "questions",
        "Volgende stap",
    )

    play.do(command_for(extend.action, extend.value, {}, user="ann", name="Ann"))
    assert not play.s.time_up
    assert play.s.deadline == play.now + timedelta(minutes=5)
    assert timer_line(card(play.s, play.now)).startswith("Nog 5 min")

    play.later(minutes=6)
    play.tick()
    play.do(command_for(advance.action, advance.value, {}, user="ann", name="Ann"))
    assert play.s.step is not None and play.s.step.id == "advice"


def test_a_late_move_on_click_from_time_up_does_not_skip_the_next_step() -> None:
    play = _round()
    (private,) = [m for m in _time_up(play) if m.audience is not None]
    advance = next(b for b in private.blocks if isinstance(b, Buttons)).buttons[1]
    play.advance()  # moved on from the card already
    error = play.refuse(command_for(advance.action, advance.value, {}, user="ann", name="Ann"))
    assert error.code == "stale_step"
    assert play.s.step is not None and play.s.step.id == "advice"


def test_a_late_extend_click_from_time_up_does_not_extend_the_next_step() -> None:
    play = _round()
    (private,) = [m for m in _time_up(play) if m.audience is not None]
    extend = next(b for b in private.blocks if isinstance(b, Buttons)).buttons[0]
    play.advance()  # moved on from the card already
    deadline = play.s.deadline
    error = play.refuse(command_for(extend.action, extend.value, {}, user="ann", name="Ann"))
    assert error.code == "stale_step"
    assert play.s.step is not None and play.s.step.id == "advice"
    assert play.s.deadline == deadline, "the step now running keeps its time"


def test_an_extend_without_a_step_extends_the_step_that_runs() -> None:
    """A button posted before extends named their step still works."""
    play = _round()
    _time_up(play)
    play.do(command_for("extend", "5", {}, user="ann", name="Ann"))
    assert play.s.deadline == play.now + timedelta(minutes=5)


def test_time_up_on_the_last_step_offers_to_finish() -> None:
    play = _round()
    play.advance()
    (private,) = [m for m in _time_up(play) if m.audience is not None]
    labels = [b.label for b in next(b for b in private.blocks if isinstance(b, Buttons)).buttons]
    assert labels == ["5 minuten erbij", "Rond af"]


def test_in_english_the_timer_and_time_up_speak_english() -> None:
    play = Play(STEPS, language="en")
    play.join("bob", "cas")
    play.do(cmd.Volunteer(user="bob", role="case_owner"))
    play.advance()
    assert timer_line(card(play.s, play.now)) == "5 min left · until 15:35"
    told = _time_up(play)
    assert told[0].text.startswith("Time is up for 'Step questions'. Finish what you are doing")
    labels = [
        b.label
        for m in told[1:]
        for blk in m.blocks
        if isinstance(blk, Buttons)
        for b in blk.buttons
    ]
    assert labels == ["5 more minutes", "Next step"]
