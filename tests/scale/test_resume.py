"""A run killed with SIGKILL mid-way resumes: every article exactly once, nothing half-read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from presslens.readers import read_articles
from presslens.scale import connect, iter_articles, run_scale
from presslens.scale.output import OutputDir
from presslens.settings import Settings

pytestmark = pytest.mark.slow

N_ARTICLES = 300
SHARD_SIZE = 10
#: Kill once this many shards are committed (of 30).
KILL_AFTER = 4
#: Give up waiting for the first shards after this many seconds (a loaded machine is slow).
WAIT_SECONDS = 120


def _config_file(tmp_path: Path, src: Path, out: Path) -> Path:
    cfg = tmp_path / "run.toml"
    cfg.write_text(
        f"""
[run]
inputs = ["{src.name}"]
output = "{out.name}"
engine = "local"
workers = 1
shard_size = {SHARD_SIZE}
stages = ["spacy", "entities"]
""",
        encoding="utf-8",
    )
    return cfg


def test_a_killed_run_resumes_with_every_article_exactly_once(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", N_ARTICLES)
    out = tmp_path / "out"
    cfg = _config_file(tmp_path, src, out)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from presslens.cli import main; main()", "run", str(cfg)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes any child with it
    )
    deadline = time.monotonic() + WAIT_SECONDS
    try:
        while len(OutputDir(out).done_names()) < KILL_AFTER:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the run committed no shard in time"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    committed = OutputDir(out).done_names()
    assert KILL_AFTER <= len(committed) < N_ARTICLES // SHARD_SIZE  # killed mid-way

    # What the readers see now is exactly the committed shards, whatever else is on disk.
    partial = connect(out).execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
    assert partial == (len(committed) * SHARD_SIZE,) * 2
    assert len(list(iter_articles(out))) == len(committed) * SHARD_SIZE

    # Same config in this process: the committed shards are skipped, the rest is done.
    settings = Settings()
    result = run_scale(
        [str(src)], out, config=cheap_config, settings=settings, shard_size=SHARD_SIZE
    )
    assert result.skipped == len(committed)
    assert result.committed == N_ARTICLES // SHARD_SIZE - len(committed)
    expected = sorted(a.id for a in read_articles([str(src)], settings))
    files = OutputDir(out).done_files("articles")
    ids = sorted(pq.read_table([str(p) for p in files]).column("id").to_pylist())
    assert ids == expected  # every article, each exactly once, even in the raw files
    assert connect(out).execute("SELECT count(*) FROM articles").fetchone() == (N_ARTICLES,)
    every_file = sorted(p.name for p in (out / "articles").iterdir())
    assert every_file == sorted(p.name for p in files)  # no leftover temporary file
