"""Faults during ingest into SQLite: kill -9 mid-run, then rerun; the disk filling up.

Each scenario runs ``presslens analyze`` in a subprocess with a fast pipeline (the spaCy stage
only) and compares the store it leaves with a clean run: no duplicate, no lost and no
half-written article (every stored article has exactly the spans, clusters and full-text row
a clean run gives it), and the database passes SQLite's integrity check.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from presslens.store.sqlite import SQLiteStore

#: spaCy and the entity stage: fast, and every article gets indexed spans and clusters.
FAST = (
    '[pipeline]\nstages = ["spacy", "entities"]\n\n[stages.spacy]\nimpl = "presslens.spacy.v1"\n'
    '\n[stages.entities]\nimpl = "presslens.entities.v1"\n'
)
ARTICLES = 240
BATCH = 2


def presslens_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from presslens.cli import main; main()", *args]


def analyze_cmd(corpus: Path, db: Path, *extra: str) -> list[str]:
    """`presslens analyze` of ``corpus`` into ``db`` with the fast config (in the cwd)."""
    return presslens_cmd(
        "analyze",
        str(corpus),
        "--store",
        str(db),
        "--config",
        "fast.toml",
        "--set",
        f"batch_size={BATCH}",
        *extra,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for i in range(ARTICLES):
        (folder / f"a{i:04d}.txt").write_text(
            f"Council vote {i}\n\nThe council of Town{i} voted {i} to {i + 3} on Tuesday, "
            f"the mayor said. Residents of Town{i} welcomed the plan.\n",
            "utf-8",
        )
    return folder


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """What a clean, uninterrupted run stores for each article."""
    folder = tmp_path_factory.mktemp("clean")
    (folder / "fast.toml").write_text(FAST, "utf-8")
    path = folder / "clean.db"
    proc = subprocess.run(
        analyze_cmd(corpus, path),
        cwd=folder,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    found = snapshot(path)
    assert len(found) == ARTICLES
    assert all(spans > 0 and clusters > 0 for _, spans, clusters, _ in found.values())
    return found


def snapshot(path: Path) -> dict[str, tuple]:
    """Per stored article: content hash and how many spans, clusters and FTS rows it has."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r[0] for r in db.execute("SELECT id FROM articles")]
        assert len(ids) == len(set(ids))
        fts_cols = {r[1] for r in db.execute("PRAGMA table_info(articles_fts)")}
        if "article_id" in fts_cols:
            fts = "SELECT COUNT(*) FROM articles_fts WHERE article_id = ?"
        else:  # keyed by article_keys.n since migration 004
            fts = (
                "SELECT COUNT(*) FROM articles_fts WHERE rowid IN "
                "(SELECT n FROM article_keys WHERE article_id = ?)"
            )
        queries = (
            "SELECT COUNT(*) FROM spans WHERE article_id = ?",
            "SELECT COUNT(*) FROM clusters WHERE article_id = ?",
            fts,
        )
        out = {}
        for aid, doc in db.execute("SELECT id, doc FROM articles").fetchall():
            counts = tuple(db.execute(q, (aid,)).fetchone()[0] for q in queries)
            out[aid] = (_digest(doc), *counts)
        orphans = db.execute(
            "SELECT COUNT(*) FROM spans WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0
        return out
    finally:
        db.close()


def _digest(doc: str) -> str:
    """The stored article without ``meta.pipeline``: that fingerprint hashes the package's
    code, which may legitimately differ between two runs of a tree being edited."""
    data = json.loads(doc)
    data.get("meta", {}).pop("pipeline", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def count(path: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def run_until(
    cmd: list[str], cwd: Path, stop: Callable[[], bool], *, limit: float = 240
) -> subprocess.Popen[bytes]:
    """Start ``cmd`` and SIGKILL it as soon as ``stop()`` holds (polled every 20 ms)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        if stop():
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.communicate(timeout=60)
    return proc


def test_kill_9_mid_ingest_then_rerun_loses_and_duplicates_nothing(
    corpus: Path, clean: dict[str, tuple], tmp_path: Path
) -> None:
    (tmp_path / "fast.toml").write_text(FAST, "utf-8")
    db = tmp_path / "store.db"
    proc = run_until(analyze_cmd(corpus, db), tmp_path, lambda: count(db) >= 20)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    after_kill = snapshot(db)  # opens, integrity ok, no duplicate
    assert 20 <= len(after_kill) < ARTICLES
    for aid, row in after_kill.items():  # what was committed is whole
        assert row == clean[aid]

    rerun = subprocess.run(
        analyze_cmd(corpus, db, "--json"),
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    assert snapshot(db) == clean  # nothing lost, nothing twice, nothing half-written
    assert b'"unchanged"' in rerun.stdout or b"unchanged" in rerun.stdout


def _disk_full_check(db: Path, proc: subprocess.CompletedProcess[bytes], clean: dict) -> str:
    out = (proc.stdout + proc.stderr).decode()
    assert proc.returncode in (1, 3), out[-2000:]  # some inputs failed / fatal: never a crash
    assert "Traceback" not in out
    # SQLite says "database or disk is full" (ENOSPC) or "disk I/O error" (EFBIG); the hint
    # names disk space either way
    assert "disk" in out.lower() and "Check disk space" in out, out[-2000:]
    _check_store(db, clean)
    return out


def _check_store(db: Path, clean: dict) -> None:
    stored = snapshot(db)  # the store opens and passes the integrity check
    for aid, row in stored.items():
        assert row == clean[aid]
    store = SQLiteStore(db)  # and presslens itself still opens and reads it
    try:
        assert store.count() == len(stored)
        for aid in list(stored)[:5]:
            art = store.get(aid)
            assert art is not None
            art.check()
    finally:
        store.close()


def test_file_size_limit_on_the_store_is_a_clear_error(
    corpus: Path, clean: dict[str, tuple], tmp_path: Path
) -> None:
    """RLIMIT_FSIZE makes every write past 400 KB fail with EFBIG, as a full disk would."""
    (tmp_path / "fast.toml").write_text(FAST, "utf-8")
    db = tmp_path / "store.db"
    limit = 400_000

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(
        analyze_cmd(corpus, db),
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        check=False,
        preexec_fn=limit_files,  # only resource limits, set before exec
    )
    _disk_full_check(db, proc, clean)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_full_tmpfs_under_the_store_is_a_clear_error(
    corpus: Path, clean: dict[str, tuple], tmp_path: Path
) -> None:
    mnt = tmp_path / "small"
    mnt.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mnt)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        (tmp_path / "fast.toml").write_text(FAST, "utf-8")
        db = mnt / "store.db"
        proc = subprocess.run(
            analyze_cmd(corpus, db, "--errors", str(tmp_path / "errors.jsonl")),
            cwd=tmp_path,
            capture_output=True,
            timeout=300,
            check=False,
        )
        _disk_full_check(db, proc, clean)
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
