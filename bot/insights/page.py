"""The read-only insights page behind an unguessable link, for the team and the
school's coordinator: numbers only, never a text anyone wrote.

GET /overzicht/{token}                      a team's page
GET /overzicht/{token}/chart.svg            its chart
GET /overzicht/school/{token}               the school's page (counts per team, nobody named)
GET /overzicht/school/{token}/chart.svg     its chart

The token is the only key (secrets.token_urlsafe(32)), never logged; an unknown
or revoked one gets a plain 404 that says nothing about which tokens exist. The
page runs no script and loads nothing from elsewhere; it sends no referrer, so
the link does not leak to a site someone follows from it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.orm import Session, sessionmaker

import storage
from bot.i18n import Language, language_of
from bot.insights.chart import svg
from bot.insights.desk import period_of
from bot.insights.gather import school_insights, team_insights
from bot.insights.numbers import Insights, Period
from bot.insights.report import Titles, chart_of, title_of, titles_in
from bot.insights.texts import month_name, t
from bot.service.clock import Clock
from bot.words import full_date
from protocols.loader import Library
from storage import insights as repo

log = logging.getLogger(__name__)

_Handler = Callable[[web.Request], Awaitable[web.Response]]

# token_urlsafe(32) makes 43 characters; anything else is not one of ours.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; color: #1d2b27; margin: 0; background: #f6f7f5; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.note { color: #4a5752; margin: 0 0 1rem; }
img { display: block; width: 100%; height: auto; background: #fff;
      border: 1px solid #d8ddd9; border-radius: 6px; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
          gap: 1rem; align-items: start; }
table { border-collapse: collapse; width: 100%; background: #fff; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e7e4; }
th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; }
""".strip()
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; img-src 'self'; style-src 'sha256-{_STYLE_HASH}'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    # Not kept by the browser: a revoked link must stop showing the page at once.
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Shown:
    """What one page shows: its numbers, in its language, with its title."""

    insights: Insights
    language: Language
    title: str
    titles: Titles


class InsightsPages:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        library: Library,
        clock: Clock,
        *,
        language: Language,
        timezone: str,
    ) -> None:
        self.sessions = sessions
        self.library = library
        self.clock = clock
        self.language = language
        self.timezone = timezone

    def add_to(self, app: web.Application) -> None:
        app.router.add_get("/overzicht/school/{token}", self._page("school"))
        app.router.add_get("/overzicht/school/{token}/chart.svg", self._chart("school"))
        app.router.add_get("/overzicht/{token}", self._page("team"))
        app.router.add_get("/overzicht/{token}/chart.svg", self._chart("team"))

    def shown(self, scope: str, token: str, year: str | None) -> Shown | None:
        """The page's numbers, or None for a token that opens nothing (of this scope)."""
        if not _TOKEN.fullmatch(token):
            return None
        with self.sessions() as session:
            found = repo.insight_link_owner(session, token)
            if found is None or found[0] != scope:
                return None
            owner = found[1]
            now = self.clock.now()
            if isinstance(owner, storage.Team):
                language = language_of(owner.language)
                period = _period(year, now.astimezone(ZoneInfo(owner.timezone)).date())
                insights = team_insights(session, owner, period)
                title = title_of(insights, language, owner.name or owner.external_id)
            else:
                language = self.language
                period = _period(year, now.astimezone(ZoneInfo(self.timezone)).date())
                insights = school_insights(session, owner, period, self.timezone)
                title = title_of(insights, language, None)
        return Shown(insights, language, title, titles_in(self.library, language))

    async def _found(self, request: web.Request, scope: str) -> Shown:
        token = request.match_info["token"]
        year = request.query.get("schooljaar")
        shown = await asyncio.to_thread(self.shown, scope, token, year)
        if shown is None:
            log.info("insights page: unknown link (%s)", scope)
            raise web.HTTPNotFound(text="not found")
        return shown

    def _page(self, scope: str) -> _Handler:
        async def serve(request: web.Request) -> web.Response:
            shown = await self._found(request, scope)
            base = "/overzicht/school" if scope == "school" else "/overzicht"
            token = request.match_info["token"]
            query = f"?schooljaar={shown.insights.period.label}"
            body = render_page(shown, chart_url=f"{base}/{token}/chart.svg{query}")
            return web.Response(
                text=body, content_type="text/html", charset="utf-8", headers=_HEADERS
            )

        return serve

    def _chart(self, scope: str) -> _Handler:
        async def serve(request: web.Request) -> web.Response:
            shown = await self._found(request, scope)
            chart = chart_of(shown.insights, shown.language, shown.title, shown.titles)
            drawing = await asyncio.to_thread(svg, chart)
            return web.Response(
                text=drawing, content_type="image/svg+xml", charset="utf-8", headers=_HEADERS
            )

        return serve


def _period(year: str | None, today: date) -> Period:
    chosen = period_of(year) if year else None
    return chosen or Period.school_year_of(today)


def render_page(shown: Shown, *, chart_url: str) -> str:
    """The page as HTML; every text escaped (team and person names are typed by people)."""
    i, lang = shown.insights, shown.language

    def e(text: object) -> str:
        return html.escape(str(text), quote=True)

    def table(caption: str, head: str, rows: list[tuple[str, int]]) -> str:
        body = "".join(f"<tr><td>{e(k)}</td><td class=n>{v}</td></tr>" for k, v in rows)
        return (
            f"<table><caption>{e(caption)}</caption>"
            f"<thead><tr><th scope=col>{e(head)}</th>"
            f"<th scope=col class=n>{e(t(lang, 'page.count'))}</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )

    last = i.period.end - timedelta(days=1)
    period = t(lang, "period", start=full_date(lang, i.period.start), end=full_date(lang, last))
    if i.followup_median_days is None:
        followup = t(lang, "followup_none")
    else:
        followup = t(lang, "followup", days=i.followup_median_days, count=i.followed_up)
    tables = [
        table(
            t(lang, "panel.months"),
            t(lang, "page.month"),
            [(month_name(lang, m), n) for m, n in i.per_month],
        ),
        table(
            t(lang, "panel.methods"),
            t(lang, "page.method"),
            [(shown.titles(p), n) for p, n in i.per_method],
        ),
    ]
    if i.school:
        tables.append(table(t(lang, "panel.teams"), t(lang, "page.team"), list(i.per_team)))
    else:
        people = list(i.named)
        if i.unnamed_people:
            people.append((t(lang, "page.unnamed", people=i.unnamed_people), i.unnamed_rounds))
        tables.append(table(t(lang, "people"), t(lang, "page.person"), people))
    tables.append(
        table(
            t(lang, "actions", count=i.actions),
            t(lang, "page.outcome"),
            [(t(lang, f"outcome.{o}"), n) for o, n in i.outcomes],
        )
    )
    tables.append(
        table(
            t(lang, "panel.sources"),
            t(lang, "page.source"),
            [(t(lang, f"source.{s}"), n) for s, n in i.sources],
        )
    )
    people_line = t(lang, "people_count", count=i.people)
    chart = chart_of(i, lang, shown.title, shown.titles)
    alt = t(lang, "alt", panels=", ".join(p.title.lower() for p in chart.panels))
    return (
        "<!doctype html>"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{e(shown.title)}</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{e(shown.title)}</h1>"
        f'<p class="note">{e(t(lang, "page.note"))}</p>'
        f"<p>{e(period)} <strong>{e(t(lang, 'held', count=i.held))}</strong> · "
        f"{e(people_line)}</p>"
        f'<img src="{e(chart_url)}" alt="{e(alt)}" width="720" height="504">'
        f"<h2>{e(t(lang, 'page.heading_numbers'))}</h2>"
        f"<p>{e(followup)}</p>"
        f'<div class="tables">{"".join(tables)}</div>'
        "</main></body></html>"
    )
