"""The insights in words and as a chart: the message for the channel, the chart
for the page. Every number drawn is also written, for screen readers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.engine.messages import File, Heading, ItemList, ListItem, Message, Paragraph
from bot.i18n import Language
from bot.insights.chart import COLOURS, Chart, Panel, png
from bot.insights.numbers import Insights
from bot.insights.texts import month_name, t
from bot.words import full_date
from protocols.loader import Library

# How a protocol id reads in the team's language (the library's titles).
Titles = Callable[[str], str]


def titles_in(library: Library, language: Language) -> Titles:
    def title(protocol_id: str) -> str:
        protocol = library.get(protocol_id)
        return protocol.title.get(language) if protocol else protocol_id

    return title


def chart_of(insights: Insights, language: Language, title: str, titles: Titles) -> Chart:
    months = tuple((month_name(language, m).split()[0], n) for m, n in insights.per_month)
    second = (
        Panel(t(language, "panel.teams"), insights.per_team, horizontal=True)
        if insights.school
        else Panel(
            t(language, "panel.methods"),
            tuple((titles(p), n) for p, n in insights.per_method),
            horizontal=True,
        )
    )
    return Chart(
        title=title,
        panels=(
            Panel(t(language, "panel.months"), months),
            second,
            Panel(
                t(language, "panel.outcomes"),
                tuple((t(language, f"outcome.{o}"), n) for o, n in insights.outcomes),
                colours=COLOURS,
            ),
            Panel(
                t(language, "panel.sources"),
                tuple((t(language, f"source.{s}"), n) for s, n in insights.sources),
                colours=COLOURS,
            ),
        ),
        empty=t(language, "empty"),
    )


def title_of(insights: Insights, language: Language, team: str | None) -> str:
    if team is None:
        return t(language, "title_school", year=insights.period.label)
    return t(language, "title", team=team, year=insights.period.label)


def overview_message(insights: Insights, language: Language, team: str, titles: Titles) -> Message:
    """The channel's message: a heading, the chart, and every number as text."""
    title = title_of(insights, language, team)
    chart = chart_of(insights, language, title, titles)
    panels = ", ".join(p.title.lower() for p in chart.panels)
    image = File.of(
        f"overzicht-{insights.period.label}.png"
        if language == "nl"
        else f"overview-{insights.period.label}.png",
        "image/png",
        png(chart),
        alt=t(language, "alt", panels=panels),
    )
    return Message(
        text=title, blocks=(Heading(title), image, *number_blocks(insights, language, titles))
    )


def number_blocks(
    insights: Insights, language: Language, titles: Titles
) -> tuple[Paragraph | ItemList, ...]:
    last = insights.period.end - timedelta(days=1)
    start = full_date(language, insights.period.start)
    period = t(language, "period", start=start, end=full_date(language, last))
    held = t(language, "held", count=insights.held)
    months = tuple(ListItem(f"{month_name(language, m)}: {n}") for m, n in insights.per_month if n)
    methods = tuple(ListItem(f"{titles(p)}: {n}") for p, n in insights.per_method)
    people = tuple(
        ListItem(f"{name}: {t(language, 'times', count=n)}") for name, n in insights.named
    )
    if insights.unnamed_people:
        people += (
            ListItem(
                t(
                    language,
                    "unnamed",
                    people=insights.unnamed_people,
                    rounds=insights.unnamed_rounds,
                )
            ),
        )
    outcomes = tuple(ListItem(f"{t(language, f'outcome.{o}')}: {n}") for o, n in insights.outcomes)
    sources = tuple(ListItem(f"{t(language, f'source.{s}')}: {n}") for s, n in insights.sources)
    if insights.followup_median_days is None:
        followup = t(language, "followup_none")
    else:
        days = insights.followup_median_days
        followup = t(language, "followup", days=days, count=insights.followed_up)
    blocks: list[Paragraph | ItemList] = [Paragraph(f"{period} *{held}*")]
    if months:
        blocks.append(ItemList(t(language, "panel.months"), months))
    if methods:
        blocks.append(ItemList(t(language, "panel.methods"), methods))
    if insights.school:
        teams = tuple(ListItem(f"{name}: {n}") for name, n in insights.per_team)
        blocks.append(ItemList(t(language, "panel.teams"), teams))
    if people:
        blocks.append(ItemList(t(language, "people"), people))
    blocks.append(ItemList(t(language, "actions", count=insights.actions), outcomes))
    blocks.append(Paragraph(followup))
    blocks.append(ItemList(t(language, "panel.sources"), sources))
    return tuple(blocks)
