"""Cost of ``presslens.techniques.v3`` (MiniLM span tagger in NumPy) and ``v4`` (MPNet) against
the default v1.

Generates N articles of about 600 words as bench_rhetoric.py does, runs the default pipeline
once with techniques v1 and once with v3 (one process, models loaded first, no store) and
prints the techniques stage's seconds and the whole pipeline's articles/s for each (v3 also
with non-overlapping windows). Set OMP_NUM_THREADS / OPENBLAS_NUM_THREADS to pin the BLAS
threads the encoder's matrix products use. A second argument keeps only the implementations
whose name contains it (``v4``). Usage::

    nice -n 10 .venv/bin/python benchmarks/bench_techniques_encoder.py [N] [v1|v3|v4]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rhetoric import generate  # a sibling script, not a package
from presslens.model import Article
from presslens.pipeline import Pipeline, _run_stage, default_config
from presslens.run import load_articles
from presslens.settings import load_settings


def timed(stage: dict[str, object], articles: list[Article]) -> dict[str, float]:
    config = default_config()
    config["stages"]["techniques"] = stage
    settings = load_settings()
    pipeline = Pipeline.from_config(config, settings)
    pipeline.run([a.model_copy(deep=True) for a in articles[:2]])  # load every model first
    times = dict.fromkeys(pipeline.names, 0.0)
    work = [a.model_copy(deep=True) for a in articles]
    for k in range(0, len(work), settings.batch_size):
        batch = work[k : k + settings.batch_size]
        for name, fn in zip(pipeline.names, pipeline.stages, strict=True):
            t = time.perf_counter()
            batch, _failed = _run_stage(name, fn, batch)
            times[name] += time.perf_counter() - t
        for a in batch:
            a._doc = None
    return times


STAGES: list[dict[str, object]] = [
    {"impl": "presslens.techniques.v1"},
    {"impl": "presslens.techniques.v3"},
    {"impl": "presslens.techniques.v3", "window_step": 254},  # windows without overlap
    {"impl": "presslens.techniques.v4"},
    {"impl": "presslens.techniques.v4", "window_step": 254},
]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), n)
        errors: list[dict[str, object]] = []
        articles = load_articles([tmp], settings, errors)
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} articles, {words / max(len(articles), 1):.0f} words on average")
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    for stage in (s for s in STAGES if only in str(s["impl"])):
        times = timed(stage, articles)
        total = sum(times.values())
        print(
            f"{stage}: techniques {times['techniques']:.2f} s "
            f"({1000 * times['techniques'] / len(articles):.0f} ms/article); pipeline "
            f"{len(articles) / total:.2f} articles/s ({total:.1f} s, no read, no store)"
        )


if __name__ == "__main__":
    main()
