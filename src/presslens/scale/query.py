"""Read a run's Parquet output with DuckDB: views for SQL, and streams for corpus stages.

:func:`connect` opens an in-memory DuckDB database with three views, ``articles``, ``spans``
and ``entities``, over the files of *committed* shards only (listed from the done-markers,
never globbed, so a half-written file is never read). Each article appears once even if an
older run left an overlapping shard: the row from the first shard in name order wins.

Corpus stages at scale stream from here instead of loading every article:
:func:`iter_entity_rows` yields one row per article-local entity, ordered by a blocking key,
so entity resolution compares names within a block instead of all pairs;
:func:`iter_article_records` yields article metadata (optionally text) in batches for
story clustering; :func:`iter_articles` yields whole :class:`Article` objects shard by shard.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from presslens.errors import PresslensError
from presslens.model import Article
from presslens.scale.codes import BAD_SHARD, ScaleError
from presslens.scale.output import OutputDir
from presslens.scale.schema import TABLES, article_from_rows

#: Rows fetched from DuckDB per round trip.
FETCH_ROWS = 2048
#: Columns of ``articles`` that :func:`iter_article_records` returns unless asked otherwise.
RECORD_COLUMNS = ("id", "title", "outlet", "url", "published", "genre", "words", "source")


def connect(out_dir: str | Path) -> Any:
    """A DuckDB connection with ``articles``, ``spans`` and ``entities`` views (see above)."""
    import duckdb

    out = OutputDir(out_dir)
    out.require_run()
    con = duckdb.connect(":memory:")
    for table, schema in TABLES.items():
        files = [str(p) for p in out.done_files(table)]
        if files:
            listed = ", ".join(_sql_string(f) for f in files)  # views take no parameters
            con.execute(
                f"CREATE VIEW {table}_all AS SELECT * FROM read_parquet([{listed}], "
                "union_by_name = true)"
            )
        else:  # no committed shard yet: an empty relation with the right columns
            con.register(f"{table}_all", schema.empty_table())
    con.execute(
        "CREATE VIEW articles AS SELECT * FROM articles_all "
        "QUALIFY row_number() OVER (PARTITION BY id ORDER BY shard) = 1"
    )
    keep = "SELECT id, shard FROM articles"
    con.execute(
        f"CREATE VIEW spans AS SELECT s.* FROM spans_all s JOIN ({keep}) k "
        "ON s.article_id = k.id AND s.shard = k.shard"
    )
    con.execute(
        f"CREATE VIEW entities AS SELECT e.* FROM entities_all e JOIN ({keep}) k "
        "ON e.article_id = k.id AND e.shard = k.shard"
    )
    return con


def iter_article_records(
    out_dir: str | Path,
    *,
    columns: Sequence[str] = RECORD_COLUMNS,
    where: str | None = None,
    params: Sequence[Any] = (),
) -> Iterator[dict[str, Any]]:
    """Article rows as dicts, in id order, streamed (``where`` is a SQL condition with ``?``
    parameters, e.g. ``where="outlet = ?", params=["The Courier"]``)."""
    known = set(TABLES["articles"].names)
    bad = [c for c in columns if c not in known]
    if bad:
        raise ValueError(f"unknown article columns: {bad}")  # a caller bug
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f"SELECT {cols} FROM articles" + (f" WHERE {where}" if where else "") + " ORDER BY id"
    yield from _stream(connect(out_dir), sql, params)


def iter_entity_rows(
    out_dir: str | Path, *, labels: Sequence[str] = (), block: str = "surname"
) -> Iterator[dict[str, Any]]:
    """Entity rows (article_id, entity, label, name, mentions, variants, outlet, published,
    plus ``block``), ordered by blocking key then article, streamed.

    ``block="surname"`` keys a name by its type and last word, lower-cased ("PERSON:koval"),
    so every row that could be the same entity comes in one contiguous run; ``"name"`` keys by
    the whole lower-cased name.
    """
    key = {
        "surname": "label || ':' || lower(regexp_extract(name, '(\\S+)\\s*$', 1))",
        "name": "label || ':' || lower(name)",
    }.get(block)
    if key is None:
        raise ValueError(f"unknown blocking key {block!r}")  # a caller bug
    sql = (
        f"SELECT article_id, entity, label, name, mentions, map_entries(variants) AS variants, "
        f"outlet, published, {key} AS block FROM entities"
    )
    params: list[Any] = []
    if labels:
        sql += " WHERE label IN (" + ", ".join("?" for _ in labels) + ")"
        params.extend(labels)
    sql += " ORDER BY block, article_id, entity"
    for row in _stream(connect(out_dir), sql, params):
        row["variants"] = {v["key"]: v["value"] for v in row["variants"] or []}
        yield row


def iter_articles(
    out_dir: str | Path, *, errors: list[dict[str, Any]] | None = None
) -> Iterator[Article]:
    """Whole articles, rebuilt and span-checked, one committed shard at a time (memory stays
    at one shard); each id once, as in :func:`connect`.

    An article that cannot be rebuilt (a span that does not match its text: a tampered file)
    raises :class:`ScaleError`, or, when ``errors`` is a list, is recorded there and skipped.
    """
    out = OutputDir(out_dir)
    out.require_run()
    seen: set[str] = set()
    for name in sorted(out.done_names()):
        try:
            tables = {t: pq.read_table(out.table_file(t, name)).to_pylist() for t in TABLES}
        except (OSError, pa.ArrowException) as exc:  # missing, truncated or not Parquet
            err = ScaleError(
                f"shard {name} cannot be read: {exc}",
                where=str(out.path),
                hint="Its files were changed or removed after they were written; delete its "
                f"marker (_done/{name}.json) and run again to redo it.",
                code=BAD_SHARD,
            )
            if errors is None:
                raise err from exc
            errors.append({**err.to_dict(), "stage": "load"})
            continue
        spans: dict[str, list[dict[str, Any]]] = {}
        for s in tables["spans"]:
            spans.setdefault(s["article_id"], []).append(s)
        ents: dict[str, list[dict[str, Any]]] = {}
        for e in tables["entities"]:
            ents.setdefault(e["article_id"], []).append(e)
        for row in tables["articles"]:
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            try:
                yield article_from_rows(row, spans.get(row["id"], []), ents.get(row["id"], []))
            except (PresslensError, ValueError, KeyError, TypeError) as exc:
                # SpanError, pydantic's ValueError; KeyError/TypeError: a column missing or
                # of another type in a file edited by hand
                err = ScaleError(
                    f"article {row['id']} cannot be rebuilt: {exc}",
                    where=str(out.table_file("articles", name)),
                    hint="The shard's files were changed after they were written; delete its "
                    f"marker (_done/{name}.json) and run again to redo it.",
                    code=BAD_SHARD,
                )
                if errors is None:
                    raise err from exc
                errors.append({**err.to_dict(), "article": row["id"], "stage": "load"})


def _stream(con: Any, sql: str, params: Sequence[Any]) -> Iterator[dict[str, Any]]:
    try:
        cur = con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        while rows := cur.fetchmany(FETCH_ROWS):
            for row in rows:
                yield dict(zip(names, row, strict=True))
    finally:
        con.close()


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
