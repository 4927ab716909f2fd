"""Metadata header lines at the top of plain-text articles (``date 2021-03-01``, ``Title: …``).

A header is a known field name, an optional colon and a value. Without a colon a line only
counts as a header when it cannot be ordinary prose: dates and URLs must parse, and free-text
fields must be written in lower case (``title …``), so a first line like "Title IX rules …"
stays in the body. With a colon the whole line is the header: "date: Nov. 24, 2026 10:00
a.m. ET" is one date header, not a date and a body line "ET".

Other ``Key: value`` lines (``updated:``, ``language:``) belong to the header block when they
stand in one run of lines with a known header; on their own they are body ("Note: …").
Values that read as prose ("Source: officials close to the talks said the deal was near.")
are not headers: a header block is metadata, and a first paragraph must not become an outlet.
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
#: Unknown header keys: one or two words ("Updated", "Last modified"), then a colon.
_OTHER_RE = re.compile(
    r"[^\S\n]*(?P<key>[A-Za-z][A-Za-z-]{0,24}(?: [A-Za-z][A-Za-z-]{0,24})?)"
    r"[^\S\n]*:[^\S\n]*(?P<value>[^\n]*)"
)
#: More words than this in a header value (other than a title) is prose, not metadata.
MAX_VALUE_WORDS = 16
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

    Parsing stops at the first line that is not a header, and right after a colon-less date
    header whose line goes on ("date 2021-03-01 Spread the love"): the rest of that line is
    body text. An unknown ``Key: value`` line waits for a known header in its run of lines
    (no blank line between); if none comes, parsing stops before it.
    """
    headers: list[Header] = []
    waiting: list[Header] = []  # unknown keys not yet backed by a known header in their run
    backed = False  # the current run of lines holds a known header
    for line in _LINE_RE.finditer(raw):
        if line.start() == len(raw):
            break
        content = line.group().rstrip("\r\n")
        if not content.strip():
            if waiting:
                break
            backed = False
            continue
        found = _parse_line(content, line.start())
        if found is None:
            other = _other_line(content, line.start()) or _bare_field(content, line.start())
            if other is None:
                break
            if backed:
                headers.append(other)
            else:
                waiting.append(other)
            continue
        headers.extend(waiting)
        waiting.clear()
        backed = True
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
        # "author:" left empty by a template is a header saying nothing; a bare word is not.
        return Header(name, "", start, start + len(m.group().strip())) if colon else None
    if name == "date":
        parsed = parse_date_prefix(value)
        if parsed is None:
            if not colon:
                return None
            return Header(name, value, start, vstart + len(value))
        when, length = parsed
        if colon:  # the whole line: a time zone or "(updated …)" after the date is no body
            return Header(name, value, start, vstart + len(value), date=when)
        return Header(name, value[:length], start, vstart + length, date=when)
    if name == "url":
        if _URL_RE.fullmatch(value) is None and (not colon or any(c.isspace() for c in value)):
            return None
    elif (not colon and key != key.lower()) or (name != "title" and _reads_as_prose(value)):
        return None
    return Header(name, value, start, vstart + len(value))


def _other_line(content: str, offset: int) -> Header | None:
    """An unknown ``Key: value`` line that may belong to a header block (``updated: …``)."""
    m = _OTHER_RE.fullmatch(content)
    if m is None:
        return None
    key, value = m.group("key"), m.group("value").rstrip()
    if key.isupper() or _reads_as_prose(value):  # "WASHINGTON: …" is a dateline
        return None
    start = offset + m.start("key")
    end = offset + m.start("value") + len(value) if value else start + len(m.group().strip())
    return Header(key.lower(), value, start, end)


def _bare_field(content: str, offset: int) -> Header | None:
    """A known field name alone on its line ("source" with its value left empty by an
    exporter); like an unknown key, a header only beside a known header."""
    key = content.strip()
    name = _ALIASES.get(key.lower(), key.lower())
    if name not in FIELDS:
        return None
    start = offset + content.index(key)
    return Header(name, "", start, start + len(key))


def _reads_as_prose(value: str) -> bool:
    """A value too long for metadata, or a sentence of several words."""
    words = len(value.split())
    return words > MAX_VALUE_WORDS or (
        words >= 5 and value.rstrip("\"'”’)").endswith((".", "!", "?"))
    )
