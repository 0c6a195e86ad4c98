"""Words of a person: days, dates, numbers and lists the way each language writes them.

Counts with their noun are written in the catalogs themselves: `{count:stem|stemmen}`
reads "1 stem", "3 stemmen" (see `bot.i18n.translate`). Every catalog and view that
shows a date, a decimal or a list to people goes through here, so a screen never has
"2026-12-15" beside "di 15 dec", "4.0 van 5" or "stem(men)".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    # bot.i18n formats counts through this module; the name of a language is all we need.
    from bot.i18n import Language


@dataclass(frozen=True)
class _Words:
    days: tuple[str, ...]
    day_names: tuple[str, ...]
    months: tuple[str, ...]
    month_names: tuple[str, ...]
    # "dinsdag 31 maart om 15:30"
    at: str
    # "dinsdag en donderdag"
    and_: str
    decimal_point: str


_WORDS: dict[Language, _Words] = {
    "nl": _Words(
        days=("ma", "di", "wo", "do", "vr", "za", "zo"),
        day_names=("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
        months=("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
        month_names=(
            "januari", "februari", "maart", "april", "mei", "juni", "juli",
            "augustus", "september", "oktober", "november", "december",
        ),
        at="om",
        and_="en",
        decimal_point=",",
    ),
    "en": _Words(
        days=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        day_names=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        months=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        month_names=(
            "January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December",
        ),
        at="at",
        and_="and",
        decimal_point=".",
    ),
}  # fmt: skip


def day_name(language: Language, weekday: int) -> str:
    """ "dinsdag" / "Tuesday" (Monday is 0)."""
    return _WORDS[language].day_names[weekday]


def short_day(language: Language, day: date) -> str:
    """ "di 15 dec" / "Tue 15 Dec": on cards, beside a deadline."""
    w = _WORDS[language]
    return f"{w.days[day.weekday()]} {day.day} {w.months[day.month - 1]}"


def short_moment(language: Language, moment: datetime, timezone: str) -> str:
    """ "di 15 dec 14:30", in the team's time zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{short_day(language, local.date())} {local:%H:%M}"


def long_day(language: Language, day: date) -> str:
    """ "dinsdag 16 februari" / "Tuesday 16 February"."""
    w = _WORDS[language]
    return f"{w.day_names[day.weekday()]} {day.day} {w.month_names[day.month - 1]}"


def long_moment(language: Language, local: datetime) -> str:
    """ "dinsdag 31 maart om 15:30" / "Tuesday 31 March at 15:30" (already local)."""
    return f"{long_day(language, local.date())} {_WORDS[language].at} {local:%H:%M}"


def full_date(language: Language, day: date) -> str:
    """ "16 februari 2027": a date that may lie in another year (a record, a period)."""
    return f"{day.day} {_WORDS[language].month_names[day.month - 1]} {day.year}"


def short_month(language: Language, year: int, month: int) -> str:
    """ "sep 2026": a month in a chart or a table."""
    return f"{_WORDS[language].months[month - 1]} {year}"


def decimal(language: Language, value: float, digits: int = 1) -> str:
    """ "4" for 4.0, "4,5" / "4.5" for 4.5: no ".0" on a whole number."""
    rounded = round(value, digits)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{digits}f}".replace(".", _WORDS[language].decimal_point)


def count(language: Language, value: float, one: str, many: str) -> str:
    """ "1 stem", "3 stemmen", "2,5 dagen": the singular for exactly one, in both."""
    number = str(value) if isinstance(value, int) else decimal(language, value)
    return f"{number} {one if value == 1 else many}"


def joined(language: Language, words: Sequence[str]) -> str:
    """ "dinsdag en donderdag", "Monday, Tuesday and Friday"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {_WORDS[language].and_} {words[-1]}"


class _Named(Protocol):
    def get(self, language: Language) -> str: ...


def listed(names: Iterable[_Named]) -> Callable[[Language], str]:
    """Titles (of methods, roles) as a list in whichever language the text is read:
    a person reads "Incidentmethode en Roddelmethode", never "incident, gossip"."""
    kept = list(names)
    return lambda language: joined(language, [n.get(language) for n in kept])
