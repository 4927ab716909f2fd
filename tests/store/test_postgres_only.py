"""What only the PostgreSQL store does: connection errors that say what to check, sharing one
database between store objects."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store import open_store
from presslens.testing import pgserver
from presslens.testing.pgserver import PgServer, free_port


def test_unreachable_server_names_host_port_and_what_to_do() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(StoreError) as err:
        open_store(f"postgresql://someone:secret@127.0.0.1:{port}/news")
    e = err.value
    assert e.code == "P303"
    assert f"127.0.0.1:{port}" in str(e) and "server is running" in str(e)
    assert "secret" not in str(e)


def test_missing_database_says_how_to_create_it(pg_server: PgServer) -> None:
    with pytest.raises(StoreError) as err:
        open_store(pg_server.url("no_such_db"))
    assert err.value.code == "P304" and "createdb" in str(err.value)


def test_two_store_objects_share_one_database(
    pg_server: PgServer, article: Callable[..., Article]
) -> None:
    url = pg_server.new_database()
    a, b = open_store(url), open_store(url)
    arts = [article(f"Text number {i} about the ferry.") for i in range(12)]
    # Both write the same articles at once: each is stored exactly once.
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda s: s.upsert_many(arts), [a, b]))
    assert sorted(r for rs in results for r in rs) == ["inserted"] * 12 + ["unchanged"] * 12
    assert b.count() == 12 and a.search_page("ferry")[1] == 12
    assert a.url == url
    a.close()
    b.close()


def test_missing_server_binaries_are_a_reason_to_skip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pgserver, "BIN_GLOB", str(tmp_path / "postgresql" / "*" / "bin"))
    with pytest.raises(pgserver.PgUnavailable, match="install the Debian package"):
        PgServer.start()


def test_connection_stuck_mid_pipeline_is_discarded_without_a_logged_traceback(
    pg_server: PgServer, article: Callable[..., Article], caplog: pytest.LogCaptureFixture
) -> None:
    """A server crash during psycopg's pipelined executemany can leave the connection stuck
    in pipeline mode yet not marked broken; here that state is made by hand on a real
    connection. It must count as a lost connection (discarded, retried), not be handed back
    to the pool where the reset ROLLBACK fails and is logged with a traceback."""
    import sqlalchemy as sa

    store = open_store(pg_server.new_database())
    with (
        pytest.raises(sa.exc.OperationalError) as err,
        caplog.at_level("WARNING"),
        store.engine.begin() as conn,  # type: ignore[attr-defined]
    ):
        raw = conn.connection.dbapi_connection
        raw.pgconn.enter_pipeline_mode()
        raw.pgconn.send_query_params(b"SELECT 1", None)  # queued, never synced
    assert err.value.orig.sqlstate is None  # type: ignore[union-attr]
    assert err.value.connection_invalidated
    assert not [r for r in caplog.records if r.name.startswith("sqlalchemy")]
    assert store.upsert_many([article("Written after the stuck connection.")]) == ["inserted"]
    store.close()


def test_error_the_server_reports_is_not_taken_for_a_lost_connection(
    pg_server: PgServer,
) -> None:
    """A refused statement (here a statement timeout, SQLSTATE 57014) keeps the connection:
    only failures without a SQLSTATE are disconnects, so one bad row is never retried as if
    the server had gone away."""
    import sqlalchemy as sa

    store = open_store(pg_server.new_database())
    with (
        pytest.raises(sa.exc.OperationalError) as err,
        store.engine.begin() as conn,  # type: ignore[attr-defined]
    ):
        conn.exec_driver_sql("SET LOCAL statement_timeout = 10")
        conn.exec_driver_sql("SELECT pg_sleep(2)")
    assert err.value.orig.sqlstate == "57014"  # type: ignore[union-attr]
    assert not err.value.connection_invalidated
    store.close()


@pytest.mark.parametrize(
    "url",
    ["postgresql://u@localhost:abc/db", "postgresql://u@[::1:5432/db", "postgresql://u@h:5/"],
)
def test_a_url_that_cannot_be_read_is_p303(url: str) -> None:
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert err.value.code == "P303" and "URL" in str(err.value)


def test_articles_past_the_full_text_limit_are_stored_and_found(
    pg_server: PgServer, article: Callable[..., Article]
) -> None:
    """A tsvector holds 1 MB: a 1,080,000-character title, or 477,000 characters of
    Cyrillic (two bytes a letter) under the old 500,000-character cap, made PostgreSQL
    refuse the whole article that SQLite stored."""
    store = open_store(pg_server.new_database())
    long_title = article("The ferry strike ended on Monday.", title="заголовок " * 108_000)
    words = " ".join(f"слово{i}" for i in range(60_000))
    long_text = article("Паром отменён. " + words)
    assert store.upsert_many([long_title, long_text]) == ["inserted", "inserted"]
    assert store.search_page("ferry strike")[1] == 1
    assert store.search_page("Паром")[1] == 1  # the test database has the C locale
    store.close()


def test_migration_003_reindexes_an_older_store(
    pg_server: PgServer, article: Callable[..., Article]
) -> None:
    """A store made before migration 003 keeps its articles and search after upgrading."""
    import psycopg

    from presslens.store.migrations_pg import PG_MIGRATIONS

    url = pg_server.new_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE migrations (name text PRIMARY KEY, applied_at timestamptz)")
        for name, sql_text in PG_MIGRATIONS[:2]:
            assert isinstance(sql_text, str)
            conn.execute(sql_text)
            conn.execute("INSERT INTO migrations VALUES (%s, now())", (name,))
    old = open_store(url)  # applies 003 and the later ones
    assert "003_bounded_full_text" in old.migrations()  # type: ignore[attr-defined]
    old.upsert(article("The ferry strike ended on Monday.", title="Strike over"))
    old.close()
    reopened = open_store(url)
    assert reopened.search_page("strike")[1] == 1
    reopened.close()


def test_a_search_path_naming_no_schema_says_to_create_it(pg_server: PgServer) -> None:
    url = pg_server.new_database() + "?options=-csearch_path%3Dnosuch"
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert err.value.code == "P306" and "CREATE SCHEMA" in (err.value.hint or "")
