"""Export a store's articles as JSON Lines, CSV or Parquet (articles, spans and clusters).

Reads articles one at a time through the store interface, so it works on every backend and its
memory stays flat on a large corpus. Parquet files have explicit schemas (below) and zstd
compression; JSON-valued fields (``meta``, ``attrs``, ``variants``) are JSON text columns, so
the schema never depends on what a stage happened to put in them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store.base import Store, words

ExportFormat = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")

#: Columns of the CSV export (one row per article).
CSV_COLUMNS = (
    "id",
    "title",
    "outlet",
    "url",
    "source",
    "published",
    "genre",
    "words",
    "language",
    "authors",
    "text",
)
#: Articles per Parquet row group (bounds memory; big enough for good compression).
PARQUET_BATCH = 500
PARQUET_COMPRESSION = "zstd"

Progress = Callable[[int], None]


def article_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("title", pa.string()),
            pa.field("outlet", pa.string()),
            pa.field("url", pa.string()),
            pa.field("source", pa.string(), nullable=False),
            pa.field("published", pa.date32()),
            pa.field("published_source", pa.string()),
            pa.field("genre", pa.string()),
            pa.field("words", pa.int32(), nullable=False),
            pa.field("language", pa.string(), nullable=False),
            pa.field("authors", pa.list_(pa.string()), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("meta", pa.string(), nullable=False),  # JSON
        ],
        metadata={"presslens": "articles"},
    )


def span_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("article_id", pa.string(), nullable=False),
            pa.field("layer", pa.dictionary(pa.int16(), pa.string()), nullable=False),
            pa.field("idx", pa.int32(), nullable=False),
            pa.field("start", pa.int32(), nullable=False),
            pa.field("end", pa.int32(), nullable=False),
            pa.field("label", pa.dictionary(pa.int32(), pa.string()), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("attrs", pa.string(), nullable=False),  # JSON
        ],
        metadata={"presslens": "spans: text == articles.text[start:end]"},
    )


def cluster_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("article_id", pa.string(), nullable=False),
            pa.field("cluster_id", pa.string(), nullable=False),
            pa.field("label", pa.string(), nullable=False),
            pa.field("name", pa.string(), nullable=False),
            pa.field("mentions", pa.list_(pa.int32()), nullable=False),
            pa.field("variants", pa.string(), nullable=False),  # JSON {surface: count}
        ],
        metadata={"presslens": "clusters"},
    )


def export_store(
    store: Store,
    fmt: str,
    out: Path,
    *,
    outlet: str | None = None,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Write the store's articles to ``out`` in ``fmt`` and return what was written:
    ``{"format", "out", "articles", "spans", "clusters", "files"}``. For Parquet ``out`` is
    a folder that receives ``articles.parquet``, ``spans.parquet`` and ``clusters.parquet``."""
    if fmt not in FORMATS:
        raise StoreError(
            f"unknown export format {fmt!r}",
            hint=f"Use one of {', '.join(FORMATS)}.",
            code="P307",
        )
    articles = store.articles(outlet=outlet)
    tick = on_progress or (lambda n: None)
    try:
        if fmt == "jsonl":
            return _jsonl(articles, out, tick)
        if fmt == "csv":
            return _csv(articles, out, tick)
        return _parquet(articles, out, tick)
    except OSError as exc:
        raise StoreError(
            f"cannot write the export: {exc.strerror or exc}",
            where=str(out),
            hint="Check the folder exists and is writable, and that there is disk space.",
            code="P307",
        ) from exc


def _jsonl(articles: Iterator[Article], out: Path, tick: Progress) -> dict[str, Any]:
    n = spans = clusters = 0
    with out.open("w", encoding="utf-8", newline="\n") as f:
        for art in articles:
            f.write(art.to_json() + "\n")
            n += 1
            spans += sum(len(v) for v in art.layers.values())
            clusters += len(art.clusters)
            tick(n)
    return _summary("jsonl", out, n, spans, clusters, [out])


def csv_row(art: Article) -> dict[str, Any]:
    """One CSV row: flat article fields (authors joined with '; ')."""
    return {
        "id": art.id,
        "title": art.title or "",
        "outlet": art.outlet or "",
        "url": art.url or "",
        "source": art.source,
        "published": art.published.date.isoformat() if art.published else "",
        "genre": (art.meta.get("genre") or {}).get("label") or "",
        "words": words(art.text),
        "language": art.language,
        "authors": "; ".join(art.authors),
        "text": art.text,
    }


def _csv(articles: Iterator[Article], out: Path, tick: Progress) -> dict[str, Any]:
    n = 0
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for art in articles:
            writer.writerow(csv_row(art))
            n += 1
            tick(n)
    return _summary("csv", out, n, 0, 0, [out])


def _parquet(articles: Iterator[Article], out: Path, tick: Progress) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "articles.parquet", out / "spans.parquet", out / "clusters.parquet"]
    schemas = [article_schema(), span_schema(), cluster_schema()]
    writers = [
        pq.ParquetWriter(p, s, compression=PARQUET_COMPRESSION)
        for p, s in zip(paths, schemas, strict=True)
    ]
    counts = [0, 0, 0]
    buffers: list[list[dict[str, Any]]] = [[], [], []]

    def flush() -> None:
        for i, (writer, schema) in enumerate(zip(writers, schemas, strict=True)):
            if buffers[i]:
                writer.write_table(pa.Table.from_pylist(buffers[i], schema=schema))
                counts[i] += len(buffers[i])
                buffers[i] = []

    try:
        for done, art in enumerate(articles, start=1):
            buffers[0].append(_article_record(art))
            buffers[1].extend(_span_records(art))
            buffers[2].extend(_cluster_records(art))
            tick(done)
            if len(buffers[0]) >= PARQUET_BATCH:
                flush()
        flush()
    finally:
        for writer in writers:
            writer.close()
    return _summary("parquet", out, counts[0], counts[1], counts[2], paths)


def _article_record(art: Article) -> dict[str, Any]:
    return {
        "id": art.id,
        "title": art.title,
        "outlet": art.outlet,
        "url": art.url,
        "source": art.source,
        "published": art.published.date if art.published else None,
        "published_source": art.published.source if art.published else None,
        "genre": (art.meta.get("genre") or {}).get("label"),
        "words": words(art.text),
        "language": art.language,
        "authors": art.authors,
        "text": art.text,
        "meta": json.dumps(art.meta, ensure_ascii=False),
    }


def _span_records(art: Article) -> Iterator[dict[str, Any]]:
    for layer, spans in art.layers.items():
        for i, s in enumerate(spans):
            yield {
                "article_id": art.id,
                "layer": layer,
                "idx": i,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "text": s.text,
                "attrs": json.dumps(s.attrs, ensure_ascii=False),
            }


def _cluster_records(art: Article) -> Iterator[dict[str, Any]]:
    for c in art.clusters:
        yield {
            "article_id": art.id,
            "cluster_id": c.id,
            "label": c.label,
            "name": c.name,
            "mentions": c.mentions,
            "variants": json.dumps(c.variants, ensure_ascii=False),
        }


def _summary(
    fmt: str, out: Path, articles: int, spans: int, clusters: int, files: list[Path]
) -> dict[str, Any]:
    return {
        "format": fmt,
        "out": str(out),
        "articles": articles,
        "spans": spans,
        "clusters": clusters,
        "files": [str(p) for p in files],
    }
