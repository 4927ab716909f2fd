"""`presslens run`, `presslens load` and `presslens analyze --out-parquet` end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.scale import iter_articles
from presslens.scale.output import OutputDir
from presslens.store import open_store

pytestmark = pytest.mark.slow


def run(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def test_run_config_then_load_round_trips_into_sqlite(
    tmp_path: Path, write_jsonl: Callable[..., Path]
) -> None:
    write_jsonl(tmp_path / "news.jsonl", 12)
    (tmp_path / "run.toml").write_text(
        """
[run]
inputs = ["news.jsonl"]
output = "out"
shard_size = 5
stages = ["spacy", "entities", "genre"]

[settings]
batch_size = 4
""",
        encoding="utf-8",
    )
    code, summary = run("run", str(tmp_path / "run.toml"))
    assert code == 0, summary
    assert (summary["shards"], summary["articles"], summary["engine"]) == (3, 12, "local")
    db = tmp_path / "p.db"
    code, loaded = run("load", str(tmp_path / "out"), "--store", str(db))
    assert code == 0 and loaded["counts"] == {"inserted": 12}
    store = open_store(str(db))
    try:
        for art in iter_articles(tmp_path / "out"):
            stored = store.get(art.id)
            assert stored is not None and stored.to_dict() == art.to_dict()
            assert stored.meta["genre"]["label"] in {"reporting", "opinion", "satire"}
    finally:
        store.close()
    code, again = run("load", str(tmp_path / "out"), "--store", str(db))
    assert again["counts"] == {"unchanged": 12}  # loading twice changes nothing
    # The corpus results the web app reads were brought up to date, unless asked not to.
    bare = tmp_path / "bare.db"
    run("load", str(tmp_path / "out"), "--store", str(bare), "--no-corpus")
    for path, built in ((db, True), (bare, False)):
        store = open_store(str(path))
        try:
            assert (store.get_corpus("corpus.entities") is not None) is built
        finally:
            store.close()


def test_analyze_out_parquet_uses_the_local_pool(tmp_path: Path, demo_dir: Path) -> None:
    pipeline = tmp_path / "pipeline.toml"
    pipeline.write_text(
        '[pipeline]\nstages = ["spacy", "entities"]\n'
        '[stages.spacy]\nimpl = "presslens.spacy.v1"\n'
        '[stages.entities]\nimpl = "presslens.entities.v1"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, summary = run(
        "analyze", str(demo_dir), "--workers", "2", "--out-parquet", str(out),
        "--config", str(pipeline), "--store", str(tmp_path / "p.db"),
    )  # fmt: skip
    assert code == 0, summary["errors"]
    assert summary["workers"] == 2 and summary["articles"] >= 6
    assert len(summary["worker_peak_rss_mb"]) >= 1
    assert not (tmp_path / "p.db").exists()  # Parquet instead of the store
    # Each pool worker ran with one BLAS/OpenMP thread and built its pipeline exactly once.
    workers = [m["worker"] for m in OutputDir(out).markers() if m["articles"]]
    assert workers and all(w["omp_threads"] == "1" and w["pipelines"] == 1 for w in workers)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--engine", "dask"), "P702"),  # no --out-parquet
        (("--scheduler", "tcp://127.0.0.1:9"), "P702"),
        (("--out-parquet", "{tmp}/o", "--jsonl", "{tmp}/a.jsonl"), "P702"),  # not written
        (("--out-parquet", "{tmp}/o", "--errors", "{tmp}/e.jsonl"), "P702"),  # was ignored
        (("--out-parquet", "{tmp}/o", "--set-stage", "nope.x=1"), "P400"),  # checked first
    ],
)
def test_cluster_options_without_parquet_output_are_refused(
    tmp_path: Path, demo_dir: Path, args: tuple[str, ...], code: str
) -> None:
    args = tuple(a.format(tmp=tmp_path) for a in args)
    exit_code, out = run("analyze", str(demo_dir), *args, "--no-store")
    assert exit_code == 3 and out["error"]["code"] == code
    assert not (tmp_path / "o").exists()  # nothing was started


def test_bad_run_configs_and_folders_are_clear_errors(tmp_path: Path) -> None:
    cfg = tmp_path / "run.toml"
    cfg.write_text('[run]\ninputs = ["x"]\noutput = "o"\nengin = "dask"\n', encoding="utf-8")
    exit_code, out = run("run", str(cfg))
    assert exit_code == 3 and out["error"]["code"] == "P702" and "engin" in out["error"]["message"]
    exit_code, out = run("load", str(tmp_path), "--store", str(tmp_path / "p.db"))
    assert exit_code == 3 and out["error"]["code"] == "P707"
    broken = tmp_path / "broken"
    (broken / "_done").mkdir(parents=True)
    (broken / "_run.json").write_text("{not json", encoding="utf-8")
    exit_code, out = run("load", str(broken), "--store", str(tmp_path / "p.db"))
    assert exit_code == 3 and out["error"]["code"] == "P707"  # was: 0 articles loaded
    for output in ("", "."):  # the config's own folder, which --force could clear
        cfg.write_text(f'[run]\ninputs = ["x"]\noutput = "{output}"\n', encoding="utf-8")
        exit_code, out = run("run", str(cfg))
        assert exit_code == 3 and out["error"]["code"] == "P702"
        assert "folder of its own" in out["error"]["message"]
