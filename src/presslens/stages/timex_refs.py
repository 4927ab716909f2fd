"""Reference periods of financial reporting: "the quarter", "a year earlier", "the 1988 period".

Earnings reports name one period and then refer back to it: "third-quarter profit rose to
$5 million from $4 million a year earlier" compares 1989-Q3 with 1988-Q3, and "in the quarter"
or "the latest period" is that same quarter. TimeML annotates them that way. This pass walks
the time expressions in text order, keeps the first quarter an expression names explicitly
("the third quarter", "fiscal 1990's first quarter": the lead names the reported period, later
quarters are mentioned in passing) as the reference, and rewrites the values
of expressions that point at it. Without an explicit quarter, the last quarter completed before
the article date is the reference.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Protocol

__all__ = ["resolve_reference_periods"]

_F = re.IGNORECASE
#: "a year earlier", "year-ago", "the year-earlier period", "the comparable year-ago quarter".
_YEAR_AGO = re.compile(
    r"^(?:the\s+)?(?:comparable\s+|corresponding\s+|same\s+)?"
    r"(?:a\s+year\s+(?:ago|earlier)|year[- ](?:ago|earlier)"
    r"(?:\s+(?:first|second|third|fourth|1st|2nd|3rd|4th)?[\s-]?(?:period|quarter))?"
    r"|(?:period|quarter)\s+(?:of\s+)?last\s+year|last\s+year['’]s\s+quarter)$",
    _F,
)
#: "the quarter", "this quarter", "the latest period", "that quarter".
_THIS_PERIOD = re.compile(
    r"^(?:the|this|that)\s+(?:latest\s+|most\s+recent\s+|same\s+)?"
    r"(?:quarter|period)$",
    _F,
)
#: "the 1988 period", "the 1989 quarter".
_YEAR_PERIOD = re.compile(r"^the\s+((?:19|20)\d\d)\s+(?:period|quarter)$", _F)
_QUARTER_VALUE = re.compile(r"^(\d{4})-Q([1-4])$")
#: A sentence about quarterly figures: "a year ago" there is the year-ago quarter.
_QUARTER_WORD = re.compile(r"\bquarter|\bperiod\b", _F)
#: Characters before a year-ago expression searched for the quarter it compares with.
CONTEXT_CHARS = 300


class _TimexLike(Protocol):
    start: int
    end: int
    type: str
    value: str
    anchored: bool


def _last_completed_quarter(anchor: date) -> str:
    m = anchor.year * 12 + anchor.month - 1 - 3
    return f"{m // 12}-Q{(m % 12) // 3 + 1}"


def _minus_year(q: str) -> str:
    m = _QUARTER_VALUE.match(q)
    return f"{int(m.group(1)) - 1}-Q{m.group(2)}" if m else q


def resolve_reference_periods(
    text: str, timexes: Sequence[_TimexLike], anchor: date | None
) -> None:
    """Rewrite, in place, the values of expressions that refer to the reported quarter."""
    if anchor is None:
        return
    ref: str | None = None
    for t in timexes:
        surface = " ".join(text[t.start : t.end].split())
        named = t.type == "DATE" and _QUARTER_VALUE.match(t.value) and "quarter" in surface.lower()
        if named and not _THIS_PERIOD.match(surface) and not _YEAR_AGO.match(surface):
            if ref is None and abs(int(t.value[:4]) - anchor.year) <= 1:
                ref = t.value  # "the third quarter of 1984" is history, not the report's period
            continue
        if _YEAR_AGO.match(surface):
            lo = text.rfind(". ", 0, t.start) + 1
            hi = text.find(". ", t.end)
            sentence = text[lo : len(text) if hi < 0 else hi]
            near_ref = ref is not None and _QUARTER_WORD.search(
                text, max(0, t.start - CONTEXT_CHARS), t.start
            )
            if _QUARTER_WORD.search(sentence) or near_ref:
                t.type, t.value, t.anchored = (
                    "DATE",
                    _minus_year(ref or _last_completed_quarter(anchor)),
                    True,
                )
            continue
        if _THIS_PERIOD.match(surface) and t.type == "DATE":
            if ref is not None or "quarter" in surface.lower():
                t.value, t.anchored = ref or _last_completed_quarter(anchor), True
            continue
        year = _YEAR_PERIOD.match(surface)
        if year:
            q = _QUARTER_VALUE.match(ref or _last_completed_quarter(anchor))
            assert q is not None
            t.type, t.value, t.anchored = "DATE", f"{year.group(1)}-Q{q.group(2)}", True
