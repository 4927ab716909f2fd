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
