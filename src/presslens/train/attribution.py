"""Train the attribution stage's learned scorer on PolNeAR and write its artifact.

``presslens train attribution`` runs :func:`train_attribution`, which reproduces
``presslens/data/attribution_scorer.json`` byte for byte from the same data:

1. parse the train split (readers, spaCy and entity stages, as the pipeline does) and collect
   every candidate of the attribution rules, the open rules included
   (:func:`presslens.stages.attributions.attribution_candidates`);
2. label each candidate: positive when its cue overlaps a gold cue and its content overlaps
   that relation's content (a candidate without a cue: when its content overlaps a gold
   content) and no other candidate matches that relation better (:func:`winner_labels`:
   two readings of one statement compete, as the eval counts them); spans are compared after
   :func:`presslens.eval.attribution.trim`;
3. fit a logistic regression over :func:`presslens.stages.attributions.candidate_features`
   (features seen at least :data:`MIN_FEATURE_COUNT` times; full-batch gradient descent from
   zero weights, so the result has no random seed to fix) — the first stage;
4. fit the second stage (:mod:`presslens.stages.attribution_stack`): the first stage is
   refitted :data:`FOLDS` times, each time without one fold of the articles, to score that
   fold's candidates (out-of-fold probabilities), and a second logistic regression learns
   from those probabilities and each candidate's competitors;
5. fit the two boundary models of :mod:`presslens.stages.attribution_bounds` the same way:
   for every train candidate whose cue (content) overlaps a gold cue (content), each unit
   offered next to the cue (at the content's edges) is an example, labelled by whether the
   gold span includes it (leaves it out), walking along the gold span (teacher forcing);
   then the content-edge chooser of :mod:`presslens.stages.attribution_edges`: every
   alternative edge of each best-matching candidate (after cue widening and trimming) is an
   example, labelled by whether it is the gold content's edge (:func:`content_edge_examples`);
6. choose the threshold by cross-validation on train — each train article scored by the
   first-stage model that did not see it — maximising the mean of the issue's four target
   figures (source, cue and content exact F1, content overlap F1), scored exactly as
   ``presslens eval attribution`` scores; dev is then only reported (``dev``, and
   ``dev_best_threshold``, the threshold dev alone would have chosen).

The artifact records the training data's fingerprint (file count and a SHA-256 over the sorted
file names and sizes of the train split), so a test can tell whether it was built from the
data at hand.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from presslens.errors import InputError
from presslens.eval.attribution import load_polnear, map_gold, score_articles, trim
from presslens.eval.brat import GoldRelation, read_ann
from presslens.model import Article
from presslens.pipeline import default_config
from presslens.readers import read_articles
from presslens.registry import build_stage
from presslens.settings import Settings
from presslens.stages.attribution_bounds import (
    MAX_DROPS,
    MAX_STEPS,
    add_unit,
    choose,
    content_adjustable,
    content_unit_features,
    content_units,
    drop_unit,
    extend_cue,
    next_units,
    trim_content,
    unit_features,
)
from presslens.stages.attribution_cues import (
    choose_cue_edges,
    cue_adjustable,
    cue_edge_features,
    cue_edge_options,
)
from presslens.stages.attribution_edges import edge_adjustable, edge_features, edge_options
from presslens.stages.attribution_rules import Candidate
from presslens.stages.attribution_stack import LOGIT, context_features, stack_logit
from presslens.stages.attributions import (
    SCORER_FORMAT,
    AttributionOptions,
    LearnedScorer,
    attribution_candidates,
    candidate_features,
    extract_attributions,
    select_attributions,
)

__all__ = [
    "data_fingerprint",
    "fit_logistic",
    "label_candidate",
    "parse_split",
    "train_attribution",
    "train_from_items",
]

Item = tuple[Article, list[GoldRelation]]

#: Features seen fewer times than this in the train candidates get no weight (rare lemmas
#: would otherwise be fitted to one or two examples).
MIN_FEATURE_COUNT = 3
#: L2 penalty per example (swept 1e-5, 1e-4, 1e-3 on PolNeAR dev: 1e-5 best by 0.001-0.008).
L2 = 1e-5
#: Gradient-descent steps and step size (AdaGrad); 3000 beat 400 and 1500 on PolNeAR dev.
STEPS = 3000
STEP_SIZE = 0.5
#: Thresholds tried on dev (reported, not chosen there) and, by cross-validation, on train.
THRESHOLDS = tuple(round(0.2 + 0.025 * i, 3) for i in range(25))
TRAIN_THRESHOLDS = tuple(round(0.3 + 0.025 * i, 3) for i in range(11))
#: Weights are rounded to this many decimals: a smaller file, identical across platforms.
DECIMALS = 4
#: The content-edge model keeps features seen at least this often (its templates cross
#: words with rules; 3 would more than double the artifact for no gain on PolNeAR dev).
EDGE_MIN_COUNT = 10
#: ... and is stored with 3 decimals, weights under 0.005 left out (PolNeAR dev figures
#: identical to 4 decimals and all weights; the file 80 KB smaller).
EDGE_DECIMALS = 3
EDGE_MIN_WEIGHT = 0.005
#: The cue-edge model keeps features seen at least this often, 3 decimals, weights under
#: 0.005 left out (the artifact must stay under 1.5 MB).
CUE_EDGE_MIN_COUNT = 30
#: Whether the unit-by-unit cue widening runs before the cue-edge chooser. v8 replaced it:
#: the chooser alone reads higher (PolNeAR dev cue exact F1 0.7134 against 0.7111 with
#: both; train, both cross-validated, 0.7130 against 0.7092) and the artifact is 115 KB
#: smaller. Kept switchable so the comparison can be rerun.
WIDEN_CUES = False
#: Folds of the out-of-fold first-stage probabilities the second stage learns from.
FOLDS = 5
#: The default pipeline's stages that run before the attribution stage.
PARSE_STAGES = ("spacy", "entities")


def data_fingerprint(data: Path) -> dict[str, Any]:
    """File count and SHA-256 over the sorted ``relative/name<TAB>size`` lines of a split."""
    files = sorted(p for p in Path(data).rglob("*") if p.is_file())
    lines = [f"{p.relative_to(data).as_posix()}\t{p.stat().st_size}\n" for p in files]
    digest = hashlib.sha256("".join(sorted(lines)).encode("utf-8")).hexdigest()
    return {"files": len(files), "sha256": digest}


def parse_split(
    data: Path,
    settings: Settings,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Item]:
    """Articles of a PolNeAR-style split, parsed up to the attribution stage (their spaCy Doc
    kept), each with its gold relations in normalised offsets."""
    items = load_polnear(Path(data))
    config = default_config()
    stages = [
        build_stage(
            config["stages"][name]["impl"],
            settings,
            {k: v for k, v in config["stages"][name].items() if k != "impl"},
        )
        for name in PARSE_STAGES
    ]
    gold = {stem: read_ann(ann) for stem, _, ann in items}
    by_stem: dict[str, Article] = {}
    for art in read_articles([str(path) for _, path, _ in items], settings):
        if isinstance(art, InputError):
            continue  # eval reports unreadable files; training just has one article fewer
        by_stem[Path(art.source).stem] = art
    todo = [(stem, by_stem[stem]) for stem, _, _ in items if stem in by_stem]
    out: list[Item] = []
    size = max(1, settings.batch_size)
    for n in range(0, len(todo), size):
        batch = [art for _, art in todo[n : n + size]]
        for fn in stages:
            batch = fn(batch)
        out.extend(
            (art, map_gold(art, gold[stem]))
            for (stem, _), art in zip(todo[n : n + size], batch, strict=True)
        )
        if on_progress:
            on_progress(min(n + size, len(todo)), len(todo))
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def label_candidate(cand: Candidate, gold: Sequence[GoldRelation], text: str) -> int:
    """1 when the candidate matches a gold relation (see the module docs), else 0."""
    content = trim(text, *cand.content)
    for rel in gold:
        if rel.content is None or not _overlaps(content, trim(text, *rel.content)):
            continue
        if cand.cue is None or (
            rel.cue is not None and _overlaps(trim(text, *cand.cue), trim(text, *rel.cue))
        ):
            return 1
    return 0


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    union = max(a[1], b[1]) - min(a[0], b[0])
    return max(0, min(a[1], b[1]) - max(a[0], b[0])) / union if union else 0.0


def winner_labels(group: Group, gold: Sequence[GoldRelation], text: str) -> list[int]:
    """The second stage's labels: of the candidates matching a gold relation
    (:func:`label_candidate`), only those that match it best — content overlap (Jaccard),
    plus half the cue's, plus half for the exact source — are positive. Two readings of one
    statement (nested clauses, a quote with and without its continuation) then compete
    instead of both being right, as the scorer's figures count them."""
    won: set[int] = set()
    for rel in gold:
        if rel.content is None:
            continue
        g_content = trim(text, *rel.content)
        g_cue = trim(text, *rel.cue) if rel.cue is not None else None
        g_source = trim(text, *rel.source) if rel.source is not None else None
        best, who = -1.0, []
        for k, (cand, _, label) in enumerate(group):
            content = trim(text, *cand.content)
            if not label or not _overlaps(content, g_content):
                continue
            value = _jaccard(content, g_content)
            if cand.cue is not None:
                if g_cue is None or not _overlaps(trim(text, *cand.cue), g_cue):
                    continue
                value += 0.5 * _jaccard(trim(text, *cand.cue), g_cue)
            if cand.source is not None and g_source is not None:
                value += 0.5 * (trim(text, *cand.source) == g_source)
            if value > best + 1e-9:
                best, who = value, [k]
            elif abs(value - best) <= 1e-9:
                who.append(k)
        won.update(who)
    return [int(k in won) for k in range(len(group))]


def fit_logistic(
    rows: Sequence[Sequence[int]],
    y: Sequence[int],
    n_features: int,
    *,
    l2: float = L2,
    steps: int = STEPS,
    step_size: float = STEP_SIZE,
    values: Sequence[Sequence[float]] | None = None,
) -> np.ndarray:
    """Weights of an L2-regularised logistic regression over binary features.

    ``rows[i]`` lists the feature indices set in example ``i``; ``values[i]``, when given,
    their values (else 1). Full-batch AdaGrad from zero weights: deterministic.
    """
    n = len(rows)
    row_idx = np.repeat(np.arange(n), [len(r) for r in rows])
    col_idx = np.fromiter((j for r in rows for j in r), dtype=np.int64, count=len(row_idx))
    val = (
        None
        if values is None
        else np.fromiter((v for r in values for v in r), dtype=np.float64, count=len(row_idx))
    )
    target = np.asarray(y, dtype=np.float64)
    w = np.zeros(n_features)
    acc = np.full(n_features, 1e-8)
    for _ in range(steps):
        wx = w[col_idx] if val is None else w[col_idx] * val
        z = np.bincount(row_idx, weights=wx, minlength=n)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = (p - target)[row_idx] if val is None else (p - target)[row_idx] * val
        grad = np.bincount(col_idx, weights=err, minlength=n_features) / n
        grad += l2 * w
        acc += grad * grad
        w -= step_size * grad / np.sqrt(acc)
    return w


#: One article's candidates with their first-stage features and labels.
Group = list[tuple[Candidate, list[str], int]]


def _candidates(
    items: Sequence[Item],
    steps: list[tuple[list[str], int]] | None,
    drops: list[tuple[list[str], int]] | None = None,
) -> list[Group]:
    """Every train candidate with its features and label, grouped by article; ``steps``
    (unless None) receives the cue-widening examples (:func:`_cue_step_examples`)."""
    out: list[Group] = []
    options = AttributionOptions()
    for art, gold in items:
        doc, text = art._doc, art.text
        gold_cues = [trim(text, *rel.cue) for rel in gold if rel.cue is not None]
        gold_contents = [trim(text, *rel.content) for rel in gold if rel.content is not None]
        group: Group = []
        out.append(group)
        for cand in attribution_candidates(art, options=options, open_rules=True):
            group.append((cand, candidate_features(cand, doc), label_candidate(cand, gold, text)))
            if steps is not None and cand.cue is not None:
                steps.extend(_cue_step_examples(doc, cand, gold_cues, text))
            if drops is not None and content_adjustable(cand):
                drops.extend(_content_drop_examples(doc, cand, gold_contents, text))
    return out


def _best_overlap(
    own: tuple[int, int], gold_contents: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """The gold content sharing the most characters with ``own`` (None when none overlaps)."""
    return max(
        (g for g in gold_contents if _overlaps(own, g)),
        key=lambda g: min(g[1], own[1]) - max(g[0], own[0]),
        default=None,
    )


def _content_drop_examples(
    doc: Any, cand: Candidate, gold_contents: Sequence[tuple[int, int]], text: str
) -> list[tuple[list[str], int]]:
    """Every droppable unit of the candidate's content, labelled 1 when the gold content it
    overlaps most leaves the unit out; the walk follows the gold content."""
    own = trim(text, *cand.content)
    hit = _best_overlap(own, gold_contents)
    if hit is None:
        return []
    work = dataclasses.replace(cand)
    out: list[tuple[list[str], int]] = []
    for side in ("R", "L"):
        for _ in range(MAX_DROPS):
            units = [u for u in content_units(doc, work.content) if u.side == side]
            drop = []
            for unit in units:
                if side == "R":
                    label = int(hit[1] <= doc[unit.first].idx)
                else:
                    last = doc[unit.last]
                    label = int(hit[0] >= last.idx + len(last.text))
                out.append((content_unit_features(doc, work, unit), label))
                if label:
                    drop.append(unit)
            if not drop:
                break
            drop_unit(doc, text, work, max(drop, key=lambda u: u.last - u.first))
    return out


def _cue_edge_examples(
    items: Sequence[Item], groups: Sequence[Group], cue_steps: dict[str, float]
) -> list[tuple[list[str], int]]:
    """The cue-edge model's examples: the alternative cue edges of every train candidate
    that best matches a gold statement (:func:`winner_labels`), after the cue widening."""
    out: list[tuple[list[str], int]] = []
    for (art, gold), group in zip(items, groups, strict=True):
        doc, text = art._doc, art.text
        gold_cues = [trim(text, *rel.cue) for rel in gold if rel.cue is not None]
        for cand, _, label in group:
            if not label or not cue_adjustable(cand):
                continue
            work = copy.deepcopy(cand)
            extend_cue(work, doc, text, cue_steps)
            out.extend(cue_edge_examples(doc, work, gold_cues, text))
    return out


def cue_edge_examples(
    doc: Any, cand: Candidate, gold_cues: Sequence[tuple[int, int]], text: str
) -> list[tuple[list[str], int]]:
    """Every alternative edge of the candidate's cue (:func:`cue_edge_options`), labelled 1
    when it is the edge of the gold cue the cue overlaps most; a side none of whose
    alternatives is gold teaches nothing and is left out."""
    if cand.cue is None:
        return []
    return _labelled_edges(
        doc, cand, cand.cue, gold_cues, text, cue_edge_options, cue_edge_features
    )


def _labelled_edges(
    doc: Any,
    cand: Candidate,
    span: tuple[int, int],
    golds: Sequence[tuple[int, int]],
    text: str,
    options_of: Callable[[Any, Candidate, str], Sequence[Any]],
    features_of: Callable[[Any, Candidate, Any, int], list[str]],
) -> list[tuple[list[str], int]]:
    """The alternative edges ``options_of`` offers for ``span`` (the candidate's cue or
    content), each with ``features_of`` and labelled 1 when it is the edge of the gold span
    that ``span`` overlaps most; a side none of whose alternatives is gold is left out."""
    hit = _best_overlap(trim(text, *span), golds)
    if hit is None:
        return []
    options = options_of(doc, cand, text)
    anchors = {e.side: e.i for e in options if e.delta == 0}
    out: list[tuple[list[str], int]] = []
    for side in ("S", "E"):
        rows = []
        for edge in options:
            if edge.side != side:
                continue
            tok = doc[edge.i]
            if side == "S":
                label = trim(text, tok.idx, span[1])[0] == hit[0]
            else:
                label = trim(text, span[0], tok.idx + len(tok.text))[1] == hit[1]
            rows.append((features_of(doc, cand, edge, anchors[side]), int(label)))
        if any(label for _, label in rows):
            out.extend(rows)
    return out


def _edge_examples(
    items: Sequence[Item],
    groups: Sequence[Group],
    cue_steps: dict[str, float],
    content_drops: dict[str, float],
    cue_edges: dict[str, float] | None = None,
) -> list[tuple[list[str], int]]:
    """The content-edge model's examples: the alternative edges of every train candidate that
    best matches a gold statement (:func:`winner_labels`), after the cue widening, cue edges
    and trimming the stage applies before choosing edges."""
    out: list[tuple[list[str], int]] = []
    for (art, gold), group in zip(items, groups, strict=True):
        doc, text = art._doc, art.text
        gold_contents = [trim(text, *rel.content) for rel in gold if rel.content is not None]
        for cand, _, label in group:
            if not label or not edge_adjustable(cand):
                continue
            work = copy.deepcopy(cand)
            extend_cue(work, doc, text, cue_steps)
            choose_cue_edges(work, doc, text, cue_edges or {})
            trim_content(work, doc, text, content_drops)
            out.extend(content_edge_examples(doc, work, gold_contents, text))
    return out


def content_edge_examples(
    doc: Any, cand: Candidate, gold_contents: Sequence[tuple[int, int]], text: str
) -> list[tuple[list[str], int]]:
    """Every alternative edge of the candidate's content (:func:`edge_options`), labelled 1
    when it is the edge of the gold content the content overlaps most (after trimming); a
    side none of whose alternatives is gold teaches nothing and is left out."""
    if not edge_adjustable(cand):
        return []
    return _labelled_edges(
        doc, cand, cand.content, gold_contents, text, edge_options, edge_features
    )


def _cue_step_examples(
    doc: Any, cand: Candidate, gold_cues: Sequence[tuple[int, int]], text: str
) -> list[tuple[list[str], int]]:
    """Every unit offered next to the candidate's cue, labelled 1 when the gold cue it
    overlaps most includes the unit; the walk follows the gold cue (teacher forcing)."""
    assert cand.cue is not None
    own = trim(text, *cand.cue)
    hit = max(
        (g for g in gold_cues if _overlaps(own, g)),
        key=lambda g: min(g[1], own[1]) - max(g[0], own[0]),
        default=None,
    )
    if hit is None:
        return []
    work = dataclasses.replace(cand)
    out: list[tuple[list[str], int]] = []
    cue = cand.cue
    for side in ("L", "R"):
        for _ in range(MAX_STEPS):
            units = [u for u in next_units(doc, work, cue) if u.side == side]
            labels = []
            for unit in units:
                start = doc[unit.first].idx
                end = doc[unit.last].idx + len(doc[unit.last].text)
                labels.append(hit[0] <= start and end <= hit[1])
                out.append((unit_features(doc, work, cue, unit), int(labels[-1])))
            chosen = choose(units, labels)
            if chosen is None:
                break
            cue = add_unit(doc, text, work, cue, chosen)
    return out


def _objective(report: dict[str, Any]) -> float:
    spans = report["spans"]
    return (
        spans["source"]["exact"]["f1"]
        + spans["cue"]["exact"]["f1"]
        + spans["content"]["exact"]["f1"]
        + spans["content"]["overlap"]["f1"]
    ) / 4


def _figures(report: dict[str, Any]) -> dict[str, float]:
    spans = report["spans"]
    return {
        "source_exact_f1": round(spans["source"]["exact"]["f1"], 4),
        "cue_exact_f1": round(spans["cue"]["exact"]["f1"], 4),
        "content_exact_f1": round(spans["content"]["exact"]["f1"], 4),
        "content_overlap_f1": round(spans["content"]["overlap"]["f1"], 4),
    }


def _fit_weights(
    examples: Sequence[tuple[list[str], int]],
    min_count: int = MIN_FEATURE_COUNT,
    decimals: int = DECIMALS,
    min_weight: float = 0.5e-4,
) -> dict[str, float]:
    """Logistic-regression weights over the features seen at least ``min_count`` times,
    rounded to ``decimals``, those under ``min_weight`` in size dropped."""
    counts = Counter(f for feats, _ in examples for f in set(feats))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows = [sorted({index[f] for f in feats if f in index}) for feats, _ in examples]
    y = [label for _, label in examples]
    if not examples:
        return {}
    w = fit_logistic(rows, y, len(vocab), l2=L2, steps=STEPS, step_size=STEP_SIZE)
    return {
        f: round(float(v), decimals) for f, v in zip(vocab, w, strict=True) if abs(v) >= min_weight
    }


def _probability(weights: dict[str, float], feats: Sequence[str]) -> float:
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def fold_weights(groups: Sequence[Group], folds: int = FOLDS) -> list[dict[str, float]]:
    """First-stage weights fitted without each fold's articles (article ``a`` is in fold
    ``a % folds``)."""
    return [
        _fit_weights([(f, y) for a, g in enumerate(groups) if a % folds != k for _, f, y in g])
        for k in range(folds)
    ]


def oof_probabilities(
    groups: Sequence[Group], weights: Sequence[dict[str, float]]
) -> list[list[float]]:
    """Each candidate's first-stage probability from the model of :func:`fold_weights` that
    did not see its article: honest scores to train the second stage on."""
    return [
        [_probability(weights[a % len(weights)], f) for _, f, _ in g] for a, g in enumerate(groups)
    ]


def fit_stack(
    groups: Sequence[Group],
    docs: Sequence[Any],
    probs: Sequence[Sequence[float]],
    labels: Sequence[Sequence[int]],
) -> dict[str, float]:
    """The second stage's weights (:mod:`presslens.stages.attribution_stack`): a logistic
    regression over the candidates' context features and first-stage logit, fitted to
    ``labels`` (:func:`winner_labels`)."""
    examples: list[tuple[list[str], float, int]] = []
    for group, doc, ps, ys in zip(groups, docs, probs, labels, strict=True):
        feats = context_features([c for c, _, _ in group], ps, doc)
        for f, p, label in zip(feats, ps, ys, strict=True):
            examples.append((f, stack_logit(p), label))
    counts = Counter(f for feats, _, _ in examples for f in set(feats))
    vocab = [LOGIT, *sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)]
    index = {f: i for i, f in enumerate(vocab)}
    rows = [[0, *sorted({index[f] for f in feats if f in index})] for feats, _, _ in examples]
    values = [[x] + [1.0] * (len(r) - 1) for r, (_, x, _) in zip(rows, examples, strict=True)]
    if not examples:
        return {}
    w = fit_logistic(rows, [e[2] for e in examples], len(vocab), values=values)
    return {f: round(float(v), DECIMALS) for f, v in zip(vocab, w, strict=True) if abs(v) >= 0.5e-4}


def evaluate(items: Sequence[Item], scorer: LearnedScorer, min_score: float) -> dict[str, Any]:
    """Score the stage with ``scorer`` at threshold ``min_score`` on parsed items."""
    options = AttributionOptions(min_score=min_score)
    for art, _ in items:
        extract_attributions(art, options=options, scorer=scorer)
    return score_articles(items)


Scored = list[tuple[list[Candidate], list[float]]]


def score_items(items: Sequence[Item], scorers: Sequence[LearnedScorer]) -> Scored:
    """Every article's candidates with their scores, article ``a`` scored by
    ``scorers[a % len(scorers)]``: computed once, then thresholded many times."""
    out: Scored = []
    for a, (art, _) in enumerate(items):
        cands = attribution_candidates(art, options=AttributionOptions(), open_rules=True)
        out.append((cands, scorers[a % len(scorers)].score_all(cands, art._doc)))
    return out


def sweep(
    items: Sequence[Item], scored: Scored, scorer: LearnedScorer, thresholds: Sequence[float]
) -> list[tuple[float, dict[str, Any]]]:
    """The eval report at each threshold over candidates scored by :func:`score_items`
    (``scorer`` supplies the boundary models)."""
    out = []
    for t in thresholds:
        options = AttributionOptions(min_score=t)
        for (art, _), (cands, scores) in zip(items, scored, strict=True):
            select_attributions(art, copy.deepcopy(cands), scores, options=options, scorer=scorer)
        out.append((t, score_articles(items)))
    return out


def _best(reports: Sequence[tuple[float, dict[str, Any]]]) -> tuple[float, dict[str, Any]]:
    """The threshold with the highest :func:`_objective` (the lower one on ties)."""
    best = reports[0]
    for t, report in reports[1:]:
        if _objective(report) > _objective(best[1]) + 1e-12:
            best = (t, report)
    return best


def train_from_items(
    train: Sequence[Item], dev: Sequence[Item], *, fingerprint: dict[str, Any]
) -> dict[str, Any]:
    """The artifact (a JSON-able dict) learned from parsed train and dev items."""
    step_examples: list[tuple[list[str], int]] = []
    drop_examples: list[tuple[list[str], int]] = []
    groups = [
        [(c, f, y) for (c, f, _), y in zip(g, winner_labels(g, gold, art.text), strict=True)]
        for g, (art, gold) in zip(
            _candidates(train, step_examples if WIDEN_CUES else None, drop_examples),
            train,
            strict=True,
        )
    ]
    examples = [(f, label) for group in groups for _, f, label in group]
    cue_steps = _fit_weights(step_examples) if WIDEN_CUES else {}
    content_drops = _fit_weights(drop_examples)
    cue_edge_rows = _cue_edge_examples(train, groups, cue_steps)
    cue_edges = _fit_weights(cue_edge_rows, CUE_EDGE_MIN_COUNT, EDGE_DECIMALS, EDGE_MIN_WEIGHT)
    edge_examples = _edge_examples(train, groups, cue_steps, content_drops, cue_edges)
    content_edges = _fit_weights(edge_examples, EDGE_MIN_COUNT, EDGE_DECIMALS, EDGE_MIN_WEIGHT)
    weights = _fit_weights(examples)
    y = [label for _, label in examples]
    folds = fold_weights(groups)
    stack = fit_stack(
        groups,
        [art._doc for art, _ in train],
        oof_probabilities(groups, folds),
        [[label for _, _, label in g] for g in groups],
    )
    # the threshold: cross-validated on train (each article scored by the first-stage model
    # that did not see it), so dev stays a held-out figure
    fold_scorers = [
        LearnedScorer(
            w,
            0.5,
            cue_steps,
            content_drops,
            stack=stack,
            content_edges=content_edges,
            cue_edges=cue_edges,
        )
        for w in folds
    ]
    cv_t, cv_report = _best(
        sweep(train, score_items(train, fold_scorers), fold_scorers[0], TRAIN_THRESHOLDS)
    )
    final = LearnedScorer(
        weights,
        cv_t,
        cue_steps,
        content_drops,
        stack=stack,
        content_edges=content_edges,
        cue_edges=cue_edges,
    )
    dev_reports = sweep(dev, score_items(dev, [final]), final, THRESHOLDS) if dev else []
    dev_t, _ = _best(dev_reports) if dev_reports else (cv_t, {})
    best_t = cv_t
    best_report = next((r for t, r in dev_reports if t == cv_t), None)
    return {
        "version": SCORER_FORMAT,
        "model": "logistic regression over attribution candidate features",
        "train_data": fingerprint,
        "settings": {
            "min_feature_count": MIN_FEATURE_COUNT,
            "l2": L2,
            "steps": STEPS,
            "step_size": STEP_SIZE,
        },
        "train_candidates": len(examples),
        "train_positives": int(sum(y)),
        "threshold": best_t,
        "train_cv": _figures(cv_report),
        "dev": _figures(best_report) if best_report is not None else {},
        "dev_best_threshold": dev_t,
        "cue_steps_examples": len(step_examples),
        "cue_steps": dict(sorted(cue_steps.items())),
        "content_drops_examples": len(drop_examples),
        "content_drops": dict(sorted(content_drops.items())),
        "content_edges_examples": len(edge_examples),
        "content_edges": dict(sorted(content_edges.items())),
        "cue_edges_examples": len(cue_edge_rows),
        "cue_edges": dict(sorted(cue_edges.items())),
        "weights": dict(sorted(weights.items())),
        "stack": dict(sorted(stack.items())),
    }


def train_attribution(
    train_dir: Path,
    dev_dir: Path,
    out_path: Path,
    settings: Settings,
    *,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Train on ``train_dir``, report ``dev_dir``, write the artifact to ``out_path``.

    Returns a summary: ``out``, ``bytes``, ``threshold``, ``train_cv`` and ``dev`` figures,
    ``dev_best_threshold``, ``train_data``
    fingerprint and candidate counts. The same data always gives the same file.
    """

    def progress(phase: str) -> Callable[[int, int], None] | None:
        if on_progress is None:
            return None
        return lambda done, total: on_progress(phase, done, total)

    train = parse_split(Path(train_dir), settings, on_progress=progress("parsing train"))
    dev = parse_split(Path(dev_dir), settings, on_progress=progress("parsing dev"))
    artifact = train_from_items(train, dev, fingerprint=data_fingerprint(Path(train_dir)))
    text = json.dumps(artifact, indent=0, sort_keys=False, ensure_ascii=False) + "\n"
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text, encoding="utf-8")
    return {
        "out": str(out_path),
        "bytes": len(text.encode("utf-8")),
        "threshold": artifact["threshold"],
        "train_cv": artifact["train_cv"],
        "dev": artifact["dev"],
        "dev_best_threshold": artifact["dev_best_threshold"],
        "train_data": artifact["train_data"],
        "train_candidates": artifact["train_candidates"],
        "train_positives": artifact["train_positives"],
    }
