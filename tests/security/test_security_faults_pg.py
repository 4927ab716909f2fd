"""Faults during ingest into PostgreSQL: the client killed with -9 mid-run, and the server
crashing and restarting mid-run. After a rerun the database holds exactly what a clean run
stores: no duplicate, no lost and no half-written article."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTICLES = 160
BATCH = 2
FAST = (
    '[pipeline]\nstages = ["spacy", "entities"]\n\n[stages.spacy]\nimpl = "presslens.spacy.v1"\n'
    '\n[stages.entities]\nimpl = "presslens.entities.v1"\n'
)


@pytest.fixture(scope="module")
def pg() -> Iterator[object]:
    from presslens.testing.pgserver import PgServer, PgUnavailable

    try:
        server = PgServer.start(durable=True)  # a killed server keeps acknowledged commits
    except PgUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pgfaults")
    corpus = folder / "corpus"
    corpus.mkdir()
    for i in range(ARTICLES):
        (corpus / f"a{i:04d}.txt").write_text(
            f"Budget vote {i}\n\nThe assembly of Ville{i} approved {i} projects on Monday, "
            f"the speaker said. Critics in Ville{i} objected.\n",
            "utf-8",
        )
    (folder / "fast.toml").write_text(FAST, "utf-8")
    return folder


def analyze(work: Path, url: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from presslens.cli import main; main()",
        "analyze",
        str(work / "corpus"),
        "--store",
        url,
        "--config",
        str(work / "fast.toml"),
        "--set",
        f"batch_size={BATCH}",
        "--errors",
        str(work / f"errors-{time.monotonic_ns()}.jsonl"),
        *extra,
    ]


def snapshot(url: str) -> dict[str, tuple[str, int, int]]:
    import psycopg

    with psycopg.connect(url) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        assert len(ids) == len(set(ids))
        out = {}
        for aid, doc in conn.execute("SELECT id, doc FROM articles").fetchall():
            spans = conn.execute("SELECT count(*) FROM spans WHERE article_id = %s", (aid,))
            clusters = conn.execute("SELECT count(*) FROM clusters WHERE article_id = %s", (aid,))
            data = json.loads(doc)
            data.get("meta", {}).pop("pipeline", None)
            digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
            out[aid] = (digest, spans.fetchone()[0], clusters.fetchone()[0])  # type: ignore[index]
        return out


def count(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
    except psycopg.Error:
        return 0


@pytest.fixture(scope="module")
def clean(pg: object, work: Path) -> dict[str, tuple[str, int, int]]:
    url = pg.new_database("clean")  # type: ignore[attr-defined]
    proc = subprocess.run(analyze(work, url), capture_output=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    found = snapshot(url)
    assert len(found) == ARTICLES and all(s > 0 and c > 0 for _, s, c in found.values())
    return found


def test_kill_9_mid_ingest_into_postgres_then_rerun(
    pg: object, work: Path, clean: dict[str, tuple[str, int, int]]
) -> None:
    url = pg.new_database("kill")  # type: ignore[attr-defined]
    proc = subprocess.Popen(analyze(work, url), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while proc.poll() is None and time.monotonic() < deadline:
        if count(url) >= 20:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    partial = snapshot(url)
    assert 20 <= len(partial) < ARTICLES
    assert all(clean[aid] == row for aid, row in partial.items())  # committed means whole
    rerun = subprocess.run(analyze(work, url), capture_output=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    assert snapshot(url) == clean


def test_postgres_restart_mid_run_is_retried_and_loses_nothing(
    pg: object, work: Path, clean: dict[str, tuple[str, int, int]]
) -> None:
    url = pg.new_database("restart")  # type: ignore[attr-defined]
    proc = subprocess.Popen(analyze(work, url), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    crashed = False
    while proc.poll() is None and time.monotonic() < deadline:
        if count(url) >= 20:
            _crash_and_restart(pg, down=1.5)
            crashed = True
            break
        time.sleep(0.05)
    out, err = proc.communicate(timeout=300)
    assert crashed, "the run ended before the server could be restarted"
    text = (out + err).decode()
    assert "Traceback" not in text, text[-3000:]
    # The store retries a batch whose connection was lost (RETRY_DELAYS, 7.5 s in all), so a
    # server down for 1.5 s costs nothing: the run completes and holds everything once.
    assert proc.returncode == 0, text[-2000:]
    assert snapshot(url) == clean
    rerun = subprocess.run(analyze(work, url), capture_output=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    assert snapshot(url) == clean


def _crash_and_restart(pg: object, *, down: float) -> None:
    """SIGKILL the server's process group (a crash), wait, start it again on the same data."""
    from presslens.testing.pgserver import _run_as

    old = pg.proc  # type: ignore[attr-defined]
    os.killpg(old.pid, signal.SIGKILL)
    old.wait(timeout=30)
    time.sleep(down)
    ids = _run_as()
    kwargs: dict[str, object] = {}
    if ids is not None:
        kwargs = {"user": ids[0], "group": ids[1], "extra_groups": []}
    root = pg.root  # type: ignore[attr-defined]
    with (root / "server.log").open("ab") as log:
        new = subprocess.Popen(
            old.args,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=root,
            start_new_session=True,
            **kwargs,  # type: ignore[arg-type]
        )
    pg.proc = new  # type: ignore[attr-defined]
    pg._wait_ready(60, root / "server.log")  # type: ignore[attr-defined]
