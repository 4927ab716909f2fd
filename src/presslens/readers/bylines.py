"""Byline paragraphs at the top of an article body ("By Jane Doe and Omar Haddad, Reuters"),
and credit lines at its end ("Reporting by Alex Lawler in London; Editing by Jason Neely",
"Associated Press writer Jane Doe contributed to this report.").

A byline names the writers; left in the text it made them people of the story (entities,
candidate speakers) and hid a dateline behind it. Only a short line that is nothing but
"By" and capitalised names counts: "By Tuesday, the council had…" and "By the numbers" stay.
A credit line is nothing but credits: each part a role ("Reporting", "Additional reporting",
"Writing", "Editing"…) "by" capitalised names (each maybe "in" a place), or names that
"contributed to this report" / "contributed reporting".
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


#: Roles a wire credit line names ("Reporting by …; Editing by …").
_ROLE = (
    r"(?:Additional |Further )?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Ww]ritten"
    r"|[Rr]esearch|[Gg]raphics|[Pp]roduction|[Ff]act-checking)"
    r"(?: and (?:[Ee]diting|[Ww]riting|[Rr]eporting))?"
)
#: Roles whose names are the article's authors.
_AUTHOR_ROLES = ("reporting", "writing", "written", "compiled", "additional reporting")
_CAP_NAME = (
    r"[A-Z][\w'’.-]*"
    r"(?:\s+(?:(?:de|da|del|van|von|der|al|el|bin|le|la|di)\s+)?[A-Z][\w'’.-]*){0,3}"
)
_PLACE = r"(?:\s+in\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})?"
_CREDIT_NAMES = rf"{_CAP_NAME}{_PLACE}(?:\s*(?:,|\band\b)\s*{_CAP_NAME}{_PLACE})*"
_CREDIT_PART = re.compile(rf"(?P<role>{_ROLE})\s+by\s+(?P<names>{_CREDIT_NAMES})")
_CONTRIBUTED = re.compile(
    r"(?:(?:The\s+)?(?:Associated\s+Press|AP|Reuters|AFP)\s+(?:writers?|reporters?|"
    r"correspondents?)\s+)?"
    rf"(?P<names>{_CREDIT_NAMES})\s+(?:also\s+)?contributed\s+(?:to\s+this\s+"
    r"(?:report|story|article)|reporting)(?:\s+from\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})?"
)
#: Longest credit line, in words.
MAX_CREDIT_WORDS = 45


def credit_authors(line: str) -> list[str] | None:
    """The writers a closing credit line names (reporters and writers, not editors; possibly
    none), or ``None`` when the line is not a credit line."""
    text = line.strip()
    if len(text.split()) > MAX_CREDIT_WORDS:
        return None
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = text.rstrip(".").strip()
    m = _CONTRIBUTED.fullmatch(text)
    if m is not None:
        return _names(m.group("names"))
    parts = [p.strip() for p in re.split(r"\s*;\s*", text) if p.strip()]
    authors: list[str] = []
    for part in parts:
        m = _CREDIT_PART.fullmatch(part)
        if m is None:
            return None
        if m.group("role").casefold() in _AUTHOR_ROLES or m.group("role").casefold().startswith(
            ("reporting", "writing")
        ):
            authors += _names(m.group("names"))
    return authors


def _names(names: str) -> list[str]:
    """ "Alex Lawler in London and Florence Tan in Singapore" -> the two names."""
    out = []
    for item in re.split(r"\s*(?:,|\band\b)\s*", names):
        name = re.sub(r"\s+in\s+[A-Z].*$", "", item).strip()
        if name:
            out.append(name)
    return out
