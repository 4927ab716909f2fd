"""SQLite store: WAL, explicit migrations, idempotent upserts, FTS5 full-text search."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store.base import UpsertResult
from presslens.store.migrations import MIGRATIONS

#: Layers too bulky or too structural to index span by span (they stay in the article JSON).
UNINDEXED_LAYERS = frozenset({"sentences", "paragraphs"})


class SQLiteStore:
    """One SQLite file; one writer at a time (WAL lets readers run alongside)."""

    def __init__(self, path: Path | str) -> None:
        self.url = f"sqlite:///{path}"
        self.path = path
        try:
            if isinstance(path, Path):
                path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            self.db.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"cannot open the SQLite store: {exc}",
                where=str(path),
                hint="Check the path is writable and is a presslens database (or pick another "
                "with --store).",
            ) from exc

    # -- schema -----------------------------------------------------------------------------
    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
        )
        done = {row[0] for row in self.db.execute("SELECT name FROM migrations")}
        known = {name for name, _ in MIGRATIONS}
        unknown = done - known
        if unknown:
            raise StoreError(
                f"the database has migrations this version does not know: {sorted(unknown)}",
                where=str(self.path),
                hint="It was written by a newer presslens; upgrade presslens.",
            )
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self._transaction():
                for statement in _statements(sql):
                    self.db.execute(statement)
                self.db.execute("INSERT INTO migrations VALUES (?, ?)", (name, _now()))

    def migrations(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM migrations ORDER BY name")]

    # -- writes -----------------------------------------------------------------------------
    def upsert(self, article: Article) -> UpsertResult:
        """Insert or replace ``article``; an identical article already stored is left alone."""
        try:
            with self._transaction():
                return self._upsert_in_tx(article)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot write article {article.id}: {exc}",
                where=f"{self.path} (article {article.id}, from {article.source})",
                hint="Check disk space and that no other program holds a write lock.",
            ) from exc

    def upsert_many(self, articles: Sequence[Article]) -> list[UpsertResult | StoreError]:
        """Upsert a batch in one transaction; if that fails, article by article, so one bad
        article is reported alone and the others are still written."""
        try:
            with self._transaction():
                return [self._upsert_in_tx(a) for a in articles]
        except sqlite3.Error:
            pass  # rolled back; isolate the culprit below
        results: list[UpsertResult | StoreError] = []
        for art in articles:
            try:
                results.append(self.upsert(art))
            except StoreError as exc:
                results.append(exc)
        return results

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _upsert_in_tx(self, article: Article) -> UpsertResult:
        article.ensure_id()
        digest = article.content_hash()
        row = self.db.execute(
            "SELECT content_hash FROM articles WHERE id = ?", (article.id,)
        ).fetchone()
        if row is not None and row[0] == digest:
            return "unchanged"
        self._write(article, digest)
        return "inserted" if row is None else "updated"

    def _write(self, art: Article, digest: str) -> None:
        aid = art.id
        for table in ("spans", "clusters", "articles_fts"):  # constant names, not input
            self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
        self.db.execute("DELETE FROM articles WHERE id = ?", (aid,))
        genre = (art.meta.get("genre") or {}).get("label")
        self.db.execute(
            "INSERT INTO articles (id, content_hash, pipeline, outlet, title, url, source,"
            " published, genre, text, doc, analysed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                aid,
                digest,
                art.meta.get("pipeline"),
                art.outlet,
                art.title,
                art.url,
                art.source,
                art.published.date.isoformat() if art.published else None,
                genre,
                art.text,
                art.to_json(),
                _now(),
            ),
        )
        self.db.executemany(
            'INSERT INTO spans (article_id, layer, idx, start, "end", label, surface, entity,'
            " attrs) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                (
                    aid,
                    layer,
                    i,
                    s.start,
                    s.end,
                    s.label,
                    s.text,
                    s.attrs.get("entity"),
                    json.dumps(s.attrs, ensure_ascii=False),
                )
                for layer, spans in art.layers.items()
                if layer not in UNINDEXED_LAYERS
                for i, s in enumerate(spans)
            ),
        )
        self.db.executemany(
            "INSERT INTO clusters VALUES (?,?,?,?,?)",
            ((aid, c.id, c.label, c.name, len(c.mentions)) for c in art.clusters),
        )
        self.db.execute(
            "INSERT INTO articles_fts (article_id, title, text) VALUES (?,?,?)",
            (aid, art.title or "", art.text),
        )

    # -- reads ------------------------------------------------------------------------------
    def get(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT doc FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else self._load(row[0], article_id)

    def find_ids(self, prefix: str) -> list[str]:
        pattern = prefix.replace("%", "").replace("_", "") + "%"
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM articles WHERE id LIKE ? ORDER BY id LIMIT 20", (pattern,)
            )
        ]

    def fingerprint(self, article_id: str) -> str | None:
        row = self.db.execute(
            "SELECT pipeline FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else row[0]

    def articles(self, *, outlet: str | None = None) -> Iterator[Article]:
        sql = "SELECT id, doc FROM articles"
        params: tuple[str, ...] = ()
        if outlet is not None:
            sql += " WHERE outlet = ?"
            params = (outlet,)
        sql += " ORDER BY published IS NULL, published, id"
        for aid, doc in self.db.execute(sql, params).fetchall():
            yield self._load(doc, aid)

    def search(self, query: str, *, limit: int = 20) -> list[tuple[str, str]]:
        """Full-text search: (article id, snippet) pairs, best first."""
        try:
            rows = self.db.execute(
                "SELECT article_id, snippet(articles_fts, 2, '[', ']', '…', 12)"
                " FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"bad search query {query!r}: {exc}", hint="Quote phrases with double quotes."
            ) from exc
        return [(r[0], r[1]) for r in rows]

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def put_corpus(self, name: str, data: dict) -> None:
        with self._transaction():
            self.db.execute(
                "INSERT INTO corpus_results (name, data, updated_at) VALUES (?,?,?)"
                " ON CONFLICT(name) DO UPDATE SET data = excluded.data,"
                " updated_at = excluded.updated_at",
                (name, json.dumps(data, ensure_ascii=False), _now()),
            )

    def get_corpus(self, name: str) -> dict | None:
        row = self.db.execute(
            "SELECT data FROM corpus_results WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else json.loads(row[0])

    def close(self) -> None:
        self.db.close()

    def _load(self, doc: str, article_id: str) -> Article:
        try:
            return Article.from_json(doc)
        except ValueError as exc:
            raise StoreError(
                f"stored article {article_id} does not load: {exc}",
                where=str(self.path),
                hint="Re-run `presslens analyze` on its source.",
            ) from exc


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
