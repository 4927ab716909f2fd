"""PostgreSQL store: the Store interface on psycopg 3 through SQLAlchemy Core.

Many readers and writers may share one database (the web app and corpus runs): each upsert
takes a transaction-scoped advisory lock on its article id, migrations take one global lock,
and a batch writes each article inside its own savepoint, so one refused article is reported
alone while the rest of the batch commits.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL, Connection, make_url

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store.base import (
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
from presslens.store.migrations_pg import PG_MIGRATIONS, TS_CONFIG
from presslens.store.snippets import marked_snippet

#: Speakers listed by ``stats()`` (as on SQLite).
TOP_SPEAKERS = 20
#: Seconds to wait for the server before reporting it unreachable.
CONNECT_TIMEOUT = 10
#: Waits (seconds) before each retry of a batch whose connection was lost.
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)
#: Key of the advisory lock that serialises migrations across processes.
MIGRATION_LOCK = 7_301_007
#: First key of the corpus update lock; the second is the schema's hash.
CORPUS_LOCK = 7_301_008

_md = sa.MetaData()
ARTICLES = sa.Table(
    "articles",
    _md,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("content_hash", sa.Text),
    sa.Column("pipeline", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("genre", sa.Text),
    sa.Column("words", sa.Integer),
    sa.Column("text", sa.Text),
    sa.Column("doc", sa.Text),
    sa.Column("analysed_at", sa.DateTime(timezone=True)),
)
SPANS = sa.Table(
    "spans",
    _md,
    sa.Column("article_id", sa.Text),
    sa.Column("layer", sa.Text),
    sa.Column("idx", sa.Integer),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("label", sa.Text),
    sa.Column("surface", sa.Text),
    sa.Column("entity", sa.Text),
    sa.Column("entity_name", sa.Text),
    sa.Column("attrs", JSONB),
)
NUMBERS = sa.Table(
    "numbers",
    _md,
    sa.Column("article_id", sa.Text),
    sa.Column("idx", sa.Integer),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("kind", sa.Text),
    sa.Column("surface", sa.Text),
    sa.Column("counted_key", sa.Text),
    sa.Column("cited", sa.Text),
    sa.Column("cited_names", sa.Text),
    sa.Column("sourced", sa.Integer),
    sa.Column("data", sa.Text),
)
CLUSTERS = sa.Table(
    "clusters",
    _md,
    sa.Column("article_id", sa.Text),
    sa.Column("cluster_id", sa.Text),
    sa.Column("label", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("mentions", sa.Integer),
)
_LIST_COLUMNS = "a.id, a.title, a.outlet, a.published, a.genre, a.words"


class PostgresStore:
    """A PostgreSQL database; safe to share between processes and threads."""

    def __init__(self, url: str) -> None:
        parsed = _parse_url(url)
        self._parsed = parsed
        self.url = parsed.set(drivername="postgresql").render_as_string(hide_password=True)
        self._stats: tuple[int, dict[str, Any]] | None = None
        self.engine = sa.create_engine(
            parsed,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=5,
            connect_args={"connect_timeout": CONNECT_TIMEOUT, "application_name": "presslens"},
        )
        sa.event.listen(self.engine, "handle_error", _mark_client_side_failure)
        try:
            self._migrate()
        except sa.exc.DBAPIError as exc:
            self.engine.dispose()
            raise self._connection_error(exc) from exc
        except StoreError:
            self.engine.dispose()
            raise

    # -- schema -----------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            conn.exec_driver_sql(
                "CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY,"
                " applied_at timestamptz NOT NULL)"
            )
            done = {r[0] for r in conn.exec_driver_sql("SELECT name FROM migrations")}
            unknown = done - {name for name, _ in PG_MIGRATIONS}
            if unknown:
                raise newer_schema_error(unknown, self.url)
            for name, migration in PG_MIGRATIONS:
                if name in done:
                    continue
                if isinstance(migration, str):
                    conn.exec_driver_sql(migration)
                else:
                    migration(conn)
                conn.execute(
                    sa.text("INSERT INTO migrations VALUES (:n, :t)"), {"n": name, "t": _now()}
                )

    def migrations(self) -> list[str]:
        with self._read() as conn:
            return [r[0] for r in conn.exec_driver_sql("SELECT name FROM migrations ORDER BY 1")]

    # -- writes -----------------------------------------------------------------------------
    def upsert(self, article: Article) -> UpsertResult:
        """Insert or replace ``article``; an identical article already stored is left alone."""
        try:
            with self.engine.begin() as conn:
                result = self._upsert_in_tx(conn, [article])[0]
                _bump(conn, [result])
                return result
        except sa.exc.DBAPIError as exc:
            raise self._write_error(article, exc) from exc

    def upsert_many(self, articles: Sequence[Article]) -> list[UpsertResult | StoreError]:
        """Upsert a batch in one transaction with a few statements; if the database refuses
        it, article by article, each in its own savepoint, so one refused article is reported
        alone and the others are still written. A lost connection (server restart, network
        blip) is retried with backoff before the batch is reported: upserts are idempotent."""
        if not articles:
            return []
        for delay in (*RETRY_DELAYS, None):
            try:
                return self._upsert_batch(articles)
            except sa.exc.DBAPIError as exc:
                if delay is None or not _lost_connection(exc):
                    # nothing of the batch is known to be stored
                    return [self._write_error(art, exc) for art in articles]
                self.engine.dispose()  # drop pooled connections to the old server
                time.sleep(delay)
        raise AssertionError("unreachable")  # the loop returns on its last turn

    def _upsert_batch(self, articles: Sequence[Article]) -> list[UpsertResult | StoreError]:
        with self.engine.begin() as conn:
            _lock(conn, [a.ensure_id().id for a in articles])
            if len({a.id for a in articles}) == len(articles):
                try:
                    with conn.begin_nested():
                        done: list[UpsertResult | StoreError] = list(
                            self._upsert_in_tx(conn, articles)
                        )
                    _bump(conn, done)
                    return done
                except sa.exc.DBAPIError as exc:
                    if exc.connection_invalidated:
                        raise
            results: list[UpsertResult | StoreError] = []
            for art in articles:
                try:
                    with conn.begin_nested():
                        results.append(self._upsert_in_tx(conn, [art])[0])
                except sa.exc.DBAPIError as exc:
                    if exc.connection_invalidated:
                        raise
                    results.append(self._write_error(art, exc))
            _bump(conn, results)
            return results

    def _upsert_in_tx(self, conn: Connection, articles: Sequence[Article]) -> list[UpsertResult]:
        """Write the articles (distinct ids) whose content hash changed; one statement per
        table for the whole batch."""
        ids = [a.ensure_id().id for a in articles]
        digests = [a.content_hash() for a in articles]
        # Two writers of the same article wait for each other instead of colliding.
        _lock(conn, ids)
        old = dict(
            conn.execute(
                sa.select(ARTICLES.c.id, ARTICLES.c.content_hash).where(ARTICLES.c.id.in_(ids))
            ).all()
        )
        changed = [(a, d) for a, d in zip(articles, digests, strict=True) if old.get(a.id) != d]
        stale = [a.id for a, _ in changed if a.id in old]
        if stale:
            conn.execute(sa.delete(ARTICLES).where(ARTICLES.c.id.in_(stale)))  # cascades
        if changed:
            now = _now()
            rows = []
            for art, digest in changed:
                row = article_row(art, digest, now)
                row["published"] = art.published.date if art.published else None
                rows.append(row)
            conn.execute(sa.insert(ARTICLES), rows)
            spans = [s for art, _ in changed for s in span_rows_of(art)]
            for s in spans:
                s["attrs"] = json.loads(s["attrs"])
            if spans:
                conn.execute(sa.insert(SPANS), spans)
            numbers = [n for art, _ in changed for n in number_rows_of(art)]
            if numbers:
                conn.execute(sa.insert(NUMBERS), numbers)
            clusters = [c for art, _ in changed for c in cluster_rows_of(art)]
            if clusters:
                conn.execute(sa.insert(CLUSTERS), clusters)
        return [
            "unchanged" if old.get(a.id) == d else "updated" if a.id in old else "inserted"
            for a, d in zip(articles, digests, strict=True)
        ]

    def put_corpus(self, name: str, data: dict) -> None:
        self.put_corpus_many({name: data})

    def put_corpus_many(self, docs: dict[str, dict]) -> None:
        """Replace several corpus results in one transaction."""
        with self._write() as conn:
            for name, data in docs.items():
                conn.execute(
                    sa.text(
                        "INSERT INTO corpus_results (name, data, updated_at) VALUES (:n, :d, :t)"
                        " ON CONFLICT (name) DO UPDATE SET data = excluded.data,"
                        " updated_at = excluded.updated_at"
                    ),
                    {"n": name, "d": json.dumps(data, ensure_ascii=False), "t": _now()},
                )

    @contextmanager
    def corpus_lock(self) -> Iterator[None]:
        """Hold the corpus lock of this store's schema (a session advisory lock on its own
        connection): one corpus update at a time across processes and hosts."""
        try:
            conn = self.engine.connect()
        except sa.exc.DBAPIError as exc:
            raise self._connection_error(exc) from exc
        key = sa.text("SELECT pg_advisory_lock(:k, hashtext(current_schema()))")
        unkey = sa.text("SELECT pg_advisory_unlock(:k, hashtext(current_schema()))")
        with conn:
            conn.execute(key, {"k": CORPUS_LOCK})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(unkey, {"k": CORPUS_LOCK})
                conn.commit()

    # -- reads ------------------------------------------------------------------------------
    def get(self, article_id: str) -> Article | None:
        with self._read() as conn:
            doc = conn.execute(
                sa.select(ARTICLES.c.doc).where(ARTICLES.c.id == article_id)
            ).scalar()
        return None if doc is None else self._load(doc, article_id)

    def find_ids(self, prefix: str) -> list[str]:
        with self._read() as conn:
            rows = conn.execute(
                sa.select(ARTICLES.c.id)
                .where(ARTICLES.c.id.ilike(like_prefix(prefix), escape="\\"))  # as SQLite
                .order_by(ARTICLES.c.id)
                .limit(20)
            )
            return [r[0] for r in rows]

    def fingerprint(self, article_id: str) -> str | None:
        with self._read() as conn:
            return conn.execute(
                sa.select(ARTICLES.c.pipeline).where(ARTICLES.c.id == article_id)
            ).scalar()

    def articles(self, *, outlet: str | None = None) -> Iterator[Article]:
        query = sa.select(ARTICLES.c.id)
        if outlet is not None:
            query = query.where(ARTICLES.c.outlet == outlet)
        query = query.order_by(ARTICLES.c.published.is_(None), ARTICLES.c.published, ARTICLES.c.id)
        with self._read() as conn:
            ids = [r[0] for r in conn.execute(query)]
        # Ids first, documents one at a time: memory stays flat on a large corpus.
        for aid in ids:
            art = self.get(aid)
            if art is not None:
                yield art

    def search(self, query: str, *, limit: int = 20) -> list[tuple[str, str]]:
        """Full-text search (web-search syntax): (article id, snippet) pairs, best first."""
        rows, _ = self.search_page(query, limit=limit)
        return [(r["id"], r["snippet"]) for r in rows]

    def count(self) -> int:
        with self._read() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM articles").scalar_one())

    def get_corpus(self, name: str) -> dict | None:
        with self._read() as conn:
            data = conn.execute(
                sa.text("SELECT data FROM corpus_results WHERE name = :n"), {"n": name}
            ).scalar()
        return None if data is None else json.loads(data)

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
        with self._read() as conn:
            total = conn.execute(
                sa.text(f"SELECT count(*) FROM articles a{where}"), params
            ).scalar_one()
            rows = conn.execute(
                sa.text(
                    f"SELECT {_LIST_COLUMNS} FROM articles a{where}"
                    " ORDER BY a.published DESC NULLS LAST, a.id DESC LIMIT :limit OFFSET :offset"
                ),
                {**params, "limit": limit, "offset": offset},
            ).all()
        return [_list_row(r) for r in rows], int(total)

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
        page = {**params, "limit": limit, "offset": offset}
        if not query.strip():
            with self._read() as conn:
                total = conn.execute(
                    sa.text(f"SELECT count(*) FROM articles a{where}"), params
                ).scalar_one()
                found = conn.execute(
                    sa.text(
                        f"SELECT {_LIST_COLUMNS}, left(a.text, 400) FROM articles a{where}"
                        " ORDER BY a.published DESC NULLS LAST, a.id DESC"
                        " LIMIT :limit OFFSET :offset"
                    ),
                    page,
                ).all()
            rows = [_list_row(r[:6]) | snippet_fields(plain_snippet(r[6])) for r in found]
            return rows, int(total)
        tsquery = _tsquery(query)
        cond = " WHERE a.tsv @@ q.q" + (" AND" + where[len(" WHERE") :] if where else "")
        src = f" FROM articles a, (SELECT {tsquery} AS q) q"
        params["q"] = page["q"] = tsquery_text(query)
        with self._read() as conn:
            total = conn.execute(sa.text(f"SELECT count(*){src}{cond}"), params).scalar_one()
            found = conn.execute(
                sa.text(
                    f"SELECT {_LIST_COLUMNS}{src}{cond}"
                    " ORDER BY ts_rank(a.tsv, q.q) DESC, a.published DESC NULLS LAST, a.id"
                    " LIMIT :limit OFFSET :offset"
                ),
                page,
            ).all()
            # Snippets only for the page, cut in Python as on SQLite (store/snippets.py), so
            # both backends mark the same words, in the title too when only it matches.
            texts: dict[str, str] = dict(
                conn.execute(
                    sa.text("SELECT a.id, a.text FROM articles a WHERE a.id = ANY(:ids)"),
                    {"ids": [r[0] for r in found]},
                ).all()
            )
        rows = []
        for r in found:
            row = _list_row(r)
            marked = marked_snippet(row["title"], texts.get(r[0], ""), query)
            rows.append(row | snippet_fields(marked))
        return rows, int(total)

    def stats(self) -> dict[str, Any]:
        """Cached until a write commits (``store_state.generation``, bumped by every write
        transaction that changed an article), so an overview page costs one small query."""
        with self._read() as conn:
            generation = conn.exec_driver_sql("SELECT generation FROM store_state").scalar_one()
            if self._stats is None or self._stats[0] != generation:
                self._stats = (generation, self._compute_stats(conn))
        return copy.deepcopy(self._stats[1])

    def _compute_stats(self, conn: Connection) -> dict[str, Any]:
        q = conn.exec_driver_sql
        overview = overview_counts(
            q(
                "SELECT outlet, to_char(published, 'YYYY-MM'), genre, count(*), sum(words)"
                " FROM articles GROUP BY 1, 2, 3"
            )
        )
        techniques: dict[str, dict[str, int]] = {}
        for outlet, label, n in q(
            "SELECT coalesce(a.outlet, ''), s.label, count(*) FROM spans s"
            " JOIN articles a ON a.id = s.article_id WHERE s.layer = 'techniques'"
            " GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2"
        ):
            techniques.setdefault(outlet, {})[label] = int(n)
        speakers = [
            [name, int(n)]
            for name, n in conn.execute(
                sa.text(
                    "SELECT min(entity_name), count(*) FROM spans"
                    " WHERE layer = 'attributions' AND entity_name IS NOT NULL"
                    " GROUP BY lower(entity_name) ORDER BY 2 DESC, 1 LIMIT :n"
                ),
                {"n": TOP_SPEAKERS},
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
        with self._read() as conn:
            if kinds:
                conds.append("n.kind = ANY(:kinds)")
                params["kinds"] = list(kinds)
            if counted is not None and (pattern := counted_pattern(counted)) is not None:
                conds.append("n.counted_key LIKE :counted")
                params["counted"] = pattern
            if cited is not None:
                stored = conn.exec_driver_sql(
                    "SELECT DISTINCT cited_names FROM numbers WHERE cited_names IS NOT NULL"
                ).scalars()
                conds.append("n.cited_names = ANY(:cited)")
                params["cited"] = cited_name_lists(cited, stored)
            if sourced is not None:
                conds.append("n.sourced = :sourced")
                params["sourced"] = int(sourced)
            joined = " FROM numbers n JOIN articles a ON a.id = n.article_id"
            cond = " WHERE " + " AND ".join(conds) if conds else ""
            total = conn.execute(sa.text(f"SELECT count(*){joined}{cond}"), params).scalar_one()
            rows = conn.execute(
                sa.text(
                    f"SELECT n.data, a.published{joined}{cond}"
                    " ORDER BY a.published DESC NULLS LAST, a.id DESC, n.start, n.idx"
                    " LIMIT :limit OFFSET :offset"
                ),
                {**params, "limit": limit, "offset": offset},
            ).all()
        return [
            json.loads(r[0]) | {"published": r[1].isoformat() if r[1] is not None else None}
            for r in rows
        ], int(total)

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
        conds, params = ["s.layer = :layer"], {"layer": layer, "limit": limit}
        if label is not None:
            conds.append("s.label = :label")
            params["label"] = label
        if entity is not None:
            conds.append("lower(s.entity_name) = lower(:entity)")
            params["entity"] = entity
        if article_ids is not None:
            if not article_ids:
                return []
            conds.append("s.article_id = ANY(:ids)")
            params["ids"] = list(article_ids)
        with self._read() as conn:
            rows = conn.execute(
                sa.text(
                    'SELECT s.article_id, s.layer, s.idx, s.start, s."end", s.label, s.surface,'
                    " s.entity_name, s.attrs FROM spans s JOIN articles a ON a.id = s.article_id"
                    f" WHERE {' AND '.join(conds)}"
                    " ORDER BY a.published NULLS LAST, s.article_id, s.start, s.idx LIMIT :limit"
                ),
                params,
            ).all()
        keys = ("article_id", "layer", "idx", "start", "end", "label", "surface", "entity_name")
        return [dict(zip(keys, r[:8], strict=True)) | {"attrs": r[8]} for r in rows]

    def close(self) -> None:
        self.engine.dispose()

    # -- helpers ----------------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa.exc.DBAPIError as exc:
            raise self._connection_error(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except sa.exc.DBAPIError as exc:
            raise self._connection_error(exc) from exc

    def _where(self) -> str:
        p = self._parsed
        return f"PostgreSQL at {p.host or 'localhost'}:{p.port or 5432}/{p.database or ''}"

    def _connection_error(self, exc: sa.exc.DBAPIError) -> StoreError:
        """Map a driver error to a StoreError that says what to check."""
        import psycopg

        msg = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        p = self._parsed
        where = self._where()
        if isinstance(exc.orig, psycopg.errors.InvalidCatalogName) or (
            "database" in msg and "does not exist" in msg
        ):
            return StoreError(
                f"database {p.database!r} does not exist ({msg})",
                where=where,
                hint=f"Create it (createdb -h {p.host} -p {p.port or 5432} {p.database}) "
                "or fix the name in --store.",
                code="P304",
            )
        if isinstance(exc.orig, psycopg.OperationalError) and (
            "authentication" in msg or "password" in msg or "role" in msg
        ):
            return StoreError(
                f"the server refused the login ({msg})",
                where=where,
                hint="Check the user and password in the URL "
                "(postgresql://user:password@host:port/dbname).",
                code="P304",
            )
        if isinstance(exc.orig, psycopg.OperationalError) or exc.connection_invalidated:
            return StoreError(
                f"cannot connect to the PostgreSQL server ({msg})",
                where=where,
                hint=f"Check that a server is running and accepts TCP connections on "
                f"{p.host or 'localhost'}:{p.port or 5432}, or fix --store "
                "(postgresql://user@host:port/dbname).",
                code="P303",
            )
        hint = "Check the server log; the schema may have been changed by hand."
        if "no schema has been selected" in msg:  # search_path names no existing schema
            hint = (
                "The URL's search_path (options=-csearch_path=NAME) names a schema that does "
                "not exist: create it (CREATE SCHEMA NAME) or fix the URL."
            )
        return StoreError(f"database error: {msg}", where=where, hint=hint, code="P306")

    def _write_error(self, article: Article, exc: sa.exc.DBAPIError) -> StoreError:
        msg = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return StoreError(
            f"cannot write article {article.id}: {msg}",
            where=f"{self._where()} (article {article.id}, from {article.source})",
            hint="Check the server is reachable and has disk space; the other articles of "
            "the batch were still written.",
        )

    def _load(self, doc: str, article_id: str) -> Article:
        try:
            return Article.from_json(doc)
        except ValueError as exc:
            raise StoreError(
                f"stored article {article_id} does not load: {exc}",
                where=self.url,
                hint="Re-run `presslens analyze` on its source.",
            ) from exc


def _bump(conn: Connection, results: Sequence[object]) -> None:
    """Count a write transaction that changed something (readers' caches key on it). Runs
    last in the transaction, after every article lock is held, so it adds no lock cycle."""
    if any(r in ("inserted", "updated") for r in results):
        conn.exec_driver_sql("UPDATE store_state SET generation = generation + 1")


def _lock(conn: Connection, ids: Sequence[str]) -> None:
    """Transaction-scoped advisory locks on article ids, taken in sorted order (unnest keeps
    the array's order) so two batches never wait for each other in a cycle; re-taking a held
    lock is free."""
    conn.execute(
        sa.text(
            "SELECT pg_advisory_xact_lock(hashtextextended(i, 0))"
            " FROM unnest(CAST(:ids AS text[])) AS i"
        ),
        {"ids": sorted(set(ids))},
    )


def _parse_url(url: str) -> URL:
    """``postgresql://…`` (or ``postgres://``) as a SQLAlchemy URL on the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    try:
        parsed = make_url(url)
    except (sa.exc.ArgumentError, ValueError) as exc:  # ValueError: a port that is no number
        raise StoreError(
            f"cannot read the PostgreSQL URL: {exc}",
            hint="Use postgresql://user:password@host:port/dbname.",
            code="P303",
        ) from exc
    if not parsed.database:
        raise StoreError(
            "the PostgreSQL URL names no database",
            hint="Use postgresql://user:password@host:port/dbname.",
            code="P303",
        )
    return parsed.set(drivername="postgresql+psycopg")


def tsquery_text(query: str) -> str | list[str]:
    """What :func:`_tsquery`'s SQL binds as ``:q``: the query for web-search syntax, else
    the plain terms (each becomes a phrase of the words PostgreSQL's parser finds in it)."""
    return query if is_advanced_query(query) else plain_terms(query)


def _tsquery(query: str) -> str:
    """SQL for the tsquery of ``query`` (bound as ``:q``): every plain term must occur, each
    as a phrase of its pieces ("port-authority", "ferry's", "U.S."), as SQLite's FTS5 quotes
    each term (``plainto_tsquery`` dropped the hyphenated compound's phrase and let "ferry's"
    match a lone "s" anywhere, so the same plain words found different articles); quotes,
    OR and -word use PostgreSQL's web-search syntax, which never fails to parse."""
    if is_advanced_query(query):
        return f"websearch_to_tsquery('{TS_CONFIG}', :q)"
    if not plain_terms(query):
        raise StoreError(
            f"search query {query!r} has no words",
            hint="Search for at least one word.",
            code="P301",
        )
    phrase = f"phraseto_tsquery('{TS_CONFIG}', t)"
    return (
        f"(SELECT coalesce(string_agg('(' || {phrase}::text || ')', ' & '), '')::tsquery"
        f" FROM unnest(CAST(:q AS text[])) AS t WHERE {phrase}::text <> '')"
    )


def _filters(
    *,
    outlet: str | None = None,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    genre: str | None = None,
    speaker: str | None = None,
    technique: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """A WHERE clause over ``articles a`` and its bound parameters."""
    conds: list[str] = []
    params: dict[str, Any] = {}
    if outlet is not None:
        conds.append("a.outlet = :outlet")
        params["outlet"] = outlet
    if (start := iso_day(date_from, "date_from")) is not None:
        conds.append("a.published >= :date_from")
        params["date_from"] = date.fromisoformat(start)
    if (end := iso_day(date_to, "date_to")) is not None:
        conds.append("a.published <= :date_to")
        params["date_to"] = date.fromisoformat(end)
    if genre is not None:
        conds.append("a.genre = :genre")
        params["genre"] = genre
    if speaker is not None:
        conds.append(
            "a.id IN (SELECT article_id FROM spans WHERE layer = 'attributions'"
            " AND lower(entity_name) = lower(:speaker))"
        )
        params["speaker"] = speaker
    if technique is not None:
        conds.append(
            "a.id IN (SELECT article_id FROM spans WHERE layer = 'techniques'"
            " AND label = :technique)"
        )
        params["technique"] = technique
    return (" WHERE " + " AND ".join(conds) if conds else ""), params


def _list_row(r: Sequence[Any]) -> dict[str, Any]:
    published = r[3].isoformat() if r[3] is not None else None
    return {
        "id": r[0],
        "title": r[1],
        "outlet": r[2],
        "published": published,
        "genre": r[4],
        "words": r[5],
    }


def _now() -> datetime:
    return datetime.now(UTC)


def _mark_client_side_failure(ctx: sa.engine.ExceptionContext) -> None:
    """Treat a psycopg failure the server never reported (no SQLSTATE) as a disconnect.

    Why: when the server dies mid-pipeline (psycopg's ``executemany``), psycopg can leave the
    connection stuck in pipeline mode without marking it broken. SQLAlchemy would then return
    it to the pool and try a ROLLBACK on it, which fails again and is logged with a
    traceback. Marked as a disconnect, the connection is discarded instead and the batch is
    retried on a fresh one. Errors the server reported (a refused row, a too-long tsvector)
    keep their SQLSTATE and stay ordinary write errors.
    """
    import psycopg

    exc = ctx.original_exception
    if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
        ctx.is_disconnect = True


def _lost_connection(exc: sa.exc.DBAPIError) -> bool:
    """Whether ``exc`` means the connection went away (worth a retry), not a refused write."""
    import psycopg

    return bool(exc.connection_invalidated) or isinstance(exc.orig, psycopg.OperationalError)
