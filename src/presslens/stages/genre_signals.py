"""How a page labels its own genre: schema.org type, section, kicker, address and byline.

Publishers say which pieces are opinion: an ``OpinionNewsArticle`` type or an "Opinion"
section in the page head, an ``/opinion/`` segment in the address, a kicker ("Opinion | …",
"OP-ED:") over the headline, a byline role ("Jane Doe, columnist"). These labels are the
publisher's own and outweigh anything measured on the style of the text, as an editorial
disclaimer does. The genre stages (v1 and v2) read them through :func:`page_signals` and
:func:`page_genre`; each signal keeps where it was found, and a span when it is in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from presslens.lexicons_genre import (
    KICKER_GENRES,
    OPINION_BYLINE_ROLES,
    OPINION_SECTION_WORDS,
    SATIRE_SECTION_WORDS,
    SCHEMA_TYPE_GENRES,
)
from presslens.model import Article
from presslens.readers.bylines import byline_authors
from presslens.stages.techniques import paragraphs

__all__ = ["KIND_ORDER", "PageSignal", "page_genre", "page_signals"]

#: Signal kinds, strongest first: the first kind present decides the genre. A declared
#: schema.org type is the most deliberate label; a byline role the least.
KIND_ORDER = ("page type", "section", "kicker", "address", "byline")
#: Record fields (JSONL/CSV, kept in ``meta.fields``) read as a section name.
SECTION_FIELDS = ("section", "sections", "category", "categories", "kicker", "article_section")
#: Paragraphs at the head of the text searched for a kicker line or a byline.
HEAD_PARAGRAPHS = 6
#: A byline line is short.
MAX_BYLINE_CHARS = 160

_SECTION_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_KICKER = re.compile(
    r"[^\S\n]*(?P<k>"
    + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(KICKER_GENRES, key=len)[::-1])
    + r")[^\S\n]*(?:[|:—–]|-[^\S\n]|$)",
    re.IGNORECASE,
)
_ROLE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in OPINION_BYLINE_ROLES)
    + r")(?![\w-])",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"[^\S\n]*by[^\S\n]+\S", re.IGNORECASE)
#: Where the names of a byline end and the role begins ("By Jane Doe, columnist").
_AFTER_NAMES = re.compile(r"\s*(?:[,;|—–]|\s-\s)")


@dataclass(frozen=True)
class PageSignal:
    """One label the page gives itself: the genre it declares, what kind of label it is
    (see :data:`KIND_ORDER`), the label as written and where it was found; ``spans`` are
    its places in the normalised text (empty for metadata)."""

    genre: str
    kind: str
    value: str
    where: str
    spans: tuple[tuple[int, int], ...] = ()

    def describe(self) -> str:
        return f"{self.kind} {self.value!r} ({self.where})"


def section_genre(name: str) -> str | None:
    """The genre a section name declares ("Opinion", "Letters to the Editor", "Satire")."""
    words = set(_SECTION_WORD.findall(name.lower()))
    if words & set(SATIRE_SECTION_WORDS):
        return "satire"
    if words & set(OPINION_SECTION_WORDS):
        return "opinion"
    return None


def page_signals(article: Article) -> list[PageSignal]:
    """Every genre label found on the article, strongest kind first."""
    found: list[PageSignal] = []
    meta = article.meta
    for t in _strings(meta.get("page_types")):
        genre = SCHEMA_TYPE_GENRES.get(t.lower())
        if genre:
            found.append(PageSignal(genre, "page type", t, "schema.org type in the page"))
    for s in _strings(meta.get("sections")):
        genre = section_genre(s)
        if genre:
            found.append(PageSignal(genre, "section", s, "section in the page or feed metadata"))
    fields = meta.get("fields")
    if isinstance(fields, dict):
        for key in SECTION_FIELDS:
            for s in _strings(fields.get(key)):
                genre = section_genre(s)
                if genre:
                    found.append(PageSignal(genre, "section", s, f"record field {key!r}"))
    found.extend(_kickers(article))
    found.extend(_address(article.url))
    found.extend(_bylines(article))
    return sorted(found, key=lambda s: KIND_ORDER.index(s.kind))


def page_genre(signals: list[PageSignal]) -> tuple[str | None, list[PageSignal]]:
    """The genre the strongest kind of signal declares (its first signal's, when the kind
    disagrees with itself) and the signals that agree with it; ``(None, [])`` without any."""
    if not signals:
        return None, []
    genre = signals[0].genre
    return genre, [s for s in signals if s.genre == genre]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def _head_paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the first non-blank lines of the text."""
    return paragraphs(text)[:HEAD_PARAGRAPHS]


def _kickers(article: Article) -> list[PageSignal]:
    """A kicker opening the first line of the text (with its span), or the metadata title."""
    head = _head_paragraphs(article.text)
    found = _KICKER.match(article.text, *head[0]) if head else None
    where = "first line"
    if found is None:
        found = _KICKER.match((article.title or "").split("\n", 1)[0])
        where = "title"
    if found is None:
        return []
    word = " ".join(found.group("k").lower().split())
    spans = ((found.start("k"), found.end("k")),) if where == "first line" else ()
    return [PageSignal(KICKER_GENRES[word], "kicker", found.group("k"), where, spans)]


def _address(url: str | None) -> list[PageSignal]:
    """Section segments of the article's address (``/opinion/…``, ``opinion.example.com``);
    the last segment is the article's own slug and is never read as a section."""
    if not url:
        return []
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
    except ValueError:
        return []
    host = (parts.hostname or "").split(".")
    segments = [p.lower() for p in parts.path.split("/")]
    candidates = ([host[0]] if len(host) > 2 else []) + [p for p in segments[:-1] if p]
    for seg in candidates:
        if seg in SATIRE_SECTION_WORDS:
            return [PageSignal("satire", "address", seg, "article address")]
        if seg in OPINION_SECTION_WORDS and seg != "comment":  # "comment" pages hold comments
            return [PageSignal("opinion", "address", seg, "article address")]
    return []


def _bylines(article: Article) -> list[PageSignal]:
    """An opinion role in the author field, or in a "By …" line at the head of the text."""
    out: list[PageSignal] = []
    for name in article.authors:
        if _ROLE.search(name):
            out.append(PageSignal("opinion", "byline", name, "author field"))
            break
    text = article.text
    for s, e in _head_paragraphs(text):
        if e - s > MAX_BYLINE_CHARS or not _BYLINE.match(text, s, e):
            continue
        if byline_authors(_AFTER_NAMES.split(text[s:e], maxsplit=1)[0]) is None:
            continue  # "By then, a columnist had quit.": a sentence, not "By" and names
        if _ROLE.search(text, s, e):
            line = text[s:e].strip()
            at = text.index(line, s)
            span = ((at, at + len(line)),)
            out.append(PageSignal("opinion", "byline", line, "byline line", span))
            break
    return out
