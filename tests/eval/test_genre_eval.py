from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.errors import InputError
from presslens.eval.genre import load_semeval_genre, rank_auc, reporting_auc
from presslens.eval.metrics import classification_report

REPORT = (
    "Port Elin – The council approved the budget on Monday, officials said.\n\n"
    '"We will reopen the bridge in May," the mayor, Anna Koval, told reporters.\n'
)
OPINION = (
    "Why do we keep trusting them?\n\n"
    "I am tired of the shameless excuses. Are we really expected to believe this?\n\n"
    "The views expressed in this article are the author's own and do not necessarily "
    "reflect the editorial policy of The Gazette.\n"
)


def test_classification_report_counts_by_hand() -> None:
    r = classification_report(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert r["accuracy"] == 0.75
    assert r["per_class"]["a"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": pytest.approx(2 / 3),
        "gold": 2,
        "predicted": 1,
    }
    assert r["per_class"]["b"]["precision"] == pytest.approx(2 / 3)
    assert r["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)
    assert r["confusion"] == {"a->a": 1, "a->b": 1, "b->b": 2}


@pytest.mark.parametrize(
    ("scores", "positive", "auc"),
    [
        ([3.0, 2.0, 1.0, 0.0], [True, True, False, False], 1.0),  # every pair ranked right
        ([0.0, 1.0, 2.0, 3.0], [True, True, False, False], 0.0),  # every pair ranked wrong
        ([1.0, 1.0, 1.0], [True, False, False], 0.5),  # ties count half
        ([2.0, 0.5, 1.0, 0.0], [True, True, False, False], 0.75),  # 3 of 4 pairs right
    ],
)
def test_rank_auc_counts_pairs_by_hand(
    scores: list[float], positive: list[bool], auc: float
) -> None:
    assert rank_auc(scores, positive) == pytest.approx(auc)


def test_rank_auc_needs_both_classes() -> None:
    assert rank_auc([1.0, 2.0], [True, True]) is None
    assert rank_auc([], []) is None


def test_reporting_auc_leaves_satire_out() -> None:
    gold = ["reporting", "opinion", "satire", "opinion"]
    margins = [0.5, 0.7, 9.0, -1.0]  # the satire piece would outrank everything if counted
    assert reporting_auc(gold, margins) == {"auc": 0.5, "reporting": 1, "opinion": 2}


def _dataset(root: Path) -> Path:
    arts = root / "train-articles-subtask-3"
    arts.mkdir(parents=True)
    (arts / "article1.txt").write_text(REPORT)
    (arts / "article2.txt").write_text(OPINION)
    (root / "train-labels-subtask-1.txt").write_text("1\treporting\n2\topinion\n3\topinion\n")
    return root


def test_loader_skips_labels_without_text_and_rejects_bad_lines(tmp_path: Path) -> None:
    data = _dataset(tmp_path / "d")
    assert [(i, g) for i, _, g in load_semeval_genre(data)] == [
        ("1", "reporting"),
        ("2", "opinion"),
    ]
    (data / "train-labels-subtask-1.txt").write_text("1\tnews-ish\n")
    with pytest.raises(InputError, match="expected 'id<TAB>genre'"):
        load_semeval_genre(data)
    with pytest.raises(InputError, match="no SemEval-2023"):
        load_semeval_genre(tmp_path)


@pytest.mark.slow
def test_eval_genre_command_scores_the_pipeline(tmp_path: Path) -> None:
    data = _dataset(tmp_path / "d")
    result = CliRunner().invoke(main, ["eval", "genre", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 2
    assert report["accuracy"] == 1.0  # these two are unambiguous
    assert report["baseline_majority"]["accuracy"] == 0.5
    assert report["reporting_auc"] == {"auc": 1.0, "reporting": 1, "opinion": 1}
    ci = report["macro_f1_interval"]  # right on both: a resample with one class scores 0.5
    assert ci["units"] == 2 and ci["low"] == 0.5 and ci["high"] == 1.0
    text = CliRunner().invoke(main, ["eval", "genre", "--data", str(data)])
    assert text.exit_code == 0 and "95 % interval 0.500–1.000" in text.output
