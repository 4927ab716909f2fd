"""Numbered PostgreSQL schema migrations, applied once each in order and recorded in
``migrations``. Same concepts as the SQLite schema (migrations.py); full text is a stored
``tsvector`` column with a GIN index instead of an FTS5 table.

Never edit a migration that has shipped: add the next number.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Connection

#: The text search configuration: 'simple' (no stemming, no stop words) matches what FTS5's
#: unicode61 tokenizer does on SQLite, so the same words find the same articles.
TS_CONFIG = "simple"

#: Characters of an article's text indexed for full text. A tsvector holds at most 1 MB
#: (1,048,575 bytes) of lexemes and positions: the first limit, 500,000 characters, let a
#: 477,000-character Cyrillic text (two bytes a letter) and any long title past it, and
#: PostgreSQL refused the whole article where SQLite stored it (migration 003).
TS_MAX_CHARS = 200_000
#: Characters of the title indexed (titles had no limit at all).
TS_MAX_TITLE_CHARS = 1_000


def _backfill_numbers(conn: Connection) -> None:
    """Fill the ``numbers`` table from the stored articles, one document at a time; a
    document that no longer loads is left to ``presslens analyze`` to rewrite. A release
    that changes how rows are derived adds a migration that empties the table and runs this
    again (an unchanged article is never rewritten, so nothing else would refresh them)."""
    import sqlalchemy as sa

    from presslens.model import Article
    from presslens.store.base import NUMBER_COLUMNS, number_rows_of

    columns = ", ".join(f'"{c}"' for c in NUMBER_COLUMNS)
    values = ", ".join(f":{c}" for c in NUMBER_COLUMNS)
    insert = sa.text(f"INSERT INTO numbers ({columns}) VALUES ({values})")
    ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM articles")]
    for aid in ids:
        doc = conn.execute(sa.text("SELECT doc FROM articles WHERE id = :i"), {"i": aid}).scalar()
        try:
            art = Article.from_json(doc or "")
        except ValueError:
            continue
        rows = number_rows_of(art)
        if rows:
            conn.execute(insert, rows)


#: A migration is SQL, or a function of the connection where rows must be computed in Python.
PgMigration = str | Callable[[Connection], None]

PG_MIGRATIONS: tuple[tuple[str, PgMigration], ...] = (
    (
        "001_articles_spans_clusters",
        f"""
        CREATE TABLE articles (
            id text PRIMARY KEY,
            content_hash text NOT NULL,
            pipeline text,
            outlet text,
            title text,
            url text,
            source text,
            published date,
            genre text,
            words integer NOT NULL DEFAULT 0,
            text text NOT NULL,
            doc text NOT NULL,
            analysed_at timestamptz NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '')), 'A')
                || setweight(to_tsvector('{TS_CONFIG}', left(text, 500000)), 'B')
            ) STORED
        );
        CREATE INDEX articles_id_prefix ON articles (id text_pattern_ops);
        CREATE INDEX articles_outlet ON articles (outlet);
        CREATE INDEX articles_published ON articles (published DESC NULLS LAST, id DESC);
        CREATE INDEX articles_genre ON articles (genre);
        CREATE INDEX articles_overview ON articles (outlet, published, genre, words);
        CREATE INDEX articles_tsv ON articles USING gin (tsv);
        CREATE TABLE spans (
            article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            layer text NOT NULL,
            idx integer NOT NULL,
            start integer NOT NULL,
            "end" integer NOT NULL,
            label text NOT NULL,
            surface text NOT NULL,
            entity text,
            entity_name text,
            attrs jsonb NOT NULL,
            PRIMARY KEY (article_id, layer, idx)
        );
        CREATE INDEX spans_layer_label ON spans (layer, label, article_id);
        CREATE INDEX spans_layer_name ON spans (layer, lower(entity_name), article_id);
        CREATE TABLE clusters (
            article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            cluster_id text NOT NULL,
            label text NOT NULL,
            name text NOT NULL,
            mentions integer NOT NULL,
            PRIMARY KEY (article_id, cluster_id)
        );
        CREATE INDEX clusters_name ON clusters (name);
        """,
    ),
    (
        "002_corpus_results_state",
        """
        CREATE TABLE corpus_results (
            name text PRIMARY KEY,
            data text NOT NULL,
            updated_at timestamptz NOT NULL
        );
        CREATE TABLE store_state (
            id integer PRIMARY KEY CHECK (id = 1),
            generation bigint NOT NULL
        );
        INSERT INTO store_state VALUES (1, 0);
        """,
    ),
    (
        "003_bounded_full_text",
        f"""
        ALTER TABLE articles DROP COLUMN tsv;
        ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{TS_CONFIG}', left(coalesce(title, ''),
                                                   {TS_MAX_TITLE_CHARS})), 'A')
            || setweight(to_tsvector('{TS_CONFIG}', left(text, {TS_MAX_CHARS})), 'B')
        ) STORED;
        CREATE INDEX articles_tsv ON articles USING gin (tsv);
        """,
    ),
    # 004: the numbers of every article as rows (store/base.py number_rows_of), so the web
    # app pages and filters them without loading documents; 005 fills it for older stores.
    (
        "004_numbers",
        """
        CREATE TABLE numbers (
            article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            idx integer NOT NULL,
            start integer NOT NULL,
            "end" integer NOT NULL,
            kind text NOT NULL,
            surface text NOT NULL,
            counted_key text NOT NULL,
            cited text,
            cited_names text,
            sourced integer NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE INDEX numbers_kind ON numbers (kind, article_id);
        CREATE INDEX numbers_cited ON numbers (cited_names, article_id);
        """,
    ),
    ("005_backfill_numbers", _backfill_numbers),
)
