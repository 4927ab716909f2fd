"""Metadata header lines at the top of plain-text articles (``date 2021-03-01``, ``Title: …``).

A header is a known field name, an optional colon and a value. Without a colon a line only
counts as a header when it cannot be ordinary prose: dates and URLs must parse, and free-text
fields must be written in lower case (``title …``), so a first line like "Title IX rules …"
stays in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from presslens.readers.dates import parse_date_prefix

FIELDS = ("date", "title", "url", "source", "outlet", "author", "section")
_ALIASES = {
    "published": "date",
    "link": "url",
    "byline": "author",
    "authors": "author",
    "category": "section",
}
_HEADER_RE = re.compile(
    r"[^\S\n]*(?P<key>[A-Za-z]+)(?P<sep>[^\S\n]*:[^\S\n]*|[^\S\n]+)(?P<value>[^\n]*)"
)
_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
#: Separators only: a leading ``\s*`` made splitting quadratic on a long run of spaces.
#: Separators between authors; a comma before a name suffix ("King, Jr.") separates nothing.
_AUTHOR_SPLIT_RE = re.compile(r",(?!\s*(?:Jr|Sr|II|III|IV)\b\.?)|;|\band\b|&")
#: "Smith, John" or "de la Cruz, Ana María": one comma, a few words on either side.
_LAST_FIRST_RE = re.compile(
    r"[^\W\d][\w'.-]*(?: [\w'.-]+){0,2}, ?[^\W\d][\w'.-]*(?: [\w'.-]+){0,2}"
)
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


@dataclass(frozen=True)
class Header:
    """One header found: its field, value and the raw range removed from the body."""

    field: str
    value: str
    raw_start: int
    raw_end: int
    date: date | None = None


def parse_headers(raw: str) -> list[Header]:
    """Headers in the leading lines of ``raw`` (blank lines between them are allowed).

    Parsing stops at the first line that is not a header, and right after a date header whose
    line goes on ("date 2021-03-01 Spread the love"): the rest of that line is body text.
    """
    headers: list[Header] = []
    for line in _LINE_RE.finditer(raw):
        if line.start() == len(raw):
            break
        content = line.group().rstrip("\r\n")
        if not content.strip():
            continue
        found = _parse_line(content, line.start())
        if found is None:
            break
        headers.append(found)
        if found.raw_end < line.start() + len(content.rstrip()):
            break  # the line continues after the header: that rest is body
    return headers


def split_authors(value: str) -> list[str]:
    """``"A, B and C"`` -> ``["A", "B", "C"]``; a leading "By" is dropped; a suffix stays
    with its name (``"Martin Luther King, Jr."`` is one author).

    A list separated by semicolons whose every item is one "Last, First" pair
    (``"Smith, John; Doe, Jane"``) keeps each pair whole: the semicolons show the commas are
    inside names. A lone ``"Smith, John"`` stays two authors; nothing tells it from two
    one-word names."""
    value = re.sub(r"^\s*by\s+", "", value, flags=re.IGNORECASE)
    items = [a.strip() for a in value.split(";") if a.strip()]
    if len(items) > 1 and all(_LAST_FIRST_RE.fullmatch(a) for a in items):
        return items
    return [a.strip() for a in _AUTHOR_SPLIT_RE.split(value) if a.strip()]


def _parse_line(content: str, offset: int) -> Header | None:
    m = _HEADER_RE.fullmatch(content)
    if m is None:
        return None
    key = m.group("key")
    name = _ALIASES.get(key.lower(), key.lower())
    if name not in FIELDS:
        return None
    colon = ":" in m.group("sep")
    value = m.group("value").rstrip()
    start = offset + m.start("key")
    vstart = offset + m.start("value")
    if not value:
        return None
    if name == "date":
        parsed = parse_date_prefix(value)
        if parsed is None:
            if not colon:
                return None
            return Header(name, value, start, vstart + len(value))
        when, length = parsed
        return Header(name, value[:length], start, vstart + length, date=when)
    if name == "url":
        if not colon and _URL_RE.fullmatch(value) is None:
            return None
    elif not colon and key != key.lower():
        return None
    return Header(name, value, start, vstart + len(value))
