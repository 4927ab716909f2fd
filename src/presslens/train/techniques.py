"""Train the techniques stage's two models and write their artifacts.

``presslens train techniques`` runs :func:`train_techniques`:

1. read SemEval-2023 Task 3 English train (its 446 articles include PTC's 371, re-labelled with
   the 23 technique names) and parse every article with the pipeline's spaCy model;
2. split off the fixed dev ids (``data/rhetoric_dev_ids.txt``; written from a SHA-1 of
   each id when absent, so the split never depends on the order files are listed in);
3. **span identification**: label every token inside a gold span (all techniques merged)
   and fit a logistic regression over :func:`presslens.stages.techniques.token_features`;
   choose the decoding thresholds (seed and extend) on the dev articles by SI F1;
4. **technique classification**: fit a multinomial logistic regression over
   :func:`presslens.stages.techniques.span_features` of every gold span of the train articles;
5. write ``data/techniques_spans.zip`` and ``data/techniques_labels.zip`` (same data, same bytes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from presslens.errors import InputError
from presslens.eval.techniques import load_semeval_paragraphs, merge_spans, si_scores
from presslens.nlp import load_nlp
from presslens.settings import Settings
from presslens.stages.linear import LinearModel, Rows, save_model, sigmoid
from presslens.stages.techniques import (
    _IDX,
    _LEN,
    _SPC,
    TECHNIQUES,
    TokenTable,
    decode_spans,
    span_features,
    token_features,
    token_table,
)
from presslens.train.linear import (
    SPLIT_RESOURCE,
    fit_binary,
    fit_softmax,
    split_ids,
    write_split,
)

__all__ = ["parse_texts", "train_techniques"]

#: Hash buckets of the span tagger and of the technique classifier (2^18 floats ≈ 0.5 MB as
#: float16; the classifier's 2^16 × 23 ≈ 3 MB before compression).
SPAN_BUCKETS = 2**18
LABEL_BUCKETS = 2**16
#: L2 penalties, steps and AdaGrad step sizes.
SPAN_L2, SPAN_STEPS, SPAN_STEP = 3e-5, 100, 0.2
LABEL_L2, LABEL_STEPS, LABEL_STEP = 1e-4, 300, 0.3
#: Decoding thresholds tried on dev.
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
EXTENDS = (0.1, 0.15, 0.2, 0.25, 0.3)

Progress = Callable[[str, int, int], None]


def parse_texts(texts: list[str], settings: Settings, on_progress: Progress | None) -> list[Any]:
    """spaCy Docs of ``texts`` with the pipeline's model and batch size."""
    nlp = load_nlp(settings.spacy_model)
    docs = []
    for k, doc in enumerate(nlp.pipe(texts, batch_size=settings.batch_size), 1):
        docs.append(doc)
        if on_progress:
            on_progress("parsing", k, len(texts))
    return docs


def _token_labels(t: TokenTable, spans: list[tuple[int, int]]) -> np.ndarray:
    starts = t.a[:, _IDX].astype(np.int64)
    ends = starts + t.a[:, _LEN].astype(np.int64)
    y = np.zeros(t.n)
    for s, e in spans:
        y[(starts < e) & (ends > s)] = 1.0
    return y


def _fingerprint(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(f"{p.name}\t{p.stat().st_size}\n".encode())
    return h.hexdigest()[:16]


def train_techniques(
    data: Path,
    out_dir: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Train both models on SemEval-2023 train minus dev; write them into ``out_dir``."""
    gold = load_semeval_paragraphs(data)
    if not gold["spans"]:
        raise InputError(
            "no train-labels-subtask-3-spans/ folder with gold spans",
            where=str(data),
            hint="Pass the SemEval-2023 folder (e.g. ../shared/data/semeval2023).",
            code="P531",
        )
    ids = sorted(set(gold["articles"]) & (set(gold["spans"]) | {a for a, _ in gold["paragraphs"]}))
    ids = ids[:limit]
    split_path = out_dir / Path(SPLIT_RESOURCE).relative_to("data")
    if split_path.is_file():
        dev = {x.strip() for x in split_path.read_text(encoding="utf-8").split() if x.strip()}
    else:
        dev = set(split_ids(ids))
        write_split(split_path, sorted(dev))
    texts = [gold["articles"][i].read_text(encoding="utf-8") for i in ids]
    docs = parse_texts(texts, settings, on_progress)
    tables = [token_table(d, t) for d, t in zip(docs, texts, strict=True)]

    # 1. span identification
    feats, ys, train_mask = [], [], []
    for aid, t in zip(ids, tables, strict=True):
        spans = merge_spans((s, e) for s, e, _ in gold["spans"].get(aid, []))
        feats.append(token_features(t))
        y = _token_labels(t, spans)
        ys.append(y)
        train_mask.append(np.full(t.n, aid not in dev) & (t.a[:, _SPC] == 0))
    x_all = np.concatenate(feats).astype(np.int64)
    y_all = np.concatenate(ys)
    keep = np.concatenate(train_mask)
    x = x_all[keep]
    width = x.shape[1]
    rows = Rows(x.ravel(), np.repeat(np.arange(len(x), dtype=np.int64), width), len(x))
    w, b = fit_binary(
        rows, y_all[keep], buckets=SPAN_BUCKETS, l2=SPAN_L2, steps=SPAN_STEPS,
        step_size=SPAN_STEP, on_progress=on_progress,
    )  # fmt: skip
    span_model = LinearModel(w, np.array([b]), {})
    # tune decoding on dev by SI F1
    dev_items = [(aid, t, f) for aid, t, f in zip(ids, tables, feats, strict=True) if aid in dev]
    probs = {}
    for aid, t, f in dev_items:
        p = sigmoid(span_model.dense_scores(f.astype(np.int64)))
        p[t.a[:, _SPC] == 1] = 0.0
        probs[aid] = (t, p)
    gold_si = {aid: [(s, e) for s, e, _ in gold["spans"].get(aid, [])] for aid, _, _ in dev_items}
    best = (-1.0, 0.5, 0.3)
    for thr in THRESHOLDS:
        for extend in EXTENDS:
            pred = {
                aid: [(t.start(i), t.end(j)) for i, j in decode_spans(t, p, thr, extend)]
                for aid, (t, p) in probs.items()
            }
            f1 = si_scores(pred, gold_si)["f1"]
            if f1 > best[0] + 1e-12:
                best = (f1, thr, extend)
    si_f1, thr, extend = best

    # 2. technique classification on gold spans
    labels = [
        t for t in TECHNIQUES if any(lab == t for v in gold["spans"].values() for *_, lab in v)
    ]
    index = {lab: k for k, lab in enumerate(labels)}
    x_lists: list[np.ndarray] = []
    y_lab: list[int] = []
    dev_lists: list[np.ndarray] = []
    dev_y: list[int] = []
    for aid, t, doc, text in zip(ids, tables, docs, texts, strict=True):
        for s, e, lab in gold["spans"].get(aid, []):
            if lab not in index:
                continue
            cs = doc.char_span(s, max(e, s + 1), alignment_mode="expand")
            if cs is None or not len(cs):
                continue
            fs = span_features(t, cs.start, cs.end - 1, text)
            if aid in dev:
                dev_lists.append(fs)
                dev_y.append(index[lab])
            else:
                x_lists.append(fs)
                y_lab.append(index[lab])
    wl, bl = fit_softmax(
        Rows.from_lists(x_lists), np.array(y_lab), classes=len(labels), buckets=LABEL_BUCKETS,
        l2=LABEL_L2, steps=LABEL_STEPS, step_size=LABEL_STEP, on_progress=on_progress,
    )  # fmt: skip
    label_model = LinearModel(wl, bl, {"labels": labels})
    dev_acc = 0.0
    if dev_lists:
        pred_lab = label_model.scores(Rows.from_lists(dev_lists)).argmax(axis=1)
        dev_acc = float((pred_lab == np.array(dev_y)).mean())

    fingerprint = _fingerprint(list(gold["articles"].values()))
    common = {"version": 1, "data": fingerprint, "train_articles": len(ids) - len(dev & set(ids))}
    span_meta = {**common, "threshold": thr, "extend": extend, "dev_si_f1": round(si_f1, 4)}
    label_meta = {**common, "labels": labels, "dev_accuracy": round(dev_acc, 4)}
    n1 = save_model(out_dir / "techniques_spans.zip", LinearModel(w, np.array([b]), span_meta))
    n2 = save_model(out_dir / "techniques_labels.zip", LinearModel(wl, bl, label_meta))
    return {
        "articles": len(ids),
        "dev_articles": len(dev & set(ids)),
        "train_tokens": int(keep.sum()),
        "train_spans": len(y_lab),
        "threshold": thr,
        "extend": extend,
        "dev_si_f1_semeval_spans": round(si_f1, 4),
        "dev_technique_accuracy_semeval_spans": round(dev_acc, 4),
        "bytes": n1 + n2,
        "out": str(out_dir),
    }
