"""Store fixtures: every store test runs on SQLite (a temp file) and on a real PostgreSQL
server started once per test session (presslens.testing.pgserver), one fresh schema per
test. The PostgreSQL half skips with the reason when the server binaries are missing or
cannot run."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from presslens.model import Article, Cluster, Published
from presslens.store import Store, open_store
from presslens.store.postgres import PostgresStore
from presslens.store.sqlite import SQLiteStore
from presslens.testing.pgserver import PgServer, PgUnavailable

_SCHEMAS = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = PgServer.start()
    except PgUnavailable as exc:
        pytest.skip(f"PostgreSQL cannot run here: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_database(pg_server: PgServer) -> str:
    """One database for the session; each test gets its own schema in it (creating a schema
    costs milliseconds, creating a database a good fraction of a second)."""
    return pg_server.new_database("stores")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    db_url: str = request.getfixturevalue("pg_database")
    schema = f"test_{next(_SCHEMAS)}"
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    # libpq's options parameter sets search_path, so the store's tables land in the schema.
    return f"{db_url}?options=-csearch_path%3D{schema}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()


def raw(store: Store, sql: str) -> list[tuple[Any, ...]]:
    """Run backend SQL behind the store's back (to build states the API cannot)."""
    if isinstance(store, SQLiteStore):
        return [tuple(r) for r in store.db.execute(sql).fetchall()]
    assert isinstance(store, PostgresStore)
    with store.engine.begin() as conn:
        result = conn.exec_driver_sql(sql)
        return [tuple(r) for r in result] if result.returns_rows else []


@pytest.fixture
def raw_sql() -> Callable[[Store, str], list[tuple[Any, ...]]]:
    return raw


def dump(store: Store) -> list[tuple[Any, ...]]:
    """Every row of every table the store writes, in a stable order."""
    tables = ["articles", "spans", "clusters", "numbers", "migrations"]
    tables += ["article_keys", "articles_fts"] if isinstance(store, SQLiteStore) else []
    rows: list[tuple[Any, ...]] = []
    for table in tables:  # constant names
        rows.extend(raw(store, f"SELECT * FROM {table} ORDER BY 1, 2"))
    return rows


@pytest.fixture
def dump_store() -> Callable[[Store], list[tuple[Any, ...]]]:
    return dump


def make_article(
    text: str = "Anna Koval spoke in Port Elin.",
    *,
    outlet: str | None = "Harbour Gazette",
    title: str | None = None,
    published: date | None = None,
    genre: str | None = "reporting",
    speakers: Sequence[tuple[str, str]] = (),
    techniques: Sequence[tuple[str, str]] = (),
) -> Article:
    """A hand-built analysed article: ``speakers`` are (name, statement) pairs, both found
    in ``text``; ``techniques`` are (label, phrase) pairs."""
    art = Article(text=text, source=f"{outlet}-{text[:12]}.txt", outlet=outlet, title=title)
    if published:
        art.published = Published(date=published, source="header")
    for i, (name, statement) in enumerate(speakers, start=1):
        start = text.index(name)
        cid = f"e{i}"
        m = art.add("entities", art.span(start, start + len(name), "PERSON", entity=cid))
        art.clusters.append(
            Cluster(id=cid, label="PERSON", name=name, mentions=[m], variants={name: 1})
        )
        s = text.index(statement)
        art.add(
            "attributions",
            art.span(s, s + len(statement), "indirect", speaker=cid, resolution="named"),
        )
    for label, phrase in techniques:
        s = text.index(phrase)
        art.add("techniques", art.span(s, s + len(phrase), label, confidence=0.9))
    art.add("sentences", art.span(0, len(text), "sentence"))
    if genre:
        art.meta["genre"] = {"label": genre}
    return art.ensure_id()


@pytest.fixture
def article() -> Callable[..., Article]:
    return make_article
