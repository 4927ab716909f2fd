"""Named, ordered SQLite schema migrations. Applied once each, recorded in ``migrations``.

A migration is SQL, or a function of the connection where data must be computed in Python
(backfilling a column for databases written by an earlier version).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _backfill_query_columns(db: sqlite3.Connection) -> None:
    """Fill ``articles.words`` and ``spans.entity_name`` for articles stored before 004."""
    from presslens.store.base import words

    rows = db.execute("SELECT id, text FROM articles").fetchall()
    db.executemany("UPDATE articles SET words = ? WHERE id = ?", [(words(t), i) for i, t in rows])
    db.execute(
        """
        UPDATE spans SET entity_name = (
            SELECT c.name FROM clusters c WHERE c.article_id = spans.article_id
            AND c.cluster_id = json_extract(spans.attrs,
                CASE spans.layer WHEN 'attributions' THEN '$.speaker' ELSE '$.entity' END))
        """
    )


def _backfill_numbers(db: sqlite3.Connection) -> None:
    """Fill the ``numbers`` table from the stored articles, one document at a time; a
    document that no longer loads is left to ``presslens analyze`` to rewrite. A release
    that changes how rows are derived adds a migration that empties the table and runs this
    again (an unchanged article is never rewritten, so nothing else would refresh them)."""
    from presslens.model import Article
    from presslens.store.base import NUMBER_COLUMNS, number_rows_of

    columns = ", ".join(f'"{c}"' for c in NUMBER_COLUMNS)
    insert = f"INSERT INTO numbers ({columns}) VALUES ({', '.join('?' * len(NUMBER_COLUMNS))})"
    for (aid,) in db.execute("SELECT id FROM articles").fetchall():
        (doc,) = db.execute("SELECT doc FROM articles WHERE id = ?", (aid,)).fetchone()
        try:
            art = Article.from_json(doc)
        except ValueError:
            continue
        db.executemany(insert, [tuple(r[c] for c in NUMBER_COLUMNS) for r in number_rows_of(art)])


Migration = str | Callable[[sqlite3.Connection], None]

MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    (
        "001_articles_spans_clusters",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            pipeline TEXT,
            outlet TEXT,
            title TEXT,
            url TEXT,
            source TEXT,
            published TEXT,
            genre TEXT,
            text TEXT NOT NULL,
            doc TEXT NOT NULL,
            analysed_at TEXT NOT NULL
        );
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE spans (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            layer TEXT NOT NULL,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            surface TEXT NOT NULL,
            entity TEXT,
            attrs TEXT NOT NULL,
            PRIMARY KEY (article_id, layer, idx)
        );
        CREATE INDEX spans_layer_label ON spans(layer, label);
        CREATE TABLE clusters (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            cluster_id TEXT NOT NULL,
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (article_id, cluster_id)
        );
        CREATE INDEX clusters_name ON clusters(name);
        """,
    ),
    (
        "002_fulltext",
        """
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            article_id UNINDEXED, title, text, tokenize = 'unicode61'
        );
        """,
    ),
    (
        "003_corpus_results",
        """
        CREATE TABLE corpus_results (
            name TEXT PRIMARY KEY,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    # 004: words and entity names for the query methods, covering indexes, and full text keyed
    # by a stable integer (article_keys.n) so rewriting one article never scans the index.
    (
        "004_query_columns",
        """
        ALTER TABLE articles ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE spans ADD COLUMN entity_name TEXT COLLATE NOCASE;
        CREATE INDEX articles_overview ON articles(outlet, published, genre, words);
        CREATE INDEX articles_genre ON articles(genre);
        DROP INDEX articles_published;
        CREATE INDEX articles_published ON articles(published, id);
        CREATE INDEX articles_id_outlet ON articles(id, outlet);
        DROP INDEX spans_layer_label;
        CREATE INDEX spans_layer_label ON spans(layer, label, article_id);
        CREATE INDEX spans_layer_name ON spans(layer, entity_name, article_id);
        CREATE TABLE article_keys (n INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE);
        INSERT INTO article_keys (article_id) SELECT id FROM articles ORDER BY id;
        DROP TABLE articles_fts;
        CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, tokenize = 'unicode61');
        INSERT INTO articles_fts (rowid, title, text)
            SELECT k.n, coalesce(a.title, ''), a.text
            FROM articles a JOIN article_keys k ON k.article_id = a.id;
        """,
    ),
    ("005_backfill_query_columns", _backfill_query_columns),
    # 006: the numbers of every article as rows (store/base.py number_rows_of), so the web
    # app pages and filters them without loading documents.
    (
        "006_numbers",
        """
        CREATE TABLE numbers (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            kind TEXT NOT NULL,
            surface TEXT NOT NULL,
            counted_key TEXT NOT NULL,
            cited TEXT,
            cited_names TEXT,
            sourced INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE INDEX numbers_kind ON numbers(kind, article_id);
        CREATE INDEX numbers_cited ON numbers(cited_names, article_id);
        """,
    ),
    ("007_backfill_numbers", _backfill_numbers),
)
