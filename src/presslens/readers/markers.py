"""Datelines and editorial disclaimers: kept in the text, marked with spans.

A dateline ("Rabat –", "WASHINGTON (Reuters) -", "PARIS, March 3 —") is only accepted at the
start of the first body paragraph, when the words before the dash are capitalised, are not
common sentence openers, and a sentence continues after the dash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presslens import lexicons

_WORD = r"[^\W\d_][\w'’.&-]*"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE_RE = re.compile(
    rf"(?P<place>{_WORD}(?: {_WORD}){{0,3}}(?:, (?!{_MONTH} \d){_WORD}(?: {_WORD}){{0,2}})?)"
    rf"(?:, (?:{_MONTH} \d{{1,2}}|\d{{1,2}} {_MONTH})(?:, \d{{4}})?)?"
    r"(?: \((?P<agency>[^()\n]{1,40})\))?"
    r"(?P<dash> ?[–—]| --?) (?=\S)"
)
_DISCLAIMERS = tuple(
    (kind, re.compile(lexicons.DISCLAIMER_LABEL + pattern, re.IGNORECASE | re.DOTALL))
    for kind, pattern in lexicons.DISCLAIMER_PATTERNS
)
_OPENING_QUOTES = "\"'“‘«("


@dataclass(frozen=True)
class Dateline:
    """Offsets relative to the paragraph: the place, and the dateline through its dash."""

    place: str
    place_start: int
    place_end: int
    end: int


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening ``paragraph``, or ``None``."""
    m = _DATELINE_RE.match(paragraph)
    if m is None:
        return None
    rest = paragraph[m.end() :]
    if not (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENING_QUOTES):
        return None  # "Meanwhile – the …": no new sentence after the dash
    place = m.group("place")
    words = [w.strip(",") for w in place.split()]
    if not all(w[0].isupper() for w in words):
        return None
    lowered = [w.casefold().strip(".,'’") for w in words]
    first_is_article = lowered[0] == "the" and len(words) > 1  # "The Hague –"
    for i, w in enumerate(lowered):
        if w in lexicons.DATELINE_STOPWORDS and not (i == 0 and first_is_article):
            return None
    dash_end = m.end("dash")
    return Dateline(
        place=place, place_start=m.start("place"), place_end=m.end("place"), end=dash_end
    )


def disclaimer_kind(paragraph: str) -> str | None:
    """``"opinion"`` or ``"satire"`` when the paragraph is an editorial disclaimer."""
    for kind, pattern in _DISCLAIMERS:
        if pattern.match(paragraph):
            return kind
    return None
