"""Recurring rounds: planning (`/dialoog plan`), firing each occurrence once,
notices and action reminders, and the calendar feed. See docs/scheduler.md."""

from bot.scheduler.firing import FireReport, Firing
from bot.scheduler.planner import PlanAnswer, Planner
from bot.scheduler.recurrence import Occurrence, Rule, occurrences
from bot.scheduler.runner import ScheduleRunner

__all__ = [
    "FireReport",
    "Firing",
    "Occurrence",
    "PlanAnswer",
    "Planner",
    "Rule",
    "ScheduleRunner",
    "occurrences",
]
