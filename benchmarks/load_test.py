"""Load test: the web app serves reads while an ingest writes to the same store.

A store is filled with analysed articles (the demo corpus plus generated ones), ``presslens
serve`` runs on loopback, ``presslens analyze`` writes new articles into the same store at the
same time, and a few concurrent clients send a bounded number of read requests (HTML pages and
their ``.json`` twins, article pages, search). Prints requests, errors (anything but 200),
p50/p95/p99 latency and what the ingest wrote meanwhile::

    python benchmarks/load_test.py                      # SQLite (WAL), 2,000 requests, 4 clients
    python benchmarks/load_test.py --requests 500 --clients 2
    python benchmarks/load_test.py --postgres           # the same against a throwaway PostgreSQL

`make load-test` runs the default. Nothing is downloaded; the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"
TOKEN = "load-test-token-5f0c"
FAST = (
    '[pipeline]\nstages = ["spacy", "entities"]\n\n[stages.spacy]\nimpl = "presslens.spacy.v1"\n'
    '\n[stages.entities]\nimpl = "presslens.entities.v1"\n'
)
TOWNS = ["Port Merrow", "Calder Bay", "Wrenford", "Ashby Vale", "Northgate", "Elm Harbour"]


def presslens(*args: str) -> list[str]:
    return [sys.executable, "-c", "from presslens.cli import main; main()", *args]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def generated(folder: Path, count: int, start: int) -> None:
    """Small, distinct articles (a town, a vote, a speaker) for the store and the ingest."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(start)
    for i in range(start, start + count):
        town = rng.choice(TOWNS)
        (folder / f"gen{i:05d}.txt").write_text(
            f"date 2026-0{1 + i % 9}-1{i % 10}\nsource The {town} Courier\n\n"
            f"{town} council vote {i}\n\n{town} – The council voted {i % 40} to {i % 7} on "
            f"Tuesday to fund project {i}, Mayor Anna Koval said. “We waited {i % 12} years "
            f"for this,” she told reporters.\n",
            "utf-8",
        )


def build_store(work: Path, url: str, articles: int) -> None:
    seed = work / "seed"
    shutil.copytree(DEMO, seed / "demo")
    generated(seed / "gen", articles, 0)
    proc = subprocess.run(
        presslens("analyze", str(seed), "--store", url, "--config", str(work / "fast.toml")),
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"building the store failed:\n{proc.stderr[-2000:]}")


def wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/index.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


def targets(base: str) -> list[str]:
    """Read URLs: every page kind, as HTML and JSON, over articles, entities and stories."""
    ids = [a["id"] for a in httpx.get(base + "/articles.json?per_page=100").json()["articles"]]
    paths = ["/", "/index.json", "/articles", "/articles.json", "/entities.json", "/stories.json"]
    paths += ["/articles.json?page=2", "/search.json?q=council", "/search?q=mayor"]
    paths += [f"/articles/{i}.json" for i in ids[:30]] + [f"/articles/{i}" for i in ids[:10]]
    return [base + p for p in paths]


def client(urls: list[str], count: int, seed: int, out: list[tuple[float, int | str]]) -> None:
    rng = random.Random(seed)
    with httpx.Client(timeout=30) as http:
        for _ in range(count):
            url = rng.choice(urls)
            start = time.perf_counter()
            try:
                status: int | str = http.get(url).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            out.append((time.perf_counter() - start, status))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(args: argparse.Namespace) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="presslens-load-"))
    pg = None
    server = ingest = None
    try:
        (work / "fast.toml").write_text(FAST, "utf-8")
        if args.postgres:
            from presslens.testing.pgserver import PgServer

            pg = PgServer.start()
            url = pg.new_database("load")
        else:
            url = str(work / "load.db")
        print(f"building the store ({args.articles} generated articles + the demo corpus)…")
        build_store(work, url, args.articles)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            presslens("serve", "--store", url, "--port", str(port), "--token", TOKEN),
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_up(base, server)
        urls = targets(base)
        generated(work / "incoming", args.ingest, 100_000)
        ingest = subprocess.Popen(
            presslens(
                "analyze",
                str(work / "incoming"),
                "--store",
                url,
                "--config",
                str(work / "fast.toml"),
                "--set",
                "batch_size=4",
            ),
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        before = httpx.get(base + "/index.json").json()
        results: list[tuple[float, int | str]] = []
        per_client = args.requests // args.clients
        threads = [
            threading.Thread(target=client, args=(urls, per_client, i, results))
            for i in range(args.clients)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        ingest_running = ingest.poll() is None
        ingest.wait(timeout=600)
        after = httpx.get(base + "/index.json").json()
        latencies = [lat for lat, _ in results]
        errors = [s for _, s in results if s != 200]
        return {
            "store": "postgresql" if args.postgres else "sqlite",
            "requests": len(results),
            "clients": args.clients,
            "errors": len(errors),
            "error_kinds": sorted({str(e) for e in errors}),
            "p50_ms": round(1000 * statistics.median(latencies), 1),
            "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
            "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
            "requests_per_s": round(len(results) / elapsed, 1),
            "seconds": round(elapsed, 1),
            "ingest_exit": ingest.returncode,
            "ingest_still_running_when_reads_ended": ingest_running,
            "articles_before": _count(before),
            "articles_after": _count(after),
        }
    finally:
        for proc in (ingest, server):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if pg is not None:
            pg.stop()
        shutil.rmtree(work, ignore_errors=True)


def _count(overview: dict[str, object]) -> object:
    for key in ("articles", "count", "total"):
        if key in overview:
            value = overview[key]
            return value if not isinstance(value, dict) else value.get("total", value)
    stats = overview.get("stats")
    return stats.get("articles") if isinstance(stats, dict) else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--articles", type=int, default=200, help="generated articles to start")
    parser.add_argument("--ingest", type=int, default=1000, help="articles ingested meanwhile")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL store")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args)
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:>40}: {value}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
