"""The store contract, on every backend (see conftest: sqlite and postgres)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store import Store, open_store
from presslens.store.migrations import MIGRATIONS
from presslens.store.migrations_pg import PG_MIGRATIONS
from presslens.store.sqlite import SQLiteStore

Raw = Callable[[Store, str], list[tuple[Any, ...]]]


def test_new_store_applies_all_migrations(store: Store) -> None:
    expected = MIGRATIONS if isinstance(store, SQLiteStore) else PG_MIGRATIONS
    assert store.migrations() == [name for name, _ in expected]  # type: ignore[attr-defined]


def test_upserting_the_same_article_twice_changes_nothing(
    store_url: str, article: Callable[..., Article], dump_store: Callable[[Store], list[Any]]
) -> None:
    store = open_store(store_url)
    assert store.upsert(article()) == "inserted"
    before = dump_store(store)
    assert store.upsert(article()) == "unchanged"
    assert dump_store(store) == before
    store.close()
    reopened = open_store(store_url)
    assert reopened.upsert(article()) == "unchanged"
    assert reopened.upsert_many([article()]) == ["unchanged"]
    assert dump_store(reopened) == before
    assert reopened.count() == 1
    reopened.close()


def test_changed_analysis_of_same_article_updates_rows(
    store: Store, article: Callable[..., Article], raw_sql: Raw
) -> None:
    art = article("Anna Koval said the ferry runs.", speakers=[("Anna Koval", "the ferry runs")])
    store.upsert(art)
    art.meta["genre"] = {"label": "opinion"}
    del art.layers["attributions"]
    assert store.upsert(art) == "updated"
    assert store.count() == 1
    got = store.get(art.id)
    assert got is not None and got.meta["genre"]["label"] == "opinion"
    # No row of the old analysis is left behind.
    assert raw_sql(store, "SELECT count(*) FROM spans WHERE layer = 'attributions'") == [(0,)]
    assert store.list_articles()[0][0]["genre"] == "opinion"


def test_round_trip_through_store_is_lossless(
    store: Store, article: Callable[..., Article]
) -> None:
    art = article(
        "Anna Koval said the ferry runs «late» — 3.5 km.",
        speakers=[("Anna Koval", "the ferry runs")],
        techniques=[("Loaded_Language", "«late»")],
    )
    art.meta["numbers"] = {"big": 2**53 + 1, "small": 1e-05, "nested": [{"a": None}]}
    store.upsert(art)
    assert store.get(art.id) == art
    assert list(store.articles(outlet="Harbour Gazette")) == [art]
    assert list(store.articles(outlet="Elsewhere")) == []
    assert store.find_ids(art.id[:5]) == [art.id]
    assert store.get("0" * 16) is None
    assert store.fingerprint(art.id) is None  # no pipeline recorded in meta


def test_full_text_search_finds_article(store: Store, article: Callable[..., Article]) -> None:
    art = article()
    store.upsert(art)
    store.upsert(article("Nothing to see here."))
    hits = store.search("Koval")
    assert [h[0] for h in hits] == [art.id] and "[Koval]" in hits[0][1]


def test_unknown_scheme_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="unknown store URL scheme"):
        open_store("mysql://x")


def test_database_from_a_newer_version_is_refused(store_url: str, raw_sql: Raw) -> None:
    store = open_store(store_url)
    raw_sql(store, "INSERT INTO migrations VALUES ('999_future', '2030-01-01')")
    store.close()
    with pytest.raises(StoreError, match="newer presslens") as err:
        open_store(store_url)
    assert err.value.code == "P305"


REFUSE = {
    "sqlite": [
        "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.outlet = 'Refused' "
        "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"
    ],
    "postgres": [
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.outlet = 'Refused' THEN RAISE EXCEPTION 'refused by trigger'; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER refuse BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION refuse()",
    ],
}


def test_batch_upsert_isolates_an_article_the_database_refuses(
    store: Store, article: Callable[..., Article], raw_sql: Raw
) -> None:
    for sql in REFUSE["sqlite" if isinstance(store, SQLiteStore) else "postgres"]:
        raw_sql(store, sql)
    good1, good2 = article("First text."), article("Second text.")
    bad = article("Third text.", outlet="Refused")
    results = store.upsert_many([good1, bad, good2])
    assert results[0] == "inserted" and results[2] == "inserted"
    assert isinstance(results[1], StoreError)
    assert bad.id in str(results[1]) and "refused by trigger" in str(results[1])
    assert store.count() == 2
    assert store.get(bad.id) is None
    assert store.upsert_many([good1, good2]) == ["unchanged", "unchanged"]
    with pytest.raises(StoreError, match="refused by trigger"):
        store.upsert(bad)


def test_corpus_results_are_replaced_and_survive_reopening(store_url: str) -> None:
    store = open_store(store_url)
    assert store.get_corpus("stories") is None
    store.put_corpus("stories", {"n": 1, "names": ["Ferry"]})
    store.put_corpus("stories", {"n": 2, "names": ["Ferry", "Strike"], "é": [1.5, None]})
    store.close()
    again = open_store(store_url)
    assert again.get_corpus("stories") == {"n": 2, "names": ["Ferry", "Strike"], "é": [1.5, None]}
    assert again.get_corpus("entities") is None
    again.close()
