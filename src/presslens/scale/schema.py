"""The Parquet tables of a run (explicit pyarrow schemas) and the article <-> rows mapping.

Three tables, one file per shard each:

- ``articles``: one row per article: metadata, normalised text, layer names, JSON of the
  rest (``meta``, ``offset_map``), the shard and the pipeline fingerprint;
- ``spans``: one row per span of every layer: ``article_id``, ``layer``, ``idx`` (its index in
  the layer, which other spans' attrs refer to), offsets, label, surface and attrs (JSON);
- ``entities``: one row per article-local entity cluster: name, type, mention indices and
  variants, with the article's outlet and date so corpus stages need no join to block.

``article_from_rows`` rebuilds the exact article (``Article.from_dict`` checks every span),
which is what ``presslens load`` writes into a store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import pyarrow as pa

from presslens.model import Article

#: Bumped when a column changes meaning; written to every file's metadata.
PARQUET_SCHEMA_VERSION = "1"

ARTICLES = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("shard", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("title", pa.string()),
        pa.field("outlet", pa.string()),
        pa.field("url", pa.string()),
        pa.field("published", pa.date32()),
        pa.field("published_source", pa.string()),
        pa.field("published_raw", pa.string()),
        pa.field("language", pa.string()),
        pa.field("authors", pa.list_(pa.string())),
        pa.field("genre", pa.string()),
        pa.field("words", pa.int32()),
        pa.field("text", pa.large_string(), nullable=False),
        pa.field("layers", pa.list_(pa.string())),
        pa.field("meta", pa.large_string()),  # JSON object
        pa.field("offset_map", pa.large_string()),  # JSON list of [norm_s, norm_e, raw_s, raw_e]
        pa.field("pipeline", pa.string()),
        pa.field("schema_version", pa.int16()),
    ],
    metadata={"presslens.table": "articles", "presslens.parquet": PARQUET_SCHEMA_VERSION},
)

SPANS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("shard", pa.string(), nullable=False),
        pa.field("layer", pa.string(), nullable=False),
        pa.field("idx", pa.int32(), nullable=False),
        pa.field("start", pa.int32(), nullable=False),
        pa.field("end", pa.int32(), nullable=False),
        pa.field("label", pa.string()),
        pa.field("text", pa.string()),
        pa.field("attrs", pa.string()),  # JSON object
    ],
    metadata={"presslens.table": "spans", "presslens.parquet": PARQUET_SCHEMA_VERSION},
)

ENTITIES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("shard", pa.string(), nullable=False),
        pa.field("entity", pa.string(), nullable=False),  # article-local cluster id
        pa.field("label", pa.string()),
        pa.field("name", pa.string()),
        pa.field("mentions", pa.list_(pa.int32())),
        pa.field("variants", pa.map_(pa.string(), pa.int32())),
        pa.field("outlet", pa.string()),
        pa.field("published", pa.date32()),
    ],
    metadata={"presslens.table": "entities", "presslens.parquet": PARQUET_SCHEMA_VERSION},
)

TABLES: dict[str, pa.Schema] = {"articles": ARTICLES, "spans": SPANS, "entities": ENTITIES}


def articles_to_tables(articles: Sequence[Article], shard: str) -> dict[str, pa.Table]:
    """The three tables for a shard's analysed articles."""
    arts: list[dict[str, Any]] = []
    spans: list[dict[str, Any]] = []
    ents: list[dict[str, Any]] = []
    for art in articles:
        pub = art.published
        meta = dict(art.meta)
        arts.append(
            {
                "id": art.id,
                "shard": shard,
                "source": art.source,
                "title": art.title,
                "outlet": art.outlet,
                "url": art.url,
                "published": pub.date if pub else None,
                "published_source": pub.source if pub else None,
                "published_raw": pub.raw if pub else None,
                "language": art.language,
                "authors": list(art.authors),
                "genre": (meta.get("genre") or {}).get("label"),
                "words": len(art.text.split()),
                "text": art.text,
                "layers": list(art.layers),
                "meta": json.dumps(meta, ensure_ascii=False, sort_keys=True),
                "offset_map": json.dumps([list(p) for p in art.offset_map]),
                "pipeline": meta.get("pipeline"),
                "schema_version": art.schema_version,
            }
        )
        for layer, layer_spans in art.layers.items():
            for i, s in enumerate(layer_spans):
                spans.append(
                    {
                        "article_id": art.id,
                        "shard": shard,
                        "layer": layer,
                        "idx": i,
                        "start": s.start,
                        "end": s.end,
                        "label": s.label,
                        "text": s.text,
                        "attrs": json.dumps(s.attrs, ensure_ascii=False, sort_keys=True),
                    }
                )
        for c in art.clusters:
            ents.append(
                {
                    "article_id": art.id,
                    "shard": shard,
                    "entity": c.id,
                    "label": c.label,
                    "name": c.name,
                    "mentions": list(c.mentions),
                    "variants": list(c.variants.items()),
                    "outlet": art.outlet,
                    "published": pub.date if pub else None,
                }
            )
    return {
        "articles": pa.Table.from_pylist(arts, schema=ARTICLES),
        "spans": pa.Table.from_pylist(spans, schema=SPANS),
        "entities": pa.Table.from_pylist(ents, schema=ENTITIES),
    }


def article_from_rows(
    row: dict[str, Any], spans: Sequence[dict[str, Any]], entities: Sequence[dict[str, Any]]
) -> Article:
    """Rebuild one article from its rows (spans in any order); every span is checked."""
    layers: dict[str, list[dict[str, Any] | None]] = {name: [] for name in row["layers"] or []}
    for s in spans:
        slots = layers.setdefault(s["layer"], [])
        while len(slots) <= s["idx"]:
            slots.append(None)
        slots[s["idx"]] = {
            "start": s["start"],
            "end": s["end"],
            "label": s["label"],
            "text": s["text"],
            "attrs": json.loads(s["attrs"] or "{}"),
        }
    published = None
    if row["published"] is not None:
        published = {
            "date": _iso(row["published"]),
            "source": row["published_source"],
            "raw": row["published_raw"] or "",
        }
    data = {
        "id": row["id"],
        "text": row["text"],
        "title": row["title"],
        "outlet": row["outlet"],
        "url": row["url"],
        "source": row["source"] or "",
        "published": published,
        "language": row["language"] or "en",
        "authors": list(row["authors"] or []),
        "meta": json.loads(row["meta"] or "{}"),
        "offset_map": [tuple(p) for p in json.loads(row["offset_map"] or "[]")],
        "layers": layers,
        "clusters": [
            {
                "id": e["entity"],
                "label": e["label"],
                "name": e["name"],
                "mentions": list(e["mentions"] or []),
                "variants": dict(e["variants"] or []),
            }
            for e in entities
        ],
        "schema_version": row["schema_version"],
    }
    return Article.from_dict(data)


def _iso(value: date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()
