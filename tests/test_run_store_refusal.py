"""A store that refuses every write (full disk, lost server) stops the run once, clearly."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from presslens.errors import StoreError
from presslens.run import MAX_REFUSED_BATCHES, analyze_corpus
from presslens.settings import Settings
from presslens.store import open_store

CONFIG = tomllib.loads(
    '[pipeline]\nstages = ["spacy", "entities"]\n\n[stages.spacy]\nimpl = "presslens.spacy.v1"\n'
    '\n[stages.entities]\nimpl = "presslens.entities.v1"\n'
)


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:02d}.txt").write_text(
            f"Harbour note {i}\n\nThe harbour in Port Merrow handled {i + 3} ships on day {i}.\n",
            encoding="utf-8",
        )
    return folder


def test_a_store_refusing_every_batch_stops_the_run_with_one_error(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 12)
    store = open_store(str(tmp_path / "s.db"))
    store.db.execute("PRAGMA query_only = ON")  # type: ignore[attr-defined]  # writes now fail
    errors = tmp_path / "errors.jsonl"
    with pytest.raises(StoreError) as caught:
        analyze_corpus(
            [str(corpus)],
            store=store,
            config=CONFIG,
            settings=Settings(batch_size=2),
            errors_path=errors,
        )
    message = str(caught.value)
    assert f"refused {MAX_REFUSED_BATCHES} batches in a row" in message
    assert "0 of 12 articles" in message and "run the same command again" in message
    # what was refused before the stop is still reported, article by article
    records = [json.loads(line) for line in errors.read_text().splitlines()]
    assert len(records) == MAX_REFUSED_BATCHES * 2
    assert {r["stage"] for r in records} == {"store"}
    store.db.execute("PRAGMA query_only = OFF")  # type: ignore[attr-defined]
    assert store.count() == 0
    store.close()
