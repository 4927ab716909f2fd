"""Read queries the pages need, over any store.

A store that implements the query methods (``list_articles``, ``search_page``, ``stats``,
``span_rows``; see :mod:`presslens.store.base`) answers them in SQL. A store without them
still works: the same rows are computed here by walking its articles, which is fine for a
few hundred articles and is what lets the web app run on any :class:`Store`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from presslens.model import Article
from presslens.store import Store
from presslens.views.numbers import listed, number_rows
from presslens.views.quotes import quote_rows, speaker_matches

#: Top speakers listed on the overview.
TOP_SPEAKERS = 15
#: Characters of text around a search hit in the fallback snippet.
SNIPPET_CHARS = 160


def genre_of(art: Article) -> str | None:
    genre = art.meta.get("genre")
    if isinstance(genre, dict):
        label = genre.get("label")
        return label if isinstance(label, str) else None
    return None


def article_row(art: Article) -> dict[str, Any]:
    """The list row of an article (same keys as ``Store.list_articles`` rows)."""
    return {
        "id": art.id,
        "title": art.title,
        "outlet": art.outlet,
        "published": art.published.date.isoformat() if art.published else None,
        "genre": genre_of(art),
        "words": len(art.text.split()),
    }


def _in_range(published: str | None, date_from: date | None, date_to: date | None) -> bool:
    if date_from is None and date_to is None:
        return True
    if published is None:
        return False
    day = published[:10]
    if date_from is not None and day < date_from.isoformat():
        return False
    return not (date_to is not None and day > date_to.isoformat())


def _newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows.sort(key=lambda r: r["id"])
    rows.sort(key=lambda r: r["published"] or "", reverse=True)
    return rows


def list_articles(
    store: Store,
    *,
    outlet: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    genre: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Articles newest first, filtered, one page of rows plus the total count."""
    native = getattr(store, "list_articles", None)
    if native is not None:
        rows, total = native(
            outlet=outlet,
            date_from=date_from,
            date_to=date_to,
            genre=genre,
            limit=limit,
            offset=offset,
        )
        return list(rows), int(total)
    found = [
        row
        for row in (article_row(a) for a in store.articles(outlet=outlet))
        if _in_range(row["published"], date_from, date_to)
        and (genre is None or row["genre"] == genre)
    ]
    _newest_first(found)
    return found[offset : offset + limit], len(found)


def number_page(
    store: Store,
    *,
    kinds: Iterable[str] = (),
    counted: str | None = None,
    cited: str | None = None,
    sourced: bool | None = None,
    outlet: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """The corpus's numbers, newest article first, filtered as ``presslens numbers`` filters
    (plus ``sourced``, outlet and dates): one page of rows plus the total."""
    kinds = tuple(kinds)
    native = getattr(store, "number_page", None)
    if native is not None:
        rows, total = native(
            kinds=kinds,
            counted=counted,
            cited=cited,
            sourced=sourced,
            outlet=outlet,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
            offset=offset,
        )
        return list(rows), int(total)
    found: list[tuple[str, str, int, int, dict[str, Any]]] = []
    for art in store.articles(outlet=outlet):
        published = art.published.date.isoformat() if art.published else None
        if not _in_range(published, date_from, date_to):
            continue
        for row in number_rows([art], counted=counted, cited=cited, kinds=kinds):
            if sourced is not None and (row["source"] is not None) != sourced:
                continue
            found.append((published or "", art.id, row["start"], row["index"], listed(row, art)))
    # newest article first (undated last), then text order: as the stores order them
    found.sort(key=lambda f: (f[2], f[3]))
    found.sort(key=lambda f: (f[0], f[1]), reverse=True)
    return [f[4] for f in found[offset : offset + limit]], len(found)


def search_page(
    store: Store,
    query: str,
    *,
    outlet: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    speaker: str | None = None,
    technique: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Full-text search with filters: one page of ``{id, title, outlet, published, snippet}``
    rows plus the total. An empty query lists the articles the filters keep."""
    native = getattr(store, "search_page", None)
    if native is not None:
        rows, total = native(
            query,
            outlet=outlet,
            date_from=date_from,
            date_to=date_to,
            speaker=speaker,
            technique=technique,
            limit=limit,
            offset=offset,
        )
        return list(rows), int(total)
    snippets: dict[str, str] = {}
    if query.strip():
        hits = store.search(fts_query(query), limit=100_000)
        snippets = dict(hits)
        candidates: Iterable[Article] = (
            a for a in (store.get(aid) for aid, _ in hits) if a is not None
        )
    else:
        candidates = store.articles()
    found = []
    for art in candidates:
        row = article_row(art)
        if outlet is not None and art.outlet != outlet:
            continue
        if not _in_range(row["published"], date_from, date_to):
            continue
        if speaker and not quote_rows([art], speaker=speaker):
            continue
        if technique and not any(s.label == technique for s in art.layer("techniques")):
            continue
        row["snippet"] = snippets.get(art.id) or _lead(art.text)
        found.append(row)
    if not query.strip():
        _newest_first(found)
    return found[offset : offset + limit], len(found)


def _lead(text: str) -> str:
    return text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else "")


def stats(store: Store) -> dict[str, Any]:
    """Corpus counts for the overview (same keys as ``Store.stats``)."""
    native = getattr(store, "stats", None)
    if native is not None:
        return dict(native())
    by_outlet: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    genres: Counter[str] = Counter()
    words: Counter[str] = Counter()
    techniques: dict[str, Counter[str]] = {}
    speakers: Counter[str] = Counter()
    n = 0
    for art in store.articles():
        n += 1
        outlet = art.outlet or ""
        by_outlet[outlet] += 1
        if art.published:
            by_month[art.published.date.isoformat()[:7]] += 1
        genres[genre_of(art) or ""] += 1
        words[outlet] += len(art.text.split())
        for span in art.layer("techniques"):
            techniques.setdefault(outlet, Counter())[span.label] += 1
        for row in quote_rows([art]):
            if row["speaker_id"] is not None:
                speakers[row["speaker"]] += 1
    return {
        "articles": n,
        "by_outlet": dict(by_outlet.most_common()),
        "by_month": dict(sorted(by_month.items())),
        "genres": dict(genres.most_common()),
        "words_by_outlet": dict(words),
        "techniques_by_outlet": {o: dict(c) for o, c in techniques.items()},
        "top_speakers": [[name, c] for name, c in speakers.most_common(TOP_SPEAKERS)],
    }


def speaker_filter(art: Article, speaker: str) -> bool:
    """Whether ``art`` quotes ``speaker`` (name matching as in ``presslens quotes``)."""
    return any(speaker_matches(speaker, r["speaker"], r["source"]) for r in quote_rows([art]))


def fts_query(q: str) -> str:
    """A user's words as a full-text query for a store without ``search_page``: every word
    (or "quoted phrase") must occur; no operator can make the query fail to parse."""
    tokens = re.findall(r'"[^"]+"|[\w’\'-]+', q)
    out = []
    for token in tokens:
        inner = token[1:-1] if token.startswith('"') else token
        inner = re.sub(r"[^\w\s’'-]", " ", inner).strip()
        if inner:
            out.append(f'"{inner}"')
    return " ".join(out)
