"""Store query latency on a large synthetic corpus, on SQLite and on a real PostgreSQL.

Fills each store with N analysed-looking articles (generated here: outlets, dates, genres,
entities, attributed statements with speakers, technique spans; about 300 words each; no
spaCy, so filling is quick), then times the query methods the web app calls and prints p50
and p95 in milliseconds. PostgreSQL is started in a temp dir (presslens.testing.pgserver)
and stopped at the end; it is skipped with the reason when it cannot run.

    python benchmarks/bench_store.py [--articles 10000] [--repeat 40] [--backend sqlite]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from presslens.model import Article, Cluster, Published
from presslens.store import Store, open_store
from presslens.store.postgres import PostgresStore
from presslens.store.sqlite import SQLiteStore
from presslens.testing.pgserver import PgServer, PgUnavailable

OUTLETS = [f"Outlet {c}" for c in "ABCDEFGH"]
GENRES = ["reporting", "reporting", "reporting", "opinion", "satire"]
TECHNIQUES = [
    "Loaded_Language",
    "Name_Calling-Labeling",
    "Repetition",
    "Exaggeration-Minimisation",
    "Doubt",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Causal_Oversimplification",
]
FIRST = ["Anna", "Piet", "Omar", "Lena", "Jonas", "Sara", "Ivo", "Maya", "Karim", "Elif"]
LAST = ["Koval", "Mor", "Haddad", "Berg", "Novak", "Silva", "Weber", "Costa", "Ilic", "Dahl"]
SPEAKERS = [f"{f} {s}" for f in FIRST for s in LAST]  # 100 names


def vocabulary(rng: random.Random, n: int = 3000) -> list[str]:
    letters = "abcdefghiklmnoprstuvwy"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(n)]


def make_article(i: int, rng: random.Random, vocab: list[str]) -> Article:
    """One article of about 300 words with 3 speakers quoted and a few technique spans."""
    speakers = rng.sample(SPEAKERS, 3)
    parts: list[str] = []
    statements: list[tuple[str, int, int, int]] = []  # speaker, name start, stmt start, end
    pos = 0
    for k in range(12):
        words = " ".join(rng.choice(vocab) for _ in range(rng.randint(12, 30)))
        if k % 4 == 0:
            name = speakers[k // 4]
            sentence = f"{name} said that {words}."
            statements.append((name, pos, pos + len(name) + 11, pos + len(sentence) - 1))
        else:
            sentence = words.capitalize() + "."
        parts.append(sentence)
        pos += len(sentence) + 1
    text = " ".join(parts)
    art = Article(
        text=text,
        title=" ".join(rng.choice(vocab) for _ in range(6)).capitalize(),
        outlet=rng.choice(OUTLETS),
        source=f"bench/{i}.txt",
    )
    art.published = Published(
        date=date(2020, 1, 1) + timedelta(days=rng.randint(0, 730)), source="header"
    )
    for j, name in enumerate(speakers, start=1):
        cid = f"e{j}"
        mentions = []
        for who, n_start, s_start, s_end in statements:
            if who == name:
                mentions.append(
                    art.add(
                        "entities", art.span(n_start, n_start + len(name), "PERSON", entity=cid)
                    )
                )
                art.add(
                    "attributions",
                    art.span(s_start, s_end, "indirect", speaker=cid, resolution="named"),
                )
        art.clusters.append(
            Cluster(id=cid, label="PERSON", name=name, mentions=mentions, variants={name: 1})
        )
    for _ in range(rng.randint(0, 6)):
        start = rng.randrange(0, len(text) - 20)
        art.add("techniques", art.span(start, start + 15, rng.choice(TECHNIQUES), confidence=0.7))
    art.meta["genre"] = {"label": rng.choice(GENRES)}
    return art.ensure_id()


def fill(store: Store, n: int, seed: int = 7) -> float:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    t0 = time.perf_counter()
    batch: list[Article] = []
    for i in range(n):
        batch.append(make_article(i, rng, vocab))
        if len(batch) == 200:
            store.upsert_many(batch)
            batch = []
    if batch:
        store.upsert_many(batch)
    return time.perf_counter() - t0


def timings(fn: Callable[[int], Any], repeat: int) -> tuple[float, float]:
    fn(0)  # warm caches once, as a running server would be
    samples = []
    for k in range(repeat):
        t0 = time.perf_counter()
        fn(k)
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return statistics.median(samples), p95


def analyse(store: Store) -> None:
    """Refresh planner statistics after the bulk load, as autovacuum does within a minute on
    PostgreSQL (and ``PRAGMA optimize`` on closing a SQLite store); without them the first
    minute of queries on PostgreSQL runs on guessed row counts."""
    if isinstance(store, PostgresStore):
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    elif isinstance(store, SQLiteStore):
        store.db.execute("ANALYZE")


def bench(store: Store, n: int, repeat: int) -> None:
    seconds = fill(store, n)
    print(f"  filled {store.count()} articles in {seconds:.1f} s ({n / seconds:.0f} articles/s)")
    analyse(store)
    rng = random.Random(3)
    vocab = vocabulary(random.Random(7))
    some_ids = [r["id"] for r in store.list_articles(limit=200)[0]]
    cases: dict[str, Callable[[int], Any]] = {
        "stats() (cached)": lambda k: store.stats(),
        # Drop the cache the store keeps between writes: the cost of the first overview
        # after a write.
        "stats() (after a write)": lambda k: (setattr(store, "_stats", None), store.stats()),
        "list_articles(page k)": lambda k: store.list_articles(offset=50 * (k % 20)),
        "list_articles(outlet, dates)": lambda k: store.list_articles(
            outlet=OUTLETS[k % 8], date_from="2020-06-01", date_to="2021-05-31"
        ),
        "search_page(1 common word)": lambda k: store.search_page(vocab[k % 50]),
        "search_page(2 words)": lambda k: store.search_page(
            f"{vocab[k % 50]} {vocab[(k * 7) % 3000]}"
        ),
        "search_page(word, speaker)": lambda k: store.search_page(
            vocab[k % 50], speaker=SPEAKERS[k % 100]
        ),
        "search_page(word, technique, outlet)": lambda k: store.search_page(
            vocab[k % 50], technique=TECHNIQUES[k % 8], outlet=OUTLETS[k % 8]
        ),
        "search_page('', speaker)": lambda k: store.search_page("", speaker=SPEAKERS[k % 100]),
        "span_rows(attributions, entity)": lambda k: store.span_rows(
            "attributions", entity=SPEAKERS[k % 100], limit=500
        ),
        "get(id)": lambda k: store.get(rng.choice(some_ids)),
    }
    print(f"  {'query':40} {'p50 ms':>8} {'p95 ms':>8}")
    for name, fn in cases.items():
        p50, p95 = timings(fn, repeat)
        print(f"  {name:40} {p50:8.1f} {p95:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            print(f"SQLite ({args.articles} articles)")
            store = open_store(str(Path(tmp) / "bench.db"))
            bench(store, args.articles, args.repeat)
            store.close()
    if args.backend in ("postgres", "both"):
        try:
            server = PgServer.start()
        except PgUnavailable as exc:
            print(f"PostgreSQL skipped: {exc}")
            return
        with server:
            print(f"PostgreSQL ({args.articles} articles)")
            store = open_store(server.new_database("bench"))
            bench(store, args.articles, args.repeat)
            store.close()


if __name__ == "__main__":
    main()
