"""Score the techniques stage with the standard metrics of its two shared tasks.

PTC (SemEval-2020 Task 11; a folder with ``train-articles/`` and ``train-task1-SI.labels`` /
``train-task2-TC.labels``):

- **SI** (span identification): precision ``Σ_s Σ_t |s∩t| / |s|`` over predicted spans ``s``
  and gold spans ``t`` of the same article, divided by the number of predicted spans; recall
  the same with ``|t|``, divided by the number of gold spans; overlapping spans on either side
  are merged first — the task's partial-overlap definition;
- **TC** (technique classification on gold spans): micro-F1 over the gold (span, technique)
  pairs; a span annotated with k techniques gets the classifier's k best distinct PTC labels.

SemEval-2023 Task 3 subtask 3 (a folder with ``train-articles-subtask-3/`` and
``train-labels-subtask-3.txt``): every listed paragraph (a line of the file) gets the set of
techniques of the predicted spans overlapping it; micro-F1 over (paragraph, technique) pairs.

Predicted spans live on the normalised text and are mapped back to the raw file with the
article's offset map, so gold offsets are compared as annotated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from presslens.errors import InputError
from presslens.eval.metrics import micro_f1_interval
from presslens.model import Article
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
from presslens.settings import Settings

__all__ = [
    "eval_techniques",
    "labelled_span_scores",
    "load_ptc",
    "load_semeval_paragraphs",
    "merge_spans",
    "overlap_rows",
    "paragraph_micro_f1",
    "si_interval",
    "si_scores",
    "tc_micro_f1",
]

Spans = dict[str, list[tuple[int, int]]]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping (or touching) spans merged into one, sorted."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def si_scores(pred: Spans, gold: Spans) -> dict[str, float]:
    """SemEval-2020 Task 11 SI precision, recall and F1 with partial-overlap credit."""
    return _partial_overlap(*_si_sets(pred, gold))


def _partial_overlap(
    pred: dict[str, list[tuple[int, int, str]]], gold: dict[str, list[tuple[int, int, str]]]
) -> dict[str, float]:
    """Precision ``Σ |s∩t| / |s|`` over predicted spans, recall the same over gold spans,
    counting only pairs with the same label (SI passes one empty label for all)."""
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for a, b, c, d in overlap_rows(pred, gold).values():
        p_num += a
        n_pred += int(b)
        r_num += c
        n_gold += int(d)
    p = p_num / n_pred if n_pred else 0.0
    r = r_num / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "gold": n_gold, "predicted": n_pred}


def overlap_rows(
    pred: dict[str, list[tuple[int, int, str]]], gold: dict[str, list[tuple[int, int, str]]]
) -> dict[str, tuple[float, int, float, int]]:
    """Per article: (precision numerator, predicted spans, recall numerator, gold spans) of
    the partial-overlap score; their sums give the corpus figure, their resamples its
    bootstrap interval."""
    out: dict[str, tuple[float, int, float, int]] = {}
    for aid in sorted(set(pred) | set(gold)):
        ps, gs = pred.get(aid, []), gold.get(aid, [])
        p_num = r_num = 0.0
        for s, e, label in ps:
            for gs_, ge, glabel in gs:
                inter = min(e, ge) - max(s, gs_)
                if inter > 0 and label == glabel:
                    p_num += inter / (e - s)
                    r_num += inter / (ge - gs_)
        out[aid] = (p_num, len(ps), r_num, len(gs))
    return out


def _si_sets(pred: Spans, gold: Spans) -> tuple[dict[str, list[tuple[int, int, str]]], ...]:
    """SI's inputs to the partial-overlap score: merged spans, one empty label."""
    return (
        {aid: [(s, e, "") for s, e in merge_spans(spans)] for aid, spans in pred.items()},
        {aid: [(s, e, "") for s, e in merge_spans(spans)] for aid, spans in gold.items()},
    )


def tc_micro_f1(gold: list[list[str]], pred: list[list[str]]) -> dict[str, Any]:
    """Micro-F1 of technique labels on gold spans (one list of labels per distinct span)."""
    tp = n_pred = n_gold = 0
    per: dict[str, Counter[str]] = {}
    for g, p in zip(gold, pred, strict=True):
        common = Counter(g) & Counter(p)
        tp += sum(common.values())
        n_pred += len(p)
        n_gold += len(g)
        for label in g:
            per.setdefault(label, Counter())["gold"] += 1
        for label in p:
            per.setdefault(label, Counter())["predicted"] += 1
        for label, k in common.items():
            per[label]["tp"] += k
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    per_class = {
        label: {
            "gold": c["gold"],
            "predicted": c["predicted"],
            "f1": 2 * c["tp"] / (c["gold"] + c["predicted"]) if c["gold"] + c["predicted"] else 0,
        }
        for label, c in sorted(per.items())
    }
    return {
        "precision": prec,
        "recall": rec,
        "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "gold": n_gold,
        "predicted": n_pred,
        "per_class": per_class,
    }


def paragraph_micro_f1(gold: dict[Any, set[str]], pred: dict[Any, set[str]]) -> dict[str, float]:
    """Micro-F1 over (paragraph, technique) pairs for the paragraphs listed in ``gold``."""
    tp = n_pred = n_gold = 0
    for key, g in gold.items():
        p = pred.get(key, set())
        tp += len(g & p)
        n_pred += len(p)
        n_gold += len(g)
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "gold": n_gold, "predicted": n_pred}


# -- data ------------------------------------------------------------------------------------
def _read_rows(path: Path, width: int) -> list[tuple[int, list[str]]]:
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) != width:
            raise InputError(
                f"expected {width} tab-separated fields, got {len(parts)}: {line[:80]!r}",
                where=f"{path}:{lineno}",
                hint="Check the labels file.",
                code="P531",
            )
        rows.append((lineno, parts))
    return rows


def _int(value: str, where: str) -> int:
    if not value.strip().isdigit():
        raise InputError(
            f"expected a character offset, got {value!r}",
            where=where,
            hint="Check the labels file.",
            code="P531",
        )
    return int(value)


def load_ptc(data: Path) -> dict[str, Any]:
    """PTC: ``{"articles": {id: path}, "si": {id: [(s, e)]}, "tc": {id: [(s, e, label)]}}``."""
    folder = data / "train-articles"
    si_file, tc_file = data / "train-task1-SI.labels", data / "train-task2-TC.labels"
    if not folder.is_dir() or not (si_file.is_file() or tc_file.is_file()):
        raise InputError(
            "no PTC train-articles/ folder with train-task1-SI.labels or train-task2-TC.labels",
            where=str(data),
            hint="Pass the PTC folder (e.g. ../shared/data/ptc).",
            code="P531",
        )
    articles = {p.stem.removeprefix("article"): p for p in sorted(folder.glob("article*.txt"))}
    si: Spans = {}
    tc: dict[str, list[tuple[int, int, str]]] = {}
    if si_file.is_file():
        for lineno, (aid, s, e) in _read_rows(si_file, 3):
            where = f"{si_file}:{lineno}"
            si.setdefault(aid, []).append((_int(s, where), _int(e, where)))
    if tc_file.is_file():
        for lineno, (aid, label, s, e) in _read_rows(tc_file, 4):
            where = f"{tc_file}:{lineno}"
            tc.setdefault(aid, []).append((_int(s, where), _int(e, where), label))
    if not si:  # SI gold is the merged TC spans when only TC labels are given
        si = {aid: [(s, e) for s, e, _ in spans] for aid, spans in tc.items()}
    return {"articles": articles, "si": si, "tc": tc}


def load_semeval_paragraphs(data: Path) -> dict[str, Any]:
    """SemEval-2023 subtask 3: ``{"articles": {id: path}, "paragraphs": {(id, line): set}}``
    and the gold spans ``{"spans": {id: [(s, e, label)]}}`` when the spans folder exists."""
    labels = data / "train-labels-subtask-3.txt"
    folder = data / "train-articles-subtask-3"
    if not labels.is_file() or not folder.is_dir():
        raise InputError(
            "no SemEval-2023 train-labels-subtask-3.txt and train-articles-subtask-3/ found",
            where=str(data),
            hint="Pass the SemEval-2023 folder (e.g. ../shared/data/semeval2023).",
            code="P531",
        )
    articles = {p.stem.removeprefix("article"): p for p in sorted(folder.glob("article*.txt"))}
    paragraphs: dict[tuple[str, int], set[str]] = {}
    for lineno, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) not in (2, 3):
            raise InputError(
                f"expected 'id<TAB>line<TAB>techniques', got {line[:80]!r}",
                where=f"{labels}:{lineno}",
                hint="Check the labels file.",
                code="P531",
            )
        techs = {x for x in (parts[2] if len(parts) == 3 else "").split(",") if x.strip()}
        paragraphs[(parts[0], _int(parts[1], f"{labels}:{lineno}"))] = techs
    spans: dict[str, list[tuple[int, int, str]]] = {}
    span_dir = data / "train-labels-subtask-3-spans"
    if span_dir.is_dir():
        for f in sorted(span_dir.glob("*.txt")):
            for lineno, (aid, label, s, e) in _read_rows(f, 4):
                where = f"{f}:{lineno}"
                spans.setdefault(aid, []).append((_int(s, where), _int(e, where), label))
    return {"articles": articles, "paragraphs": paragraphs, "spans": spans}


def line_ranges(raw: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of the raw file (line k is ``ranges[k - 1]``)."""
    out = []
    pos = 0
    for line in raw.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


# -- scoring the stage ----------------------------------------------------------------------
def _pipeline(settings: Settings, impl: str | None = None) -> Pipeline:
    config = default_config()
    config["pipeline"]["stages"] = ["spacy", "techniques"]
    if impl:
        config["stages"]["techniques"] = {"impl": impl}
    return Pipeline.from_config(config, settings)


def _impl_name(impl: str | None) -> str:
    return impl or str(default_config()["stages"]["techniques"]["impl"])


def _analyse(
    items: list[tuple[str, Path]],
    settings: Settings,
    on_progress: Callable[[int, int], None] | None,
    impl: str | None = None,
) -> dict[str, tuple[str, Article]]:
    """Read, normalise and analyse ``(id, path)`` items; ``{id: (raw text, article)}``."""
    pipeline = _pipeline(settings, impl)
    out: dict[str, tuple[str, Article]] = {}
    batch: list[tuple[str, str, Article]] = []

    def flush() -> None:
        done, _failed = pipeline.run([a for _, _, a in batch])
        by_id = {a.id: a for a in done}
        for aid, raw, art in batch:
            if art.id in by_id:
                out[aid] = (raw, by_id[art.id])
        batch.clear()

    for k, (aid, path) in enumerate(items, 1):
        raw = path.read_text(encoding="utf-8", errors="replace")
        try:
            art = normalise(text_document(raw, source=str(path), key=aid, meta={}), settings)
        except InputError:
            continue
        art._doc = None
        batch.append((aid, raw, art))
        if len(batch) >= settings.batch_size:
            flush()
        if on_progress:
            on_progress(k, len(items))
    flush()
    return out


def _select(ids: Iterable[str], split: str) -> list[str]:
    from presslens.train.linear import dev_ids

    ids = sorted(ids)
    if split == "all":
        return ids
    dev = dev_ids()
    return [i for i in ids if (i in dev) == (split == "dev")]


def eval_techniques(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    split: str = "dev",
    impl: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    confidence_bars: Sequence[float] = (),
) -> dict[str, Any]:
    """Score the techniques stage on PTC or SemEval-2023 data (the format is detected);
    ``impl`` picks another techniques implementation than the default pipeline's;
    ``confidence_bars`` adds ``by_confidence``: the same scores over the spans whose
    confidence reaches each bar (one analysis, filtered)."""
    score = _eval_ptc if (data / "train-articles").is_dir() else _eval_semeval
    report = score(
        data,
        settings,
        limit=limit,
        split=split,
        impl=impl,
        on_progress=on_progress,
        bars=confidence_bars,
    )
    report["stage"] = _impl_name(impl)
    return report


def _raw_spans(art: Article, min_confidence: float | None = None) -> list[tuple[int, int, str]]:
    """The article's technique spans in raw-file offsets; with ``min_confidence``, only those
    whose ``attrs.confidence`` reaches it (as ``presslens rhetoric --min-confidence`` lists)."""
    out = []
    for s in art.layer("techniques"):
        if min_confidence is not None and not s.reaches(min_confidence):
            continue
        rs, re_ = art.raw_span(s)
        out.append((rs, re_, s.label))
    return out


def labelled_span_scores(
    pred: dict[str, list[tuple[int, int, str]]], gold: dict[str, list[tuple[int, int, str]]]
) -> dict[str, float]:
    """Span and technique together (SemEval-2020 Task 11's full task): the SI formula, but a
    predicted span earns overlap credit only from gold spans of its technique; spans are not
    merged (two techniques may cover the same words), only deduplicated."""
    return _partial_overlap(*_labelled_sets(pred, gold))


def _labelled_sets(
    pred: dict[str, list[tuple[int, int, str]]], gold: dict[str, list[tuple[int, int, str]]]
) -> tuple[dict[str, list[tuple[int, int, str]]], ...]:
    return (
        {aid: sorted(set(spans)) for aid, spans in pred.items()},
        {aid: sorted(set(spans)) for aid, spans in gold.items()},
    )


def si_interval(pred: Spans, gold: Spans) -> dict[str, Any]:
    """Bootstrap interval of :func:`si_scores`' F1, articles resampled."""
    return micro_f1_interval(list(overlap_rows(*_si_sets(pred, gold)).values()))


def _eval_ptc(
    data: Path,
    settings: Settings,
    *,
    limit: int | None,
    split: str,
    impl: str | None,
    on_progress: Callable[[int, int], None] | None,
    bars: Sequence[float] = (),
) -> dict[str, Any]:
    from presslens.stages.techniques import (
        TECHNIQUE_TO_PTC,
        _models,
        classify_spans,
        token_table,
    )

    gold = load_ptc(data)
    ids = _select(gold["articles"], split)[:limit]
    analysed = _analyse([(i, gold["articles"][i]) for i in ids], settings, on_progress, impl)
    gold_si = {aid: gold["si"].get(aid, []) for aid in analysed}
    gold_tc = {aid: gold["tc"].get(aid, []) for aid in analysed}

    def spans_at(bar: float | None) -> dict[str, Any]:
        raw = {aid: _raw_spans(art, bar) for aid, (_, art) in analysed.items()}
        pred_si = {aid: [(s, e) for s, e, _ in spans] for aid, spans in raw.items()}
        ptc = {
            aid: [(s, e, TECHNIQUE_TO_PTC.get(label, label)) for s, e, label in spans]
            for aid, spans in raw.items()
        }
        labelled = None
        if any(gold_tc.values()):
            labelled = {
                **labelled_span_scores(ptc, gold_tc),
                "f1_interval": micro_f1_interval(
                    list(overlap_rows(*_labelled_sets(ptc, gold_tc)).values())
                ),
            }
        return {
            "spans": sum(len(v) for v in raw.values()),
            "si": {**si_scores(pred_si, gold_si), "f1_interval": si_interval(pred_si, gold_si)},
            "labelled": labelled,
        }

    overall = spans_at(None)
    si = overall["si"]
    # TC: classify the gold spans (mapped into the normalised text) with the stage's model
    nlp_model = settings.spacy_model
    from presslens.nlp import load_nlp

    nlp = load_nlp(nlp_model)
    _, label_model = _models()
    labels: list[str] = label_model.meta["labels"]
    tc_gold: list[list[str]] = []
    tc_pred: list[list[str]] = []
    tc_rows: list[list[int]] = []  # per article: tp, predicted, tp, gold (for the interval)
    for aid, (_, art) in analysed.items():
        by_span: dict[tuple[int, int], list[str]] = {}
        for s, e, label in gold["tc"].get(aid, []):
            by_span.setdefault((s, e), []).append(label)
        if not by_span:
            continue
        first = len(tc_gold)
        doc = nlp(art.text)
        table = token_table(doc, art.text)
        tok_spans = []
        keys = []
        for (s, e), labs in sorted(by_span.items()):
            ns, ne = art.offsets.span_to_norm(s, e)
            cs = doc.char_span(ns, max(ne, ns + 1), alignment_mode="expand")
            if cs is None or len(cs) == 0:
                tc_gold.append(labs)
                tc_pred.append([])
                continue
            tok_spans.append((cs.start, cs.end - 1))
            keys.append(labs)
        probs = classify_spans(table, tok_spans, art.text, label_model)
        for labs, row in zip(keys, probs, strict=True):
            agg: dict[str, float] = {}
            for k, prob in enumerate(row):
                ptc = TECHNIQUE_TO_PTC[labels[k]]
                agg[ptc] = agg.get(ptc, 0.0) + float(prob)
            ranked = sorted(agg, key=lambda x: -agg[x])
            tc_gold.append(labs)
            tc_pred.append(ranked[: len(labs)])
        pairs = list(zip(tc_gold[first:], tc_pred[first:], strict=True))
        tp = sum(sum((Counter(g) & Counter(p)).values()) for g, p in pairs)
        tc_rows.append([tp, sum(len(p) for _, p in pairs), tp, sum(len(g) for g, _ in pairs)])
    tc = {**tc_micro_f1(tc_gold, tc_pred), "f1_interval": micro_f1_interval(tc_rows)}
    words = sum(len(a.text.split()) for _, a in analysed.values())
    n_pred = sum(len(a.layer("techniques")) for _, a in analysed.values())
    return {
        "format": "ptc",
        "split": split,
        "articles": len(analysed),
        "skipped": len(ids) - len(analysed),
        "si": si,
        "labelled": overall["labelled"],
        "tc": tc,
        "techniques_per_1000_words": 1000 * n_pred / words if words else 0.0,
        **(
            {"by_confidence": [{"min_confidence": b, **spans_at(b)} for b in sorted(set(bars))]}
            if bars
            else {}
        ),
        "data": str(data),
    }


def _eval_semeval(
    data: Path,
    settings: Settings,
    *,
    limit: int | None,
    split: str,
    impl: str | None,
    on_progress: Callable[[int, int], None] | None,
    bars: Sequence[float] = (),
) -> dict[str, Any]:
    gold = load_semeval_paragraphs(data)
    ids = _select({aid for aid, _ in gold["paragraphs"]} & set(gold["articles"]), split)[:limit]
    analysed = _analyse([(i, gold["articles"][i]) for i in ids], settings, on_progress, impl)

    def paragraphs_at(
        bar: float | None,
    ) -> tuple[dict[tuple[str, int], set[str]], dict[tuple[str, int], set[str]]]:
        gold_par: dict[tuple[str, int], set[str]] = {}
        pred_par: dict[tuple[str, int], set[str]] = {}
        for aid, (raw, art) in analysed.items():
            ranges = line_ranges(raw)
            spans = _raw_spans(art, bar)
            for (pid, line), techs in gold["paragraphs"].items():
                if pid != aid or not 1 <= line <= len(ranges):
                    continue
                ls, le = ranges[line - 1]
                gold_par[(aid, line)] = techs
                pred_par[(aid, line)] = {lab for s, e, lab in spans if s < le and e > ls}
        return gold_par, pred_par

    gold_par, pred_par = paragraphs_at(None)
    scores: dict[str, Any] = {**paragraph_micro_f1(gold_par, pred_par)}
    by_article: dict[str, list[int]] = {}
    for (aid, line), g in gold_par.items():
        p = pred_par.get((aid, line), set())
        row = by_article.setdefault(aid, [0, 0, 0, 0])
        row[0] += len(g & p)
        row[1] += len(p)
        row[2] += len(g & p)
        row[3] += len(g)
    scores["f1_interval"] = micro_f1_interval(list(by_article.values()))
    per_label: dict[str, dict[str, int]] = {}
    for key, g in gold_par.items():
        p = pred_par.get(key, set())
        for lab in g | p:
            c = per_label.setdefault(lab, {"gold": 0, "predicted": 0, "tp": 0})
            c["gold"] += lab in g
            c["predicted"] += lab in p
            c["tp"] += lab in g and lab in p
    return {
        "format": "semeval2023",
        "split": split,
        "articles": len(analysed),
        "skipped": len(ids) - len(analysed),
        "paragraphs": len(gold_par),
        "paragraph": scores,
        "per_class": {
            lab: {
                **c,
                "f1": 2 * c["tp"] / (c["gold"] + c["predicted"])
                if c["gold"] + c["predicted"]
                else 0.0,
            }
            for lab, c in sorted(per_label.items())
        },
        **(
            {
                "by_confidence": [
                    {"min_confidence": b, "paragraph": paragraph_micro_f1(*paragraphs_at(b))}
                    for b in sorted(set(bars))
                ]
            }
            if bars
            else {}
        ),
        "data": str(data),
    }
