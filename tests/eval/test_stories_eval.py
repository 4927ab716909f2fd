"""Story-clustering scorer: B³ and pairwise metrics, the ECB+ reader, the baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.eval.stories import (
    b_cubed,
    baseline_agglomerative,
    eval_stories,
    pairwise,
    read_ecbplus,
)
from presslens.settings import Settings

ECBPLUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ecbplus"


def test_b_cubed_by_hand() -> None:
    gold = ["a", "a", "a", "b", "b"]
    assert b_cubed(gold, gold)["f1"] == 1.0
    # one cluster for everything: precision (3*3/5 + 2*2/5)/5 = 13/25, recall 1
    allin = b_cubed(["x"] * 5, gold)
    assert allin["precision"] == pytest.approx(13 / 25) and allin["recall"] == 1.0
    # singletons: precision 1, recall (3*1/3 + 2*1/2)/5 = 2/5
    single = b_cubed(["1", "2", "3", "4", "5"], gold)
    assert single["precision"] == 1.0 and single["recall"] == pytest.approx(0.4)


def test_pairwise_by_hand() -> None:
    gold = ["a", "a", "a", "b", "b"]
    # pred pairs (0,1) (2,3) (2,4) (3,4); of these (0,1) and (3,4) are gold pairs; gold has
    # four pairs: (0,1) (0,2) (1,2) (3,4)
    r = pairwise(["p", "p", "q", "q", "q"], gold)
    assert r["precision"] == pytest.approx(2 / 4) and r["recall"] == pytest.approx(2 / 4)


def test_baseline_separates_distinct_vocabularies() -> None:
    docs = [
        {"terms": {"ferry": 3, "collision": 2, "fog": 1, "dredger": 2}},
        {"terms": {"ferry": 2, "collision": 1, "dredger": 1, "harbour": 1}},
        {"terms": {"bank": 2, "rate": 3, "inflation": 1, "forecast": 1}},
        {"terms": {"bank": 1, "rate": 2, "inflation": 2, "governor": 1}},
    ]
    labels = baseline_agglomerative(docs, threshold=0.8)
    assert labels[0] == labels[1] != labels[2] == labels[3]


@pytest.mark.slow
def test_ecbplus_reader_and_a_small_scored_run(tmp_path: Path) -> None:
    if not ECBPLUS.is_dir():
        pytest.skip(f"ECB+ not found at {ECBPLUS} (../shared is absent)")
    docs = read_ecbplus(ECBPLUS)
    topics = {d["topic"] for d in docs}
    assert 15 not in topics and 17 not in topics and max(topics) <= 35
    assert {d["story"].split("_")[1] for d in docs} == {"ecb", "ecbplus"}
    assert not any(d["text"].startswith("http") for d in docs)
    cache = tmp_path / "cache.jsonl"
    report = eval_stories(ECBPLUS, Settings(), limit=12, cache=cache)
    assert report["documents"] == 12 and cache.is_file()
    for system in ("presslens", "baseline"):
        s = report["all"][system]
        assert 0.0 < s["b3"]["f1"] <= 1.0 and 0.0 <= s["pairwise"]["f1"] <= 1.0
    again = eval_stories(ECBPLUS, Settings(), limit=12, cache=cache)
    assert again["all"] == report["all"]
