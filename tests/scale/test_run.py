"""Scale-out runs in this process (the inline engine): output, resume, dedupe, readers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from presslens.errors import PresslensError
from presslens.model import Article, Cluster, Published
from presslens.readers import read_articles
from presslens.scale import connect, iter_articles, iter_entity_rows, run_scale
from presslens.scale.output import OutputDir
from presslens.scale.schema import ARTICLES, article_from_rows, articles_to_tables
from presslens.settings import Settings

pytestmark = pytest.mark.slow


def _rows(table: Any) -> list[dict[str, Any]]:
    return table.to_pylist()


def test_article_round_trips_through_the_parquet_tables() -> None:
    text = "Anna Lind spoke. Lind left."
    art = Article(text=text, source="x.txt", title="T", outlet="O", url="https://o.example/1")
    art.published = Published(date=date(2026, 3, 1), source="header", raw="2026-03-01")
    art.authors = ["A. Writer"]
    art.meta = {"genre": {"label": "reporting", "scores": {"reporting": 1.0}}, "removed": []}
    art.offset_map = [(0, len(text), 3, 3 + len(text))]
    art.add("entities", art.span(0, 9, "PERSON", entity="e1"))
    art.add("entities", art.span(17, 21, "PERSON", entity="e1"))
    art.layers["timexes"] = []  # an empty layer is kept as a layer
    art.clusters = [
        Cluster(id="e1", label="PERSON", name="Anna Lind", mentions=[0, 1], variants={"Lind": 1})
    ]
    art.ensure_id()
    tables = articles_to_tables([art], "shard-x")
    for name, schema in (("articles", ARTICLES),):
        assert tables[name].schema.equals(schema, check_metadata=False)
    (row,) = _rows(tables["articles"])
    assert row["genre"] == "reporting" and row["words"] == 5
    back = article_from_rows(row, _rows(tables["spans"]), _rows(tables["entities"]))
    assert back.to_dict() == art.to_dict()


def test_run_writes_every_article_once_and_a_rerun_skips_every_shard(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", 30)
    out = tmp_path / "out"
    first = run_scale([str(src)], out, config=cheap_config, shard_size=8)
    assert (first.shards, first.committed, first.skipped, first.articles) == (4, 4, 0, 30)
    con = connect(out)
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (30, 30)
    expected = {a.id for a in read_articles([str(src)], Settings())}
    assert {r[0] for r in con.execute("SELECT id FROM articles").fetchall()} == expected
    people = con.execute("SELECT count(*) FROM entities WHERE label = 'PERSON'").fetchone()
    assert people is not None and people[0] >= 30  # Anna Lind in every article
    again = run_scale([str(src)], out, config=cheap_config, shard_size=8)
    assert (again.committed, again.skipped, again.articles) == (0, 4, 30)


def test_overlapping_inputs_never_duplicate_an_article(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    (tmp_path / "in").mkdir()
    src = write_jsonl(tmp_path / "in" / "news.jsonl", 12)
    copy = tmp_path / "in" / "news-copy.jsonl"  # the same records (same URLs) again
    copy.write_bytes(src.read_bytes())
    out = tmp_path / "out"
    # The folder and a file inside it: the file is planned once; its copy is deduped by id.
    result = run_scale([str(tmp_path / "in"), str(src)], out, config=cheap_config, shard_size=5)
    assert (result.articles, result.duplicates) == (12, 12)
    raw = pq.read_table([str(p) for p in OutputDir(out).done_files("articles")])
    assert raw.num_rows == 12 == len(set(raw.column("id").to_pylist()))
    # A later run over more inputs adds only what is new.
    write_jsonl(tmp_path / "in" / "more.jsonl", 4, start=100)
    more = run_scale([str(tmp_path / "in")], out, config=cheap_config, shard_size=5)
    assert (more.articles, more.new_articles) == (16, 4)


def test_uncommitted_and_half_written_files_are_never_read(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", 10)
    out = tmp_path / "out"
    run_scale([str(src)], out, config=cheap_config, shard_size=5)
    outdir = OutputDir(out)
    victim = sorted(outdir.done_names())[0]
    # What a kill between "table renamed" and "marker written" leaves: files without a marker,
    # here also cut short, plus a temporary file.
    (out / "_done" / f"{victim}.json").unlink()
    path = outdir.table_file("articles", victim)
    path.write_bytes(path.read_bytes()[:100])
    (out / "spans" / f".{victim}.parquet.1234.tmp").write_bytes(b"partial")
    con = connect(out)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (5,)
    assert len(list(iter_articles(out))) == 5
    rerun = run_scale([str(src)], out, config=cheap_config, shard_size=5)
    assert (rerun.committed, rerun.articles) == (1, 10)
    assert not list((out / "spans").glob(".*.tmp"))
    assert connect(out).execute("SELECT count(DISTINCT id) FROM articles").fetchone() == (10,)


def test_a_folder_of_another_pipeline_is_refused_unless_forced(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", 4)
    out = tmp_path / "out"
    run_scale([str(src)], out, config=cheap_config, shard_size=5)
    other = {**cheap_config, "pipeline": {"stages": ["spacy"]}}
    with pytest.raises(PresslensError) as info:
        run_scale([str(src)], out, config=other, shard_size=5)
    assert info.value.code == "P705" and "--force" in (info.value.hint or "")
    forced = run_scale([str(src)], out, config=other, shard_size=5, force=True)
    assert (forced.committed, forced.articles) == (1, 4)
    assert not any(r["label"] for r in iter_entity_rows(out))  # no entities stage now


def test_entity_rows_stream_in_blocks(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", 6)
    out = tmp_path / "out"
    run_scale([str(src)], out, config=cheap_config, shard_size=4)
    rows = list(iter_entity_rows(out, labels=["PERSON"]))
    assert rows and all(r["label"] == "PERSON" for r in rows)
    blocks = [r["block"] for r in rows]
    assert blocks == sorted(blocks) and "PERSON:lind" in blocks
    assert all(isinstance(r["variants"], dict) and r["mentions"] for r in rows)


def test_a_stage_failure_is_recorded_and_the_run_goes_on(
    tmp_path: Path, cheap_config: dict[str, Any]
) -> None:
    src = tmp_path / "news.jsonl"
    src.write_text('{"text": "A fine article about Port Elin."}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_scale([str(src)], out, config=cheap_config, shard_size=5)
    assert result.articles == 1
    assert [e["code"] for e in result.errors] == ["P113"]
    assert (out / "errors.jsonl").read_text(encoding="utf-8").count("P113") == 1


def test_a_lost_shard_is_reported_and_redone_by_the_next_run(
    tmp_path: Path,
    write_jsonl: Callable[..., Path],
    cheap_config: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from presslens.scale import runner, worker

    src = write_jsonl(tmp_path / "news.jsonl", 10)
    out = tmp_path / "out"

    def dies_on_second_shard(task: worker.ShardTask) -> dict[str, Any]:
        if task.shard.index == 1:
            raise MemoryError("worker killed by the OOM killer")
        return worker.run_shard(task)

    monkeypatch.setattr(runner, "run_shard", dies_on_second_shard)
    lost = run_scale([str(src)], out, config=cheap_config, shard_size=5)
    assert (lost.committed, lost.failed_shards, lost.articles) == (1, 1, 5)
    assert [e["code"] for e in lost.errors] == ["P708"]
    monkeypatch.undo()
    again = run_scale([str(src)], out, config=cheap_config, shard_size=5)
    assert (again.skipped, again.committed, again.articles, again.errors) == (1, 1, 10, [])


def test_shard_files_have_the_explicit_schemas(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    from presslens.scale.schema import TABLES

    src = write_jsonl(tmp_path / "news.jsonl", 3)
    out = tmp_path / "out"
    run_scale([str(src)], out, config=cheap_config, shard_size=5)
    for table, schema in TABLES.items():
        (path,) = OutputDir(out).done_files(table)
        meta = pq.ParquetFile(path).metadata
        assert pq.read_schema(path).equals(schema, check_metadata=False)
        assert meta.row_group(0).column(0).compression == "ZSTD"


def test_a_bad_pipeline_fails_before_any_worker_or_folder_is_made(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", 3)
    bad = {**cheap_config, "pipeline": {"stages": ["entities"]}}  # needs spaCy's parse first
    with pytest.raises(PresslensError) as info:
        run_scale([str(src)], tmp_path / "out", config=bad, workers=2)
    assert info.value.code == "P400" and not (tmp_path / "out").exists()


def test_a_missing_model_stops_the_run_at_start_not_article_by_article(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", 3)
    settings = Settings(spacy_model="no_such_model_package_xyz")
    with pytest.raises(PresslensError) as info:
        run_scale([str(src)], tmp_path / "out", config=cheap_config, settings=settings)
    assert info.value.code == "P400" and "not installed" in info.value.message
    assert not OutputDir(tmp_path / "out").done_names()  # nothing committed


@pytest.mark.parametrize("damage", ["missing", "not_parquet", "no_layers_column"])
def test_a_damaged_shard_file_is_reported_and_the_other_shards_load(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any], damage: str
) -> None:
    """A shard file removed, overwritten or rewritten without a column by hand made `load`
    stop with a traceback (FileNotFoundError, ArrowInvalid, KeyError) before the rest."""
    src = write_jsonl(tmp_path / "news.jsonl", 24)
    out = tmp_path / "out"
    run_scale([str(src)], out, config=cheap_config, shard_size=8)
    output = OutputDir(out)
    first = sorted(output.done_names())[0]
    if damage == "missing":
        output.table_file("spans", first).unlink()
    elif damage == "not_parquet":
        output.table_file("entities", first).write_bytes(b"not parquet at all")
    else:
        path = output.table_file("articles", first)
        pq.write_table(pq.read_table(path).drop_columns(["layers"]), path)
    errors: list[dict[str, Any]] = []
    loaded = list(iter_articles(out, errors=errors))
    assert len(loaded) == 16  # the two other shards
    assert errors and {e["code"] for e in errors} == {"P709"}
    assert all(first in (e.get("hint") or "") for e in errors)
    with pytest.raises(PresslensError) as err:
        list(iter_articles(out))
    assert err.value.code == "P709"


def test_an_output_folder_inside_an_input_folder_is_not_read_back(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    """The second run read the first run's Parquet files as inputs: 24 articles became
    hundreds, one junk "article" per span row."""
    data = tmp_path / "data"
    data.mkdir()
    write_jsonl(data / "news.jsonl", 24)
    out = data / "out"
    first = run_scale([str(data)], out, config=cheap_config, shard_size=8)
    second = run_scale([str(data)], out, config=cheap_config, shard_size=8)
    assert first.articles == second.articles == 24
    assert (second.committed, second.skipped) == (0, first.committed)
    assert not second.errors


def test_a_failure_is_listed_once_after_its_input_grew(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    """A grown file makes a new shard beside the old one's marker: errors.jsonl listed the
    old shard's failures as well as the new shard's, the same bad line twice."""
    src = write_jsonl(tmp_path / "news.jsonl", 5)
    with src.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    out = tmp_path / "out"
    first = run_scale([str(src)], out, config=cheap_config, shard_size=50)
    assert [e["code"] for e in first.errors] == ["P113"]
    with src.open("a", encoding="utf-8") as fh:
        fh.write('{"text": "Report 99. Mayor Anna Lind said buses run.", "url": "u:99"}\n')
    second = run_scale([str(src)], out, config=cheap_config, shard_size=50)
    assert [e["code"] for e in second.errors] == ["P113"]
    assert second.articles >= 6
    lines = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1


def test_a_killed_local_worker_is_reported_and_the_next_run_finishes(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    """Killing one pool worker broke the pool: every later submit raised BrokenProcessPool
    and the run ended in a traceback, with no summary and errors.jsonl not written."""
    import multiprocessing
    import os
    import signal

    src = write_jsonl(tmp_path / "news.jsonl", 120)
    out = tmp_path / "out"
    killed: list[int] = []

    def kill_one_worker(done: int, total: int, articles: int) -> None:
        if done >= 1 and not killed:
            child = multiprocessing.active_children()[0]
            assert child.pid is not None
            os.kill(child.pid, signal.SIGKILL)
            killed.append(child.pid)

    first = run_scale(
        [str(src)], out, config=cheap_config, shard_size=4, workers=2, engine="local",
        on_progress=kill_one_worker,
    )  # fmt: skip
    assert killed and first.failed_shards > 0
    assert {e["code"] for e in first.errors} == {"P708"}
    assert (out / "errors.jsonl").is_file()
    second = run_scale([str(src)], out, config=cheap_config, shard_size=4, workers=1)
    assert second.articles == 120 and not second.errors
