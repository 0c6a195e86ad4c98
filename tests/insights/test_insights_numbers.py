"""A team's insights, computed from a seeded school year of rounds on a real database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import storage
from bot.insights.gather import school_insights, team_insights
from bot.insights.numbers import Insights, Period
from bot.service import Place, RoundService
from tests.fakes.clock import ManualClock
from tests.history import seed

PLACE = Place("web", "local", "team-a", "Team A")
OTHER = Place("web", "local", "team-b", "Team B")
THIS_YEAR = Period.school_year(2026)


def _insights(service: RoundService, place: Place, period: Period) -> Insights:
    with service.sessions() as session:
        team = storage.find_team(session, place.platform, place.workspace, place.channel)
        assert team is not None
        return team_insights(session, team, period)


@pytest.fixture
def seeded(service: RoundService, clock: ManualClock) -> RoundService:
    seed(service, clock, PLACE)
    return service


def test_rounds_held_are_counted_per_month_and_per_method(seeded: RoundService) -> None:
    insights = _insights(seeded, PLACE, THIS_YEAR)
    # June (last school year) and the stopped round of November do not count.
    assert insights.held == 3
    months = dict(insights.per_month)
    assert list(months) == [f"{y}-{m:02d}" for y, m in [(2026, m) for m in range(8, 13)]] + [
        f"2027-{m:02d}" for m in range(1, 8)
    ]
    assert months["2026-09"] == 1 and months["2026-10"] == 1 and months["2026-11"] == 1
    assert sum(months.values()) == 3
    assert insights.per_method == (("five_step", 2), ("incident", 1))


def test_who_took_part_is_counted_and_an_opted_out_person_is_not_named(
    seeded: RoundService,
) -> None:
    insights = _insights(seeded, PLACE, THIS_YEAR)
    assert insights.named == (("Ann", 3), ("Bob", 3), ("Cas", 2))
    assert insights.unnamed_people == 1
    assert insights.unnamed_rounds == 2
    assert all(name != "Dee" for name, _ in insights.named)


def test_action_points_end_as_reported_and_the_follow_up_takes_its_days(
    seeded: RoundService,
) -> None:
    insights = _insights(seeded, PLACE, THIS_YEAR)
    assert insights.actions == 4
    assert dict(insights.outcomes) == {
        "done": 1,
        "partly": 1,
        "not_yet": 1,
        "dropped": 1,
        "open": 0,
    }
    # Sept 8 -> Oct 6 twice (28 days), Oct 6 -> Nov 17 once (42 days).
    assert insights.followed_up == 3
    assert insights.followup_median_days == pytest.approx(28.0, abs=0.1)


def test_the_learning_sources_named_in_reflections_are_counted(seeded: RoundService) -> None:
    insights = _insights(seeded, PLACE, THIS_YEAR)
    assert dict(insights.sources) == {"practice": 3, "colleagues": 2, "theory": 1}


def test_another_school_year_shows_its_own_rounds(seeded: RoundService) -> None:
    last_year = _insights(seeded, PLACE, Period.school_year(2025))
    assert last_year.held == 1
    assert dict(last_year.per_month)["2026-06"] == 1
    assert last_year.named == (("Ann", 1), ("Bob", 1))


def test_the_school_view_counts_across_teams_and_names_nobody(
    seeded: RoundService, clock: ManualClock
) -> None:
    from tests.history import ANN, BOB, Played, play

    play(
        seeded, clock, OTHER, Played("incident", datetime(2026, 10, 13, 13, tzinfo=UTC), (BOB, ANN))
    )
    with seeded.sessions() as session:
        tenant = session.get(
            storage.Tenant,
            storage.find_team(session, "web", "local", "team-a").tenant_id,  # type: ignore[union-attr]
        )
        assert tenant is not None
        school = school_insights(session, tenant, THIS_YEAR, "Europe/Amsterdam")
    assert school.held == 4
    assert school.per_team == (("Team A", 3), ("Team B", 1))
    assert school.named == ()
    assert school.unnamed_people == 4
    assert school.per_method == (("five_step", 2), ("incident", 2))
