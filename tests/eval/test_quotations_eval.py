"""Cross-outlet quotation matching scored on annotated ECB+ pairs: the scorer by hand, the
shipped gold, and a small real run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.eval.figures import load_gold
from presslens.eval.quotations import GOLD_FILE, score_pairs
from presslens.settings import Settings

ECBPLUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ecbplus"


def _gold(a: tuple, b: tuple, label: str, speaker: str | None = None, **kw: object) -> dict:
    row = {"story": "1_ecb", "stratum": "grouped_agree", "weight": 1.0, "a": list(a)}
    row |= {"b": list(b), "label": label} | kw
    return row | ({"speaker": speaker} if speaker else {})


def test_grouping_and_the_speakers_flag_by_hand() -> None:
    q = [("d1", 0, 40), ("d2", 10, 50), ("d3", 5, 30), ("d4", 0, 20), ("d5", 3, 33)]
    gold = [
        _gold(q[0], q[1], "same", "different"),  # grouped, flagged: a real misattribution
        _gold(q[0], q[2], "same", "same"),  # grouped, flagged: a false alarm
        _gold(q[1], q[2], "different"),  # grouped, not flagged: not one quotation
        _gold(q[3], q[4], "same", "unclear", stratum="ungrouped_similar", weight=8.0),
    ]
    system = {
        (q[0], q[1]): {"speakers_differ": True},
        (q[0], q[2]): {"speakers_differ": True},
        (q[1], q[2]): {"speakers_differ": False},
    }
    report = score_pairs(gold, system, found=set(q))
    assert (report["grouped"]["pairs"], report["grouped"]["same"]) == (3, 2)
    assert (report["speakers_differ"]["pairs"], report["speakers_differ"]["right"]) == (2, 1)
    assert report["speakers_differ"]["precision"] == 0.5
    assert report["recall_estimate"] == pytest.approx(2 / 10)
    assert report["gold_speakers"] == {"different": 1, "same": 1, "unclear": 1}
    assert report["wrong_flags"] == [{"a": list(q[0]), "b": list(q[2]), "speaker": "same"}]


def test_the_shipped_gold_pairs_load() -> None:
    gold = load_gold(name=GOLD_FILE)
    assert len(gold) >= 200
    assert {r["label"] for r in gold} == {"same", "different"}
    assert all(("speaker" in r) == (r["label"] == "same") for r in gold if "speaker" in r)
    # no quotation text is shipped: offsets into the ECB+ documents only
    assert not any("a_text" in r or "text" in r for r in gold)


@pytest.mark.slow
def test_a_small_real_run_finds_every_gold_quotation() -> None:
    if not ECBPLUS.is_dir():
        pytest.skip(f"ECB+ not found at {ECBPLUS} (../shared is absent)")
    from presslens.eval.quotations import eval_quotations

    report = eval_quotations(ECBPLUS, Settings(), limit=2)
    assert report["stories"] == 2 and report["missing"] == 0 and report["scored"] > 0
    res = CliRunner().invoke(main, ["eval", "quotations", "--data", str(ECBPLUS), "--limit", "1"])
    assert res.exit_code == 0, res.output
    assert "grouped as one quotation" in res.output
