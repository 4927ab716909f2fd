"""Throughput of the whole default pipeline on about 600-word articles with 1 and 2 workers.

Issue 5 asks for 12 articles/s of 600 words on 2 cores for the whole pipeline. Articles of
about 600 words are generated as in bench_rhetoric.py, read and normalised once, then analysed
by the same worker pool `presslens analyze --workers W` uses (spawned processes, one
BLAS/OpenMP thread each, models loaded by the pool's initializer). The pool is warmed up first
(every worker has analysed an article), so the timed part is analysis alone: no interpreter
start, model loading or process spawning, which differencing two command-line runs could not
separate reliably on this machine. Each worker count runs --repeat times and the fastest
counts. Prints articles/s and words/s per worker count and the scaling from 1 to 2 workers.

Usage: python benchmarks/bench_workers.py [--articles 300] [--workers 1,2] [--repeat 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import wait
from pathlib import Path
from typing import Any

# One BLAS/OpenMP thread in this process too (read when numpy is first imported, so before
# presslens is), as each worker has: the 1-worker run is then one core.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def timed_run(batches: list[Any], workers: int, config: dict[str, Any], settings: Any) -> float:
    """Seconds the warmed-up pool of ``workers`` takes to analyse ``batches``."""
    from presslens.run import _run_in_worker, _warmup_article, limit_threads, worker_pool

    if workers <= 1:  # one process: the same pipeline object, in this process
        from presslens.run import worker_pipeline

        limit_threads()
        pipeline = worker_pipeline(config, settings)
        pipeline.run([_warmup_article(settings)])
        t = time.perf_counter()
        for batch in batches:
            pipeline.run(batch)
        return time.perf_counter() - t
    with worker_pool(workers, config, settings) as pool:
        warm = [
            pool.submit(_run_in_worker, [_warmup_article(settings)]) for _ in range(4 * workers)
        ]
        wait(warm)
        t = time.perf_counter()
        for _ in pool.map(_run_in_worker, batches):
            pass
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest counts")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    from presslens.pipeline import default_config
    from presslens.run import load_articles
    from presslens.settings import load_settings

    settings = load_settings()
    config = default_config()
    from bench_rhetoric import generate  # a sibling script (imports presslens)

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), args.articles)
        articles = load_articles([tmp], settings, [])
    words = sum(len(a.text.split()) for a in articles)
    size = max(1, settings.batch_size)
    batches = [articles[i : i + size] for i in range(0, len(articles), size)]
    counts = [int(x) for x in args.workers.split(",")]
    best = {w: float("inf") for w in counts}
    for _ in range(max(1, args.repeat)):
        for w in counts:  # interleaved, so load on the machine hits each alike
            best[w] = min(best[w], timed_run(batches, w, config, settings))
    results = {
        str(w): {"seconds": s, "articles_per_s": len(articles) / s, "words_per_s": words / s}
        for w, s in best.items()
    }
    mean_words = words / max(1, len(articles))
    if args.json:
        print(json.dumps({"articles": len(articles), "mean_words": mean_words, "workers": results}))
        return
    print(
        f"{len(articles)} articles of {mean_words:.0f} words on average; fastest of {args.repeat}"
    )
    print(f"{'workers':>7}  {'articles/s':>10}  {'words/s':>8}")
    for w, r in results.items():
        print(f"{w:>7}  {r['articles_per_s']:>10.2f}  {r['words_per_s']:>8,.0f}")
    if "1" in results and "2" in results:
        scale = results["2"]["articles_per_s"] / results["1"]["articles_per_s"]
        print(f"scaling 1 -> 2 workers: {scale:.2f}x")


if __name__ == "__main__":
    main()
