"""A compact, JSON-able summary of one analysed article: what corpus stages need from it.

Entity resolution, near-duplicate detection and story clustering read digests, never whole
articles, so an incremental update keeps the digests of articles already seen in the store
(``corpus.digests``) and only digests new or changed ones. A digest holds the article's entity
clusters (name, label, variants), quoted terms, word counts for TF-IDF, years it mentions, its
MinHash signature, and whether it is not in English (``not_english``: flagged ``P128``; entity
resolution leaves such an article out, stories and near-duplicates do not).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from presslens.corpus.lexicons import STOPWORDS
from presslens.corpus.minhash import signature
from presslens.corpus.names import fold
from presslens.language import flagged
from presslens.model import Article

__all__ = ["TERM_LABEL", "digest", "quoted_terms", "term_clusters", "text_tokens"]

#: Label of a quoted term ("Taqiyya") treated as a corpus entity.
TERM_LABEL = "TERM"
#: Words kept per article for TF-IDF (the most frequent); bounds memory per article.
MAX_TERMS = 300
#: A quoted term has at most this many words and starts with a capital letter.
TERM_MAX_WORDS = 3

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_QUOTED = re.compile(
    r"[\"“«]\s?([A-Z][\w'’-]*(?:\s[\w'’-]+){0," + str(TERM_MAX_WORDS - 1) + r"})\s?[\"”»]"
)
#: Numbers of two or more characters ("26", "6.1", "52-3") are words too: the specific figures
#: of one event (a score, a toll, a magnitude) tell it from another event of the same kind
#: (+0.02 B³ F1 on ECB+ train topics).
_NUMBER = re.compile(r"\b\d[\d,.:-]*\d\b")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)")


def text_tokens(text: str) -> list[str]:
    """Lower-cased content words (stopwords and one-letter words dropped, plural -s cut), then
    numbers as ``#26``."""
    out = []
    for m in _WORD.finditer(text):
        w = fold(m.group())
        if len(w) < 3 or w in STOPWORDS:
            continue
        w = w.replace(" ", "")
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"  # libraries, library
        elif len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    out.extend("#" + m.group() for m in _NUMBER.finditer(text))
    return out


def quoted_terms(article: Article) -> list[tuple[int, int, str]]:
    """Short capitalised phrases in quotation marks that are not entity mentions
    (``"Taqiyya"``): ``(start, end, surface)`` into ``article.text``."""
    ents = article.layer("entities")
    spans = sorted((s.start, s.end) for s in ents)
    out = []
    for m in _QUOTED.finditer(article.text):
        start, end = m.span(1)
        if any(s < end and start < e for s, e in spans):
            continue
        out.append((start, end, m.group(1)))
    return out


def term_clusters(article: Article) -> dict[str, list[tuple[int, int, str]]]:
    """Quoted terms grouped by folded spelling, as pseudo-clusters ``q1``, ``q2``, … (the ids
    entity resolution sees for them)."""
    groups: dict[str, list[tuple[int, int, str]]] = {}
    for start, end, surface in quoted_terms(article):
        groups.setdefault(fold(surface), []).append((start, end, surface))
    return {f"q{i + 1}": groups[k] for i, k in enumerate(sorted(groups))}


def digest(article: Article, *, with_signature: bool = True) -> dict[str, Any]:
    """The article's digest (see the module docstring); every value is JSON-able."""
    terms: Counter[str] = Counter(text_tokens(article.text))
    if article.title and not article.text.startswith(article.title):
        terms.update(text_tokens(article.title))
    years: Counter[str] = Counter()
    for t in article.layer("timexes"):
        value = str(t.attrs.get("value") or "")
        if t.attrs.get("type") == "DATE" and (m := _YEAR.match(value)):
            years[m.group(1)] += 1
    clusters = [[c.id, c.label, c.name, dict(c.variants)] for c in article.clusters]
    for qid, occurrences in term_clusters(article).items():
        variants = Counter(surface for _, _, surface in occurrences)
        clusters.append([qid, TERM_LABEL, variants.most_common(1)[0][0], dict(variants)])
    genre = (article.meta.get("genre") or {}).get("label")
    return {
        "id": article.id,
        "outlet": article.outlet,
        "title": article.title or _first_line(article.text),
        "published": article.published.date.isoformat() if article.published else None,
        "genre": genre,
        "clusters": clusters,
        "terms": dict(terms.most_common(MAX_TERMS)),
        "years": dict(years),
        "minhash": signature(article.text).tolist() if with_signature else None,
        "not_english": flagged(article.language, article.meta.get("language_from")),
    }


def _first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= 120 else line[:119].rstrip() + "…"
