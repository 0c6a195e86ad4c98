"""What the planner shows, as neutral messages: the planning form, the overview of a
channel's schedules with their buttons, and the answers to what people did there.

Every channel renders the same Form (a Slack modal, a Teams card, a web chat
dialog); a submission comes back as (action, value, fields) and is read by
`plan_rules.read_plan`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.engine.messages import (
    Block,
    Button,
    Buttons,
    ChoiceInput,
    Context,
    DateInput,
    Form,
    ItemList,
    ListItem,
    Message,
    Option,
    Paragraph,
    TextInput,
)
from bot.engine.vocabulary import Action
from bot.i18n import Language
from bot.scheduler.describe import describe, reminder_list
from bot.scheduler.plan_rules import LEAD_DAYS, REMINDERS, PlanProblem, next_held, slots
from bot.scheduler.plan_store import Saved
from bot.scheduler.recurrence import INTERVALS, WEEKS_OF_MONTH
from bot.scheduler.school_calendar import HOLIDAY_POLICIES, STUDY_DAY, SchoolCalendar, Slot
from bot.scheduler.texts import t
from bot.words import day_name, long_day, long_moment
from protocols.loader import Library
from storage.models import Schedule


@dataclass(frozen=True)
class PlanAnswer:
    """What the person gets back at once: private messages, maybe a form."""

    messages: tuple[Message, ...] = ()
    form: Message | None = None
    accepted: bool = True
    error_code: str | None = None
    # A repeated delivery of a plan stored before (bot.chat.Reply.replayed).
    replayed: bool = False


def plan_form(language: Language, library: Library, *, zone: str, today: date) -> Message:
    """The form that plans a round, in the team's language."""
    protocols = tuple(Option(p.id, p.title.get(language)) for p in library)
    intervals = [Option(i, t(language, f"interval.{i}")) for i in INTERVALS if i != "monthly"]
    intervals += [
        Option(f"monthly:{n}", t(language, f"interval.monthly.{n}")) for n in WEEKS_OF_MONTH
    ]
    leads = tuple(
        Option(
            str(n),
            t(language, "lead.1" if n == 1 else "lead.n", n=n) if n else t(language, "lead.0"),
        )
        for n in LEAD_DAYS
    )
    inputs = (
        ChoiceInput("protocol", t(language, "form.protocol"), protocols),
        ChoiceInput(
            "mode",
            t(language, "form.mode"),
            tuple(Option(m, t(language, f"mode.{m}")) for m in ("live", "async")),
        ),
        ChoiceInput(
            "weekdays",
            t(language, "form.weekdays"),
            tuple(Option(str(d), day_name(language, d)) for d in range(7)),
            max_selected=7,
        ),
        TextInput(
            "time",
            t(language, "form.time", zone=zone),
            multiline=False,
            max_length=5,
            placeholder="15:30",
        ),
        ChoiceInput("interval", t(language, "form.interval"), tuple(intervals)),
        DateInput("first", t(language, "form.first"), initial=today),
        ChoiceInput("lead", t(language, "form.lead"), leads),
        ChoiceInput(
            "reminders",
            t(language, "form.reminders"),
            tuple(Option(str(m), t(language, f"reminder.{m}")) for m in REMINDERS),
            min_selected=0,
            max_selected=len(REMINDERS),
            required=False,
        ),
        ChoiceInput(
            "holidays",
            t(language, "form.holidays"),
            tuple(Option(p, t(language, f"holidays.{p}")) for p in HOLIDAY_POLICIES),
            min_selected=0,
            required=False,
        ),
    )
    title = t(language, "form.title")
    form = Form(Action.PLAN_CREATE, title, t(language, "form.submit"), inputs)
    return Message(text=title, blocks=(form,))


class PlanView:
    def __init__(self, library: Library, *, command_name: str, feed_base: str) -> None:
        self.library = library
        self.command_name = command_name
        self.feed_base = feed_base.rstrip("/")

    def form(self, language: Language, zone: str, now: datetime) -> Message:
        today = now.astimezone(ZoneInfo(zone)).date()
        return plan_form(language, self.library, zone=zone, today=today)

    def feed_url(self, token: str) -> str:
        return f"{self.feed_base}/calendar/{token}.ics"

    def overview(
        self,
        language: Language,
        schedules: tuple[Schedule, ...],
        zone: str,
        now: datetime,
        feed: str | None,
        school: SchoolCalendar,
    ) -> Message:
        """The team's schedules, each with its next round and its buttons."""
        title = t(language, "plan.title")
        if not schedules:
            text = t(language, "plan.none")
            buttons = (Button(Action.PLAN_NEW, t(language, "button.new"), style="primary"),)
            return Message(text=text, blocks=(Paragraph(text), Buttons(buttons)))
        items = []
        controls = [Button(Action.PLAN_NEW, t(language, "button.new"), style="primary")]
        for schedule in schedules:
            items.append(
                ListItem(
                    self._line(schedule, language),
                    note=self._note(schedule, zone, language, now, school),
                )
            )
            if schedule.status == "active":
                controls.append(
                    Button(
                        Action.PLAN_PAUSE,
                        t(language, "button.pause", id=schedule.id),
                        str(schedule.id),
                    )
                )
            else:
                controls.append(
                    Button(
                        Action.PLAN_RESUME,
                        t(language, "button.resume", id=schedule.id),
                        str(schedule.id),
                    )
                )
            controls.append(
                Button(
                    Action.PLAN_DELETE,
                    t(language, "button.delete", id=schedule.id),
                    str(schedule.id),
                    "danger",
                )
            )
        blocks: list[Block] = [ItemList(title, tuple(items))]
        calendar_note = (
            t(
                language,
                "plan.region",
                region=t(language, f"region.name.{school.region}"),
                cmd=self.command_name,
            )
            if school.region
            else t(language, "plan.no_region", cmd=self.command_name)
        )
        blocks.append(Context(calendar_note))
        if feed is not None:
            blocks.append(Context(t(language, "plan.feed", url=feed)))
            controls.append(Button(Action.PLAN_FEED, t(language, "button.feed")))
        blocks.append(Buttons(tuple(controls)))
        return Message(text=title, blocks=tuple(blocks))

    def created(self, language: Language, saved: Saved, now: datetime) -> PlanAnswer:
        schedule = saved.schedule
        protocol = self.library.get(schedule.protocol_id)
        name = protocol.title.get(language) if protocol else schedule.protocol_id
        answer = self.tell(
            language,
            "created",
            id=schedule.id,
            protocol=name,
            rule=describe(schedule, language),
            next=_next_round(saved, now, language),
        )
        return dataclasses.replace(answer, replayed=saved.replayed)

    def status(
        self, language: Language, number: int, status: str, saved: Saved, now: datetime
    ) -> PlanAnswer:
        """The answer to pausing or resuming schedule `number`."""
        if not saved.changed:
            state = t(language, f"state.{status}")
            return self.tell(language, "unchanged", id=number, state=state)
        if status == "paused":
            return self.tell(language, "paused", id=number)
        return self.tell(language, "resumed", id=number, next=_next_round(saved, now, language))

    def tell(self, language: Language, key: str, **params: object) -> PlanAnswer:
        """An answer from the scheduler's catalog."""
        return self.say(t(language, key, **params))

    def say(self, text: str) -> PlanAnswer:
        return PlanAnswer(messages=(Message(text=text, blocks=(Paragraph(text),)),))

    def refusal(self, language: Language, problem: PlanProblem) -> PlanAnswer:
        text = problem.message(language, cmd=self.command_name)
        message = Message(text=text, blocks=(Paragraph(text),))
        return PlanAnswer(messages=(message,), accepted=False, error_code=problem.code)

    # -- pieces -------------------------------------------------------------------------

    def _line(self, schedule: Schedule, language: Language) -> str:
        protocol = self.library.get(schedule.protocol_id)
        name = protocol.title.get(language) if protocol else schedule.protocol_id
        mode = t(language, f"short.{schedule.mode}")
        return f"#{schedule.id} *{name}* ({mode}), {describe(schedule, language)}"

    def _note(
        self,
        schedule: Schedule,
        zone: str,
        language: Language,
        now: datetime,
        school: SchoolCalendar,
    ) -> str:
        parts = []
        if schedule.status == "paused":
            parts.append(t(language, "plan.paused"))
        else:
            found = slots(schedule, zone, school, now)
            upcoming = next((slot for slot in found if slot.held), None)
            if upcoming:
                parts.append(
                    t(language, "plan.next", when=long_moment(language, upcoming.occurrence.local))
                )
            parts += [_exception(slot, language) for slot in found if slot.planned_on]
        if schedule.lead_days:
            parts.append(t(language, "plan.lead", days=schedule.lead_days))
        if schedule.reminders:
            parts.append(
                t(language, "plan.reminders", list=reminder_list(schedule.reminders, language))
            )
        return " · ".join(parts)


def _next_round(saved: Saved, now: datetime, language: Language) -> str:
    """When the next round is held, in words ("-" when none is within a year)."""
    upcoming = next_held(saved.schedule, saved.zone, saved.school, now)
    return long_moment(language, upcoming.occurrence.local) if upcoming else "-"


def _exception(slot: Slot, language: Language) -> str:
    """ "geen ronde op dinsdag 16 februari (Voorjaarsvakantie)" or where it moves to."""
    assert slot.planned_on is not None
    reason = slot.reason or ""
    if reason == STUDY_DAY:
        reason = t(language, "study_day")
    day = long_day(language, slot.planned_on)
    if slot.held:
        return t(
            language,
            "plan.moved",
            day=day,
            when=long_moment(language, slot.occurrence.local),
            reason=reason,
        )
    return t(language, "plan.skipped", day=day, reason=reason)
