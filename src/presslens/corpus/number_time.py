"""When a number's event happened, as far as comparing outlets needs it: now, or earlier.

Reports of one story recall earlier events with their own figures: "Ten people were killed"
and, in another outlet, "a quake in Bam in December 2003 killed more than 26,000". Keyed by
what they count alone, the two are one "dead" figure that disagrees. A number whose sentence
dates it before the story — a date of an earlier year or two months or more before the
story's month, or words that place it before ("earlier this year", "last season", "two years
ago", "weeks after") — is keyed with that time
instead, so it meets only figures of the same earlier time (two outlets' tolls for the 2003
quake still meet, and may disagree).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from presslens.corpus.sentences import sentence_bounds
from presslens.model import Article, Span

__all__ = ["EARLIER", "story_time", "time_of"]

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
_YEARLESS_MONTH = re.compile(r"^XXXX-(\d{2})(?!\d|-W)")
#: A sentence opening with a pronoun subject goes on about what the sentence before told.
_ANAPHORIC_OPENING = re.compile(r"\s*(?:It|They|That|This)\s", re.IGNORECASE)
#: Months before the story's month from which a date of the same year is an earlier event's.
MONTHS_BEFORE = 2


def story_time(articles: Sequence[Article]) -> tuple[int, int | None] | None:
    """The year and month the story happens in: the latest publication date of its
    articles, else the month its articles' full dates (day, month and year) name most, else
    the year (no month) their dates name most; None when nothing dates it."""
    published = [a.published.date for a in articles if a.published is not None]
    if published:
        latest = max(published)
        return latest.year, latest.month
    full: Counter[tuple[int, int]] = Counter()
    years: Counter[int] = Counter()
    for art in articles:
        for t in art.layer("timexes"):
            m = _YEAR.match(str(t.attrs.get("value") or ""))
            if t.attrs.get("type") != "DATE" or m is None:
                continue
            years[int(m.group(1))] += 1
            if m.group(2) and len(str(t.attrs["value"])) >= 10:
                full[int(m.group(1)), int(m.group(2))] += 1
    if full:
        return full.most_common(1)[0][0]
    return (years.most_common(1)[0][0], None) if years else None


def time_of(art: Article, span: Span, story: tuple[int, int | None] | None) -> str | None:
    """``None`` when nothing in the number's sentence dates it before the story (``story``:
    :func:`story_time`); else the earlier time it names ("2003-12", "2003") or
    :data:`EARLIER`. A dated month is earlier when it is :data:`MONTHS_BEFORE` or more before
    the story's ("In February, a quake … killed 612" in a November report); the month before
    may still be the story's own. A month the text gives no year counts back from the
    story's month ("In December" in a January report is the month before)."""
    lo, hi = sentence_bounds(art, span)
    found = _dated(art, lo, hi, story)
    own_date = any(
        t.start < hi and lo < t.end and t.attrs.get("type") == "DATE" for t in art.layer("timexes")
    )
    if found is None and not own_date and _ANAPHORIC_OPENING.match(art.text, lo):
        # "The last major quake hit Zarand in February. It killed 612 people": the sentence
        # before says when (not "This year, 10 died": that one dates itself)
        before = [s for s in art.layer("sentences") if s.end <= lo]
        if before:
            found = _dated(art, before[-1].start, before[-1].end, story)
    return found


def _dated(art: Article, lo: int, hi: int, story: tuple[int, int | None] | None) -> str | None:
    """The earlier time the text at ``lo:hi`` names (see :func:`time_of`), else None."""
    for t in art.layer("timexes"):
        if t.end <= lo or t.start >= hi or t.attrs.get("type") != "DATE":
            continue
        value = str(t.attrs.get("value") or "")
        m = _YEAR.match(value)
        if m is not None and story is not None and _before(m, story):
            return m.group(0)
        month = _YEARLESS_MONTH.match(value)
        if month is not None and story is not None and story[1] is not None:
            # a month the text gives no year ("In February"): the last such month before
            # the story's, or in it
            number = int(month.group(1))
            if (story[1] - number) % 12 >= MONTHS_BEFORE:
                return EARLIER
        if value == "PAST_REF":
            return EARLIER
    if PAST_WORDS.search(art.text, lo, hi):
        return EARLIER
    return None


def _before(m: re.Match[str], story: tuple[int, int | None]) -> bool:
    """Whether the date ``m`` matched (year, maybe month) is an earlier event's."""
    year, month = int(m.group(1)), m.group(2)
    if month is None or story[1] is None:
        return year < story[0]
    return (story[0] * 12 + story[1]) - (year * 12 + int(month)) >= MONTHS_BEFORE
