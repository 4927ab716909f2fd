from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from presslens.errors import StoreError
from presslens.model import Article, Cluster
from presslens.store import open_store
from presslens.store.migrations import MIGRATIONS


def _article(text: str = "Anna Koval spoke in Port Elin.") -> Article:
    art = Article(text=text, source="a.txt", outlet="Harbour Gazette")
    art.add("entities", art.span(0, 10, "PERSON", entity="e1"))
    art.add("sentences", art.span(0, len(text), "sentence"))
    art.clusters.append(
        Cluster(
            id="e1", label="PERSON", name="Anna Koval", mentions=[0], variants={"Anna Koval": 1}
        )
    )
    art.meta["genre"] = {"label": "reporting"}
    return art.ensure_id()


def _dump(path: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    rows: list[tuple[object, ...]] = []
    for table in ("articles", "spans", "clusters", "migrations"):
        rows.extend(db.execute(f"SELECT * FROM {table} ORDER BY 1, 2"))  # table names are constants
    rows.extend(db.execute("SELECT article_id, title, text FROM articles_fts ORDER BY 1"))
    db.close()
    return rows


def test_new_store_applies_all_migrations_in_wal_mode(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "p.db"))
    assert store.migrations() == [name for name, _ in MIGRATIONS]  # type: ignore[attr-defined]
    mode = sqlite3.connect(tmp_path / "p.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_upserting_the_same_article_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    store = open_store(f"sqlite:///{path}")
    assert store.upsert(_article()) == "inserted"
    before = _dump(path)
    assert store.upsert(_article()) == "unchanged"
    assert _dump(path) == before
    store.close()
    reopened = open_store(str(path))
    assert reopened.upsert(_article()) == "unchanged"
    assert reopened.count() == 1


def test_changed_analysis_of_same_article_updates_rows(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "p.db"))
    art = _article()
    store.upsert(art)
    art.meta["genre"] = {"label": "opinion"}
    assert store.upsert(art) == "updated"
    assert store.count() == 1
    got = store.get(art.id)
    assert got is not None and got.meta["genre"]["label"] == "opinion"


def test_round_trip_through_store_is_lossless(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "p.db"))
    art = _article()
    store.upsert(art)
    assert store.get(art.id) == art
    assert list(store.articles(outlet="Harbour Gazette")) == [art]
    assert store.find_ids(art.id[:5]) == [art.id]


def test_full_text_search_finds_article(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "p.db"))
    art = _article()
    store.upsert(art)
    hits = store.search("Koval")
    assert hits and hits[0][0] == art.id and "[Koval]" in hits[0][1]


def test_unknown_scheme_and_postgres_are_clear_errors() -> None:
    with pytest.raises(StoreError, match="unknown store URL scheme"):
        open_store("mysql://x")
    with pytest.raises(StoreError, match="PostgreSQL"):
        open_store("postgresql://localhost/x")


def test_non_database_file_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(str(bad))


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_store(str(path)).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO migrations VALUES ('999_future', 'x')")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer presslens"):
        open_store(str(path))


def test_batch_upsert_isolates_an_article_the_database_refuses(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    store = open_store(str(path))
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.outlet = 'Refused' "
        "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"
    )
    db.commit()
    db.close()
    good1, good2 = _article("First text."), _article("Second text.")
    bad = _article("Third text.")
    bad.outlet = "Refused"
    results = store.upsert_many([good1, bad, good2])
    assert results[0] == "inserted" and results[2] == "inserted"
    assert isinstance(results[1], StoreError)
    assert bad.id in str(results[1]) and "refused by trigger" in str(results[1])
    assert store.count() == 2
    assert store.upsert_many([good1, good2]) == ["unchanged", "unchanged"]


def test_corpus_results_are_replaced_and_survive_reopening(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    store = open_store(str(db))
    assert store.get_corpus("stories") is None
    store.put_corpus("stories", {"n": 1, "names": ["Ferry"]})
    store.put_corpus("stories", {"n": 2, "names": ["Ferry", "Strike"]})
    store.close()
    again = open_store(str(db))
    assert again.get_corpus("stories") == {"n": 2, "names": ["Ferry", "Strike"]}
    again.close()
