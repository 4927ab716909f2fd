"""Parse-based corrections of time expressions: rates and ordinals that look like durations.

"a year" is a duration in "it lasted a year" but a rate in "$500 million a year" and "four
flights a week": TIMEX3 makes a rate a SET ("P1Y", once per year). "a second" is nearly always
the ordinal ("a second group", "a second betrayal"), not one second. Both are told apart by
the dependency parse, so this runs only when there is a spaCy Doc.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

__all__ = ["fix_rates_and_ordinals"]

#: "a year", "an hour", "per week": the shape a rate takes.
_ONE_UNIT = re.compile(r"^(?:a|an|per)\s+(year|month|week|day|hour|minute)$", re.IGNORECASE)
#: Words before "a week" that make it a frequency ("twice a week", "three times a day").
_FREQUENCY_WORDS = frozenset({"once", "twice", "thrice", "times"})
_UNIT_LETTER = {"year": "P1Y", "month": "P1M", "week": "P1W", "day": "P1D", "hour": "PT1H",
                "minute": "PT1M"}  # fmt: skip


class _TimexLike(Protocol):
    start: int
    end: int
    type: str
    value: str


def _is_rate(doc: Any, t: _TimexLike) -> bool:
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or len(span) < 2 or span.start == 0:
        return False
    before, unit = doc[span.start - 1], span[-1]
    if before.lower_ in _FREQUENCY_WORDS:
        return True
    # "$500 million a year", "700 seats a week": the unit hangs on the amount it divides
    return bool(
        unit.dep_ == "npadvmod"
        and unit.head.pos_ in ("NOUN", "NUM")
        and before.pos_ in ("NOUN", "NUM")
        and before.tag_ in ("NNS", "CD")
    )


def fix_rates_and_ordinals(doc: Any, text: str, timexes: list[Any]) -> list[Any]:
    """Rates become SETs ("a year" → ``P1Y``); "a second" as an ordinal is dropped."""
    out = []
    for t in timexes:
        surface = " ".join(text[t.start : t.end].split()).lower()
        if surface in ("a second", "one second") and _ordinal(doc, t):
            continue
        m = _ONE_UNIT.match(surface)
        if m and t.type == "DURATION" and _is_rate(doc, t):
            t.type, t.value = "SET", _UNIT_LETTER[m.group(1).lower()]
        out.append(t)
    return out


def _ordinal(doc: Any, t: _TimexLike) -> bool:
    """Is "a second" the ordinal, modifying the noun after it ("a second group")?"""
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None:
        return False
    word = span[-1]
    return word.dep_ == "amod" or word.tag_ == "JJ"
