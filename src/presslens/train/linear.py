"""Fitting the rhetoric stages' linear models with numpy: full-batch AdaGrad from zero weights.

Full-batch gradient descent has no sampling order and no random seed, so the same data gives the
same weights (and, through :func:`presslens.stages.linear.save_model`, the same bytes). Also
here: the fixed article split shared by every rhetoric model, and F1-maximising thresholds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from presslens.stages.linear import Rows, sigmoid, softmax

__all__ = [
    "best_threshold",
    "dev_ids",
    "fit_binary",
    "fit_softmax",
    "split_ids",
    "write_split",
]

#: Where the fixed dev split of article ids lives (one id per line, sorted).
SPLIT_RESOURCE = "data/rhetoric_dev_ids.txt"
#: Share of article ids that go to dev (a SHA-1 of the id decides, so the split is stable).
DEV_SHARE = 0.2

Progress = Callable[[str, int, int], None]


def split_ids(ids: Iterable[str], share: float = DEV_SHARE) -> list[str]:
    """The ids whose SHA-1 falls in the first ``share`` of the hash space: the dev split."""
    limit = int(share * 2**32)
    return sorted(i for i in set(ids) if int(hashlib.sha1(i.encode()).hexdigest()[:8], 16) < limit)


def dev_ids() -> frozenset[str]:
    """The shipped dev split (article ids of PTC and SemEval-2023 train held out for scoring)."""
    text = resources.files("presslens").joinpath(SPLIT_RESOURCE).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def write_split(path: Path, ids: Sequence[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{i}\n" for i in sorted(ids)), encoding="utf-8")


def fit_binary(
    x: Rows,
    y: np.ndarray,
    *,
    buckets: int,
    l2: float,
    steps: int,
    step_size: float,
    sample_weight: np.ndarray | None = None,
    on_progress: Progress | None = None,
) -> tuple[np.ndarray, float]:
    """Logistic regression: weights over ``buckets`` hashed features and a bias."""
    ids = x.ids % buckets
    vals = np.ones(len(ids)) if x.vals is None else x.vals
    sw = np.ones(x.n) if sample_weight is None else sample_weight
    sw = sw / sw.sum()
    w = np.zeros(buckets)
    b = 0.0
    gw_acc = np.full(buckets, 1e-8)
    gb_acc = 1e-8
    for step in range(steps):
        z = np.bincount(x.rows, weights=w[ids] * vals, minlength=x.n) + b
        g = (sigmoid(z) - y) * sw
        gw = np.bincount(ids, weights=g[x.rows] * vals, minlength=buckets) + l2 * w
        gb = float(g.sum())
        gw_acc += gw * gw
        gb_acc += gb * gb
        w -= step_size * gw / np.sqrt(gw_acc)
        b -= step_size * gb / np.sqrt(gb_acc)
        if on_progress and step % 10 == 0:
            on_progress("fitting", step, steps)
    return w, b


def fit_softmax(
    x: Rows,
    y: np.ndarray,
    *,
    classes: int,
    buckets: int,
    l2: float,
    steps: int,
    step_size: float,
    sample_weight: np.ndarray | None = None,
    on_progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression: weights (buckets × classes) and biases."""
    ids = x.ids % buckets
    vals = np.ones(len(ids)) if x.vals is None else x.vals
    sw = np.ones(x.n) if sample_weight is None else sample_weight
    sw = sw / sw.sum()
    onehot = np.zeros((x.n, classes))
    onehot[np.arange(x.n), y] = 1.0
    w = np.zeros((buckets, classes))
    b = np.zeros(classes)
    gw_acc = np.full((buckets, classes), 1e-8)
    gb_acc = np.full(classes, 1e-8)
    z = np.zeros((x.n, classes))
    gw = np.zeros((buckets, classes))
    # entries grouped by row and by feature once, so each step is two segment sums over all
    # classes at once (np.add.reduceat) instead of two bincounts per class
    by_row = np.argsort(x.rows, kind="stable")
    rows_present, row_first = np.unique(x.rows[by_row], return_index=True)
    r_ids, r_vals = ids[by_row], vals[by_row][:, None]
    by_id = np.argsort(ids, kind="stable")
    ids_present, id_first = np.unique(ids[by_id], return_index=True)
    i_rows, i_vals = x.rows[by_id], vals[by_id][:, None]
    for step in range(steps):
        if len(ids):
            z[rows_present] = np.add.reduceat(w[r_ids] * r_vals, row_first, axis=0)
        g = (softmax(z + b) - onehot) * sw[:, None]
        gw[:] = 0.0
        if len(ids):
            gw[ids_present] = np.add.reduceat(g[i_rows] * i_vals, id_first, axis=0)
        gw += l2 * w
        gb = g.sum(axis=0)
        gw_acc += gw * gw
        gb_acc += gb * gb
        w -= step_size * gw / np.sqrt(gw_acc)
        b -= step_size * gb / np.sqrt(gb_acc)
        if on_progress and step % 10 == 0:
            on_progress("fitting", step, steps)
    return w, b


def best_threshold(
    scores: np.ndarray, gold: np.ndarray, candidates: Sequence[float]
) -> tuple[float, float]:
    """The candidate threshold with the best F1 of the positive class, and that F1."""
    best = (0.5, -1.0)
    for t in candidates:
        pred = scores >= t
        tp = float((pred & gold).sum())
        p = tp / pred.sum() if pred.sum() else 0.0
        r = tp / gold.sum() if gold.sum() else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[1] + 1e-12:
            best = (float(t), f1)
    return best
