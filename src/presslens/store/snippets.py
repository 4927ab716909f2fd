"""Search snippets computed in Python, in time linear in the article.

SQLite's FTS5 ``snippet()`` scores every candidate fragment against every hit of the row, so
its cost grows with the square of the hits: an article of 60,000 "the" took 50 s for one
search of "the" (measured), and any one hostile article could stall every search for a
common word. FTS5 still decides which articles match and ranks them; this module only cuts
the fragment to show. Words are compared as FTS5's ``unicode61`` tokenizer does (letters
and digits, case and diacritics ignored), a query word ending in ``*`` is a prefix, and
operators (``AND``, ``OR``, ``NOT``, ``NEAR``) and words after ``NOT`` or behind ``-`` are
not marked. Both backends use it, so they mark the same words.
"""

from __future__ import annotations

import re
import unicodedata

from presslens.store.base import MARK_END, MARK_START, is_advanced_query, plain_snippet

__all__ = ["marked_snippet", "query_words"]

#: A token as unicode61 sees one: a run of letters, digits and marks.
_TOKEN = re.compile(r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*")
#: A query word, with an optional prefix star.
_QUERY_WORD = re.compile(r"[^\W_]+\*?")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
#: Words of a snippet (FTS5's snippet() was asked for 16 tokens).
SNIPPET_WORDS = 16
#: Hits looked at when choosing the fragment: enough for any real query, bounded for a
#: hostile article.
MAX_HITS_SCANNED = 2_000


def _fold(word: str) -> str:
    """Case and diacritics folded as unicode61 does by default ("Élysée" -> "elysee")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def query_words(query: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(whole words, prefixes) to mark for ``query``, folded."""
    words: set[str] = set()
    prefixes: set[str] = set()
    negated = False
    advanced = is_advanced_query(query)
    for raw in re.split(r"[\s()\"]+", query):
        if raw in _OPERATORS:
            negated = raw == "NOT"
            continue
        if advanced and raw.startswith("-"):  # PostgreSQL's web-search syntax: -word
            negated, raw = True, raw[1:]
        for hit in _QUERY_WORD.finditer(raw):
            token = hit.group()
            if negated:
                continue
            if token.endswith("*"):
                prefixes.add(_fold(token[:-1]))
            else:
                words.add(_fold(token))
        negated = False
    return frozenset(words), tuple(sorted(prefixes))


def _hits(text: str, words: frozenset[str], prefixes: tuple[str, ...]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        key = _fold(m.group())
        if key in words or (prefixes and key.startswith(prefixes)):
            out.append((m.start(), m.end()))
            if len(out) >= MAX_HITS_SCANNED:
                break
    return out


def marked_snippet(title: str | None, text: str, query: str, tokens: int = SNIPPET_WORDS) -> str:
    """A fragment of about ``tokens`` words around the densest hits of ``query``, hits
    between MARK_START and MARK_END, "…" where the text was cut; the title when only it
    matches; the start of the text when nothing can be marked."""
    words, prefixes = query_words(query)
    if not words and not prefixes:
        return plain_snippet(text)
    hits = _hits(text, words, prefixes)
    if not hits and title:
        title_hits = _hits(title, words, prefixes)
        if title_hits:
            return _mark(title, title_hits, 0, len(title))
    if not hits:
        return plain_snippet(text)
    return _fragment(text, hits, tokens)


def _fragment(text: str, hits: list[tuple[int, int]], tokens: int) -> str:
    """The window of ``tokens`` words holding the most distinct hit words (earliest wins)."""
    # Each hit's token index, counting tokens only between hits (linear in the text read).
    positions: list[int] = []
    index, at = 0, 0
    for start, _end in hits:
        index += len(_TOKEN.findall(text, at, start))
        positions.append(index)
        index += 1
        at = _end
    best, best_count, lo = 0, 0, 0
    seen: dict[str, int] = {}
    for hi, pos in enumerate(positions):
        key = _fold(text[hits[hi][0] : hits[hi][1]])
        seen[key] = seen.get(key, 0) + 1
        while pos - positions[lo] >= tokens:
            old = _fold(text[hits[lo][0] : hits[lo][1]])
            seen[old] -= 1
            if not seen[old]:
                del seen[old]
            lo += 1
        if len(seen) > best_count:
            best, best_count = lo, len(seen)
    lead = min(2, positions[best])  # a little context before the first hit
    start = hits[best][0]
    if lead:
        before = list(_TOKEN.finditer(text, max(0, start - 200), start))[-lead:]
        if before:
            start = before[0].start()
    end, count = start, 0
    for count, m in enumerate(_TOKEN.finditer(text, start), 1):
        end = m.end()
        if count >= tokens:
            break
    if count < tokens and start > 0:  # the hits sit near the end: fill the window backwards
        lo = max(0, start - 40 * tokens)
        before = list(_TOKEN.finditer(text, lo, start))[-(tokens - count) :]
        if len(before) < tokens - count and lo == 0:
            start = 0  # the whole text fits
        elif before:
            start = before[0].start()
    if _TOKEN.search(text, end) is None:
        end = len(text)  # only punctuation is left: show it
    inside = [h for h in hits if start <= h[0] and h[1] <= end]
    return _mark(text, inside, start, end)


def _mark(text: str, hits: list[tuple[int, int]], start: int, end: int) -> str:
    parts = ["…" if start > 0 else ""]
    at = start
    for s, e in hits:
        parts += [text[at:s], MARK_START, text[s:e], MARK_END]
        at = e
    parts.append(text[at:end])
    if end < len(text):
        parts.append("…")
    return "".join(parts)
