"""Classification metrics shared by the scorers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def classification_report(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold labels, per-class P/R/F1 and the confusion counts."""
    if len(gold) != len(pred):
        raise ValueError("gold and predicted labels differ in length")
    labels = sorted(set(gold))
    per_class: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        n_pred = sum(p == label for p in pred)
        n_gold = sum(g == label for g in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "gold": n_gold,
            "predicted": n_pred,
        }
    correct = sum(g == p for g, p in zip(gold, pred, strict=True))
    confusion = Counter(f"{g}->{p}" for g, p in zip(gold, pred, strict=True))
    return {
        "n": len(gold),
        "accuracy": correct / len(gold) if gold else 0.0,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(labels) if labels else 0.0,
        "per_class": per_class,
        "confusion": dict(sorted(confusion.items())),
    }


#: Resamples and level of the bootstrap intervals the scorers report (fixed seed: a rerun on
#: the same predictions prints the same interval).
RESAMPLES, LEVEL, SEED = 1000, 0.95, 0


def bootstrap_interval(
    rows: Any,
    statistic: Callable[[np.ndarray], np.ndarray],
    *,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
    seed: int = SEED,
) -> dict[str, Any]:
    """Percentile bootstrap interval of a statistic over units (articles) drawn with
    replacement.

    Why: our dev splits are small (70 PTC articles, 93 SemEval-2023 articles with 7 reporting
    ones), so a single F1 hides how much it would move on another draw of articles. Each row
    of ``rows`` holds one unit's additive counts; ``statistic`` maps summed counts, shape
    ``(resamples, columns)``, to one value per resample. Units are resampled whole, so the
    interval keeps the correlation between an article's spans."""
    counts = np.asarray(rows, dtype=np.float64)
    n = len(counts)
    if n == 0:
        return {"low": 0.0, "high": 0.0, "level": level, "resamples": 0, "units": 0}
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n, np.full(n, 1.0 / n), size=resamples)
    values = statistic(weights @ counts)
    tail = (1.0 - level) / 2.0
    # a resample where a ratio has no denominator (nan) says nothing about it: left out
    if np.all(np.isnan(values)):
        return {"low": 0.0, "high": 0.0, "level": level, "resamples": 0, "units": n}
    low, high = np.nanquantile(values, [tail, 1.0 - tail])
    return {
        "low": float(low),
        "high": float(high),
        "level": level,
        "resamples": resamples,
        "units": n,
    }


def _f1(p_num: np.ndarray, n_pred: np.ndarray, r_num: np.ndarray, n_gold: np.ndarray) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n_pred > 0, p_num / np.maximum(n_pred, 1e-300), 0.0)
        r = np.where(n_gold > 0, r_num / np.maximum(n_gold, 1e-300), 0.0)
        return np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-300), 0.0)


def micro_f1_interval(rows: Sequence[Sequence[float]], **kw: Any) -> dict[str, Any]:
    """Bootstrap interval of a micro-F1 (or the SI partial-overlap F1) from per-unit rows
    ``(precision numerator, predicted, recall numerator, gold)``."""
    return bootstrap_interval(rows, lambda s: _f1(s[:, 0], s[:, 1], s[:, 2], s[:, 3]), **kw)


def macro_f1_interval(gold: Sequence[str], pred: Sequence[str], **kw: Any) -> dict[str, Any]:
    """Bootstrap interval of :func:`classification_report`'s macro-F1, one unit per item;
    the classes are those of the whole sample's gold labels (a resample that misses a class
    scores 0 on it, as a split without that class would)."""
    labels = sorted(set(gold))
    if not labels:
        return bootstrap_interval([], lambda s: s, **kw)
    rows = [
        [v for label in labels for v in (g == p == label, p == label, g == label)]
        for g, p in zip(gold, pred, strict=True)
    ]

    def macro(s: np.ndarray) -> Any:
        tp, n_pred, n_gold = s[:, 0::3], s[:, 1::3], s[:, 2::3]
        return _f1(tp, n_pred, tp, n_gold).mean(axis=1)

    return bootstrap_interval(rows, macro, **kw)
