"""The store interface and URL dispatch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, Protocol

from presslens.errors import StoreError
from presslens.model import Article

UpsertResult = Literal["inserted", "updated", "unchanged"]

DEFAULT_STORE = "presslens.db"


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

    def get_corpus(self, name: str) -> dict | None: ...

    # Query methods for the web app and export (issue 7); implemented by every store.
    # def list_articles(self, *, outlet=None, date_from=None, date_to=None, genre=None,
    #                   limit=50, offset=0) -> tuple[list[dict], int]
    #     rows {id, title, outlet, published, genre, words}, total count
    # def search_page(self, query, *, outlet=None, date_from=None, date_to=None, speaker=None,
    #                 technique=None, limit=20, offset=0) -> tuple[list[dict], int]
    #     rows {id, title, outlet, published, snippet}, total count
    # def stats(self) -> dict
    #     {"articles": n, "by_outlet": {outlet: n}, "by_month": {"YYYY-MM": n},
    #      "genres": {genre: n}, "words_by_outlet": {outlet: n},
    #      "techniques_by_outlet": {outlet: {technique: n}}, "top_speakers": [[name, n], ...]}
    # def span_rows(self, layer, *, label=None, entity=None, article_ids=None, limit=1000)
    #     -> list[dict]  rows {article_id, start, end, label, surface, attrs}

    def close(self) -> None: ...


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url``: a path or ``sqlite:///path`` (default ``presslens.db``)."""
    url = url or DEFAULT_STORE
    if url.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            "the PostgreSQL store is not available in this version",
            where=url,
            hint="Use the default SQLite store (a file path or sqlite:///path.db).",
        )
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
    elif "://" in url:
        raise StoreError(
            f"unknown store URL scheme in {url!r}",
            where=url,
            hint="Use a file path or sqlite:///path.db.",
        )
    else:
        path = url
    from presslens.store.sqlite import SQLiteStore

    return SQLiteStore(Path(path) if path != ":memory:" else path)
