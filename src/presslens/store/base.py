"""The store interface, URL dispatch and what every backend shares (row shapes, query parsing)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol

from presslens.errors import StoreError
from presslens.model import Article

UpsertResult = Literal["inserted", "updated", "unchanged"]

DEFAULT_STORE = "presslens.db"

#: Layers too bulky or too structural to index span by span (they stay in the article JSON).
UNINDEXED_LAYERS = frozenset({"sentences", "paragraphs"})

#: Largest page a query method returns; bigger requests are a caller bug, not a wish.
MAX_PAGE = 10_000

#: Snippet markers: control characters that normalised article text never contains, so a
#: renderer can escape the snippet and then turn them into ``<mark>`` safely.
MARK_START, MARK_END = "\x02", "\x03"

#: Characters of the text a filter-only search shows as its snippet.
PLAIN_SNIPPET_CHARS = 200


class Store(Protocol):
    """What every store offers. Writes are idempotent upserts keyed by the article id."""

    url: str

    def upsert(self, article: Article) -> UpsertResult: ...

    def upsert_many(self, articles: Sequence[Article]) -> list[UpsertResult | StoreError]: ...

    def get(self, article_id: str) -> Article | None: ...

    def find_ids(self, prefix: str) -> list[str]: ...

    def fingerprint(self, article_id: str) -> str | None: ...

    def articles(self, *, outlet: str | None = None) -> Iterator[Article]: ...

    def search(self, query: str, *, limit: int = 20) -> list[tuple[str, str]]: ...

    def count(self) -> int: ...

    def put_corpus(self, name: str, data: dict) -> None:
        """Replace the corpus-level result ``name`` (entities, stories…): one JSON document."""
        ...

    def put_corpus_many(self, docs: dict[str, dict]) -> None:
        """Replace several corpus results at once (one transaction)."""
        ...

    def corpus_lock(self) -> AbstractContextManager[None]:
        """Held around a corpus update, so two processes never interleave theirs."""
        ...

    def get_corpus(self, name: str) -> dict | None: ...

    def list_articles(
        self,
        *,
        outlet: str | None = None,
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        genre: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of article rows ``{id, title, outlet, published, genre, words}``, newest
        first (undated last), and the total matching the filters; dates are inclusive ISO days.
        Reads only indexed columns, never the article documents, so pages stay fast."""
        ...

    def search_page(
        self,
        query: str,
        *,
        outlet: str | None = None,
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        speaker: str | None = None,
        technique: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """Full-text search with filters: rows ``{id, title, outlet, published, genre, words,
        snippet, snippet_parts}``, best first, and the total. Plain words must all occur (in
        any order); the backend's query syntax (phrases in double quotes, OR, …) is accepted
        and a malformed query is a StoreError (P301). An empty query lists the articles the
        filters keep, newest first. ``speaker`` matches a resolved speaker's name (case
        ignored), ``technique`` a span label of the ``techniques`` layer. ``snippet`` marks
        hits with [ ]; ``snippet_parts`` is ``[[text, is_hit], …]`` for safe highlighting."""
        ...

    def stats(self) -> dict[str, Any]:
        """Corpus overview: ``{"articles": n, "by_outlet": {outlet: n}, "by_month":
        {"YYYY-MM": n}, "genres": {genre: n}, "words_by_outlet": {outlet: n},
        "techniques_by_outlet": {outlet: {technique: n}}, "top_speakers": [[name, n], …]}``
        (speakers by number of attributed statements, at most 20). Articles without an
        outlet, date or genre are counted under ``""``."""
        ...

    def number_page(
        self,
        *,
        kinds: Sequence[str] = (),
        counted: str | None = None,
        cited: str | None = None,
        sourced: bool | None = None,
        outlet: str | None = None,
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the corpus's numbers, newest article first and in text order within
        one, and the total matching the filters; rows are ``presslens numbers --json`` rows
        plus ``sentence_text`` and ``published``. ``counted`` and ``cited`` match as that
        command's options do; ``sourced`` keeps numbers an attribution holds (True) or none
        does (False). Reads the ``numbers`` table, never a document."""
        ...

    def span_rows(
        self,
        layer: str,
        *,
        label: str | None = None,
        entity: str | None = None,
        article_ids: Sequence[str] | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """Spans of ``layer`` across the corpus: rows ``{article_id, layer, idx, start, end,
        label, surface, entity_name, attrs}``, by article date then offset. ``entity`` matches
        the canonical name (case ignored) of the entity the span refers to: its cluster
        (``attrs.entity``) or, for attributions, the speaker (``attrs.speaker``)."""
        ...

    def close(self) -> None: ...


def open_store(url: str | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``url``: a path or ``sqlite:///path`` (default ``presslens.db``), or
    ``postgresql://user@host:port/dbname``.

    ``read_only`` is for commands that only read: a SQLite path that does not exist is an
    error (a mistyped path used to create an empty store and answer "no article"), and a
    file the user may not write is opened read-only instead of failing on its first pragma."""
    url = url or DEFAULT_STORE
    if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from presslens.store.postgres import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
    elif "://" in url:
        raise StoreError(
            f"unknown store URL scheme in {url!r}",
            where=url,
            hint="Use a file path, sqlite:///path.db or postgresql://user@host:port/dbname.",
        )
    else:
        path = url
    from presslens.store.sqlite import SQLiteStore

    if path == ":memory:":
        return SQLiteStore(path)
    if read_only and not Path(path).is_file():
        raise StoreError(
            f"there is no store at {path}",
            where=path,
            hint="Check the path (--store), or fill a store first: presslens analyze FILES "
            f"--store {path}.",
        )
    return SQLiteStore(Path(path), read_only=read_only)


# -- what both backends share ------------------------------------------------------------------
def words(text: str) -> int:
    """Words of an article as the overview counts them: whitespace-separated tokens."""
    return len(text.split())


def article_row(art: Article, digest: str, analysed_at: object) -> dict[str, Any]:
    """The ``articles`` table row of ``art`` (column name -> value)."""
    return {
        "id": art.id,
        "content_hash": digest,
        "pipeline": art.meta.get("pipeline"),
        "outlet": art.outlet,
        "title": art.title,
        "url": art.url,
        "source": art.source,
        "published": art.published.date.isoformat() if art.published else None,
        "genre": (art.meta.get("genre") or {}).get("label"),
        "words": words(art.text),
        "text": art.text,
        "doc": art.to_json(),
        "analysed_at": analysed_at,
    }


def span_rows_of(art: Article) -> list[dict[str, Any]]:
    """The ``spans`` table rows of ``art``. ``entity_name`` is the canonical name of the
    entity a span refers to (an attribution's speaker, an entity mention's cluster), so the
    corpus can be queried by name without loading documents."""
    names = {c.id: c.name for c in art.clusters}
    rows = []
    for layer, spans in art.layers.items():
        if layer in UNINDEXED_LAYERS:
            continue
        for i, s in enumerate(spans):
            ref = s.attrs.get("speaker" if layer == "attributions" else "entity")
            entity = s.attrs.get("entity")
            rows.append(
                {
                    "article_id": art.id,
                    "layer": layer,
                    "idx": i,
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "surface": s.text,
                    "entity": entity if isinstance(entity, str) else None,
                    "entity_name": names.get(ref) if isinstance(ref, str) else None,
                    "attrs": json.dumps(s.attrs, ensure_ascii=False),
                }
            )
    return rows


#: Columns of the ``numbers`` table: one row per number of an article's ``quantities`` layer,
#: derived when the article is written, so the corpus's numbers can be filtered and paged
#: without loading a document (the web app's ``/numbers``).
NUMBER_COLUMNS = (
    "article_id",
    "idx",
    "start",
    "end",
    "kind",
    "surface",
    "counted_key",
    "cited",
    "cited_names",
    "sourced",
    "data",
)


def number_rows_of(art: Article) -> list[dict[str, Any]]:
    """The ``numbers`` table rows of ``art``: each number's row as ``presslens numbers``
    gives it (:func:`presslens.views.numbers.listed`: with ``sentence_text``) in
    ``data`` (JSON), and the columns the filters read: ``counted_key`` (the counted phrase,
    its lemma and class, folded, between spaces, for whole-word matching), ``cited`` and
    ``cited_names`` (a JSON list of the cited name and the spellings the article gives it,
    matched as ``--cited`` matches) and ``sourced`` (1 when an attribution holds the number,
    an unresolved "he" included)."""
    from presslens.views.numbers import listed, number_rows
    from presslens.views.quotes import fold

    variants = {c.id: list(c.variants) for c in art.clusters}
    rows = []
    for r in number_rows([art]):
        full = listed(r, art)
        keys = (r["counted"], r["counted_lemma"], r["class"])
        names = [r["cited"], *variants.get(r["cited_entity"] or "", [])] if r["cited"] else []
        rows.append(
            {
                "article_id": art.id,
                "idx": r["index"],
                "start": r["start"],
                "end": r["end"],
                "kind": r["kind"],
                "surface": r["text"],
                "counted_key": " " + " | ".join(fold(k or "") for k in keys) + " ",
                "cited": r["cited"],
                "cited_names": json.dumps(names, ensure_ascii=False) if names else None,
                "sourced": int(r["source"] is not None),
                "data": json.dumps(full, ensure_ascii=False),
            }
        )
    return rows


def cited_name_lists(query: str, stored: Iterable[str]) -> list[str]:
    """The stored ``cited_names`` values (JSON lists) with a name ``query`` matches as
    ``presslens numbers --cited`` does: a store filters on them with one bound list, so the
    fuzzy match runs once per distinct source, never per number."""
    from presslens.views.quotes import speaker_matches

    return [v for v in stored if speaker_matches(query, *json.loads(v))]


def counted_pattern(counted: str) -> str | None:
    """The LIKE pattern of ``counted`` over ``counted_key`` (whole folded words), or ``None``
    when it holds no word (no filter). Folding leaves only letters, digits and spaces, so
    the pattern has no LIKE wildcard of its own."""
    from presslens.views.quotes import fold

    needle = fold(counted)
    return f"% {needle} %" if needle else None


def cluster_rows_of(art: Article) -> list[dict[str, Any]]:
    return [
        {
            "article_id": art.id,
            "cluster_id": c.id,
            "label": c.label,
            "name": c.name,
            "mentions": len(c.mentions),
        }
        for c in art.clusters
    ]


def iso_day(value: str | date | None, name: str) -> str | None:
    """A date filter as an ISO day string; anything else is a StoreError (P302)."""
    if value is None or value == "":
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise StoreError(
            f"{name} {text!r} is not a date",
            hint="Give dates as YYYY-MM-DD.",
            code="P302",
        ) from None


def check_page(limit: int, offset: int) -> None:
    """Refuse page parameters no caller should send (StoreError P302)."""
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise StoreError(
            f"bad page: limit {limit}, offset {offset}",
            hint=f"Use 1 <= limit <= {MAX_PAGE} and offset >= 0.",
            code="P302",
        )


_ADVANCED = re.compile(r'["*()]|\b(?:AND|OR|NOT|NEAR)\b')


def is_advanced_query(query: str) -> bool:
    """True when ``query`` uses full-text syntax (quotes, operators, prefixes, columns);
    otherwise it is plain words, all of which must occur."""
    return bool(_ADVANCED.search(query))


def plain_terms(query: str) -> list[str]:
    """The whitespace-separated terms of a plain query that hold at least one word character."""
    return [t for t in query.split() if re.search(r"\w", t)]


def like_prefix(prefix: str) -> str:
    """A LIKE pattern (escape character ``\\``) for values starting with ``prefix`` taken
    literally: "%%%%" or "____" match ids that start so, not every id."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def snippet_parts(marked: str) -> list[list[Any]]:
    """Split a snippet with MARK_START/MARK_END markers into ``[[text, is_hit], …]``."""
    parts: list[list[Any]] = []
    for i, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", marked)):
        if piece:
            parts.append([piece, i % 2 == 1])
    return parts


def snippet_fields(marked: str) -> dict[str, Any]:
    """``snippet`` (hits in [ ]) and ``snippet_parts`` from a marker-delimited snippet."""
    return {
        "snippet": marked.replace(MARK_START, "[").replace(MARK_END, "]"),
        "snippet_parts": snippet_parts(marked),
    }


def plain_snippet(text: str) -> str:
    """The snippet of a filter-only result: the start of the text, cut at a word."""
    if len(text) <= PLAIN_SNIPPET_CHARS:
        return text
    cut = text[:PLAIN_SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def overview_counts(groups: Iterable[Sequence[Any]]) -> dict[str, Any]:
    """``by_outlet``, ``by_month``, ``genres`` and ``words_by_outlet`` from rows
    ``(outlet, month, genre, articles, words)`` grouped by the first three: one scan of the
    articles serves all four counts. Missing values count under ``""``."""
    by_outlet: Counter[str] = Counter()
    words_by_outlet: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    genres: Counter[str] = Counter()
    for outlet, month, genre, n, w in groups:
        by_outlet[outlet or ""] += int(n)
        words_by_outlet[outlet or ""] += int(w or 0)
        by_month[month or ""] += int(n)
        genres[genre or ""] += int(n)

    def by_count(c: Counter[str]) -> dict[str, int]:
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    return {
        "articles": sum(by_outlet.values()),
        "by_outlet": by_count(by_outlet),
        "by_month": dict(sorted(by_month.items())),
        "genres": by_count(genres),
        "words_by_outlet": {o: words_by_outlet[o] for o in by_count(by_outlet)},
    }


def newer_schema_error(unknown: set[str], where: str) -> StoreError:
    return StoreError(
        f"the database has migrations this version does not know: {sorted(unknown)}",
        where=where,
        hint="It was written by a newer presslens; upgrade presslens.",
        code="P305",
    )
