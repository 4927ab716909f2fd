"""Byline paragraphs at the top of an article body ("By Jane Doe and Omar Haddad, Reuters").

A byline names the writers; left in the text it made them people of the story (entities,
candidate speakers) and hid a dateline behind it. Only a short line that is nothing but
"By" and capitalised names counts: "By Tuesday, the council had…" and "By the numbers" stay.
"""

from __future__ import annotations

import re

from presslens.readers.headers import split_authors

#: Words after "By" that open a sentence or a time, not a name.
_NOT_NAMES = frozenset([
    "the", "a", "an", "then", "now", "noon", "midnight", "night", "morning", "evening",
    "afternoon", "late", "early", "far", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
])  # fmt: skip
#: Lower-case words a name may hold ("Ana de la Cruz"), and the "and" between names.
_PARTICLES = frozenset([
    "de", "da", "del", "van", "von", "der", "den", "al", "el", "bin", "ibn", "le", "la", "di",
    "and",
])  # fmt: skip
#: A name: up to four words (their case is checked after the match).
_NAME = r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,3}"
_BYLINE_RE = re.compile(
    rf"(?i:by)\s+(?P<names>{_NAME}(?:\s*(?:[,;&|]|\band\b)\s*{_NAME})*)\s*[:.]?",
)
#: Longest byline, in words.
MAX_BYLINE_WORDS = 14


def byline_authors(line: str) -> list[str] | None:
    """The authors a byline line names, or ``None`` when the line is not a byline."""
    text = line.strip()
    m = _BYLINE_RE.fullmatch(text)
    if m is None or len(text.split()) > MAX_BYLINE_WORDS:
        return None
    names = m.group("names")
    words = re.findall(r"[^\W\d_][\w'’.-]*", names)
    first = words[0] if words else ""
    if first.casefold() in _NOT_NAMES:
        return None
    if any(w[0].islower() and w.casefold() not in _PARTICLES for w in words):
        return None  # "By train and bus": lower-case words are prose
    if not re.search(r"\b\w{1,2}\.$", names):  # a final period, not "Jr." or "J."
        names = names.rstrip(".")
    authors = split_authors(names.replace("|", ";"))
    return authors or None
