"""Time of each stage of the default pipeline, in one process, on generated articles.

Uses the same articles as bench_analyze.py (demo-corpus paragraphs recombined, same seed),
reads and normalises them, then runs the default pipeline's stages batch by batch, timing
each stage separately (model loading excluded). Prints seconds per stage, and the share the
numbers-and-time stages (timexes, quantities, events) add to the pipeline without them: issue
4's budget is at most 15 %.

Usage: python benchmarks/bench_stages.py [--articles 300] [--seed 7] [--repeat 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analyze import generate  # a sibling script, not a package

#: The stages of issue 4 (numbers and time).
NUMBERS_AND_TIME = ("timexes", "quantities", "events")


def run_once(folder: Path) -> dict[str, float]:
    from presslens.nlp import load_nlp
    from presslens.pipeline import Pipeline, default_config
    from presslens.run import load_articles
    from presslens.settings import load_settings

    settings = load_settings()
    load_nlp(settings.spacy_model)
    pipeline = Pipeline.from_config(default_config(), settings)
    seconds: dict[str, float] = defaultdict(float)
    t0 = time.perf_counter()
    errors: list[dict[str, object]] = []
    articles = load_articles([str(folder)], settings, errors)
    seconds["read+normalise"] = time.perf_counter() - t0
    batch = max(1, settings.batch_size)
    for i in range(0, len(articles), batch):
        chunk = articles[i : i + batch]
        for name, fn in zip(pipeline.names, pipeline.stages, strict=True):
            t = time.perf_counter()
            chunk = list(fn(chunk))
            seconds[name] += time.perf_counter() - t
        for art in chunk:
            art._doc = None
    return dict(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="presslens-bench-stages-") as tmp:
        folder = Path(tmp)
        generate(folder, args.articles, args.seed)
        runs = [run_once(folder) for _ in range(args.repeat)]
    best = {k: min(r[k] for r in runs) for k in runs[0]}
    ours = sum(best[k] for k in NUMBERS_AND_TIME if k in best)
    rest = sum(v for k, v in best.items() if k not in NUMBERS_AND_TIME)
    report = {
        "articles": args.articles,
        "seconds": best,
        "numbers_and_time_seconds": ours,
        "numbers_and_time_share_of_rest": ours / rest if rest else 0.0,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.articles} articles; fastest of {args.repeat} runs per stage, seconds:")
    for name, secs in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"  {name:16} {secs:7.2f}")
    print(
        f"numbers and time ({', '.join(NUMBERS_AND_TIME)}): {ours:.2f} s, adding "
        f"{100 * report['numbers_and_time_share_of_rest']:.1f} % to the rest of the pipeline "
        f"({rest:.2f} s; issue 4 allows 15 %)"
    )


if __name__ == "__main__":
    main()
