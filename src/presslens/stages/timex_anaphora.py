"""Anaphoric time expressions: "that year", "later that day", "that quarter".

"She fled in June 1998 and returned later that year": "that year" names no date itself; it
points back at the last date the text mentioned, cut to its own granularity (TimeML's anaphoric
reading, ``1998``); "the following month" is the month after it. The pattern pass gives such
expressions a placeholder value (:func:`placeholder`); this pass walks the expressions in text
order and replaces it from the last preceding date, or, when that date is not precise enough or
there is none, keeps a fallback ("the following month" then counts from the article date) or
drops the expression ("that day": a value that dates nothing helps no one).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

__all__ = ["PLACEHOLDER", "placeholder", "resolve_anaphora"]

#: Value prefix the pattern pass gives "that year" & co.
PLACEHOLDER = "ANAPHOR:"
_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_MONTH = re.compile(r"^(\d{4})-(\d\d)(?!\d)")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})(?![\d])")


def _cut(value: str, gran: str) -> str | None:
    """``value`` (an ISO date, month, quarter or year) at granularity ``gran``, if it has it."""
    day = _DAY.match(value)
    if gran == "day":
        return day.group(0) if day else None
    if gran == "week":
        if not day:
            return None
        y, w, _ = date(int(day.group(1)), int(day.group(2)), int(day.group(3))).isocalendar()
        return f"{y}-W{w:02d}"
    month = _MONTH.match(value)
    if gran == "month":
        return month.group(0) if month else None
    if gran == "quarter":
        q = _QUARTER.match(value)
        if q:
            return value
        return f"{month.group(1)}-Q{(int(month.group(2)) - 1) // 3 + 1}" if month else None
    year = _YEAR.match(value)
    return year.group(1) if gran == "year" and year else None


def _shift(value: str, gran: str, step: int) -> str:
    """``value`` (at granularity ``gran``) moved by ``step`` units: "1989-03" + 1 → "1989-04"."""
    if gran == "year":
        return str(int(value) + step)
    if gran == "quarter":
        q = int(value[:4]) * 4 + int(value[-1]) - 1 + step
        return f"{q // 4}-Q{q % 4 + 1}"
    if gran == "month":
        m = int(value[:4]) * 12 + int(value[5:7]) - 1 + step
        return f"{m // 12}-{m % 12 + 1:02d}"
    if gran == "week":
        y, w = int(value[:4]), int(value[6:])
        d = date.fromisocalendar(y, w, 1) + timedelta(weeks=step)
        y2, w2, _ = d.isocalendar()
        return f"{y2}-W{w2:02d}"
    return (date.fromisoformat(value) + timedelta(days=step)).isoformat()


def placeholder(gran: str, step: int = 0, fallback: str = "") -> str:
    """The value to give an anaphoric expression until :func:`resolve_anaphora` runs.

    ``step`` moves from the antecedent ("the following month": +1); ``fallback`` is kept
    when there is no antecedent (else the expression is dropped).
    """
    return f"{PLACEHOLDER}{gran}:{step}:{fallback}"


def resolve_anaphora(timexes: list[Any]) -> list[Any]:
    """Replace placeholder values from the preceding dates; drop those with no antecedent."""
    out: list[Any] = []
    previous: list[str] = []
    for t in timexes:
        if t.value.startswith(PLACEHOLDER):
            gran, step, fallback = t.value[len(PLACEHOLDER) :].split(":", 2)
            value = _cut(previous[-1], gran) if previous else None
            if value is not None:
                t.value, t.anchored = _shift(value, gran, int(step)), True
            elif fallback:
                t.value = fallback
            else:
                continue
        elif t.type in ("DATE", "TIME") and _YEAR.match(t.value):
            previous.append(t.value)
        out.append(t)
    return out
