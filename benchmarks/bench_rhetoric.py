"""Per-stage cost of the default pipeline, with the rhetoric stages, on ~600-word articles.

Generates N articles (default 300) of about 600 words by recombining demo-corpus paragraphs
(plus, when ``../shared/examples`` exists, paragraphs of the real example articles), reads and
normalises them, then runs each stage of the default pipeline over batches in one process and
prints the seconds spent per stage, each stage's share of spaCy's time and the pipeline's
articles/s (model loading excluded; no store). Usage::

    nice -n 10 .venv/bin/python benchmarks/bench_rhetoric.py [N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from presslens.pipeline import Pipeline, _run_stage, default_config
from presslens.run import load_articles
from presslens.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"
EXAMPLES = ROOT.parent / "shared" / "examples"
TARGET_WORDS = 600


def paragraphs() -> list[str]:
    errors: list[dict[str, object]] = []
    folders = [str(DEMO)] + ([str(EXAMPLES)] if EXAMPLES.is_dir() else [])
    arts = load_articles(folders, load_settings(), errors)
    return [
        a.text[s.start : s.end]
        for a in arts
        for s in a.layer("paragraphs")
        if s.label != "title" and len(s.text.split()) > 8
    ]


def generate(folder: Path, n: int) -> None:
    rng = random.Random(5)
    paras = paragraphs()
    for i in range(n):
        body: list[str] = []
        while sum(len(p.split()) for p in body) < TARGET_WORDS:
            body.append(rng.choice(paras))
        (folder / f"bench_{i:04d}.txt").write_text(
            f"source Bench {i % 4}\n\nBench article {i}\n\n" + "\n\n".join(body) + "\n",
            encoding="utf-8",
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), n)
        t0 = time.perf_counter()
        errors: list[dict[str, object]] = []
        articles = load_articles([tmp], settings, errors)
        read_s = time.perf_counter() - t0
    pipeline = Pipeline.from_config(default_config(), settings)
    pipeline.run(articles[:2])  # load every model first
    times = dict.fromkeys(pipeline.names, 0.0)
    words = sum(len(a.text.split()) for a in articles)
    bs = settings.batch_size
    for k in range(0, len(articles), bs):
        batch = articles[k : k + bs]
        for name, fn in zip(pipeline.names, pipeline.stages, strict=True):
            t = time.perf_counter()
            batch, _failed = _run_stage(name, fn, batch)
            times[name] += time.perf_counter() - t
        for a in batch:
            a._doc = None
    total = sum(times.values()) + read_s
    spacy_s = times.get("spacy", 0.0) or 1.0
    print(f"{len(articles)} articles, {words / max(len(articles), 1):.0f} words on average")
    print(f"read + normalise: {read_s:.2f} s")
    for name, s in times.items():
        print(f"{name:>13}: {s:7.2f} s  ({100 * s / spacy_s:5.1f} % of spaCy)")
    print(
        f"pipeline without store: {len(articles) / total:.1f} articles/s, "
        f"{words / total:,.0f} words/s"
    )


if __name__ == "__main__":
    main()
