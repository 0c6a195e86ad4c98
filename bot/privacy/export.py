"""Everything stored about one person, gathered from the rounds' logs and the tables
around them, as JSON (complete, for machines) and Markdown (readable)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

import storage
from bot.engine import events as ev
from bot.engine.messages import Heading, Message, Paragraph
from bot.i18n import Language, translate
from bot.privacy.subject import Subject
from bot.privacy.texts import TEXTS
from protocols.schema import Protocol
from storage import people

__all__ = ["PersonalData", "RoundPart", "collect", "to_json", "to_markdown", "to_messages"]


@dataclass
class RoundPart:
    """The person's part in one round."""

    round_id: str
    team: str
    protocol: dict[str, str]
    started_at: str
    status: str
    roles: list[str] = field(default_factory=list)
    contributions: list[dict[str, str]] = field(default_factory=list)
    answers: list[dict[str, str]] = field(default_factory=list)
    votes_and_picks: list[str] = field(default_factory=list)
    reflections: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    reports: list[dict[str, str]] = field(default_factory=list)


@dataclass
class PersonalData:
    subject: dict[str, str]
    exported_at: str
    memberships: list[dict[str, str]] = field(default_factory=list)
    rounds: list[RoundPart] = field(default_factory=list)
    actions: list[dict[str, str | None]] = field(default_factory=list)
    schedules: list[dict[str, str]] = field(default_factory=list)
    chat_lines: list[dict[str, str]] = field(default_factory=list)
    # Texts the pupil-name guard holds back until the author chooses.
    held_back: list[dict[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.memberships or self.rounds or self.actions or self.chat_lines or self.held_back
        )

    def texts(self) -> list[str]:
        """Every text the person wrote, in the order found."""
        found: list[str] = [line["text"] for line in self.chat_lines]
        found += [held["text"] for held in self.held_back]
        for part in self.rounds:
            found += [c["text"] for c in part.contributions]
            found += [a["text"] for a in part.answers]
            found += [r["text"] for r in part.reflections if r["text"]]
            found += [a["text"] for a in part.actions]
            found += [r["text"] for r in part.reports if r["text"]]
        return found


def collect(
    session: Session, subject: Subject, tenant: storage.Tenant, now: datetime
) -> PersonalData:
    user = subject.user_id
    data = PersonalData(subject=asdict(subject), exported_at=now.isoformat())
    for member, team in people.memberships(session, tenant.id, user):
        data.memberships.append(
            {
                "team": team.name or team.external_id,
                "channel": team.external_id,
                "display_name": member.display_name,
                "since": member.created_at.isoformat(),
            }
        )
    for round_row, team in people.tenant_rounds(session, tenant.id):
        part = _round_part(session, round_row, team, user)
        if part is not None:
            data.rounds.append(part)
    for action in people.owned_actions(session, tenant.id, user):
        data.actions.append(
            {
                "round_id": action.round_id,
                "text": action.text,
                "due": action.due_date.isoformat(),
                "status": action.status,
                "report": action.report,
            }
        )
    for schedule in people.schedules_by(session, tenant.id, user):
        data.schedules.append(
            {
                "protocol": schedule.protocol_id,
                "weekdays": schedule.weekdays,
                "time": schedule.time_of_day,
                "interval": schedule.interval,
                "status": schedule.status,
            }
        )
    for held in people.pending_by(session, tenant.id, user):
        data.held_back.append(
            {"round_id": held.round_id, "at": held.created_at.isoformat(), "text": held.text}
        )
    channels = web_channels(session, tenant)
    for line in people.web_lines_by(session, channels, user):
        text = line.payload.get("text")
        if isinstance(text, str):
            data.chat_lines.append({"at": line.created_at.isoformat(), "text": text})
    return data


def web_channels(session: Session, tenant: storage.Tenant) -> list[str]:
    """The web chat channels of a tenant: its teams' channel ids (the web chat only)."""
    if tenant.platform != "web":
        return []
    return [team.external_id for team in storage.list_teams(session, tenant.id)]


def _round_part(
    session: Session, round_row: storage.Round, team: storage.Team, user: str
) -> RoundPart | None:
    events = [
        ev.event_from_payload(row.payload) for row in storage.load_events(session, round_row.id)
    ]
    if not events or not isinstance(events[0], ev.RoundStarted):
        return None
    started = events[0]
    protocol = Protocol.model_validate(started.protocol)
    steps = {step.id: step.title for step in protocol.steps}
    roles = {role.id: role.name for role in protocol.roles}

    def step_title(step_id: str) -> dict[str, str]:
        title = steps.get(step_id)
        return {"nl": title.nl, "en": title.en} if title else {"nl": step_id, "en": step_id}

    part = RoundPart(
        round_id=round_row.id,
        team=team.name or team.external_id,
        protocol={"id": protocol.id, "nl": protocol.title.nl, "en": protocol.title.en},
        started_at=started.at.isoformat(),
        status=round_row.status,
    )
    involved = started.started_by == user
    written: dict[str, dict[str, str]] = {}
    for event in events[1:]:
        match event:
            case ev.ParticipantJoined(user=who) if who == user:
                involved = True
            case ev.RoleAssigned(user=who, role=role) if who == user:
                name = roles.get(role)
                part.roles.append(f"{name.nl} / {name.en}" if name else role)
            case ev.ContributionAdded(user=who) if who == user:
                written[event.item_id] = {
                    "step": step_title(event.step_id)["nl"],
                    "at": event.at.isoformat(),
                    "text": event.text,
                }
                part.contributions.append(written[event.item_id])
            case ev.ContributionEdited(user=who) if who == user:
                # Every version is in the log, so every version is in the export.
                part.contributions.append(
                    {
                        "step": step_title(event.step_id)["nl"],
                        "at": event.at.isoformat(),
                        "text": event.text,
                        "changed": "yes",
                    }
                )
            case ev.ContributionWithdrawn(user=who) if who == user and event.item_id in written:
                written[event.item_id]["withdrawn"] = event.at.isoformat()
            case ev.ResponseGiven(user=who) if who == user:
                part.answers.append(
                    {
                        "step": step_title(event.step_id)["nl"],
                        "at": event.at.isoformat(),
                        "text": event.text,
                    }
                )
            case ev.VoteCast(user=who) | ev.PicksMade(user=who) if who == user:
                part.votes_and_picks.append(step_title(event.step_id)["nl"])
            case ev.Reflected(user=who) if who == user:
                part.reflections.append(
                    {"at": event.at.isoformat(), "rating": event.rating, "text": event.text}
                )
            case ev.ActionAdded() if user in (event.by, event.owner):
                part.actions.append(
                    {
                        "text": event.text,
                        "due": event.due.isoformat(),
                        "owner": "you" if event.owner == user else "other",
                    }
                )
            case ev.ActionReported(by=who) if who == user:
                part.reports.append({"status": event.status, "text": event.note})
            case _:
                pass
    has_part = (
        part.roles
        or part.contributions
        or part.answers
        or part.votes_and_picks
        or part.reflections
        or part.actions
        or part.reports
    )
    return part if involved or has_part else None


# -- formats ------------------------------------------------------------------------


def _marks(contribution: dict[str, str], t: Any) -> str:
    """Whether a text was a changed version, or later withdrawn."""
    marks = [t(key) for key in ("changed", "withdrawn") if key in contribution]
    return f" ({', '.join(marks)})" if marks else ""


def to_json(data: PersonalData) -> str:
    return json.dumps(asdict(data), ensure_ascii=False, indent=2)


def _sections(data: PersonalData, language: Language) -> list[tuple[str, list[str]]]:
    """(heading, lines) pairs: the Markdown and the chat messages share them."""

    def t(key: str, **params: object) -> str:
        return translate(TEXTS, key, language, **params)

    none = [t("none")]
    sections: list[tuple[str, list[str]]] = []
    members = [
        t("membership_line", team=m["team"], name=m["display_name"], since=m["since"][:10])
        for m in data.memberships
    ]
    sections.append((t("memberships"), members or none))
    for part in data.rounds:
        lines: list[str] = []
        if part.roles:
            lines.append(f"**{t('roles')}:** " + ", ".join(part.roles))
        written = [f"{c['step']}: {c['text']}{_marks(c, t)}" for c in part.contributions]
        if written:
            lines.append(f"**{t('wrote')}:**")
            lines += [f"- {line}" for line in written]
        answers = [f"{a['step']}: {a['text']}" for a in part.answers]
        if answers:
            lines.append(f"**{t('answered')}:**")
            lines += [f"- {line}" for line in answers]
        if part.votes_and_picks:
            lines.append(t("voted", steps=", ".join(part.votes_and_picks)))
        for reflection in part.reflections:
            lines.append(
                t("reflection", rating=reflection["rating"], text=reflection["text"] or "-")
            )
        for action in part.actions:
            lines.append(f"- {action['text']} ({action['due']})")
        for report in part.reports:
            lines.append(t("report_line", status=report["status"], text=report["text"] or "-"))
        heading = t(
            "round",
            protocol=part.protocol[language],
            team=part.team,
            at=part.started_at[:10],
            status=part.status,
        )
        sections.append((heading, lines or none))
    actions = [
        t("action_line", text=a["text"], due=a["due"], status=a["status"])
        + (f" — {a['report']}" if a["report"] else "")
        for a in data.actions
    ]
    sections.append((t("actions"), actions or none))
    if data.schedules:
        sections.append(
            (
                t("schedules"),
                [
                    t(
                        "schedule_line",
                        protocol=s["protocol"],
                        when=f"{s['interval']} {s['weekdays']} {s['time']}",
                    )
                    for s in data.schedules
                ],
            )
        )
    if data.chat_lines:
        sections.append((t("chat_lines"), [f"- {line['text']}" for line in data.chat_lines]))
    if data.held_back:
        sections.append((t("held_back"), [f"- {held['text']}" for held in data.held_back]))
    return sections


def _intro(data: PersonalData, language: Language) -> str:
    subject = data.subject
    return translate(
        TEXTS,
        "intro",
        language,
        at=data.exported_at[:16].replace("T", " "),
        user=subject["user_id"],
        platform=subject["platform"],
        workspace=subject["workspace"],
    )


def to_markdown(data: PersonalData, language: Language) -> str:
    out = [f"# {translate(TEXTS, 'title', language)}", "", _intro(data, language), ""]
    for heading, lines in _sections(data, language):
        out += [f"## {heading}", "", *lines, ""]
    return "\n".join(out)


def to_messages(data: PersonalData, language: Language) -> list[Message]:
    """The export as chat messages: one per section, so none runs past a platform's limit."""
    title = translate(TEXTS, "title", language)
    intro = _intro(data, language)
    messages = [Message(text=f"{title}\n{intro}", blocks=(Heading(title), Paragraph(intro)))]
    for heading, lines in _sections(data, language):
        body = "\n".join(lines)
        messages.append(
            Message(text=f"{heading}\n{body}", blocks=(Heading(heading), Paragraph(body)))
        )
    return messages
