"""Strict date parsing for header lines and record fields.

Only unambiguous written forms are accepted (ISO, "March 1, 2021", "1 March 2021", with an
optional weekday and time). All-numeric day/month orders such as 01/03/2021 are ambiguous
across locales and are deliberately not guessed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

# English names spelled out: ``calendar.month_name`` follows the process locale.
_MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)})
_MONTHS["sept"] = 9
_MONTH = r"(?P<{g}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:" + "|".join(_WEEKDAY_NAMES + [d[:3] for d in _WEEKDAY_NAMES]) + r")\.?,?\s+)?"
#: A time is "10:30" or, in British style, "10.30". Time-zone names after a time: UTC/GMT,
#: North American (ET, EST, PDT…), European (CET, BST, EEST…) and a few Asian and Australian
#: ones; ``+00`` (PostgreSQL) is an offset.
_ZONES = r"UTC|GMT|[ECMP][SD]?T|BST|CES?T|EES?T|WES?T|MSK|JST|KST|IST|HKT|SGT|AE[SD]T"
_TIME = (
    r"(?:(?:T|,?\s+(?:at\s+)?)\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:Z|[+-]\d{2}(?::?\d{2})?|" + _ZONES + "))?)?"
)
_DAY = r"(?P<{g}>\d{{1,2}})(?:st|nd|rd|th)?"
_DATE_RE = re.compile(
    _WEEKDAY
    + r"(?:"
    + r"(?P<y1>\d{4})(?P<sep>[-/.])(?P<m1>\d{1,2})(?P=sep)(?P<d1>\d{1,2})"
    + r"|"
    + _MONTH.format(g="m2")
    + r"\s+"
    + _DAY.format(g="d2")
    + r",?\s+(?P<y2>\d{4})"
    + r"|"
    + _DAY.format(g="d3")
    + r"\s+(?:of\s+)?"
    + _MONTH.format(g="m3")
    + r",?\s+(?P<y3>\d{4})"
    + r")"
    + _TIME
    + r"(?![\w:])",
    re.IGNORECASE,
)


def parse_date_prefix(value: str) -> tuple[date, int] | None:
    """The date at the start of ``value`` and where it ends, or ``None``."""
    m = _DATE_RE.match(value)
    if m is None:
        return None
    g = m.groupdict()
    if g["y1"]:
        y, mo, d = int(g["y1"]), int(g["m1"]), int(g["d1"])
    elif g["y2"]:
        y, mo, d = int(g["y2"]), _MONTHS[g["m2"].lower()], int(g["d2"])
    else:
        y, mo, d = int(g["y3"]), _MONTHS[g["m3"].lower()], int(g["d3"])
    if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]):
        return None
    return date(y, mo, d), m.end()


_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def iso_day(value: str) -> date | None:
    """The day ``value`` spells as exactly YYYY-MM-DD (ASCII digits), else None.

    ``date.fromisoformat`` also takes "20210301" and "2021-W09-1", which a parameter
    documented as YYYY-MM-DD should refuse rather than read."""
    m = _ISO_DAY.fullmatch(value)
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_date(value: str) -> date | None:
    """The date ``value`` spells, if the whole (stripped) value is one date."""
    value = value.strip()
    found = parse_date_prefix(value)
    if found is None or found[1] != len(value):
        return None
    return found[0]
