"""Cross-outlet number matching scored on annotated ECB+ pairs: the scorer by hand, the gold
file's checks, the ECB+ rebuild of split numbers, and a small real run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.errors import InputError
from presslens.eval.figures import load_gold, score_pairs
from presslens.eval.stories import _detok
from presslens.settings import Settings

ECBPLUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ecbplus"


def _gold(a: tuple[str, int, int], b: tuple[str, int, int], label: str, **kw: object) -> dict:
    row = {"story": "1_ecb", "stratum": "key", "weight": 1.0, "a": list(a), "b": list(b)}
    return row | {"label": label} | kw


def test_precision_by_match_and_disagreement_and_weighted_recall_by_hand() -> None:
    n = [("d1", 0, 2), ("d2", 5, 7), ("d3", 9, 11), ("d4", 1, 3), ("d5", 4, 6)]
    gold = [
        _gold(n[0], n[1], "same"),  # grouped by key, values agree: right
        _gold(n[0], n[2], "different"),  # grouped by key, said to disagree: a false alarm
        _gold(n[1], n[2], "same", stratum="clause"),  # grouped by clause: right
        _gold(n[3], n[4], "same", stratum="ungrouped_close", weight=10.0),  # missed
        _gold(n[0], ("d9", 0, 1), "same"),  # its number is gone from the analysis
    ]
    system = {
        (n[0], n[1]): {"match": "key", "disagree": False},
        (n[0], n[2]): {"match": "key", "disagree": True},
        (n[1], n[2]): {"match": "clause", "disagree": False},
    }
    report = score_pairs(gold, system, found=set(n))
    p = report["precision"]
    assert (p["all"]["pairs"], p["all"]["same"]) == (3, 2)
    assert p["key"]["precision"] == 0.5 and p["clause"]["precision"] == 1.0
    assert (p["disagree"]["pairs"], p["disagree"]["same"]) == (1, 0)
    # recall over the weights: grouped same pairs weigh 1 + 1, the missed one 10
    assert report["recall_estimate"] == pytest.approx(2 / 12, abs=1e-4)
    assert report["missing"] == 1 and report["scored"] == 4 and report["gold_same"] == 3
    assert report["wrong_examples"] == [{"a": list(n[0]), "b": list(n[2]), "match": "key"}]
    assert 0.0 <= p["all"]["interval"]["low"] <= p["all"]["interval"]["high"] <= 1.0


def test_the_shipped_gold_file_loads_and_a_bad_one_is_named(tmp_path: Path) -> None:
    gold = load_gold()
    assert len(gold) >= 250
    assert {r["label"] for r in gold} == {"same", "different"}
    assert {r["stratum"] for r in gold} >= {"key", "clause", "ungrouped_close", "ungrouped_far"}
    assert all(r["a"][0] != r["b"][0] and r["weight"] >= 1 for r in gold)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(gold[0]) + "\n" + '{"a": [1]}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_gold(bad)
    assert "line 2" in err.value.message and err.value.where == str(bad)


def test_ecbplus_rebuild_joins_the_numbers_its_tokens_split() -> None:
    def rebuilt(spaced: str) -> str:
        return _detok(spaced.split(" "))

    assert rebuilt("killed more than 31 , 000 in 2003 , 600 in Zarand , a 6 . 4 magnitude") == (
        "killed more than 31,000 in 2003, 600 in Zarand, a 6.4 magnitude"
    )
    assert (
        rebuilt("By 6 : 40 a . m . the 16 - year - old boy") == "By 6:40 a.m. the 16-year-old boy"
    )
    # a dash between words stays a dash
    assert rebuilt("the escape - was it planned") == "the escape - was it planned"


@pytest.mark.slow
def test_a_small_real_run_finds_every_gold_number(tmp_path: Path) -> None:
    """Two ECB+ stories analysed now: every gold number is still where the gold says (a
    change to the rebuild, the normaliser or the quantities stage that moves them fails
    here, and the gold must be drawn again)."""
    if not ECBPLUS.is_dir():
        pytest.skip(f"ECB+ not found at {ECBPLUS} (../shared is absent)")
    from presslens.eval.figures import eval_figures

    report = eval_figures(ECBPLUS, Settings(), limit=2)
    assert report["stories"] == 2 and report["documents"] > 5
    assert report["missing"] == 0 and report["scored"] > 0
    assert report["precision"]["all"]["pairs"] > 0
    res = CliRunner().invoke(
        main, ["eval", "figures", "--data", str(ECBPLUS), "--limit", "1", "--split", "train"]
    )
    assert res.exit_code == 0, res.output
    assert "said to disagree" in res.output or "by key" in res.output


def test_precision_over_strata_drawn_at_different_rates_is_weighted() -> None:
    """A stratum drawn at a third of another's rate stands for three times as many pairs."""
    n = [("d1", 0, 2), ("d2", 5, 7), ("d3", 9, 11)]
    gold = [
        _gold(n[0], n[1], "same", weight=1.0),
        _gold(n[0], n[2], "different", stratum="clause", weight=3.0),
    ]
    system = {
        (n[0], n[1]): {"match": "key", "disagree": False},
        (n[0], n[2]): {"match": "clause", "disagree": False},
    }
    p = score_pairs(gold, system, found=set(n))["precision"]
    assert (p["all"]["pairs"], p["all"]["same"]) == (2, 1)
    assert p["all"]["precision"] == pytest.approx(0.25)
    assert p["key"]["precision"] == 1.0 and p["clause"]["precision"] == 0.0
