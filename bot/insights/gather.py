"""The facts behind the insights, read from storage: dates, methods, who took
part, the sources a reflection named, how actions ended. Never a text anyone
wrote, so what retention keeps (counts, dates, roles, protocol) is enough."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

import storage
from bot.engine import events as ev
from bot.insights.numbers import ActionFact, Insights, Period, RoundFact, compute, first_reports
from storage import insights as repo

_KINDS = ("participant_joined", "reflected", "action_reported")


def team_insights(session: Session, team: storage.Team, period: Period) -> Insights:
    names = {m.user_id: m.display_name or m.user_id for m in storage.list_members(session, team.id)}
    rounds, actions = _facts(session, [team], period, team.timezone)
    return compute(
        period,
        rounds,
        actions,
        timezone=team.timezone,
        names=names,
        unnamed=repo.unnamed_members(session, team.id),
    )


def school_insights(
    session: Session, tenant: storage.Tenant, period: Period, timezone: str
) -> Insights:
    """Across every team of the workspace: counts per team, nobody named."""
    teams = storage.list_teams(session, tenant.id)
    rounds, actions = _facts(session, teams, period, timezone)
    return compute(period, rounds, actions, timezone=timezone, names=None)


def _facts(
    session: Session, teams: Sequence[storage.Team], period: Period, timezone: str
) -> tuple[list[RoundFact], list[ActionFact]]:
    since = datetime.combine(period.start, time(), tzinfo=ZoneInfo(timezone))
    team_names = {t.id: t.name or t.external_id for t in teams}
    rows = repo.rounds_of_teams(session, list(team_names), since=since)
    ids = [r.id for r in rows]
    joined: dict[str, list[str]] = defaultdict(list)
    sources: dict[str, list[str]] = defaultdict(list)
    reports: list[tuple[str, datetime]] = []
    for row in repo.events_of_kinds(session, ids, _KINDS):
        event = ev.event_from_payload(row.payload)
        match event:
            case ev.ParticipantJoined(user=user):
                joined[row.round_id].append(user)
            case ev.Reflected(sources=named):
                sources[row.round_id] += named
            case ev.ActionReported(action_id=action_id, at=at):
                reports.append((action_id, at))
            case _:
                pass
    first = first_reports(reports)
    rounds = [
        RoundFact(
            round_id=r.id,
            team=team_names[r.team_id],
            protocol_id=r.protocol_id,
            started_at=r.created_at,
            finished=r.status == "finished",
            participants=tuple(joined[r.id]),
            sources=tuple(sources[r.id]),
        )
        for r in rows
    ]
    actions = [
        ActionFact(
            action_id=a.id,
            round_id=a.round_id,
            status=a.status,
            agreed_at=a.created_at,
            first_report_at=first.get(a.id),
        )
        for a in repo.actions_of_rounds(session, ids)
    ]
    return rounds, actions
