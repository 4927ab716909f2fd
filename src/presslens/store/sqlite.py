"""SQLite store: WAL, explicit migrations, idempotent upserts, FTS5 full-text search."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store.base import (
    NUMBER_COLUMNS,
    UpsertResult,
    article_row,
    check_page,
    cited_name_lists,
    cluster_rows_of,
    counted_pattern,
    is_advanced_query,
    iso_day,
    like_prefix,
    newer_schema_error,
    number_rows_of,
    overview_counts,
    plain_snippet,
    plain_terms,
    snippet_fields,
    span_rows_of,
)
from presslens.store.migrations import MIGRATIONS
from presslens.store.snippets import marked_snippet

#: Speakers listed by ``stats()``.
TOP_SPEAKERS = 20

_ARTICLE_COLUMNS = (
    "id",
    "content_hash",
    "pipeline",
    "outlet",
    "title",
    "url",
    "source",
    "published",
    "genre",
    "words",
    "text",
    "doc",
    "analysed_at",
)
_SPAN_COLUMNS = (
    "article_id",
    "layer",
    "idx",
    "start",
    "end",
    "label",
    "surface",
    "entity",
    "entity_name",
    "attrs",
)
_LIST_COLUMNS = "a.id, a.title, a.outlet, a.published, a.genre, a.words"


class SQLiteStore:
    """One SQLite file; one writer at a time (WAL lets readers run alongside)."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.url = f"sqlite:///{path}"
        self.path = path
        self._writes = 0  # commits through this connection (invalidates the stats cache)
        self._write_lock = threading.RLock()
        self._stats: tuple[tuple[int, int], dict[str, Any]] | None = None
        if read_only and isinstance(path, Path) and not _writable(path):
            self.db = _open_read_only(path)
            return
        try:
            if isinstance(path, Path):
                path.parent.mkdir(parents=True, exist_ok=True)
            # check_same_thread=False: a web server may hand the store between worker threads;
            # SQLite serialises calls on one connection, and _write_lock write transactions.
            self.db = sqlite3.connect(
                str(path), timeout=30, isolation_level=None, check_same_thread=False
            )
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
        unknown = done - {name for name, _ in MIGRATIONS}
        if unknown:
            raise newer_schema_error(unknown, str(self.path))
        for name, migration in MIGRATIONS:
            if name in done:
                continue
            with self._transaction():
                if isinstance(migration, str):
                    for statement in _statements(migration):
                        self.db.execute(statement)
                else:
                    migration(self.db)
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
        # One write transaction at a time per connection, even when threads share the store.
        with self._write_lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
            self._writes += 1

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
        self.db.execute("DELETE FROM spans WHERE article_id = ?", (aid,))
        self.db.execute("DELETE FROM numbers WHERE article_id = ?", (aid,))
        self.db.execute("DELETE FROM clusters WHERE article_id = ?", (aid,))
        self.db.execute("DELETE FROM articles WHERE id = ?", (aid,))
        self.db.execute("INSERT OR IGNORE INTO article_keys (article_id) VALUES (?)", (aid,))
        key = self.db.execute("SELECT n FROM article_keys WHERE article_id = ?", (aid,)).fetchone()
        self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", (key[0],))
        row = article_row(art, digest, _now())
        self.db.execute(
            f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))})",
            tuple(row[c] for c in _ARTICLE_COLUMNS),
        )
        self.db.executemany(
            f"INSERT INTO spans ({', '.join(_quote(c) for c in _SPAN_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(_SPAN_COLUMNS))})",
            (tuple(r[c] for c in _SPAN_COLUMNS) for r in span_rows_of(art)),
        )
        self.db.executemany(
            f"INSERT INTO numbers ({', '.join(_quote(c) for c in NUMBER_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(NUMBER_COLUMNS))})",
            (tuple(r[c] for c in NUMBER_COLUMNS) for r in number_rows_of(art)),
        )
        self.db.executemany(
            "INSERT INTO clusters (article_id, cluster_id, label, name, mentions)"
            " VALUES (?,?,?,?,?)",
            (tuple(r.values()) for r in cluster_rows_of(art)),
        )
        self.db.execute(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?,?,?)",
            (key[0], art.title or "", art.text),
        )

    # -- reads ------------------------------------------------------------------------------
    def get(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT doc FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else self._load(row[0], article_id)

    def find_ids(self, prefix: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 20",
                (like_prefix(prefix),),
            )
        ]

    def fingerprint(self, article_id: str) -> str | None:
        row = self.db.execute(
            "SELECT pipeline FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else row[0]

    def articles(self, *, outlet: str | None = None) -> Iterator[Article]:
        sql = "SELECT id FROM articles"
        params: tuple[str, ...] = ()
        if outlet is not None:
            sql += " WHERE outlet = ?"
            params = (outlet,)
        sql += " ORDER BY published IS NULL, published, id"
        # Ids first, documents one at a time: memory stays flat on a large corpus.
        for (aid,) in self.db.execute(sql, params).fetchall():
            art = self.get(aid)
            if art is not None:
                yield art

    def search(self, query: str, *, limit: int = 20) -> list[tuple[str, str]]:
        """Full-text search in FTS5 syntax: (article id, snippet) pairs, best first."""
        rows = self._fts(
            "SELECT k.article_id, a.title, a.text"
            " FROM articles_fts JOIN article_keys k ON k.n = articles_fts.rowid"
            " JOIN articles a ON a.id = k.article_id"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
            query,
        )
        return [(r[0], snippet_fields(marked_snippet(r[1], r[2], query))["snippet"]) for r in rows]

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def put_corpus(self, name: str, data: dict) -> None:
        self.put_corpus_many({name: data})

    def put_corpus_many(self, docs: dict[str, dict]) -> None:
        """Replace several corpus results in one transaction: readers never see stories of
        one update beside entities of another."""
        try:
            with self._transaction():
                for name, data in docs.items():
                    self.db.execute(
                        "INSERT INTO corpus_results (name, data, updated_at) VALUES (?,?,?)"
                        " ON CONFLICT(name) DO UPDATE SET data = excluded.data,"
                        " updated_at = excluded.updated_at",
                        (name, json.dumps(data, ensure_ascii=False), _now()),
                    )
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot save the corpus results {', '.join(map(repr, docs))}: {exc}",
                where=str(self.path),
                hint="Free disk space or check the database file, then run "
                "`presslens corpus --rebuild`.",
            ) from exc

    @contextmanager
    def corpus_lock(self) -> Iterator[None]:
        """Hold the store's corpus lock: one corpus update at a time across processes.

        An update reads the corpus results, adds articles and writes them back; two at once
        (``analyze`` beside the web API's ingest) kept whichever wrote last and lost the
        other's stories. A lock file beside the database (``NAME.corpus-lock``) is held with
        ``flock``, so other writers of articles are not held up."""
        if not isinstance(self.path, Path):
            with self._write_lock:
                yield
            return
        import fcntl

        lock_path = self.path.with_name(self.path.name + ".corpus-lock")
        try:
            handle = open(lock_path, "a+b")  # noqa: SIM115  # held for the whole update
        except OSError as exc:
            raise StoreError(
                f"cannot open the corpus lock file: {exc}",
                where=str(lock_path),
                hint="The store's folder must be writable to update corpus results.",
            ) from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def get_corpus(self, name: str) -> dict | None:
        row = self.db.execute("SELECT data FROM corpus_results WHERE name = ?", (name,)).fetchone()
        return None if row is None else json.loads(row[0])

    # -- query methods (web app, export) ----------------------------------------------------
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
        check_page(limit, offset)
        where, params = _filters(outlet=outlet, date_from=date_from, date_to=date_to, genre=genre)
        total = self.db.execute(f"SELECT COUNT(*) FROM articles a{where}", params).fetchone()[0]
        cur = self.db.execute(
            f"SELECT {_LIST_COLUMNS} FROM articles a{where}"
            " ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_list_row(r) for r in cur.fetchall()], int(total)

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
        check_page(limit, offset)
        where, params = _filters(
            outlet=outlet,
            date_from=date_from,
            date_to=date_to,
            speaker=speaker,
            technique=technique,
        )
        if not query.strip():
            rows, total = self._filter_page(where, params, limit, offset)
            return rows, total
        match = _fts5_query(query)
        joined = (
            " FROM articles_fts JOIN article_keys k ON k.n = articles_fts.rowid"
            " JOIN articles a ON a.id = k.article_id"
        )
        cond = " WHERE articles_fts MATCH ?" + (" AND" + where[len(" WHERE") :] if where else "")
        total = self._fts(f"SELECT COUNT(*){joined}{cond}", (match, *params), query)[0][0]
        page = self._fts(
            f"SELECT articles_fts.rowid, {_LIST_COLUMNS}{joined}{cond}"
            " ORDER BY rank LIMIT ? OFFSET ?",
            (match, *params, limit, offset),
            query,
        )
        if not page:
            return [], int(total)
        # Snippets only for the page, in Python (store/snippets.py: FTS5's snippet() costs
        # the square of a row's hits).
        keys = [r[0] for r in page]
        texts = dict(
            self.db.execute(
                "SELECT k.n, a.text FROM article_keys k JOIN articles a ON a.id = k.article_id"
                f" WHERE k.n IN ({','.join('?' * len(keys))})",
                keys,
            ).fetchall()
        )
        rows = []
        for r in page:
            row = _list_row(r[1:])
            marked = marked_snippet(row.get("title"), texts.get(r[0], ""), query)
            rows.append(row | snippet_fields(marked))
        return rows, int(total)

    def _filter_page(
        self, where: str, params: list[Any], limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        total = self.db.execute(f"SELECT COUNT(*) FROM articles a{where}", params).fetchone()[0]
        cur = self.db.execute(
            f"SELECT {_LIST_COLUMNS}, substr(a.text, 1, 400) FROM articles a{where}"
            " ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        rows = [_list_row(r[:6]) | snippet_fields(plain_snippet(r[6])) for r in cur.fetchall()]
        return rows, int(total)

    def stats(self) -> dict[str, Any]:
        """Cached until the database changes (``PRAGMA data_version`` sees other connections'
        commits, ``_writes`` our own), so an overview page costs one pragma."""
        version = (self.db.execute("PRAGMA data_version").fetchone()[0], self._writes)
        if self._stats is None or self._stats[0] != version:
            self._stats = (version, self._compute_stats())
        return copy.deepcopy(self._stats[1])

    def _compute_stats(self) -> dict[str, Any]:
        q = self.db.execute
        overview = overview_counts(
            q(
                "SELECT outlet, substr(published, 1, 7) AS month, genre, COUNT(*), SUM(words)"
                " FROM articles GROUP BY outlet, month, genre"
            )
        )
        techniques: dict[str, dict[str, int]] = {}
        for outlet, label, n in q(
            "SELECT coalesce(a.outlet, ''), s.label, COUNT(*) FROM spans s"
            " JOIN articles a INDEXED BY articles_id_outlet ON a.id = s.article_id"
            " WHERE s.layer = 'techniques'"
            " GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2"
        ):
            techniques.setdefault(outlet, {})[label] = n
        speakers = [
            [name, n]
            for name, n in q(
                "SELECT entity_name, COUNT(*) FROM spans"
                " WHERE layer = 'attributions' AND entity_name IS NOT NULL"
                " GROUP BY entity_name ORDER BY 2 DESC, 1 LIMIT ?",
                (TOP_SPEAKERS,),
            )
        ]
        return {
            **overview,
            "techniques_by_outlet": techniques,
            "top_speakers": speakers,
        }

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
        check_page(limit, offset)
        where, params = _filters(outlet=outlet, date_from=date_from, date_to=date_to)
        conds = [where[len(" WHERE ") :]] if where else []
        if kinds:
            conds.append(f"n.kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        if counted is not None and (pattern := counted_pattern(counted)) is not None:
            conds.append("n.counted_key LIKE ?")
            params.append(pattern)
        if cited is not None:
            stored = [
                r[0]
                for r in self.db.execute(
                    "SELECT DISTINCT cited_names FROM numbers WHERE cited_names IS NOT NULL"
                )
            ]
            conds.append("n.cited_names IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(cited_name_lists(cited, stored)))
        if sourced is not None:
            conds.append("n.sourced = ?")
            params.append(int(sourced))
        joined = " FROM numbers n JOIN articles a ON a.id = n.article_id"
        cond = " WHERE " + " AND ".join(conds) if conds else ""
        total = self.db.execute(f"SELECT COUNT(*){joined}{cond}", params).fetchone()[0]
        cur = self.db.execute(
            f"SELECT n.data, a.published{joined}{cond}"
            " ORDER BY a.published DESC, a.id DESC, n.start, n.idx LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [json.loads(r[0]) | {"published": r[1]} for r in cur.fetchall()], int(total)

    def span_rows(
        self,
        layer: str,
        *,
        label: str | None = None,
        entity: str | None = None,
        article_ids: Sequence[str] | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        check_page(limit, 0)
        conds, params = ["s.layer = ?"], [layer]
        if label is not None:
            conds.append("s.label = ?")
            params.append(label)
        if entity is not None:
            conds.append("s.entity_name = ?")
            params.append(entity)
        if article_ids is not None:
            if not article_ids:
                return []
            conds.append(f"s.article_id IN ({','.join('?' * len(article_ids))})")
            params.extend(article_ids)
        cur = self.db.execute(
            'SELECT s.article_id, s.layer, s.idx, s.start, s."end", s.label, s.surface,'
            " s.entity_name, s.attrs FROM spans s JOIN articles a ON a.id = s.article_id"
            f" WHERE {' AND '.join(conds)}"
            " ORDER BY a.published IS NULL, a.published, s.article_id, s.start, s.idx LIMIT ?",
            (*params, limit),
        )
        keys = ("article_id", "layer", "idx", "start", "end", "label", "surface", "entity_name")
        return [dict(zip(keys, r[:8], strict=True)) | {"attrs": json.loads(r[8])} for r in cur]

    def close(self) -> None:
        """Close the connection, first letting SQLite refresh the planner statistics it
        finds stale (``PRAGMA optimize``, cheap; what SQLite recommends on closing)."""
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("PRAGMA optimize")
        self.db.close()

    # -- helpers ----------------------------------------------------------------------------
    def _fts(self, sql: str, params: Sequence[Any], query: str) -> list[Any]:
        """Run a full-text statement; a query FTS5 cannot parse is the user's, not a crash."""
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"bad search query {query!r}: {exc}",
                hint='Use plain words, or FTS5 syntax: "exact phrase", a OR b, a NOT b, pre*.',
                code="P301",
            ) from exc

    def _load(self, doc: str, article_id: str) -> Article:
        try:
            return Article.from_json(doc)
        except ValueError as exc:
            raise StoreError(
                f"stored article {article_id} does not load: {exc}",
                where=str(self.path),
                hint="Re-run `presslens analyze` on its source.",
            ) from exc


def _fts5_query(query: str) -> str:
    """Plain words become quoted terms that must all occur (so "U.S." or "don't" are not
    syntax errors); a query using FTS5 syntax is passed through as written."""
    if is_advanced_query(query):
        return query
    terms = plain_terms(query)
    if not terms:
        raise StoreError(
            f"search query {query!r} has no words",
            hint="Search for at least one word.",
            code="P301",
        )
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _filters(
    *,
    outlet: str | None = None,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    genre: str | None = None,
    speaker: str | None = None,
    technique: str | None = None,
) -> tuple[str, list[Any]]:
    """A WHERE clause over ``articles a`` and its parameters (values are always bound)."""
    conds: list[str] = []
    params: list[Any] = []
    if outlet is not None:
        conds.append("a.outlet = ?")
        params.append(outlet)
    if (start := iso_day(date_from, "date_from")) is not None:
        conds.append("a.published >= ?")
        params.append(start)
    if (end := iso_day(date_to, "date_to")) is not None:
        conds.append("a.published <= ?")
        params.append(end)
    if genre is not None:
        conds.append("a.genre = ?")
        params.append(genre)
    if speaker is not None:
        conds.append(
            "a.id IN (SELECT article_id FROM spans WHERE layer = 'attributions'"
            " AND entity_name = ?)"
        )
        params.append(speaker)
    if technique is not None:
        conds.append(
            "a.id IN (SELECT article_id FROM spans WHERE layer = 'techniques' AND label = ?)"
        )
        params.append(technique)
    return (" WHERE " + " AND ".join(conds) if conds else ""), params


def _writable(path: Path) -> bool:
    """Whether this process may write the store file and create its WAL files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to a store this user may not write (a shared archive).

    ``mode=ro`` still needs the WAL index beside the file; where that cannot be made the
    file is opened as ``immutable`` (nobody may be writing it then: we could not either).
    Migrations cannot run: a store of an older schema must be opened writable once."""
    uri = f"file:{quote(str(path.resolve()))}"
    where = str(path)
    for suffix in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            db = sqlite3.connect(
                uri + suffix, uri=True, isolation_level=None, check_same_thread=False
            )
            done = {row[0] for row in db.execute("SELECT name FROM migrations")}
            break
        except sqlite3.Error as exc:
            error = exc
    else:
        raise StoreError(
            f"cannot open the SQLite store read-only: {error}",
            where=where,
            hint="Check it is a presslens database this user may read.",
        )
    unknown = done - {name for name, _ in MIGRATIONS}
    if unknown:
        raise newer_schema_error(unknown, where)
    if {name for name, _ in MIGRATIONS} - done:
        raise StoreError(
            "the store has an older schema and this user may not write it to upgrade it",
            where=where,
            hint="Open it once with a user who may write it (any presslens command), or copy "
            "it somewhere writable.",
        )
    return db


def _list_row(r: Sequence[Any]) -> dict[str, Any]:
    keys = ("id", "title", "outlet", "published", "genre", "words")
    return dict(zip(keys, r, strict=True))


def _quote(column: str) -> str:
    return f'"{column}"'


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
