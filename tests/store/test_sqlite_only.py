"""What only the SQLite store does: WAL, file checks, upgrading databases of earlier versions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store import open_store
from presslens.store.migrations import MIGRATIONS


def test_sqlite_store_runs_in_wal_mode(tmp_path: Path) -> None:
    open_store(str(tmp_path / "p.db")).close()
    mode = sqlite3.connect(tmp_path / "p.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_non_database_file_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(str(bad))


def _old_database(path: Path, art: Article) -> None:
    """A database as presslens wrote it before migration 004 (the 0.1 foundation schema)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for name, sql in MIGRATIONS[:3]:
        assert isinstance(sql, str)
        for statement in (s for s in sql.split(";") if s.strip()):
            db.execute(statement)
        db.execute("INSERT INTO migrations VALUES (?, 'then')", (name,))
    db.execute(
        "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            art.id,
            art.content_hash(),
            None,
            art.outlet,
            art.title,
            None,
            art.source,
            art.published.date.isoformat() if art.published else None,
            "reporting",
            art.text,
            art.to_json(),
            "then",
        ),
    )
    for layer, spans in art.layers.items():
        for i, s in enumerate(spans):
            db.execute(
                "INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?)",
                (art.id, layer, i, s.start, s.end, s.label, s.text, s.attrs.get("entity"),
                 json.dumps(s.attrs)),
            )  # fmt: skip
    for c in art.clusters:
        db.execute("INSERT INTO clusters VALUES (?,?,?,?,?)", (art.id, c.id, c.label, c.name, 1))
    db.execute(
        "INSERT INTO articles_fts (article_id, title, text) VALUES (?,?,?)",
        (art.id, art.title or "", art.text),
    )
    db.close()


def test_database_of_an_earlier_version_is_upgraded_in_place(
    tmp_path: Path, article: Callable[..., Article]
) -> None:
    path = tmp_path / "old.db"
    art = article(
        "Anna Koval said the ferry strike will end.",
        published=date(2021, 3, 1),
        speakers=[("Anna Koval", "the ferry strike will end")],
    )
    _old_database(path, art)
    store = open_store(str(path))
    assert store.migrations() == [n for n, _ in MIGRATIONS]  # type: ignore[attr-defined]
    assert store.list_articles()[0][0]["words"] == 8
    assert store.stats()["top_speakers"] == [["Anna Koval", 1]]
    assert [r["id"] for r in store.search_page("ferry strike")[0]] == [art.id]
    assert store.upsert(art) == "unchanged"
    art.meta["genre"] = {"label": "opinion"}
    assert store.upsert(art) == "updated"
    assert store.search_page("ferry")[1] == 1  # the old full-text row was replaced, not kept
    store.close()
