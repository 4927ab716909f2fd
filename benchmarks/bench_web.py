"""Web app latency with a large store: p50/p95 of the overview, article, entity, search and
numbers pages.

Fills a SQLite store with synthetic articles — copies of the analysed demo corpus with new ids,
outlets and dates (no spaCy per copy) — builds the corpus results, starts ``presslens serve``
in its own process and times HTML page requests one at a time from this process. Target: p95
under 300 ms for each page with 10,000 articles.

    python benchmarks/bench_web.py                 # 10,000 articles (make bench-web)
    python benchmarks/bench_web.py --articles 2000 --requests 40
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from presslens.model import Article, Published
from presslens.run import analyze_corpus
from presslens.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"
OUTLETS = [f"Bench Outlet {i:02d}" for i in range(25)]
SEARCH_WORDS = ["ferry", "radar", "minister", "harbour", "report", "inquiry", "budget", "tram"]
TARGET_MS = 300.0
#: Filters of the timed /numbers requests (a scan by counted words, a source, the unsourced).
NUMBER_FILTERS = ["", "counted=dead", "counted=people", "cited=Varga", "sourced=no", "kind=money"]


def base_articles(base: str | None, tmp: Path) -> list[Article]:
    """The analysed demo articles (analysed now, or read from an existing store)."""
    if base is None:
        store = open_store(str(tmp / "base.db"))
        result = analyze_corpus([str(DEMO)], store=store)
        if result.errors:
            sys.exit(f"analysing the demo corpus failed: {result.errors[0]}")
    else:
        store = open_store(base)
    try:
        articles = list(store.articles())
    finally:
        store.close()
    if not articles:
        sys.exit("no base articles")
    return articles


def fill(path: Path, base: list[Article], n: int) -> float:
    """Write ``n`` copies of the base articles with new ids, outlets and dates."""
    start = time.perf_counter()
    store = open_store(str(path))
    day0 = date(2024, 1, 1)
    batch: list[Article] = []
    try:
        for i in range(n):
            src = base[i % len(base)]
            art = src.model_copy(deep=True)
            art.source = f"bench:{i}"
            art.url = None
            art.outlet = OUTLETS[(i * 7) % len(OUTLETS)]
            art.title = f"{src.title or 'Untitled'} (#{i})"
            art.published = Published(date=day0 + timedelta(days=(i * 13) % 730), source="header")
            art.id = Article.make_id(art.source, art.text)
            batch.append(art)
            if len(batch) == 500:
                store.upsert_many(batch)
                batch = []
        if batch:
            store.upsert_many(batch)
        count = store.count()
    finally:
        store.close()
    if count != n:
        sys.exit(f"expected {n} articles in the store, found {count}")
    return time.perf_counter() - start


def build_corpus(path: Path) -> float | None:
    """Entities and stories (the corpus stages), when this presslens has them."""
    try:
        from presslens.corpus import update_corpus
    except ImportError:
        return None
    start = time.perf_counter()
    store = open_store(str(path))
    try:
        update_corpus(store)
    finally:
        store.close()
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(path: Path, port: int) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("presslens")
    proc = subprocess.Popen(
        [str(exe), "serve", "--store", str(path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("the server did not start within 60 s")


def timed(client: httpx.Client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        sys.exit(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page type")
    parser.add_argument("--base", help="take the analysed articles from this store")
    parser.add_argument("--keep", help="build the big store here (reused when it exists)")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="presslens-bench-web-") as tmpdir:
        tmp = Path(tmpdir)
        base = base_articles(args.base, tmp)
        path = Path(args.keep) if args.keep else tmp / "bench.db"
        fill_s = corpus_s = None
        if not path.exists():
            fill_s = fill(path, base, args.articles)
            corpus_s = build_corpus(path)
        port = free_port()
        proc = start_server(path, port)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                ids = [
                    r["id"] for r in client.get("/articles.json?per_page=100").json()["articles"]
                ]
                ids += [
                    r["id"]
                    for r in client.get("/articles.json?per_page=100&page=40").json()["articles"]
                ]
                entities = [e["id"] for e in client.get("/entities.json").json()["entities"][:40]]
                pages = {
                    "overview": lambda: "/",
                    "article": lambda: f"/articles/{rng.choice(ids)}",
                    "entity": lambda: f"/entities/{rng.choice(entities)}",
                    "search": lambda: (
                        f"/search?q={rng.choice(SEARCH_WORDS)}&page={rng.randint(1, 5)}"
                    ),
                    "numbers": lambda: (
                        f"/numbers?{rng.choice(NUMBER_FILTERS)}&page={rng.randint(1, 5)}"
                    ),
                }
                for make in pages.values():  # warm caches and the thread pool
                    for _ in range(3):
                        timed(client, make())
                results = {
                    name: [timed(client, make()) for _ in range(args.requests)]
                    for name, make in pages.items()
                }
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    built = "reused" if fill_s is None else f"written in {fill_s:.1f} s"
    if corpus_s is not None:
        built += f"; corpus results built in {corpus_s:.1f} s"
    print(
        f"store: {args.articles:,} articles (copies of {len(base)} analysed demo articles), {built}"
    )
    print(
        f"{'page':<10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95 < {TARGET_MS:.0f} ms"
    )
    ok = True
    for name, values in results.items():
        p95 = percentile(values, 0.95)
        ok &= p95 < TARGET_MS
        print(
            f"{name:<10} {statistics.median(values):8.1f} {p95:8.1f} {max(values):8.1f}"
            f"  {'ok' if p95 < TARGET_MS else 'SLOW'}"
        )
    print(
        f"{args.requests} requests per page, one at a time, on {os.cpu_count()} cores: "
        + ("all pages meet the target" if ok else "some pages miss the target")
    )


if __name__ == "__main__":
    main()
