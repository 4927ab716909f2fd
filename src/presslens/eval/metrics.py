"""Classification metrics shared by the scorers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any


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
