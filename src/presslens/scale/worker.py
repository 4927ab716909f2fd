"""What a worker does with one shard: analyse its articles and commit its Parquet output.

The function runs in a local pool worker or on a Dask worker alike. The pipeline is built and
its models loaded once per worker process (:func:`presslens.run.worker_pipeline`), and the
worker writes the shard itself, so results never travel back through the driver.
"""

from __future__ import annotations

import os
import resource
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from presslens.model import Article
from presslens.run import built_pipelines, worker_pipeline
from presslens.scale.output import OutputDir
from presslens.scale.plan import Shard
from presslens.scale.schema import articles_to_tables
from presslens.settings import Settings


@dataclass
class ShardTask:
    """Everything a worker needs for one shard; pickled to the worker."""

    out_dir: str
    shard: Shard
    articles: list[Article]
    config: dict[str, Any]
    settings: Settings
    fingerprint: str
    errors: list[dict[str, Any]] = field(default_factory=list)  # from reading, in the driver


def run_shard(task: ShardTask) -> dict[str, Any]:
    """Analyse the shard, commit its tables and marker; return the marker."""
    t0 = time.perf_counter()
    errors = list(task.errors)
    done: list[Article] = []
    if task.articles:
        pipeline = worker_pipeline(task.config, task.settings)
        size = max(1, task.settings.batch_size)
        for i in range(0, len(task.articles), size):
            ok, failed = pipeline.run(task.articles[i : i + size])
            for art in ok:
                art.meta["pipeline"] = task.fingerprint
            done.extend(ok)
            for f in failed:
                record = f.error.to_dict()
                record.update(stage="analyse", article=f.article.id, source=f.article.source)
                errors.append(record)
    marker = {
        "shard": task.shard.name,
        "index": task.shard.index,
        "pieces": [p.__dict__ for p in task.shard.pieces],
        "articles": len(done),
        "ids": [a.id for a in done],
        "failed": len(errors),
        "errors": errors,
        "words": sum(len(a.text.split()) for a in done),
        "pipeline": task.fingerprint,
        "seconds": round(time.perf_counter() - t0, 3),
        "worker": worker_info(),
    }
    OutputDir(task.out_dir).commit(
        task.shard.name, articles_to_tables(done, task.shard.name), marker
    )
    return marker


def worker_info() -> dict[str, Any]:
    """Which process did the work, and its peak memory so far (models included)."""
    return {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "omp_threads": os.environ.get("OMP_NUM_THREADS"),
        "pipelines": built_pipelines(),
    }
