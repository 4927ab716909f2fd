"""The web app over a PostgreSQL store: the same pages and JSON twins as on SQLite.

A real PostgreSQL server is started for the test (presslens.testing.pgserver); the test
skips with the reason when the server binaries are missing or cannot run.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presslens.store import open_store
from presslens.testing.pgserver import PgServer, PgUnavailable


@pytest.fixture(scope="module")
def pg_store_url(web_store: Path) -> Iterator[str]:
    try:
        server = PgServer.start()
    except PgUnavailable as exc:
        pytest.skip(f"PostgreSQL cannot run here: {exc}")
    try:
        url = server.new_database("web")
        source, target = open_store(str(web_store)), open_store(url)
        try:
            results = target.upsert_many(list(source.articles()))
            assert all(r == "inserted" for r in results), results
            if importlib.util.find_spec("presslens.corpus") is not None:
                from presslens.corpus import update_corpus

                update_corpus(target)
        finally:
            source.close()
            target.close()
        yield url
    finally:
        server.stop()


def test_pages_and_twins_on_postgresql(
    pg_store_url: str, make_client: Any, web_store: Path
) -> None:
    client = make_client(store=pg_store_url)
    overview = client.get("/index.json").json()
    sqlite_overview = make_client(store=web_store).get("/index.json").json()
    assert overview["stats"]["articles"] == sqlite_overview["stats"]["articles"]
    assert overview["stats"]["by_outlet"] == sqlite_overview["stats"]["by_outlet"]
    article = overview["recent"][0]["id"]
    entity = client.get("/entities.json").json()["entities"][0]["id"]
    for path in ("/", f"/articles/{article}", f"/entities/{entity}", "/stories", "/articles"):
        assert client.get(path).status_code == 200, path
    hits = client.get("/search.json", params={"q": "ferry"}).json()
    assert hits["pagination"]["total"] >= 2
    outlet = hits["results"][0]["outlet"]
    narrowed = client.get("/search.json", params={"q": "ferry", "outlet": outlet}).json()
    assert all(r["outlet"] == outlet for r in narrowed["results"])
    html = client.get(f"/articles/{article}").text
    assert 'data-toggle-layer="entities"' in html
