"""Throughput and peak memory of `presslens analyze` next to the bare spaCy pipeline.

Generates a few hundred articles by recombining paragraphs of the demo corpus, then runs, each
in its own child process (so peak RSS is that run's own):
  1. presslens, the whole default pipeline: read + normalise + all stages + SQLite store;
  2. presslens, the foundation pipeline only (spacy, entities, genre: issue 2's scope);
  3. bare spaCy: the same model, same components and batch size, over the same normalised texts,
     as the model package loads it (``spacy.load``): the reference of issue 2's ratios;
  4. spaCy as presslens loads it (``presslens.nlp.load_nlp``: the attribute ruler compiled and
     matrix products through NumPy, same output), to show what that saves.
Model loading is excluded from the timings. Each configuration runs --repeat times, interleaved,
and the fastest run counts (the machine is shared). Prints figures and the ratios.

Usage: python benchmarks/bench_analyze.py [--articles 300] [--seed 7] [--repeat 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The stages of the foundation issue, whose target is >= 0.8x bare spaCy on its own.
FOUNDATION = "spacy,entities,genre"
DEMO = ROOT / "demo" / "corpus"

CHILD_PRESSLENS = """
import json, resource, sys, time
from pathlib import Path
from presslens.nlp import load_nlp
from presslens.pipeline import default_config
from presslens.run import analyze_corpus
from presslens.settings import load_settings
from presslens.store import open_store
folder, db, stages = sys.argv[1], sys.argv[2], sys.argv[3]
settings = load_settings()
config = default_config()
if stages != "default":
    config["pipeline"]["stages"] = stages.split(",")
load_nlp(settings.spacy_model)
store = open_store(db)
t0 = time.perf_counter()
result = analyze_corpus([folder], store=store, settings=settings, config=config)
seconds = time.perf_counter() - t0
words = sum(len(a.text.split()) for a in result.articles)
print(json.dumps({"articles": len(result.articles), "failed": result.failed, "words": words,
                  "seconds": seconds,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHILD_SPACY = """
import importlib, json, resource, sys, time
from presslens.nlp import load_nlp
from presslens.settings import load_settings
texts = json.load(open(sys.argv[1], encoding="utf-8"))
settings = load_settings()
if sys.argv[2] == "package":
    nlp = importlib.import_module(settings.spacy_model).load()
else:
    nlp = load_nlp(settings.spacy_model)
t0 = time.perf_counter()
docs = list(nlp.pipe(texts, batch_size=settings.batch_size))
seconds = time.perf_counter() - t0
words = sum(len(t.split()) for t in texts)
print(json.dumps({"articles": len(docs), "words": words, "seconds": seconds,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def demo_paragraphs() -> list[str]:
    from presslens.run import load_articles
    from presslens.settings import load_settings

    errors: list[dict[str, object]] = []
    arts = load_articles([str(DEMO)], load_settings(), errors)
    paras = [
        a.text[s.start : s.end]
        for a in arts
        for s in a.layer("paragraphs")
        if s.label != "title" and len(s.text.split()) > 8
    ]
    if not paras:
        sys.exit(f"no paragraphs found in {DEMO}")
    return paras


def generate(folder: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    paras = demo_paragraphs()
    outlets = ["Bench Herald", "Bench Courier", "Bench Observer", "Bench Daily"]
    for i in range(n):
        body = "\n\n".join(rng.sample(paras, k=min(len(paras), rng.randint(5, 12))))
        header = f"date 2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}\n"
        header += f"source {rng.choice(outlets)}\n"
        (folder / f"bench_{i:04d}.txt").write_text(
            f"{header}\nBench article {i}\n\n{body}\n", encoding="utf-8"
        )


def child(code: str, *args: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.exit(f"benchmark child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest counts")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        generate(folder, args.articles, args.seed)
        from presslens.run import load_articles
        from presslens.settings import load_settings

        texts = [a.text for a in load_articles([str(folder)], load_settings(), [])]
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        runs: dict[str, list[dict[str, float]]] = {"ours": [], "core": [], "bare": [], "fast": []}
        for i in range(args.repeat):  # interleaved, so a slow spell hits all four alike
            db = Path(tmp) / f"bench{i}.db"
            runs["ours"].append(child(CHILD_PRESSLENS, str(folder), str(db), "default"))
            db = Path(tmp) / f"core{i}.db"
            runs["core"].append(child(CHILD_PRESSLENS, str(folder), str(db), FOUNDATION))
            runs["bare"].append(child(CHILD_SPACY, str(texts_file), "package"))
            runs["fast"].append(child(CHILD_SPACY, str(texts_file), "presslens"))
        ours, core, bare, fast = (
            min(runs[k], key=lambda r: r["seconds"]) for k in ("ours", "core", "bare", "fast")
        )

    rows = {}
    for name, r in (
        ("presslens analyze", ours),
        ("foundation stages", core),
        ("bare spaCy pipe", bare),
        ("presslens's spaCy", fast),
    ):
        rows[name] = {
            "articles": r["articles"],
            "articles_per_s": r["articles"] / r["seconds"],
            "words_per_s": r["words"] / r["seconds"],
            "peak_rss_mb": r["peak_rss_mb"],
            "seconds": r["seconds"],
        }
    bare_wps = rows["bare spaCy pipe"]["words_per_s"]
    ratio = rows["presslens analyze"]["words_per_s"] / bare_wps
    core_ratio = rows["foundation stages"]["words_per_s"] / bare_wps
    if args.json:
        print(
            json.dumps(
                {"runs": rows, "throughput_ratio": ratio, "foundation_ratio": core_ratio}, indent=2
            )
        )
        return
    print(f"{'run':<20}{'articles':>10}{'articles/s':>12}{'words/s':>10}{'peak RSS MB':>13}")
    for name, r in rows.items():
        print(
            f"{name:<20}{r['articles']:>10}{r['articles_per_s']:>12.1f}"
            f"{r['words_per_s']:>10.0f}{r['peak_rss_mb']:>13.0f}"
        )
    print(f"throughput ratio, whole pipeline / bare spaCy (words/s): {ratio:.2f}")
    print(
        f"throughput ratio, foundation stages / bare spaCy (words/s): {core_ratio:.2f}"
        "  (issue 2 target >= 0.80)"
    )


if __name__ == "__main__":
    main()
