"""Corpus runs: read, normalise, analyse in batches (in process or a pool), store, report errors.

A run never aborts on one bad article: read, normalise, stage and store failures are recorded
(``errors.jsonl``) and the rest goes on. Warnings (``P128``: an article not in English) are
reported in ``RunResult.warnings``; their articles are analysed like the others. Articles
already stored with the same pipeline fingerprint are not analysed again, so an interrupted
run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import multiprocessing
import os
import sys
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from presslens import __version__
from presslens.errors import ConfigError, PresslensError, StoreError
from presslens.model import Article
from presslens.nlp import load_nlp
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, read_articles, text_document
from presslens.readers.codes import not_english
from presslens.settings import Settings, load_settings
from presslens.store import Store

ProgressFn = Callable[[int, int], None]  # (done, total)


@dataclass
class RunResult:
    """What a corpus run did: articles by id with their store status, every failure, and
    the warnings about articles it analysed all the same (records shaped like errors)."""

    articles: list[Article] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.status.values())

    @property
    def failed(self) -> int:
        return len(self.errors)


def pipeline_fingerprint(config: dict[str, Any], settings: Settings) -> str:
    """Identifies what produced an analysis: code, pipeline config and model.

    The code part hashes the package's own files, so an upgraded rule or artifact makes the
    next run re-analyse stored articles instead of trusting results the new code would not give.
    """
    blob = json.dumps(
        {
            "version": __version__,
            "code": code_fingerprint(),
            "config": config,
            "model": settings.spacy_model,
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the package's code, config and artifact files (once per process)."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".json", ".toml"} and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_articles(
    paths: Sequence[str],
    settings: Settings,
    errors: list[dict[str, Any]],
    *,
    skip: Sequence[Path | None] = (),
) -> list[Article]:
    """Read and normalise every source; failures go to ``errors``. Duplicates are dropped.
    ``skip``: the run's own output files, never read back by a folder walk or a glob."""
    seen: set[str] = set()
    articles: list[Article] = []
    skipped = frozenset(os.path.realpath(p) for p in skip if p is not None)
    for item in read_articles(paths, settings, skip=skipped):
        if isinstance(item, PresslensError):
            errors.append(_error_record(item, stage="read"))
        elif item.id not in seen:  # the same article reached twice is analysed once
            seen.add(item.id)
            articles.append(item)
    return articles


#: After this many consecutive batches refused whole by the store, the run stops.
MAX_REFUSED_BATCHES = 3


def analyze_corpus(
    paths: Sequence[str],
    *,
    store: Store | None = None,
    settings: Settings | None = None,
    config: dict[str, Any] | None = None,
    jsonl_path: Path | None = None,
    errors_path: Path | None = None,
    on_progress: ProgressFn | None = None,
    force: bool = False,
    outputs: Sequence[Path | None] = (),
) -> RunResult:
    """Analyse every article under ``paths``; store, export and report as asked.

    The ``jsonl_path`` and ``errors_path`` files and ``outputs`` (an HTML report the caller
    writes) are never read back when a folder walk or glob reaches them."""
    settings = settings or load_settings()
    config = config if config is not None else default_config()
    result = RunResult()
    articles = load_articles(
        paths, settings, result.errors, skip=[jsonl_path, errors_path, *outputs]
    )
    for art in articles:
        warning = not_english(art)  # reported, and analysed like the others
        if warning is not None:
            result.warnings.append(_error_record(warning, stage="read", article=art))
    fingerprint = pipeline_fingerprint(config, settings)

    todo: list[Article] = []
    done: dict[str, Article] = {}
    for art in articles:
        if store is not None and not force and store.fingerprint(art.id) == fingerprint:
            stored = store.get(art.id)
            # Same pipeline, and normalisation (which depends on the corpus) gave the same text.
            if stored is not None and (stored.text, stored.removed) == (art.text, art.removed):
                done[art.id] = stored
                result.status[art.id] = "unchanged"
                continue
        todo.append(art)

    total = len(articles)
    progress = len(done)
    if on_progress:
        on_progress(progress, total)
    refused = 0  # consecutive batches the store refused whole
    batches = _analyse(todo, config, settings)
    for batch_done, batch_failed in batches:
        for failure in batch_failed:
            result.errors.append(
                _error_record(failure.error, stage="analyse", article=failure.article)
            )
        for art in batch_done:
            art.meta["pipeline"] = fingerprint
        statuses = (
            store.upsert_many(batch_done) if store is not None else ["inserted"] * len(batch_done)
        )
        for art, status in zip(batch_done, statuses, strict=True):
            if isinstance(status, StoreError):
                result.errors.append(_error_record(status, stage="store", article=art))
            else:
                result.status[art.id] = status
                done[art.id] = art
        whole = bool(batch_done) and all(isinstance(s, StoreError) for s in statuses)
        refused = refused + 1 if whole else 0
        if refused >= MAX_REFUSED_BATCHES:
            # A full disk or a lost server refuses every article alike: stop once, clearly,
            # rather than reporting each remaining article; a rerun resumes after what is stored.
            batches.close()
            if errors_path is not None:
                write_jsonl_records(result.errors, errors_path)
            last = statuses[-1]
            assert isinstance(last, StoreError)
            raise StoreError(
                f"the store refused {refused} batches in a row, so the run stopped after "
                f"{len(done)} of {total} articles: {last.message}",
                where=last.where,
                hint=f"{last.hint or 'Fix the store.'} Then run the same command again: "
                "stored articles are skipped and the rest is analysed.",
            )
        progress += len(batch_done) + len(batch_failed)
        if on_progress:
            on_progress(progress, total)

    result.articles = [done[a.id] for a in articles if a.id in done]
    if jsonl_path is not None:
        write_jsonl(result.articles, jsonl_path)
    if errors_path is not None:
        write_jsonl_records(result.errors, errors_path)
    return result


def _analyse(
    articles: list[Article], config: dict[str, Any], settings: Settings
) -> Generator[tuple[list[Article], list[Any]], None, None]:
    """Yield (analysed, failed) per batch, in process or in a worker pool.

    Batches are the shards of a local run: each is analysed by one worker, and results come
    back in input order so the parent can stream them into the store as they arrive.
    """
    if not articles:
        return
    size = max(1, settings.batch_size)
    batches = [articles[i : i + size] for i in range(0, len(articles), size)]
    if settings.workers <= 1 or len(batches) == 1:
        pipeline = worker_pipeline(config, settings)
        for batch in batches:
            yield pipeline.run(batch)
        return
    check_pipeline(config, settings)
    with worker_pool(settings.workers, config, settings) as pool:
        yield from pool.map(_run_in_worker, batches)


#: Thread-count variables of the numeric libraries a worker may load (BLAS, OpenMP, torch).
#: One thread each: N worker processes on N cores, not N x (cores) threads fighting.
THREAD_ENV = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


@contextmanager
def single_thread_env() -> Iterator[None]:
    """Set the thread variables to 1 while worker processes start, then restore them.

    BLAS libraries read these once, when numpy is first imported, so they must be in the
    environment a worker is *started* with; workers are spawned (not forked) for that reason.
    """
    saved = {name: os.environ.get(name) for name in THREAD_ENV}
    os.environ.update({name: "1" for name in THREAD_ENV})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def worker_pool(
    workers: int, config: dict[str, Any], settings: Settings
) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers each load the pipeline and its models once, at start."""
    with (
        single_thread_env(),
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(config, settings),
        ) as pool,
    ):
        yield pool


def limit_threads() -> None:
    """One compute thread in this process: env for libraries not loaded yet, and torch's
    setting when torch is already loaded (presslens itself does not use torch)."""
    for name in THREAD_ENV:
        os.environ[name] = "1"
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


_WORKER_PIPELINES: dict[str, Pipeline] = {}  # per process, by config fingerprint


def worker_pipeline(config: dict[str, Any], settings: Settings) -> Pipeline:
    """The pipeline for ``config`` in this process, built and warmed up once.

    Stages load their models lazily; running one tiny article through the pipeline here makes
    every model load now, so the first real batch is not the slow one and memory is known.
    """
    key = pipeline_fingerprint(config, settings) + repr(settings)
    pipeline = _WORKER_PIPELINES.get(key)
    if pipeline is None:
        pipeline = Pipeline.from_config(config, settings)
        _, failed = pipeline.run([_warmup_article(settings)])
        for f in failed:
            if isinstance(f.error, ConfigError):  # a missing model fails every article: stop
                raise f.error
        _WORKER_PIPELINES[key] = pipeline
    return pipeline


def check_pipeline(config: dict[str, Any], settings: Settings) -> None:
    """Fail in the parent, once, for what would otherwise fail in every worker: a bad config
    or a model package that is not installed (checked without loading it)."""
    Pipeline.from_config(config, settings)
    if importlib.util.find_spec(settings.spacy_model) is None:
        load_nlp(settings.spacy_model)  # raises the ConfigError that says what to do


def built_pipelines() -> int:
    """How many pipelines this process has built (1 in a worker: models load once)."""
    return len(_WORKER_PIPELINES)


def init_worker(config: dict[str, Any], settings: Settings) -> None:
    """Process-pool initializer: one thread per worker, models loaded once."""
    limit_threads()
    worker_pipeline(config, settings)


def _run_in_worker(batch: list[Article]) -> tuple[list[Article], list[Any]]:
    (pipeline,) = _WORKER_PIPELINES.values()  # init_worker built exactly one
    return pipeline.run(batch)


#: A short article touching every default stage (a headline, names, a quote, a date, a number).
_WARMUP_TEXT = (
    "date 2020-01-06\n\nBuses for the city\n\nThe mayor, Anna Lind, said on Monday that 40 "
    'buses would run in the city from next year. "We will pay for it," she said, according '
    "to the council.\n"
)


def _warmup_article(settings: Settings) -> Article:
    doc = text_document(_WARMUP_TEXT, source="<warm-up>", key="<warm-up>", meta={})
    return normalise(doc, settings)


def _error_record(
    exc: PresslensError, *, stage: str, article: Article | None = None
) -> dict[str, Any]:
    record = exc.to_dict()
    record["stage"] = stage
    if article is not None:
        record["article"] = article.id
        record["source"] = article.source
    return record


def write_jsonl(articles: Sequence[Article], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for art in articles:
            fh.write(art.to_json() + "\n")


def write_jsonl_records(records: Sequence[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
