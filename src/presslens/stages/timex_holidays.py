"""Named days of the calendar: "Thanksgiving", "Christmas Eve", "Easter", "Labor Day".

A holiday is a date once its year is known: fixed ones fall on a month and day, movable ones
on a rule ("the fourth Thursday of November", Easter by the Gregorian computus). Only names
that mean one day wherever the news comes from are listed ("Independence Day" is not: every
country has its own); the US ones (Thanksgiving, Labor Day) are the American dates. The year
comes the way a month's does (tense, "last", "next", or the nearest one), so the timex stage
treats the holiday like a month and day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

__all__ = ["HOLIDAY_PATTERN", "HOLIDAY_WORDS", "holiday_date", "holiday_month"]


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (0 = Monday) of the month; ``n`` = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


#: Holiday name (lower case, single spaces) → the date it falls on in a given year.
_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas": lambda y: date(y, 12, 25),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24),
    "new year's day": lambda y: date(y, 1, 1),
    "new year's eve": lambda y: date(y, 12, 31),
    "valentine's day": lambda y: date(y, 2, 14),
    "halloween": lambda y: date(y, 10, 31),
    "the fourth of july": lambda y: date(y, 7, 4),
    "veterans day": lambda y: date(y, 11, 11),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "easter": _easter,
    "easter sunday": _easter,
    "good friday": lambda y: _easter(y) - timedelta(days=2),
}

#: Regex alternation of the holiday names (longest first); matched case-sensitively on the
#: capitalised forms so "christmas" in lower case is not taken.
HOLIDAY_PATTERN = "|".join(
    sorted(
        (
            " ".join(w if w in ("of", "the") else w[0].upper() + w[1:] for w in k.split())
            .replace("Day", "[Dd]ay")
            .replace("Eve", "[Ee]ve")
            .replace("'", "['’]")
            for k in _HOLIDAYS
        ),
        key=len,
        reverse=True,
    )
)


#: Lower-case words one of which every holiday name contains (a cheap pre-check).
HOLIDAY_WORDS = tuple(sorted({k.split("'")[0] for k in _HOLIDAYS}))


def _key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


def holiday_month(name: str, year: int = 2001) -> int:
    """The month the holiday falls in (Easter: its month in ``year``)."""
    return _HOLIDAYS[_key(name)](year).month


def holiday_date(name: str, year: int) -> date:
    """The holiday's date in ``year``."""
    return _HOLIDAYS[_key(name)](year)
