"""``presslens export`` on every backend: each format round-trips what the store holds."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.errors import StoreError
from presslens.export import CSV_COLUMNS, export_store
from presslens.model import Article
from presslens.store import Store, open_store


@pytest.fixture
def filled(store_url: str, article: Callable[..., Article]) -> list[Article]:
    arts = [
        article(
            'Anna Koval said the ferry "will run", 3 km away.\nSecond line, with a comma.',
            title="Ferry, again",
            published=date(2021, 3, 1),
            speakers=[("Anna Koval", "will run")],
            techniques=[("Loaded_Language", "ferry")],
        ),
        article("Weather was calm in Port Elin.", outlet=None, genre=None),
        article("Piet Mor wrote about prices.", outlet="Valley Times", speakers=[]),
    ]
    arts[0].authors = ["A. Writer", "B. Writer"]
    store = open_store(store_url)
    store.upsert_many(arts)
    store.close()
    return arts


def _export(store_url: str, fmt: str, out: Path) -> dict:
    result = CliRunner().invoke(
        main, ["export", "--store", store_url, "--format", fmt, "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_jsonl_export_round_trips_every_article(
    store_url: str, filled: list[Article], tmp_path: Path
) -> None:
    summary = _export(store_url, "jsonl", tmp_path / "a.jsonl")
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    got = {a.id: a for a in (Article.from_json(line) for line in lines)}
    assert got == {a.id: a for a in filled}
    assert summary["articles"] == 3
    assert summary["spans"] == sum(len(s) for a in filled for s in a.layers.values())


def test_csv_export_has_one_row_per_article_with_text_intact(
    store_url: str, filled: list[Article], tmp_path: Path
) -> None:
    _export(store_url, "csv", tmp_path / "a.csv")
    with (tmp_path / "a.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        rows = {r["id"]: r for r in reader}
    assert set(rows) == {a.id for a in filled}
    first = rows[filled[0].id]
    assert first["text"] == filled[0].text  # quotes, comma and newline survive
    assert first["title"] == "Ferry, again" and first["published"] == "2021-03-01"
    assert first["authors"] == "A. Writer; B. Writer" and first["genre"] == "reporting"
    assert int(first["words"]) == len(filled[0].text.split())
    assert rows[filled[1].id]["outlet"] == "" and rows[filled[1].id]["genre"] == ""


def test_parquet_export_spans_match_article_text(
    store_url: str, filled: list[Article], tmp_path: Path
) -> None:
    out = tmp_path / "pq"
    summary = _export(store_url, "parquet", out)
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    spans = pq.read_table(out / "spans.parquet").to_pylist()
    clusters = pq.read_table(out / "clusters.parquet").to_pylist()
    assert summary["articles"] == len(articles) == 3
    assert summary["spans"] == len(spans) == sum(len(s) for a in filled for s in a.layers.values())
    assert summary["clusters"] == len(clusters) == sum(len(a.clusters) for a in filled)
    text = {a["id"]: a["text"] for a in articles}
    for s in spans:
        assert text[s["article_id"]][s["start"] : s["end"]] == s["text"]
    by_id = {a.id: a for a in filled}
    for s in spans:
        original = by_id[s["article_id"]].layers[s["layer"]][s["idx"]]
        assert json.loads(s["attrs"]) == original.attrs and s["label"] == original.label
    first = next(a for a in articles if a["id"] == filled[0].id)
    assert first["published"] == date(2021, 3, 1) and first["authors"] == filled[0].authors
    assert json.loads(first["meta"]) == filled[0].meta
    meta = pq.ParquetFile(out / "spans.parquet").metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"


def test_export_of_an_empty_store_writes_empty_files(store: Store, tmp_path: Path) -> None:
    assert export_store(store, "jsonl", tmp_path / "e.jsonl")["articles"] == 0
    assert (tmp_path / "e.jsonl").read_text() == ""
    summary = export_store(store, "parquet", tmp_path / "pq")
    assert summary["articles"] == 0
    assert pq.read_table(tmp_path / "pq" / "spans.parquet").num_rows == 0


def test_export_to_an_unwritable_place_is_a_store_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        export_store(store, "csv", tmp_path / "missing" / "a.csv")
    assert err.value.code == "P307" and "missing" in str(err.value)
    with pytest.raises(StoreError, match="unknown export format"):
        export_store(store, "xlsx", tmp_path / "a.xlsx")
