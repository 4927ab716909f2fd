"""Scale-out runs: shards of inputs analysed by a local pool or a Dask cluster into Parquet.

- :func:`run_scale` plans shards, skips committed ones, analyses the rest (resumable);
- :func:`load_run_config` reads a ``presslens run`` TOML config;
- :func:`connect`, :func:`iter_article_records`, :func:`iter_entity_rows`,
  :func:`iter_articles` read the output with DuckDB / pyarrow, each article once;
- :func:`load_parquet` fills a SQLite or PostgreSQL store from the output.

Error codes P700–P709 are in :mod:`presslens.scale.codes`. Names are imported lazily, so the
CLI does not load pyarrow until a scale command runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from presslens.scale.codes import ScaleError
    from presslens.scale.config import RunSpec, load_run_config
    from presslens.scale.load import LoadResult, load_parquet
    from presslens.scale.plan import Plan, Shard, plan_shards
    from presslens.scale.query import (
        connect,
        iter_article_records,
        iter_articles,
        iter_entity_rows,
    )
    from presslens.scale.runner import ScaleResult, run_scale
    from presslens.scale.schema import ARTICLES, ENTITIES, SPANS

_WHERE = {
    "ScaleError": "codes",
    "RunSpec": "config",
    "load_run_config": "config",
    "LoadResult": "load",
    "load_parquet": "load",
    "Plan": "plan",
    "Shard": "plan",
    "plan_shards": "plan",
    "connect": "query",
    "iter_article_records": "query",
    "iter_articles": "query",
    "iter_entity_rows": "query",
    "ScaleResult": "runner",
    "run_scale": "runner",
    "ARTICLES": "schema",
    "ENTITIES": "schema",
    "SPANS": "schema",
}

__all__ = [
    "ARTICLES",
    "ENTITIES",
    "SPANS",
    "LoadResult",
    "Plan",
    "RunSpec",
    "ScaleError",
    "ScaleResult",
    "Shard",
    "connect",
    "iter_article_records",
    "iter_articles",
    "iter_entity_rows",
    "load_parquet",
    "load_run_config",
    "plan_shards",
    "run_scale",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'presslens.scale' has no attribute {name!r}")
    return getattr(import_module(f"presslens.scale.{module}"), name)
