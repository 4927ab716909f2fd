"""Bootstrap intervals the scorers report next to their F1 figures."""

from __future__ import annotations

import pytest

from presslens.eval.metrics import (
    bootstrap_interval,
    classification_report,
    macro_f1_interval,
    micro_f1_interval,
)
from presslens.eval.techniques import overlap_rows, si_interval, si_scores


def test_identical_articles_give_a_zero_width_interval_at_the_point() -> None:
    rows = [(1.0, 2, 1.0, 4)] * 20  # every article: precision 1/2, recall 1/4
    ci = micro_f1_interval(rows)
    point = 2 * 0.5 * 0.25 / 0.75
    assert ci["low"] == pytest.approx(point) and ci["high"] == pytest.approx(point)
    assert (ci["units"], ci["resamples"], ci["level"]) == (20, 1000, 0.95)


def test_varied_articles_bracket_the_point_reproducibly_and_narrow_with_more() -> None:
    rows = [(k % 3, 3, k % 4, 4) for k in range(30)]
    tp = sum(r[0] for r in rows) / sum(r[1] for r in rows)
    rc = sum(r[2] for r in rows) / sum(r[3] for r in rows)
    point = 2 * tp * rc / (tp + rc)
    ci = micro_f1_interval(rows)
    assert ci["low"] < point < ci["high"]
    assert micro_f1_interval(rows) == ci  # fixed seed
    assert micro_f1_interval(rows, seed=1) != ci
    wide = ci["high"] - ci["low"]
    ten_times = micro_f1_interval(rows * 10)
    assert ten_times["high"] - ten_times["low"] < wide / 2  # ~1/sqrt(10) of the width


def test_empty_sample_has_an_empty_interval() -> None:
    assert micro_f1_interval([])["resamples"] == 0
    assert macro_f1_interval([], [])["units"] == 0


def test_macro_f1_interval_scores_a_missing_class_zero_by_hand() -> None:
    # perfect predictions; a resample without the one "b" article scores (1 + 0) / 2 = 0.5,
    # which happens with probability (2/3)^3 ≈ 0.30, so the lower bound is 0.5
    gold = pred = ["a", "a", "b"]
    assert classification_report(gold, pred)["macro_f1"] == 1.0
    ci = macro_f1_interval(gold, pred)
    assert (ci["low"], ci["high"]) == (0.5, 1.0)


def test_bootstrap_interval_level_widens_the_interval() -> None:
    rows = [[float(k)] for k in range(50)]

    def mean(s):  # type: ignore[no-untyped-def]
        return s[:, 0] / 50

    narrow = bootstrap_interval(rows, mean, level=0.5)
    wide = bootstrap_interval(rows, mean, level=0.99)
    assert wide["low"] < narrow["low"] < 24.5 < narrow["high"] < wide["high"]


def test_overlap_rows_sum_to_the_si_score_and_feed_its_interval() -> None:
    pred = {"a": [(5, 15)], "b": [(0, 10), (40, 50)], "c": []}
    gold = {"a": [(0, 10), (20, 30)], "b": [(0, 10)], "c": [(3, 9)]}
    rows = overlap_rows(
        {k: [(s, e, "") for s, e in v] for k, v in pred.items()},
        {k: [(s, e, "") for s, e in v] for k, v in gold.items()},
    )
    assert rows == {"a": (0.5, 1, 0.5, 2), "b": (1.0, 2, 1.0, 1), "c": (0.0, 0, 0.0, 1)}
    r = si_scores(pred, gold)
    assert r["precision"] == pytest.approx(1.5 / 3) and r["recall"] == pytest.approx(1.5 / 4)
    ci = si_interval(pred, gold)
    assert ci["units"] == 3 and ci["low"] <= r["f1"] <= ci["high"]
