"""Datelines and editorial disclaimers: kept in the text, marked with spans.

A dateline ("Rabat –", "WASHINGTON (Reuters) -", "PARIS, March 3 —", "NEW DELHI:") is only
accepted at the start of the first body paragraph, when the words before the dash (or, for a
place in capitals outside a transcript, the colon) are capitalised, are not common sentence
openers, and a sentence continues after the dash.

Names of people and organisations open sentences the same way ("Keir Starmer - Britain’s
prime minister - promised …"), so the words before the dash must also look like a place:
written in capitals ("WASHINGTON —"), or followed by a region, a date or an agency ("Kabul,
Afghanistan --", "Rabat, Nov. 24 (MAP) --"). A place in mixed case needs a paragraph that
ends like a sentence (a headline or caption such as "Corey Taylor - America 51 review" does
not), and with a bare dash ("Rabat – An ongoing dispute continues.") a capitalised word after
it that opens no quote and no apposition ("Hamas — Israel’s enemy for decades, said …";
"Wrenford – Wrenford's public library reopened on Monday, …" is a clause). Without a date or
an agency, a dateline is also refused when its dash opens a short aside that a second dash
closes before the sentence goes on in lower case ("The Federal Reserve — America’s central
bank — raised …"); after a place in capitals only when the aside reads as an apposition
("NATO — Europe’s shield — said …"), as "WASHINGTON — The Senate passed the bill — the first
in a decade." is a dateline, and so is "WASHINGTON — The senator — a Democrat — said …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presslens import lexicons

_WORD = r"[^\W\d_][\w'’.&-]*"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE_RE = re.compile(
    rf"(?P<place>{_WORD}(?: {_WORD}){{0,3}}(?:, (?!{_MONTH} \d){_WORD}(?: {_WORD}){{0,2}})?)"
    rf"(?P<date>, (?:{_MONTH} \d{{1,2}}|\d{{1,2}} {_MONTH})(?:, \d{{4}})?)?"
    r"(?: \((?P<agency>[^()\n]{1,40})\))?"
    r"(?P<dash> ?[–—]| --?| ?:) (?=\S)"
)
_DISCLAIMERS = tuple(
    (kind, re.compile(lexicons.DISCLAIMER_LABEL + pattern, re.IGNORECASE | re.DOTALL))
    for kind, pattern in lexicons.DISCLAIMER_PATTERNS
)
_DISCLAIMER_ATTRIBUTION = re.compile(lexicons.DISCLAIMER_ATTRIBUTION, re.IGNORECASE)
_OPENING_QUOTES = "\"'“‘«("
#: A dash inside a sentence: an en or em dash, or a spaced hyphen ("Starmer - Britain’s …").
_INNER_DASH_RE = re.compile(r"[–—]| --? ")
_SENTENCE_END_RE = re.compile(r"[.!?…](?=[\"”’')\]]*(?:\s|$))")
_PARAGRAPH_END_RE = re.compile(r"[.!?…][\"”’')\]]*$")
_POSSESSIVE = r"[^\W\d_]+(?:['’]s|s['’])(?!\w)"  # "Britain’s", "voters'"; not "O'Brien"
_POSSESSIVE_RE = re.compile(_POSSESSIVE)
#: An aside closed by a second dash is at most this many words ("Britain’s prime minister",
#: "Ivy League-trained surgeon and daytime TV star", seven words, in the hyperpartisan
#: texts); a longer stretch before a second dash is the sentence itself ("WASHINGTON —
#: The Senate passed the bill — the first in a decade.", "Port Merrow – At least 14 people are
#: dead after … on Tuesday night – and …").
ASIDE_MAX_WORDS = 8
#: A possessive phrase closed by a comma after the dash is an apposition up to this many words
#: ("Hamas — Israel’s enemy for decades, said …"); "Wrenford – Wrenford's public library
#: reopened its doors on Monday, …" (eight words to the comma) is the sentence.
APPOSITION_MAX_WORDS = 4
_APPOSITION_RE = re.compile(
    rf"{_POSSESSIVE}(?: [\w’'-]+){{0,{APPOSITION_MAX_WORDS - 1}}}(?:,| ?[–—]| --? )"
)


@dataclass(frozen=True)
class Dateline:
    """Offsets relative to the paragraph: the place, and the dateline through its dash."""

    place: str
    place_start: int
    place_end: int
    end: int


def find_dateline(paragraph: str, *, colon: bool = False) -> Dateline | None:
    """The dateline opening ``paragraph``, or ``None``. With ``colon``, a place in capitals
    may end with a colon ("NEW DELHI: The government …", as South Asian outlets write it); the
    caller allows it only where a colon after capitals is no transcript's speaker label."""
    m = _DATELINE_RE.match(paragraph)
    if m is None:
        return None
    if m.group("dash").strip() == ":" and not (
        colon and _in_capitals(m.group("place")) and _lead_sentence(paragraph[m.end() :])
    ):
        return None  # "Update: …", "TRUMP: We will …", "BUSTED: Emails Reveal …", "AP: …"
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
    capitals = _in_capitals(place)
    if not capitals and _PARAGRAPH_END_RE.search(paragraph.rstrip()) is None:
        return None  # a headline or a caption: "Corey Taylor - America 51 review"
    if not (m.group("date") or m.group("agency")):
        aside = _closed_aside(_first_sentence(rest))
        if aside is not None and (not capitals or _POSSESSIVE_RE.match(aside)):
            return None  # "Elon Musk — Tesla’s chief executive — said …"
        if not (capitals or _has_region(place) or _starts_clause(rest)):
            return None
    dash_end = m.end("dash")
    return Dateline(
        place=place, place_start=m.start("place"), place_end=m.end("place"), end=dash_end
    )


#: Fewest words after "PLACE:" for a lead sentence; shorter is a labelled headline ("AP:
#: Trump chair routed Ukrainian money to D.C. lobbyists.").
COLON_LEAD_MIN_WORDS = 12
#: Fewest lower-case words of four letters or more in it: a Title Case headline has none, a
#: lead heavy with names still has its verbs ("PM Narendra Modi on Friday inaugurated …").
COLON_LEAD_MIN_LOWER = 3


def _lead_sentence(rest: str) -> bool:
    """Whether the words after "PLACE:" read as a news lead: long enough, and not in Title
    Case as a headline after a label is ("LOOK: Shocking Photos Of GOP Candidate’s Rally")."""
    words = rest.split()
    if len(words) < COLON_LEAD_MIN_WORDS:
        return False
    lower = [w for w in words if w[0].islower() and sum(c.isalpha() for c in w) >= 4]
    return len(lower) >= COLON_LEAD_MIN_LOWER


def _first_sentence(rest: str) -> str:
    end = _SENTENCE_END_RE.search(rest)
    return rest if end is None else rest[: end.end()]


def _closed_aside(sentence: str) -> str | None:
    """The words between the dateline's dash and a second dash that closes them, when the
    sentence then goes on with its predicate ("— Tesla’s chief executive — said …"): the dash
    opened an aside, so it was no dateline. ``None`` when there is no such aside: no second
    dash, an even number of them (an aside of the sentence after a dateline: "— a Democrat —"),
    a long stretch, or a sentence that goes on with a capital or a function word after the
    dash ("… on Tuesday night – and families say …", "… the bill — the first in a decade")."""
    dashes = list(_INNER_DASH_RE.finditer(sentence))
    if len(dashes) % 2 == 0:
        return None
    aside, after = sentence[: dashes[0].start()], sentence[dashes[0].end() :].split()
    if len(aside.split()) > ASIDE_MAX_WORDS or not after or not after[0][0].islower():
        return None
    word = after[0].casefold().strip(".,;:'’")
    if word == "the" or word in lexicons.DATELINE_STOPWORDS:
        return None
    return aside


def _in_capitals(place: str) -> bool:
    """ "WASHINGTON", "SAN JUAN, Puerto Rico": the place (before any region) is in capitals."""
    city = place.split(",", 1)[0]
    return sum(c.isalpha() for c in city) >= 2 and not any(c.islower() for c in city)


def _has_region(place: str) -> bool:
    """ "Kabul, Afghanistan", "Chappaqua, N.Y.": a city and a region, none a possessive."""
    return "," in place and _POSSESSIVE_RE.search(place) is None


def _starts_clause(rest: str) -> bool:
    """Whether the words after a mixed-case place and a bare dash start a sentence of their
    own: not a quote ("Donald Trump — “I will win,” …"), not an apposition ("Hamas — Israel’s
    enemy for decades, said …")."""
    return rest[0].isupper() and _APPOSITION_RE.match(rest) is None


def disclaimer_kind(paragraph: str) -> str | None:
    """``"opinion"`` or ``"satire"`` when the paragraph is an editorial disclaimer: the
    outlet's own note, so not when the paragraph attributes its words to someone ("…, a
    spokesman said", "… told the court": that is reporting)."""
    if _DISCLAIMER_ATTRIBUTION.search(paragraph):
        return None
    for kind, pattern in _DISCLAIMERS:
        if pattern.match(paragraph):
            return kind
    return None
