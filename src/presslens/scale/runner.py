"""A scale-out run: plan shards, skip the committed ones, analyse and commit the rest.

The driver (this process) plans shards and sends only their descriptors to the engine; a
worker reads, normalises and analyses a shard and writes its Parquet tables itself, skipping
articles an earlier run committed (``_known_ids.npy``, written once at start), and returns a
small manifest. The driver commits the shard by writing the manifest as its done-marker, after
dropping any article a shard committed earlier in this run already holds (inputs may overlap;
rare, so that costs a rewrite of the shard's tables only then). Only a bounded number of shards
is in flight, so memory stays flat however large the corpus. Killed at any moment, a run loses
only its uncommitted shards: the next run with the same inputs redoes those and never writes an
article twice. Articles not in English are analysed and committed like the others; each
shard's marker lists their ``P128`` warnings, and the end of a run rewrites ``warnings.jsonl``
from every marker of the folder (as ``errors.jsonl`` from this plan's), a count in the summary.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from presslens import __version__
from presslens.model import Article
from presslens.pipeline import default_config
from presslens.run import check_pipeline, pipeline_fingerprint
from presslens.scale.codes import SHARD_FAILED
from presslens.scale.engines import Engine, InlineEngine, make_engine
from presslens.scale.ids import IdSet, save_known
from presslens.scale.output import KNOWN_FILE, OutputDir
from presslens.scale.plan import plan_shards
from presslens.scale.worker import ShardTask, not_english_records, run_shard
from presslens.settings import Settings, load_settings

#: Shards in flight per worker: one running, one read and waiting, so no worker idles.
IN_FLIGHT_PER_WORKER = 2
#: Settings that change how work is split, not what comes out (left out of the fingerprint).
_RUNTIME_SETTINGS = ("workers", "batch_size")

ShardProgress = Callable[[int, int, int], None]  # (shards done, shards total, articles)


@dataclass
class ScaleResult:
    """What a run did. ``articles`` counts articles in the whole output folder; ``warnings``
    holds the ``P128`` warning of each of them not in English (analysed, results unreliable)."""

    out_dir: str
    engine: str
    workers: int
    shards: int = 0
    skipped: int = 0  # committed by an earlier run
    committed: int = 0  # committed by this run
    failed_shards: int = 0  # lost with their worker; redone by the next run
    articles: int = 0
    new_articles: int = 0
    duplicates: int = 0  # articles dropped because an earlier shard holds them
    words: int = 0
    seconds: float = 0.0
    startup_seconds: float = 0.0  # starting workers and loading their models
    analysis_seconds: float = 0.0  # first shard sent to last shard committed (the throughput)
    driver_cpu_seconds: float = 0.0  # this process while shards ran (inline: minus the work)
    worker_cpu_seconds: float = 0.0  # the workers' CPU on this run's shards (read+analyse+write)
    task_cpu_seconds: float = 0.0  # of which the task threads (the rest: e.g. Dask's event loop)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    worker_peak_rss_mb: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_fingerprint(config: dict[str, Any], settings: Settings) -> str:
    """What an output folder is bound to: presslens version, pipeline config, model and the
    settings that change what is read.

    Unlike the store's pipeline fingerprint it leaves out the hash of the package's code, so a
    long run resumed after a patch keeps its committed shards (each article row still records
    the exact ``pipeline`` that produced it); a new release or config needs a new folder or
    ``--force``.
    """
    reading = {k: v for k, v in asdict(settings).items() if k not in _RUNTIME_SETTINGS}
    blob = json.dumps(
        {"version": __version__, "config": config, "model": settings.spacy_model, "read": reading},
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def run_scale(
    inputs: list[str],
    out_dir: str | Path,
    *,
    config: dict[str, Any] | None = None,
    settings: Settings | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    shard_size: int = 500,
    force: bool = False,
    on_progress: ShardProgress | None = None,
) -> ScaleResult:
    """Analyse ``inputs`` into Parquet shards under ``out_dir`` (see the module doc)."""
    t0 = time.perf_counter()
    settings = settings or load_settings()
    config = config if config is not None else default_config()
    n_workers = workers if workers is not None else settings.workers
    check_pipeline(config, settings)  # a bad config fails here, not in every worker
    out = OutputDir(out_dir)
    fingerprint = pipeline_fingerprint(config, settings)
    out.prepare(
        {
            "fingerprint": run_fingerprint(config, settings),
            "pipeline": fingerprint,
            "presslens": __version__,
            "config": config,
            "settings": {k: v for k, v in asdict(settings).items() if k not in _RUNTIME_SETTINGS},
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        force=force,
    )
    plan = plan_shards(
        inputs, shard_size=shard_size, skip_under=out.path, encoding=settings.encoding
    )
    done_names = out.done_names()
    seen = IdSet()
    for marker in out.markers():
        seen.update(marker["ids"])
    pending = [s for s in plan.shards if s.name not in done_names]
    result = ScaleResult(
        out_dir=str(out.path),
        engine=engine,
        workers=n_workers,
        shards=len(plan.shards),
        skipped=len(plan.shards) - len(pending),
    )
    if on_progress:
        on_progress(result.skipped, result.shards, len(seen))
    if pending:
        t_start = time.perf_counter()
        eng = make_engine(engine, config, settings, workers=n_workers, scheduler=scheduler)
        result.startup_seconds = round(time.perf_counter() - t_start, 3)
        result.workers = eng.workers
        t_drive = time.perf_counter()
        try:
            _drive(eng, pending, out, config, settings, fingerprint, seen, result, on_progress)
        finally:
            result.analysis_seconds = round(time.perf_counter() - t_drive, 3)
            eng.close()
    _finish(out, plan.errors, result, {s.name for s in plan.shards})
    result.seconds = round(time.perf_counter() - t0, 3)
    return result


def _drive(
    eng: Engine,
    pending: list[Any],
    out: OutputDir,
    config: dict[str, Any],
    settings: Settings,
    fingerprint: str,
    seen: IdSet,
    result: ScaleResult,
    on_progress: ShardProgress | None,
) -> None:
    known: str | None = None
    if len(seen):  # ids of earlier runs, for the workers to skip before analysing
        save_known(seen, out.path / KNOWN_FILE)
        known = str(out.path / KNOWN_FILE)
    limit = max(1, eng.workers * IN_FLIGHT_PER_WORKER)
    in_flight: dict[Any, str] = {}
    progress = result.skipped
    cpu0 = time.process_time()

    def collect() -> None:
        """Wait for at least one shard in flight and commit every finished one."""
        nonlocal progress
        done, _ = eng.wait(list(in_flight))
        for handle in done:
            name = in_flight.pop(handle)
            try:
                manifest = eng.result(handle)
            except Exception as exc:  # noqa: BLE001 - a lost worker must not end the run
                result.failed_shards += 1
                result.errors.append(_shard_failure(name, exc))
                continue
            _commit(out, manifest, seen, result)
            progress += 1
            if on_progress:
                on_progress(progress, result.shards, result.new_articles)

    for i, shard in enumerate(pending):
        task = ShardTask(
            out_dir=str(out.path),
            shard=shard,
            config=config,
            settings=settings,
            fingerprint=fingerprint,
            known=known,
        )
        try:
            in_flight[eng.submit(run_shard, task)] = shard.name
        except Exception as exc:  # noqa: BLE001 - the pool broke (a worker was killed)
            left = len(pending) - i
            result.failed_shards += left
            failure = _shard_failure(shard.name, exc)
            failure["message"] = (
                f"the engine stopped taking shards ({type(exc).__name__}: {exc}); {left} "
                "shards were not started"
            )
            result.errors.append(failure)
            break
        while len(in_flight) >= limit:
            collect()
    while in_flight:
        collect()
    driver = time.process_time() - cpu0
    if isinstance(eng, InlineEngine):  # the work ran in this process too
        driver -= result.worker_cpu_seconds
    result.driver_cpu_seconds = round(max(0.0, driver), 3)


def _commit(out: OutputDir, manifest: dict[str, Any], seen: IdSet, result: ScaleResult) -> None:
    """Commit a shard a worker wrote: drop articles already committed in this run (two
    overlapping inputs in flight at once), then write the done-marker."""
    again = {i for i in manifest["ids"] if i in seen}
    if again:
        manifest["words"] = out.drop_articles(manifest["shard"], again)
        manifest["ids"] = [i for i in manifest["ids"] if i not in again]
        manifest["articles"] = len(manifest["ids"])
        manifest["duplicates"] = manifest.get("duplicates", 0) + len(again)
        manifest["warnings"] = [
            w for w in manifest.get("warnings", []) if w.get("article") not in again
        ]
    seen.update(manifest["ids"])
    out.write_marker(manifest["shard"], manifest)
    result.duplicates += manifest.get("duplicates", 0)
    result.worker_cpu_seconds = round(
        result.worker_cpu_seconds + manifest.get("cpu_seconds", 0.0), 3
    )
    result.task_cpu_seconds = round(
        result.task_cpu_seconds + manifest.get("task_cpu_seconds", 0.0), 3
    )
    _account(manifest, result)


def _account(marker: dict[str, Any], result: ScaleResult) -> None:
    result.committed += 1
    result.new_articles += marker["articles"]
    result.words += marker.get("words", 0)
    worker = marker.get("worker") or {}
    if "pid" in worker:
        key = f"{worker.get('host')}:{worker['pid']}"
        result.worker_peak_rss_mb[key] = max(
            result.worker_peak_rss_mb.get(key, 0.0), worker.get("peak_rss_mb", 0.0)
        )


def _finish(out: OutputDir, plan_errors: list[Any], result: ScaleResult, current: set[str]) -> None:
    """Count the whole folder and rewrite errors.jsonl from the committed shards of this
    plan: a shard an input outgrew (a line appended to a file) keeps its marker and its
    articles, but its failures are the new shard's now, or fixed, and were listed twice.

    warnings.jsonl is rewritten from every marker of the folder: a warning is about an article
    the folder holds, and an outgrown shard's articles stay in it (the new shard skips them)."""
    errors = [_read_error(e) for e in plan_errors]
    warnings: list[dict[str, Any]] = []
    articles = 0
    for marker in out.markers():
        articles += marker["articles"]
        warnings.extend(_marker_warnings(out, marker))
        if marker.get("shard") in current:
            errors.extend(marker.get("errors", []))
    errors.extend(result.errors)  # lost shards of this run (not in any marker)
    result.errors = errors
    result.warnings = warnings
    result.articles = articles
    out.write_errors(errors)
    out.write_warnings(warnings)


def _marker_warnings(out: OutputDir, marker: dict[str, Any]) -> list[dict[str, Any]]:
    """A committed shard's ``P128`` warnings: from its marker, or, for a marker written before
    markers held them (the same version, so the folder was kept), from its articles' rows."""
    if "warnings" in marker:
        return list(marker["warnings"])
    rows = out.article_rows(marker["shard"], ["id", "source", "language", "meta"])
    evidence = []
    for row in rows:
        if row["language"] == "en" and '"language_from"' not in (row["meta"] or ""):
            continue  # English with no evidence: never flagged (skips parsing its meta)
        found = json.loads(row["meta"] or "{}").get("language_from")
        meta = {} if found is None else {"language_from": found}
        art = Article(id=row["id"], text="", source=row["source"] or "", meta=meta)
        art.language = row["language"] or "en"
        evidence.append(art)
    return not_english_records(evidence)


def _read_error(exc: Any) -> dict[str, Any]:
    record: dict[str, Any] = exc.to_dict()
    record["stage"] = "read"
    return record


def _shard_failure(name: str, exc: Exception) -> dict[str, Any]:
    return {
        "code": SHARD_FAILED,
        "type": type(exc).__name__,
        "where": name,
        "message": f"shard task failed: {type(exc).__name__}: {exc}",
        "hint": "The shard was not committed; run again to redo it (committed shards are skipped).",
        "stage": "engine",
    }
