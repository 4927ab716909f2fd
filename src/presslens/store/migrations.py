"""Named, ordered schema migrations. Applied once each, recorded in ``migrations``."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, str], ...] = (
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
)
