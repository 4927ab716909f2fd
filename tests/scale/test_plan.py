"""Shard planning and shard reading: no analysis, so these are fast."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from presslens.errors import InputError
from presslens.readers import read_articles
from presslens.scale.plan import plan_shards
from presslens.scale.read import read_shard
from presslens.settings import Settings


def _read_all(inputs: list[str], shard_size: int) -> list[tuple[str, str, str]]:
    plan = plan_shards(inputs, shard_size=shard_size)
    assert not plan.errors
    got = []
    for shard in plan.shards:
        articles, errors = read_shard(shard, Settings())
        assert not errors
        got.extend((a.id, a.source, a.text) for a in articles)
    return got


@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_line_ranges_read_the_same_articles_as_the_whole_file(
    tmp_path: Path, gz: bool, write_jsonl: Callable[..., Path]
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", 23)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n")  # a blank line inside a range is skipped but counted
    write_jsonl(tmp_path / "b.jsonl", 3, start=100)
    path.write_text(path.read_text() + (tmp_path / "b.jsonl").read_text())
    if gz:
        gz_path = tmp_path / "a.jsonl.gz"
        gz_path.write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
        path = gz_path
    plan = plan_shards([str(path)], shard_size=5)
    assert len(plan.shards) == 6  # 27 lines in ranges of 5
    assert len({s.name for s in plan.shards}) == 6
    whole = [(a.id, a.source, a.text) for a in read_articles([str(path)], Settings())]
    assert _read_all([str(path)], 5) == whole
    assert whole[-1][1].endswith(":27")  # line numbers stay exact across ranges


def test_single_article_files_are_grouped_and_plans_are_stable(
    tmp_path: Path, demo_dir: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(demo_dir, corpus)
    first = plan_shards([str(corpus)], shard_size=4)
    kinds = [[p.kind for p in s.pieces] for s in first.shards]
    assert kinds[0] == ["file"] * 4  # six text/HTML files: 4 + 2, then the JSONL range
    assert kinds[1] == ["file"] * 2
    assert kinds[2] == ["jsonl"]
    again = plan_shards([str(corpus)], shard_size=4)
    assert [s.name for s in again.shards] == [s.name for s in first.shards]
    (corpus / "01_courier_ferry_report.txt").write_text("date 2026-01-01\n\nChanged text.\n")
    changed = plan_shards([str(corpus)], shard_size=4)
    assert changed.shards[0].name != first.shards[0].name  # a changed input is a new shard
    assert changed.shards[2].name == first.shards[2].name


def test_parquet_article_shards_read_like_the_same_jsonl_records(
    tmp_path: Path, write_jsonl: Callable[..., Path]
) -> None:
    jsonl = write_jsonl(tmp_path / "news.jsonl", 12)
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    parquet = tmp_path / "news.parquet"
    pq.write_table(pa.Table.from_pylist(records), parquet, row_group_size=5)
    plan = plan_shards([str(parquet)], shard_size=5)
    assert [(p.first, p.end) for s in plan.shards for p in s.pieces] == [(1, 6), (6, 11), (11, 13)]
    from_parquet = _read_all([str(parquet)], 5)
    from_jsonl = _read_all([str(jsonl)], 5)
    assert [t for _, _, t in from_parquet] == [t for _, _, t in from_jsonl]
    assert from_parquet[0][1] == f"{parquet}:row 1"
    assert len({i for i, _, _ in from_parquet}) == 12


def test_a_parquet_file_without_the_text_column_is_reported(tmp_path: Path) -> None:
    parquet = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pylist([{"body": "Some text."}]), parquet)
    (shard,) = plan_shards([str(parquet)], shard_size=5).shards
    articles, errors = read_shard(shard, Settings())
    assert not articles
    assert [e.code for e in errors] == ["P704"] and "text_field=body" in (errors[0].hint or "")


def test_missing_paths_and_corrupt_parquet_are_plan_errors(tmp_path: Path) -> None:
    (tmp_path / "cut.parquet").write_bytes(b"PAR1 not really")
    plan = plan_shards(
        [str(tmp_path / "nope.txt"), str(tmp_path / "*.none"), str(tmp_path / "cut.parquet")],
        shard_size=5,
    )
    assert not plan.shards
    assert [e.code for e in plan.errors] == ["P101", "P102", "P704"]
    assert all(isinstance(e, InputError) and e.where for e in plan.errors)


def test_a_gzip_bomb_in_a_jsonl_shard_is_the_readers_p125_error(tmp_path: Path) -> None:
    record = json.dumps({"id": "a1", "text": "A ferry docked at noon. " * 5})
    path = tmp_path / "bomb.jsonl.gz"
    # one good record, then 12 MB of blanks that compress to a few KB
    path.write_bytes(gzip.compress((record + "\n").encode() + b" " * 12_000_000))
    plan = plan_shards([str(path)], shard_size=50)
    errors = list(plan.errors)
    for shard in plan.shards:
        errors.extend(read_shard(shard, Settings())[1])
    assert any(e.code == "P125" and "decompression limit" in e.message for e in errors), errors


def test_planner_walks_looping_folder_links_once_and_reports_broken_ones(
    tmp_path: Path,
) -> None:
    """The planner shares the readers' folder walk: a link back up the tree plans its files
    once, and a link onto itself is an error of its own, not a crash of the plan."""
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (inner / "x.txt").write_text("The council met on Tuesday.\n", "utf-8")
    (inner / "up").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "a" / "self.jsonl").symlink_to(tmp_path / "a" / "self.jsonl")
    plan = plan_shards([str(tmp_path)], shard_size=10)
    planned = [piece.path for shard in plan.shards for piece in shard.pieces]
    assert planned == [str(inner / "x.txt")]
    assert [(e.code, Path(e.where or "").name) for e in plan.errors] == [("P103", "self.jsonl")]


@pytest.mark.parametrize("name", ["export.json", "export.json.gz", "lines.json"])
def test_scale_plan_reads_a_json_file_as_one_shard(tmp_path: Path, name: str) -> None:
    stories = [{"text": f"Story {n} about the ferry."} for n in range(5)]
    if name == "lines.json":  # JSON Lines in disguise: still not cut into line ranges
        data = "".join(json.dumps(r) + "\n" for r in stories).encode()
    else:
        data = json.dumps(stories).encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    plan = plan_shards([str(tmp_path)], shard_size=2)
    assert not plan.errors
    ((shard),) = plan.shards
    assert [(p.path, p.kind) for p in shard.pieces] == [(str(path), "file")]
    articles, errors = read_shard(shard, Settings())
    assert errors == [] and [a.text for a in articles] == [s["text"] for s in stories]
