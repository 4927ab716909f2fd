"""Throughput of `presslens analyze` on about 600-word articles with 1 and 2 worker processes.

Issue 5 asks for 12 articles/s of 600 words on 2 cores for the whole pipeline. This measures
it through the real command line: articles of about 600 words are generated as in
bench_rhetoric.py, and `presslens analyze --no-store --workers W` runs on N and on 2N of them,
each in a fresh process with one BLAS/OpenMP thread per process. The difference of the two
wall times is the time of N articles with start-up (interpreter, model loading, worker
spawning) taken out, so the figure is the steady-state rate; each run is repeated --repeat
times and the fastest counts (the machine is shared; single runs vary by 10-20 %). Prints
articles/s and words/s per worker count and the scaling from 1 to 2 workers.

Usage: python benchmarks/bench_workers.py [--articles 200] [--workers 1,2] [--repeat 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rhetoric import generate  # a sibling script, not a package

PRESSLENS = Path(sys.executable).with_name("presslens")


def wall_time(folder: Path, workers: int, repeat: int) -> float:
    """Seconds `presslens analyze` takes on ``folder`` with ``workers`` processes (fastest)."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    cmd = [str(PRESSLENS), "analyze", str(folder), "--no-store", "--workers", str(workers)]
    best = float("inf")
    for _ in range(max(1, repeat)):
        t = time.perf_counter()
        subprocess.run(
            cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        best = min(best, time.perf_counter() - t)
    return best


def words_in(folder: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in folder.iterdir())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200, help="N: runs on N and 2N articles")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest counts")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    n = args.articles
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp, "small"), Path(tmp, "large")
        small.mkdir()
        large.mkdir()
        generate(small, n)
        generate(large, 2 * n)
        extra_words = words_in(large) - words_in(small)
        for w in (int(x) for x in args.workers.split(",")):
            seconds = wall_time(large, w, args.repeat) - wall_time(small, w, args.repeat)
            results[str(w)] = {
                "articles_per_s": n / seconds,
                "words_per_s": extra_words / seconds,
                "seconds_for_n": seconds,
            }
    mean_words = extra_words / n
    if args.json:
        print(json.dumps({"articles": n, "mean_words": mean_words, "workers": results}))
        return
    print(f"{n} extra articles of {mean_words:.0f} words on average (runs on {n} and {2 * n})")
    print(f"{'workers':>7}  {'articles/s':>10}  {'words/s':>8}")
    for w, r in results.items():
        print(f"{w:>7}  {r['articles_per_s']:>10.2f}  {r['words_per_s']:>8,.0f}")
    if "1" in results and "2" in results:
        scale = results["2"]["articles_per_s"] / results["1"]["articles_per_s"]
        print(f"scaling 1 -> 2 workers: {scale:.2f}x")


if __name__ == "__main__":
    main()
