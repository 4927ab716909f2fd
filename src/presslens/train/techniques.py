"""Train the techniques stage's three models and write their artifacts.

``presslens train techniques`` runs :func:`train_techniques`:

1. read SemEval-2023 Task 3 English train (its 446 articles include PTC's 371, re-labelled with
   the 23 technique names), normalise every article as the pipeline does and parse it with
   the pipeline's spaCy model;
2. split off the fixed dev ids (``data/rhetoric_dev_ids.txt``; written from a SHA-1 of
   each id when absent, so the split never depends on the order files are listed in);
3. **span identification**: label every token inside a gold span (all techniques merged)
   and fit a logistic regression over :func:`presslens.stages.techniques.token_features`
   (with word valence; the gold-only copy for the encoder stages without);
4. **technique classification**: fit a multinomial logistic regression over
   :func:`presslens.stages.techniques.span_features` of every gold span of the train articles;
5. **out-of-fold candidates**: refit both models on two thirds of the train articles and
   decode the third left out (three times), so every train article has candidates scored by
   models that never saw it; the decoding thresholds (seed and extend) are the ones with the
   best span F1 on those out-of-fold token probabilities;
6. **paragraph classifier**: a logistic regression over (paragraph, technique) rows built
   from the out-of-fold candidates (:func:`presslens.stages.techniques.paragraph_features`)
   against the paragraph labels; its decision threshold is the best paragraph micro-F1 of a
   two-fold cross-validation over the train articles;
7. write ``data/techniques_spans.zip``, ``data/techniques_labels.zip`` and
   ``data/techniques_paragraphs.zip`` (same data, same bytes).

Dev articles are only scored (the summary's dev figures), never used to choose anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from presslens.errors import InputError
from presslens.eval.techniques import line_ranges, load_semeval_paragraphs, merge_spans, si_scores
from presslens.model import Article
from presslens.nlp import load_nlp
from presslens.readers import normalise, text_document
from presslens.settings import Settings
from presslens.stages.linear import LinearModel, Rows, save_model, sigmoid
from presslens.stages.techniques import (
    _IDX,
    _LEN,
    _SPC,
    GOLD_SPAN_MODEL,
    TECHNIQUES,
    VALENCE_WIDTH,
    Candidate,
    TokenTable,
    decode_spans,
    find_candidates,
    paragraph_candidates,
    paragraph_features,
    paragraph_labels,
    paragraphs,
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
from presslens.train.teacher import SoftTargets, load_unlabelled, teacher_targets

__all__ = ["parse_texts", "train_techniques"]

#: Hash buckets of the span tagger, the technique classifier and the paragraph classifier
#: (2^18 floats ≈ 0.5 MB as float16; 2^16 × 19 ≈ 2.5 MB and 2^20 ≈ 2 MB before compression).
SPAN_BUCKETS = 2**18
LABEL_BUCKETS = 2**16
PARAGRAPH_BUCKETS = 2**20
#: L2 penalties, steps and AdaGrad step sizes.
SPAN_L2, SPAN_STEPS, SPAN_STEP = 3e-5, 100, 0.2
#: L2 of the tagger that also learns from a teacher: its extra tokens let it fit more
#: (chosen on tune among 3e-5, 1e-5 and 1e-6; README "Measured").
TEACHER_L2 = 1e-5
LABEL_L2, LABEL_STEPS, LABEL_STEP = 3e-4, 300, 0.3
PARAGRAPH_L2, PARAGRAPH_STEPS, PARAGRAPH_STEP = 1e-4, 200, 0.3
#: Decoding thresholds tried on the out-of-fold token probabilities (down to 0.15 since the
#: distilled tagger, whose choice sat on the old floor of 0.3; README "Measured").
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
EXTENDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
#: Paragraph decision thresholds tried in the two-fold cross-validation.
PARAGRAPH_THRESHOLDS = tuple(round(0.05 + 0.01 * k, 2) for k in range(66))
#: Weight of a token of an unlabelled article (soft target from techniques.v4) against a gold
#: token: 1.0 chosen on the tune articles among 0, 0.3 and 1 (README "Measured").
TEACHER_WEIGHT = 1.0
#: Whether the shipped tagger (and its out-of-fold copies) also sees word valence
#: (:func:`presslens.stages.techniques.valence_features`; tune SI +0.010, README "Measured").
#: The gold-only tagger the encoder stages mix with never does: their mix was chosen for it.
TAGGER_VALENCE = True
#: Out-of-fold parts; fewer train articles than two per part skip steps 5 and 6.
FOLDS = 3

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


@dataclass
class _Item:
    """One parsed train or dev article with its gold spans and paragraph labels."""

    aid: str
    text: str
    doc: Any
    t: TokenTable
    feats: np.ndarray
    spans: list[tuple[int, int, str]]  # gold, offsets in the normalised text
    paragraphs: list[tuple[int, int]]
    paragraph_gold: list[set[str]]


def _read_items(
    ids: list[str], gold: dict[str, Any], settings: Settings, on_progress: Progress | None
) -> list[_Item]:
    """Normalise (as the pipeline does), parse and featurise the articles; an article that
    normalises to nothing is left out."""
    arts: list[tuple[str, str, Article]] = []
    for aid in ids:
        path = gold["articles"][aid]
        raw = path.read_text(encoding="utf-8", errors="replace")
        try:
            arts.append(
                (
                    aid,
                    raw,
                    normalise(text_document(raw, source=str(path), key=aid, meta={}), settings),
                )
            )
        except InputError:
            continue
    docs = parse_texts([a.text for _, _, a in arts], settings, on_progress)
    items = []
    for (aid, raw, art), doc in zip(arts, docs, strict=True):
        t = token_table(doc, art.text)
        spans = []
        for s, e, lab in gold["spans"].get(aid, []):
            ns, ne = art.offsets.span_to_norm(s, e)
            if ne > ns:
                spans.append((ns, ne, lab))
        lines = line_ranges(raw)
        pars = paragraphs(art.text)
        par_gold = []
        for ps, pe in pars:
            rs, re_ = art.offsets.span_to_raw(ps, pe)
            labs: set[str] = set()
            for k, (ls, le) in enumerate(lines, 1):
                if ls < re_ and le > rs:
                    labs |= gold["paragraphs"].get((aid, k), set())
            par_gold.append(labs)
        feats = token_features(t, valence=True).astype(np.int64)
        items.append(_Item(aid, art.text, doc, t, feats, spans, pars, par_gold))
    return items


def _fit_tagger(
    items: list[_Item],
    on_progress: Progress | None,
    soft: Sequence[SoftTargets] = (),
    soft_weight: float = TEACHER_WEIGHT,
    valence: bool = TAGGER_VALENCE,
) -> LinearModel:
    """The token tagger on gold spans, plus ``soft`` targets (a teacher's probabilities on
    unlabelled articles), each of their tokens weighing ``soft_weight`` of a gold token; with
    them it is regularised less (``TEACHER_L2``). ``valence`` adds the word-valence features
    (recorded in the model's meta, which the stage reads)."""
    xs, ys, ws = [], [], []
    for it in items:
        y = _token_labels(it.t, merge_spans((s, e) for s, e, _ in it.spans))
        keep = it.t.a[:, _SPC] == 0
        xs.append(_columns(it.feats[keep], valence))
        ys.append(y[keep])
        ws.append(np.ones(len(ys[-1])))
    for target in soft:
        xs.append(_columns(target.feats, valence))
        ys.append(target.probs.astype(np.float64))
        ws.append(np.full(len(target.probs), soft_weight))
    x = np.concatenate(xs)
    width = x.shape[1]
    rows = Rows(x.ravel(), np.repeat(np.arange(len(x), dtype=np.int64), width), len(x))
    w, b = fit_binary(
        rows, np.concatenate(ys), buckets=SPAN_BUCKETS, l2=TEACHER_L2 if soft else SPAN_L2,
        steps=SPAN_STEPS, step_size=SPAN_STEP, sample_weight=np.concatenate(ws),
        on_progress=on_progress,
    )  # fmt: skip
    return LinearModel(w, np.array([b]), {"valence": True} if valence else {})


def _columns(feats: np.ndarray, valence: bool) -> np.ndarray:
    """Token feature rows (computed with the valence columns last) for a tagger with or
    without them."""
    return feats if valence else feats[:, : feats.shape[1] - VALENCE_WIDTH]


def _span_rows(items: list[_Item], index: dict[str, int]) -> tuple[list[np.ndarray], list[int]]:
    x_lists: list[np.ndarray] = []
    y: list[int] = []
    for it in items:
        for s, e, lab in it.spans:
            if lab not in index:
                continue
            cs = it.doc.char_span(s, max(e, s + 1), alignment_mode="expand")
            if cs is None or not len(cs):
                continue
            x_lists.append(span_features(it.t, cs.start, cs.end - 1, it.text))
            y.append(index[lab])
    return x_lists, y


def _fit_labeler(
    items: list[_Item], labels: list[str], on_progress: Progress | None
) -> LinearModel:
    x_lists, y = _span_rows(items, {lab: k for k, lab in enumerate(labels)})
    w, b = fit_softmax(
        Rows.from_lists(x_lists), np.array(y), classes=len(labels), buckets=LABEL_BUCKETS,
        l2=LABEL_L2, steps=LABEL_STEPS, step_size=LABEL_STEP, on_progress=on_progress,
    )  # fmt: skip
    return LinearModel(w, b, {"labels": labels})


def _probs(it: _Item, tagger: LinearModel) -> np.ndarray:
    p = sigmoid(tagger.dense_scores(_columns(it.feats, bool(tagger.meta.get("valence")))))
    p[it.t.a[:, _SPC] == 1] = 0.0
    return np.asarray(p)


def _gold_si(items: list[_Item]) -> dict[str, list[tuple[int, int]]]:
    return {it.aid: [(s, e) for s, e, _ in it.spans] for it in items}


def _best_decoding(items: list[_Item], probs: dict[str, np.ndarray]) -> tuple[float, float, float]:
    """(span F1, seed threshold, extend threshold) with the best SI F1 on ``probs``."""
    best = (-1.0, 0.5, 0.3)
    gold = _gold_si(items)
    for thr in THRESHOLDS:
        for extend in EXTENDS:
            pred = {
                it.aid: [
                    (it.t.start(i), it.t.end(j))
                    for i, j in decode_spans(it.t, probs[it.aid], thr, extend)
                ]
                for it in items
            }
            f1 = si_scores(pred, gold)["f1"]
            if f1 > best[0] + 1e-12:
                best = (f1, thr, extend)
    return best


@dataclass
class _ParagraphData:
    rows: list[tuple[np.ndarray, np.ndarray]]  # ids, values of each (paragraph, technique) row
    y: list[float]
    article: list[int]  # the item index of each row
    keys: list[tuple[int, int, int]]  # (item, paragraph, technique) of each row
    gold: dict[tuple[int, int], set[int]]  # (item, paragraph): technique indices
    n_gold: int  # gold (paragraph, technique) pairs, with those no row can reach


def _paragraph_data(
    items: list[_Item],
    oof: dict[str, tuple[np.ndarray, list[Candidate]]],
    labels: list[str],
) -> _ParagraphData:
    index = {lab: k for k, lab in enumerate(labels)}
    data = _ParagraphData([], [], [], [], {}, 0)
    for n, it in enumerate(items):
        p, cands = oof[it.aid]
        members = paragraph_candidates(it.t, cands, it.paragraphs)
        rows, where = paragraph_features(it.t, p, cands, it.paragraphs, members)
        for r, g in enumerate(it.paragraph_gold):
            data.n_gold += len(g)
            data.gold[(n, r)] = {index[x] for x in g if x in index}
        if not where:
            continue
        order = np.argsort(rows.rows, kind="stable")
        bounds = np.searchsorted(rows.rows[order], np.arange(rows.n + 1))
        vals = rows.vals if rows.vals is not None else np.ones(len(rows.ids))
        for q, (r, k) in enumerate(where):
            sel = order[bounds[q] : bounds[q + 1]]
            data.rows.append((rows.ids[sel], vals[sel]))
            data.y.append(float(k in data.gold[(n, r)]))
            data.article.append(n)
            data.keys.append((n, r, k))
    return data


def _paragraph_rows(data: _ParagraphData, keep: np.ndarray) -> Rows:
    chosen = [data.rows[q] for q in np.nonzero(keep)[0]]
    rows = Rows.from_lists([ids for ids, _ in chosen])
    vals = np.concatenate([v for _, v in chosen]) if chosen else np.zeros(0)
    return rows.with_values(vals)


def _fit_paragraphs(data: _ParagraphData, keep: np.ndarray) -> LinearModel:
    w, b = fit_binary(
        _paragraph_rows(data, keep), np.array(data.y)[keep], buckets=PARAGRAPH_BUCKETS,
        l2=PARAGRAPH_L2, steps=PARAGRAPH_STEPS, step_size=PARAGRAPH_STEP,
    )  # fmt: skip
    return LinearModel(w, np.array([b]), {})


def _paragraph_threshold(data: _ParagraphData) -> tuple[float, float]:
    """(threshold, micro-F1) of the best paragraph threshold on a two-fold cross-validation
    over the train articles (even and odd items)."""
    art = np.array(data.article)
    scores = np.zeros(len(data.y))
    for part in (0, 1):
        fit_on = art % 2 != part
        if not fit_on.any() or fit_on.all():
            continue
        model = _fit_paragraphs(data, fit_on)
        scores[~fit_on] = sigmoid(model.scores(_paragraph_rows(data, ~fit_on)))
    y = np.array(data.y) == 1.0
    best = (0.5, -1.0)
    for thr in PARAGRAPH_THRESHOLDS:
        pred = scores >= thr
        tp = float((pred & y).sum())
        prec = tp / pred.sum() if pred.sum() else 0.0
        rec = tp / data.n_gold if data.n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f1 > best[1] + 1e-12:
            best = (thr, f1)
    return best


def train_techniques(
    data: Path,
    out_dir: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Progress | None = None,
    unlabelled: Sequence[Path] = (),
    teacher_weight: float = TEACHER_WEIGHT,
    teacher_cache: Path | None = None,
) -> dict[str, Any]:
    """Train the three models on SemEval-2023 train minus dev; write them into ``out_dir``.

    With ``unlabelled`` sources (each read by :func:`presslens.train.teacher.load_unlabelled`),
    v1's tagger and its out-of-fold copies also learn techniques.v4's token probabilities on
    their articles (distillation); the tagger fitted on gold alone is written too, for the
    encoder stages' mix (``techniques_spans_gold.zip``). ``teacher_cache`` keeps v4's
    targets between runs (see :func:`presslens.train.teacher.teacher_targets`)."""
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
    items = _read_items(ids, gold, settings, on_progress)
    train = [it for it in items if it.aid not in dev]
    dev_items = [it for it in items if it.aid in dev]
    labels = [t for t in TECHNIQUES if any(lab == t for it in train for *_, lab in it.spans)]

    soft: list[SoftTargets] = []
    if unlabelled:
        arts = [a for path in unlabelled for a in load_unlabelled(path)]
        soft = teacher_targets(arts, settings, on_progress, cache=teacher_cache)
    gold_tagger = _fit_tagger(train, on_progress, valence=False)
    tagger = _fit_tagger(train, on_progress, soft, teacher_weight)
    labeler = _fit_labeler(train, labels, on_progress)

    # out-of-fold token probabilities and candidates of every train article
    folds = [train[k::FOLDS] for k in range(FOLDS)] if len(train) >= 2 * FOLDS else []
    oof_p: dict[str, np.ndarray] = {}
    oof_models: dict[str, tuple[LinearModel, LinearModel]] = {}
    for k, fold in enumerate(folds):
        rest = [it for j, part in enumerate(folds) if j != k for it in part]
        models = (
            _fit_tagger(rest, on_progress, soft, teacher_weight),
            _fit_labeler(rest, labels, on_progress),
        )
        for it in fold:
            oof_p[it.aid] = _probs(it, models[0])
            oof_models[it.aid] = models
    if folds:
        oof_si, thr, extend = _best_decoding(train, oof_p)
    else:
        oof_si, thr, extend = -1.0, 0.3, 0.15
    span_meta: dict[str, Any] = {"threshold": thr, "extend": extend, **tagger.meta}

    paragraph_model = None
    par_summary: dict[str, Any] = {}
    if folds:
        oof = {
            it.aid: (
                oof_p[it.aid],
                find_candidates(it.t, oof_p[it.aid], it.text, oof_models[it.aid][1], thr, extend),
            )
            for it in train
        }
        pdata = _paragraph_data(train, oof, labels)
        if pdata.y and 0 < sum(pdata.y) < len(pdata.y):
            par_thr, cv_f1 = _paragraph_threshold(pdata)
            model = _fit_paragraphs(pdata, np.ones(len(pdata.y), dtype=bool))
            paragraph_model = LinearModel(model.w, model.b, {"threshold": par_thr})
            par_summary = {"paragraph_threshold": par_thr, "paragraph_cv_f1": round(cv_f1, 4)}

    # dev figures (reported, never used to choose anything)
    dev_probs = {it.aid: _probs(it, tagger) for it in dev_items}
    dev_pred: dict[str, list[tuple[int, int]]] = {}
    for it in dev_items:
        cands = find_candidates(it.t, dev_probs[it.aid], it.text, labeler, thr, extend)
        if paragraph_model is not None:
            picks = paragraph_labels(it.t, dev_probs[it.aid], cands, it.paragraphs, paragraph_model)
            cands = [c for c, pk in zip(cands, picks, strict=True) if pk]
        dev_pred[it.aid] = [(it.t.start(c.i), it.t.end(c.j)) for c in cands]
    si_f1 = si_scores(dev_pred, _gold_si(dev_items))["f1"] if dev_items else 0.0
    dev_acc = 0.0
    dev_x, dev_y = _span_rows(dev_items, {lab: k for k, lab in enumerate(labels)})
    if dev_x:
        pred_lab = labeler.scores(Rows.from_lists(dev_x)).argmax(axis=1)
        dev_acc = float((pred_lab == np.array(dev_y)).mean())

    fingerprint = _fingerprint(list(gold["articles"].values()))
    common = {"version": 2, "data": fingerprint, "train_articles": len(train)}
    span_meta = {**common, **span_meta, "dev_si_f1": round(si_f1, 4)}
    if folds:
        span_meta["oof_si_f1"] = round(oof_si, 4)
    label_meta = {**common, "labels": labels, "dev_accuracy": round(dev_acc, 4)}
    if soft:
        span_meta |= {
            "teacher": "presslens.techniques.v4",
            "teacher_weight": teacher_weight,
            "unlabelled_articles": len(soft),
            "l2": TEACHER_L2,
        }
    n1 = save_model(out_dir / "techniques_spans.zip", LinearModel(tagger.w, tagger.b, span_meta))
    gold_meta = {**common, "gold_only": True}  # decoded by the encoder stages' own thresholds
    n1 += save_model(
        out_dir / Path(GOLD_SPAN_MODEL).name,
        LinearModel(gold_tagger.w, gold_tagger.b, gold_meta),
    )
    n2 = save_model(
        out_dir / "techniques_labels.zip", LinearModel(labeler.w, labeler.b, label_meta)
    )
    n3 = 0
    if paragraph_model is not None:
        meta = {**common, **paragraph_model.meta, "labels": labels}
        n3 = save_model(
            out_dir / "techniques_paragraphs.zip",
            LinearModel(paragraph_model.w, paragraph_model.b, meta),
        )
    return {
        "articles": len(items),
        "dev_articles": len(dev_items),
        "train_tokens": int(sum(int((it.t.a[:, _SPC] == 0).sum()) for it in train)),
        "train_spans": len(_span_rows(train, {lab: k for k, lab in enumerate(labels)})[1]),
        "threshold": thr,
        "extend": extend,
        "unlabelled_articles": len(soft),
        **par_summary,
        "dev_si_f1_semeval_spans": round(si_f1, 4),
        "dev_technique_accuracy_semeval_spans": round(dev_acc, 4),
        "bytes": n1 + n2 + n3,
        "out": str(out_dir),
    }
