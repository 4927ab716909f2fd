"""Score the claims model on labelled sentences: ClaimBuster JSON or CheckThat! 2019 CSV.

ClaimBuster (``[{"sentence_id", "label", "text"}, …]``; label 1 = check-worthy factual
sentence): a folder means its ``test.json`` (the released test split). CheckThat! 2019 Task 1
(``line_number,speaker,text,label,file_name``). Every sentence is parsed on its own and scored
by the claims stage's model; the metric is precision, recall and F1 of the check-worthy class
at the model's threshold, plus average precision of the ranking.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from presslens.errors import InputError
from presslens.settings import Settings

__all__ = ["average_precision", "eval_claims", "load_sentences", "score_sentences"]


def load_sentences(path: Path) -> list[tuple[str, str, int]]:
    """``(id, text, label)`` from a ClaimBuster JSON file (or folder) or a CheckThat! CSV."""
    if path.is_dir():
        path = path / "test.json"
    if not path.is_file():
        raise InputError(
            "no ClaimBuster JSON or CheckThat! CSV file here",
            where=str(path),
            hint="Pass e.g. ../shared/data/checkworthiness/claimbuster/test.json.",
            code="P532",
        )
    raw = path.read_bytes()
    # some ClaimBuster files (the ratio-study splits) are UTF-16 with a byte-order mark
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = raw.decode("utf-16" if utf16 else "utf-8-sig", errors="replace")
    if path.suffix == ".json":
        try:
            rows = json.loads(text)
            return [(str(r["sentence_id"]), str(r["text"]), int(r["label"])) for r in rows]
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"not a ClaimBuster sentence list: {exc}",
                where=str(path),
                hint="Expected a JSON list of {sentence_id, label, text} objects.",
                code="P532",
            ) from None
    out = []
    for k, row in enumerate(csv.DictReader(text.splitlines()), 2):
        try:
            out.append((f"{row['file_name']}:{row['line_number']}", row["text"], int(row["label"])))
        except (KeyError, TypeError, ValueError):
            raise InputError(
                "expected columns line_number, speaker, text, label, file_name",
                where=f"{path}:{k}",
                hint="Check the CheckThat! 2019 CSV.",
                code="P532",
            ) from None
    return out


def score_sentences(
    texts: list[str], settings: Settings, on_progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """The claims model's score of each text, parsed as one sentence."""
    from presslens.nlp import load_nlp
    from presslens.stages.claims import _model, sentence_features
    from presslens.stages.linear import Rows, sigmoid
    from presslens.stages.techniques import token_table

    nlp = load_nlp(settings.spacy_model)
    model = _model()
    feats = []
    for k, (doc, text) in enumerate(zip(nlp.pipe(texts, batch_size=256), texts, strict=True), 1):
        t = token_table(doc, text)
        feats.append(sentence_features(t, 0, t.n - 1, text) if t.n else [0])
        if on_progress and k % 100 == 0:
            on_progress(k, len(texts))
    return np.asarray(sigmoid(model.scores(Rows.from_lists(feats))))


def average_precision(scores: np.ndarray, gold: np.ndarray) -> float:
    """Mean of the precision at each check-worthy sentence, ranked by score."""
    order = np.argsort(-scores, kind="stable")
    hits = gold[order].astype(bool)
    if not hits.any():
        return 0.0
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = float((pred & gold).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / gold.sum() if gold.sum() else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def eval_claims(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """P/R/F1 of the check-worthy class and average precision on labelled sentences."""
    from presslens.stages.claims import _model

    items = load_sentences(data)[:limit]
    scores = score_sentences([t for _, t, _ in items], settings, on_progress)
    gold = np.array([lab == 1 for _, _, lab in items], dtype=bool)
    threshold = float(_model().meta["threshold"])
    pred = scores >= threshold
    majority = prf(np.ones_like(gold), gold)
    return {
        "sentences": len(items),
        "checkworthy": int(gold.sum()),
        "threshold": threshold,
        "checkworthy_class": prf(pred, gold),
        "accuracy": float((pred == gold).mean()) if len(gold) else 0.0,
        "average_precision": average_precision(scores, gold),
        "baseline_all_checkworthy": majority,
        "data": str(data),
    }
