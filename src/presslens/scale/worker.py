"""What a worker does with one shard: read it, analyse it and write its Parquet tables.

The function runs in this process, in a local pool worker or on a Dask worker alike. Only the
shard's descriptor travels to the worker (paths and record ranges, a few hundred bytes): the
worker reads and normalises the articles itself, skips those committed by an earlier run (the
``known`` ids file the driver wrote at start), analyses the rest with the pipeline it built
once (:func:`presslens.run.worker_pipeline`), writes the shard's tables (each a temporary file
renamed into place) and returns a small manifest: ids, counts, errors, warnings (``P128``:
an analysed article not in English), CPU time. The driver turns the manifest into the shard's
done-marker, which is what commits the shard.
"""

from __future__ import annotations

import os
import resource
import socket
import time
from dataclasses import dataclass
from typing import Any

from presslens.model import Article
from presslens.readers import normalise, text_document
from presslens.readers.codes import not_english
from presslens.run import built_pipelines, worker_pipeline
from presslens.scale.ids import known_mask, load_known
from presslens.scale.output import OutputDir
from presslens.scale.plan import Shard
from presslens.scale.read import read_shard
from presslens.scale.schema import articles_to_tables
from presslens.settings import Settings


@dataclass
class ShardTask:
    """Everything a worker needs for one shard; small, pickled to the worker."""

    out_dir: str
    shard: Shard
    config: dict[str, Any]
    settings: Settings
    fingerprint: str
    known: str | None = None  # .npy of the ids committed before this run (None: none)


def run_shard(task: ShardTask) -> dict[str, Any]:
    """Read, analyse and write the shard's tables; return its manifest (the marker to be)."""
    t0, cpu0, thread0 = time.perf_counter(), time.process_time(), time.thread_time()
    articles, read_errors = read_shard(task.shard, task.settings)
    errors: list[dict[str, Any]] = [_read_error(e) for e in read_errors]
    fresh = articles
    if task.known and articles:
        seen = known_mask(load_known(task.known), [a.id for a in articles])
        fresh = [a for a, old in zip(articles, seen, strict=True) if not old]
    read_seconds = time.perf_counter() - t0
    done: list[Article] = []
    if fresh:
        pipeline = worker_pipeline(task.config, task.settings)
        size = max(1, task.settings.batch_size)
        for i in range(0, len(fresh), size):
            ok, failed = pipeline.run(fresh[i : i + size])
            for art in ok:
                art.meta["pipeline"] = task.fingerprint
            done.extend(ok)
            for f in failed:
                record = f.error.to_dict()
                record.update(stage="analyse", article=f.article.id, source=f.article.source)
                errors.append(record)
    OutputDir(task.out_dir).write_tables(task.shard.name, articles_to_tables(done, task.shard.name))
    return {
        "shard": task.shard.name,
        "index": task.shard.index,
        "pieces": [p.__dict__ for p in task.shard.pieces],
        "articles": len(done),
        "ids": [a.id for a in done],
        "duplicates": len(articles) - len(fresh),
        "failed": len(errors),
        "errors": errors,
        "warnings": not_english_records(done),
        "words": sum(len(a.text.split()) for a in done),
        "pipeline": task.fingerprint,
        "seconds": round(time.perf_counter() - t0, 3),
        "read_seconds": round(read_seconds, 3),
        "cpu_seconds": round(time.process_time() - cpu0, 3),  # the whole worker process
        "task_cpu_seconds": round(time.thread_time() - thread0, 3),  # this task's thread only
        "worker": worker_info(),
    }


#: A second warm-up article, run once per worker at start: longer than the pipeline's own, so
#: the lazy one-time costs its paths hit (date parsing of relative and odd expressions, quote
#: and number rules, their regex compilation) are paid at start-up, not by the first shard.
#: Measured: a fresh worker's first shard of 10 articles took 0.25-0.3 s more CPU than the
#: same shard later; after this warm-up (0.17 s, counted as start-up) about 0.08 s more.
WARMUP_TEXT = (
    "date 2026-03-04\n\nCouncil delays the harbour vote\n\nUpdated 3 hours ago\n\n"
    "Officials in the port city said at 10:30 GMT on Tuesday, two weeks after last month's "
    "vote and for the first time since the 1990s, that the figures would be out in early "
    "spring. A statement issued late on Friday, 12 May 2023, put the cost at $4.5 million, "
    "up 12% from 2019.\n\n"
    '"We will publish them next week," the minister, Lena Berg, told reporters on 4 March, '
    "adding that about 300 jobs were at stake. Critics said the council had failed for years "
    "to act.\n"
)

_WARMED: set[str] = set()  # per process: fingerprints of the pipelines warmed here


def warm_up(config: dict[str, Any], settings: Settings) -> int:
    """Build the pipeline and run :data:`WARMUP_TEXT` through it, once per process; return
    the process id (so a caller can tell its workers apart)."""
    key = repr((config, settings))
    if key not in _WARMED:
        pipeline = worker_pipeline(config, settings)
        doc = text_document(WARMUP_TEXT, source="<warm-up>", key="<warm-up>", meta={})
        pipeline.run([normalise(doc, settings)])
        _WARMED.add(key)
    return os.getpid()


def worker_info() -> dict[str, Any]:
    """Which process did the work, and its peak memory so far (models included)."""
    return {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "omp_threads": os.environ.get("OMP_NUM_THREADS"),
        "malloc_trim": os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        "pipelines": built_pipelines(),
    }


def not_english_records(articles: list[Article]) -> list[dict[str, Any]]:
    """The ``P128`` warning of each article not in English, shaped like the error records and
    like ``presslens analyze``'s warnings (``stage`` ``read``, ``article``, ``source``). Only
    analysed articles get one: the warnings describe what the shard commits."""
    records = []
    for art in articles:
        warning = not_english(art)
        if warning is not None:
            record = warning.to_dict()
            record.update(stage="read", article=art.id, source=art.source)
            records.append(record)
    return records


def _read_error(exc: Any) -> dict[str, Any]:
    record: dict[str, Any] = exc.to_dict()
    record["stage"] = "read"
    return record
