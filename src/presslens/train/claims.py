"""Train the claims stage's model on ClaimBuster and write ``data/claims.zip``.

``presslens train claims`` runs :func:`train_claims`: ClaimBuster's released train split
(``claimbuster/train.json``) minus a fixed dev split of sentence ids
(``data/claims_dev_ids.txt``; a SHA-1 of each id decides, written when absent) is parsed and
fitted with a logistic regression over :func:`presslens.stages.claims.sentence_features`; the
threshold maximising check-worthy F1 on dev is stored with the weights.

The other ClaimBuster files in the same folder (the k-fold and ratio-study sets:
``kfold_*.json``, ``cfs_ncs_ratio_study_*.json``) hold about 5,100 further labelled sentences
that are in neither train.json nor test.json; they join training, except any whose id is in
test.json or would fall in the dev split by the same hash, and any whose text is a test or
dev sentence's. With ``--with-checkthat`` the CheckThat! 2019 debates are added too (measured:
it lowers dev F1; their labels mark the few sentences fact-checkers picked in each debate).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from presslens.errors import InputError
from presslens.eval.claims import load_sentences, prf
from presslens.settings import Settings
from presslens.stages.claims import sentence_features
from presslens.stages.linear import LinearModel, Rows, save_model, sigmoid
from presslens.stages.techniques import token_table
from presslens.train.linear import best_threshold, fit_binary, split_ids, write_split
from presslens.train.techniques import parse_texts

__all__ = ["extra_sentences", "train_claims"]

BUCKETS = 2**18
#: L2 chosen on dev from 3e-5, 1e-4, 3e-4, 1e-3 (with the extra sentences and features).
L2, STEPS, STEP_SIZE = 3e-4, 400, 0.2
THRESHOLDS = tuple(round(0.2 + 0.02 * i, 3) for i in range(31))
SPLIT_FILE = "claims_dev_ids.txt"

Progress = Callable[[str, int, int], None]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def extra_sentences(
    folder: Path, exclude_ids: set[str], exclude_texts: set[str]
) -> list[tuple[str, str, int]]:
    """Labelled sentences of the other ClaimBuster JSON files in ``folder`` (not train.json,
    test.json), once per id, without the excluded ids and texts or ids that hash into dev."""
    seen: set[str] = set()
    out: list[tuple[str, str, int]] = []
    for path in sorted(folder.glob("*.json")):
        if path.name in ("train.json", "test.json"):
            continue
        for sid, text, label in load_sentences(path):
            if sid in seen or sid in exclude_ids or _key(text) in exclude_texts:
                continue
            seen.add(sid)
            if not split_ids([sid]):  # ids the dev hash would claim stay out of training
                out.append((sid, text, label))
    return out


def train_claims(
    data: Path,
    out_dir: Path,
    settings: Settings,
    *,
    with_checkthat: bool = False,
    limit: int | None = None,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Fit on ClaimBuster train minus dev; tune the threshold on dev; write the artifact."""
    train_file = data / "claimbuster" / "train.json"
    if not train_file.is_file():
        raise InputError(
            "no claimbuster/train.json",
            where=str(data),
            hint="Pass the checkworthiness folder (e.g. ../shared/data/checkworthiness).",
            code="P532",
        )
    items = load_sentences(train_file)[:limit]
    split_path = out_dir / SPLIT_FILE
    if split_path.is_file():
        dev = set(split_path.read_text(encoding="utf-8").split())
    else:
        dev = set(split_ids([i for i, _, _ in items]))
        write_split(split_path, sorted(dev))
    test_file = train_file.with_name("test.json")
    test = load_sentences(test_file) if test_file.is_file() else []
    extra = extra_sentences(
        train_file.parent,
        {i for i, _, _ in items + test},
        {_key(t) for i, t, _ in items if i in dev} | {_key(t) for _, t, _ in test},
    )[:limit]
    if with_checkthat:
        ct = load_sentences(data / "CT19-T1-Training.csv")
        extra += [(f"ct:{i}", t, y) for i, t, y in ct]
    all_items = items + extra
    texts = [t for _, t, _ in all_items]
    docs = parse_texts(texts, settings, on_progress)
    feats = []
    for doc, text in zip(docs, texts, strict=True):
        t = token_table(doc, text)
        feats.append(sentence_features(t, 0, t.n - 1, text) if t.n else [0])
    y = np.array([lab for _, _, lab in all_items], dtype=float)
    is_dev = np.array([i in dev for i, _, _ in all_items])
    x = Rows.from_lists(feats)
    w, b = fit_binary(
        x.take(~is_dev), y[~is_dev], buckets=BUCKETS, l2=L2, steps=STEPS,
        step_size=STEP_SIZE, on_progress=on_progress,
    )  # fmt: skip
    model = LinearModel(w, np.array([b]), {})
    dev_scores = sigmoid(model.scores(x.take(is_dev)))
    dev_gold = y[is_dev] == 1
    threshold, f1 = best_threshold(dev_scores, dev_gold, THRESHOLDS)
    meta = {
        "version": 2,
        "threshold": threshold,
        "dev_f1": round(f1, 4),
        "train_sentences": int((~is_dev).sum()),
        "extra_sentences": len(extra),
        "with_checkthat": with_checkthat,
    }
    n = save_model(out_dir / "claims.zip", LinearModel(w, np.array([b]), meta))
    return {
        "threshold": threshold,
        "dev": prf(dev_scores >= threshold, dev_gold),
        "train_sentences": int((~is_dev).sum()),
        "extra_sentences": len(extra),
        "dev_sentences": int(is_dev.sum()),
        "bytes": n,
        "out": str(out_dir),
    }
