"""Workers read their own shards and write their own tables; the driver only commits markers."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from presslens.scale import run_scale
from presslens.scale.ids import IdSet, known_mask, load_known, save_known
from presslens.scale.output import KNOWN_FILE, OutputDir
from presslens.scale.plan import plan_shards
from presslens.scale.runner import run_fingerprint
from presslens.scale.worker import ShardTask, run_shard
from presslens.settings import Settings

pytestmark = pytest.mark.slow


def _long_articles(path: Path, n: int, words: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Report {i}. " + " ".join(f"word{j % 97}" for j in range(words))
            fh.write(json.dumps({"text": text, "url": f"https://long.example/{i}"}) + "\n")
    return path


def test_only_the_shard_descriptor_travels_to_the_worker(
    tmp_path: Path, cheap_config: dict[str, Any]
) -> None:
    src = _long_articles(tmp_path / "long.jsonl", 10, 5_000)  # about 300 KB of text
    (shard,) = plan_shards([str(src)], shard_size=10).shards
    task = ShardTask(str(tmp_path / "out"), shard, cheap_config, Settings(), "fp")
    assert src.stat().st_size > 250_000
    assert len(pickle.dumps(task)) < 5_000  # the articles are read by the worker, not sent


def test_a_worker_writes_tables_but_only_the_marker_commits_the_shard(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", 6)
    out = OutputDir(tmp_path / "out")
    out.prepare({"fingerprint": run_fingerprint(cheap_config, Settings())})
    (shard,) = plan_shards([str(src)], shard_size=10).shards
    manifest = run_shard(ShardTask(str(out.path), shard, cheap_config, Settings(), "fp"))
    assert manifest["articles"] == 6 == len(manifest["ids"]) and manifest["cpu_seconds"] > 0
    assert out.table_file("articles", shard.name).is_file()
    assert not out.done_names()  # written, not committed: readers and resumes ignore it
    # A run now redoes the shard (its files are overwritten) and commits it once.
    result = run_scale([str(src)], out.path, config=cheap_config, shard_size=10)
    assert (result.committed, result.articles) == (1, 6)


def test_a_later_run_skips_known_articles_in_the_worker_before_analysing_them(
    tmp_path: Path,
    write_jsonl: Callable[..., Path],
    cheap_config: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", 8)
    out = tmp_path / "out"
    run_scale([str(first)], out, config=cheap_config, shard_size=20)
    # A new file holding the same 8 records and 3 new ones: a new shard.
    grown = tmp_path / "b.jsonl"
    grown.write_bytes(first.read_bytes())
    write_jsonl(tmp_path / "c.jsonl", 3, start=50)
    with grown.open("ab") as fh:
        fh.write((tmp_path / "c.jsonl").read_bytes())

    def no_rewrite(self: OutputDir, shard: str, ids: set[str]) -> int:
        raise AssertionError("known articles must be skipped by the worker, not dropped later")

    monkeypatch.setattr(OutputDir, "drop_articles", no_rewrite)
    again = run_scale([str(grown)], out, config=cheap_config, shard_size=20)
    assert (again.new_articles, again.duplicates, again.articles) == (3, 8, 11)
    (marker,) = [m for m in OutputDir(out).markers() if m["duplicates"]]
    assert marker["articles"] == 3 and marker["duplicates"] == 8
    assert (out / KNOWN_FILE).is_file()


def test_an_article_two_shards_held_at_once_is_dropped_from_every_table(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", 5)
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(src.read_bytes())
    out = tmp_path / "out"
    result = run_scale([str(src), str(copy)], out, config=cheap_config, shard_size=5)
    assert (result.articles, result.duplicates, result.committed) == (5, 5, 2)
    done = OutputDir(out)
    for table, column in (("articles", "id"), ("spans", "article_id"), ("entities", "article_id")):
        ids = pq.read_table([str(p) for p in done.done_files(table)]).column(column).to_pylist()
        assert ids and len(set(ids)) == 5  # every article in one shard's rows only
        per_shard = [
            set(pq.read_table(p).column(column).to_pylist()) for p in done.done_files(table)
        ]
        assert sum(bool(s) for s in per_shard) == 1
    markers = sorted(done.markers(), key=lambda m: m["articles"])
    assert [(m["articles"], m["words"] > 0) for m in markers] == [(0, False), (5, True)]


def test_known_ids_round_trip_through_the_mapped_file(tmp_path: Path) -> None:
    ids = IdSet()
    ids.update(["00000000000000ff", "a1b2c3d4e5f60708", "custom-id"])
    path = tmp_path / "known.npy"
    save_known(ids, path)
    known = load_known(str(path))
    assert isinstance(known, np.memmap) and len(known) == 3
    probe = ["a1b2c3d4e5f60708", "custom-id", "0000000000000000", "ffffffffffffffff"]
    assert known_mask(known, probe) == [True, True, False, False]
    assert known_mask(known, []) == []
