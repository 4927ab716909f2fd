"""When a number's event happened, as far as comparing outlets needs it: now, or earlier.

Reports of one story recall earlier events with their own figures: "Ten people were killed"
and, in another outlet, "a quake in Bam in December 2003 killed more than 26,000". Keyed by
what they count alone, the two are one "dead" figure that disagrees. A number whose sentence
dates it before the story — a date of an earlier year, or words that place it before
("earlier this year", "last season", "two years ago", "weeks after") — is keyed with that time
instead, so it meets only figures of the same earlier time (two outlets' tolls for the 2003
quake still meet, and may disagree).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from presslens.corpus.sentences import sentence_bounds
from presslens.model import Article, Span

__all__ = ["EARLIER", "reference_year", "time_of"]

#: The time a background number is keyed with when its sentence names no year.
EARLIER = "earlier"
#: Words that place what a sentence tells before the story's own time ("this past season" is
#: the story's own, as a signing after the season tells it).
PAST_WORDS = re.compile(
    r"\b(?:earlier|last|previous)\s+(?:this\s+)?(?:year|season|month|decade)\b"
    r"|\b(?:years?|months?|decades?|weeks?)\s+(?:ago|earlier|after|before)\b"
    r"|\bearlier\s+this\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(\d{4})(?:-(\d{2}))?")


def reference_year(articles: Sequence[Article]) -> int | None:
    """The year the story happens in: the latest publication year of its articles, else the
    year its articles' full dates (day, month and year) name most, else the year their dates
    name most; None when nothing dates it."""
    published = [a.published.date.year for a in articles if a.published is not None]
    if published:
        return max(published)
    full: Counter[int] = Counter()
    any_year: Counter[int] = Counter()
    for art in articles:
        for t in art.layer("timexes"):
            m = _YEAR.match(str(t.attrs.get("value") or ""))
            if t.attrs.get("type") != "DATE" or m is None:
                continue
            any_year[int(m.group(1))] += 1
            if len(str(t.attrs["value"])) >= 10:
                full[int(m.group(1))] += 1
    counts = full or any_year
    return counts.most_common(1)[0][0] if counts else None


def time_of(art: Article, span: Span, year: int | None) -> str | None:
    """``None`` when nothing in the number's sentence dates it before the story (``year``:
    :func:`reference_year`); else the earlier time it names ("2003-12", "2003") or
    :data:`EARLIER`."""
    lo, hi = sentence_bounds(art, span)
    for t in art.layer("timexes"):
        if t.end <= lo or t.start >= hi or t.attrs.get("type") != "DATE":
            continue
        value = str(t.attrs.get("value") or "")
        m = _YEAR.match(value)
        if m is not None and year is not None and int(m.group(1)) < year:
            return m.group(0)
        if value == "PAST_REF":
            return EARLIER
    if PAST_WORDS.search(art.text, lo, hi):
        return EARLIER
    return None
