"""Train the attribution stage's learned scorer on PolNeAR and write its artifact.

``presslens train attribution`` runs :func:`train_attribution`, which reproduces
``presslens/data/attribution_scorer.json`` byte for byte from the same data:

1. parse the train split (readers, spaCy and entity stages, as the pipeline does) and collect
   every candidate of the attribution rules, the open rules included
   (:func:`presslens.stages.attributions.attribution_candidates`);
2. label each candidate: positive when its cue overlaps a gold cue and its content overlaps
   that relation's content (a candidate without a cue: when its content overlaps a gold
   content); spans are compared after :func:`presslens.eval.attribution.trim`;
3. fit a logistic regression over :func:`presslens.stages.attributions.candidate_features`
   (features seen at least :data:`MIN_FEATURE_COUNT` times; full-batch gradient descent from
   zero weights, so the result has no random seed to fix);
4. fit the two boundary models of :mod:`presslens.stages.attribution_bounds` the same way:
   for every train candidate whose cue (content) overlaps a gold cue (content), each unit
   offered next to the cue (at the content's edges) is an example, labelled by whether the
   gold span includes it (leaves it out), walking along the gold span (teacher forcing);
5. choose the threshold on the dev split that maximises the mean of the issue's four target
   figures (source, cue and content exact F1, content overlap F1), scored exactly as
   ``presslens eval attribution`` scores.

The artifact records the training data's fingerprint (file count and a SHA-256 over the sorted
file names and sizes of the train split), so a test can tell whether it was built from the
data at hand.
"""

from __future__ import annotations

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
    next_units,
    unit_features,
)
from presslens.stages.attribution_rules import Candidate
from presslens.stages.attributions import (
    SCORER_FORMAT,
    AttributionOptions,
    LearnedScorer,
    attribution_candidates,
    candidate_features,
    extract_attributions,
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
#: Thresholds tried on dev.
THRESHOLDS = tuple(round(0.2 + 0.025 * i, 3) for i in range(25))
#: Weights are rounded to this many decimals: a smaller file, identical across platforms.
DECIMALS = 4
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


def fit_logistic(
    rows: Sequence[Sequence[int]],
    y: Sequence[int],
    n_features: int,
    *,
    l2: float = L2,
    steps: int = STEPS,
    step_size: float = STEP_SIZE,
) -> np.ndarray:
    """Weights of an L2-regularised logistic regression over binary features.

    ``rows[i]`` lists the feature indices set in example ``i``. Full-batch AdaGrad from zero
    weights: deterministic.
    """
    n = len(rows)
    row_idx = np.repeat(np.arange(n), [len(r) for r in rows])
    col_idx = np.fromiter((j for r in rows for j in r), dtype=np.int64, count=len(row_idx))
    target = np.asarray(y, dtype=np.float64)
    w = np.zeros(n_features)
    acc = np.full(n_features, 1e-8)
    for _ in range(steps):
        z = np.bincount(row_idx, weights=w[col_idx], minlength=n)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        grad = np.bincount(col_idx, weights=(p - target)[row_idx], minlength=n_features) / n
        grad += l2 * w
        acc += grad * grad
        w -= step_size * grad / np.sqrt(acc)
    return w


def _candidates(
    items: Sequence[Item],
    steps: list[tuple[list[str], int]],
    drops: list[tuple[list[str], int]] | None = None,
) -> list[tuple[list[str], int]]:
    """Features and label of every train candidate; ``steps`` receives the cue-boundary
    examples (:func:`_cue_step_examples`)."""
    out = []
    options = AttributionOptions()
    for art, gold in items:
        doc, text = art._doc, art.text
        gold_cues = [trim(text, *rel.cue) for rel in gold if rel.cue is not None]
        gold_contents = [trim(text, *rel.content) for rel in gold if rel.content is not None]
        for cand in attribution_candidates(art, options=options, open_rules=True):
            out.append((candidate_features(cand, doc), label_candidate(cand, gold, text)))
            if cand.cue is not None:
                steps.extend(_cue_step_examples(doc, cand, gold_cues, text))
            if drops is not None and content_adjustable(cand):
                drops.extend(_content_drop_examples(doc, cand, gold_contents, text))
    return out


def _content_drop_examples(
    doc: Any, cand: Candidate, gold_contents: Sequence[tuple[int, int]], text: str
) -> list[tuple[list[str], int]]:
    """Every droppable unit of the candidate's content, labelled 1 when the gold content it
    overlaps most leaves the unit out; the walk follows the gold content."""
    own = trim(text, *cand.content)
    hit = max(
        (g for g in gold_contents if _overlaps(own, g)),
        key=lambda g: min(g[1], own[1]) - max(g[0], own[0]),
        default=None,
    )
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


def _fit_weights(examples: Sequence[tuple[list[str], int]]) -> dict[str, float]:
    """Rounded logistic-regression weights over the features seen at least
    :data:`MIN_FEATURE_COUNT` times (zero weights dropped)."""
    counts = Counter(f for feats, _ in examples for f in set(feats))
    vocab = sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)
    index = {f: i for i, f in enumerate(vocab)}
    rows = [sorted({index[f] for f in feats if f in index}) for feats, _ in examples]
    y = [label for _, label in examples]
    if not examples:
        return {}
    w = fit_logistic(rows, y, len(vocab), l2=L2, steps=STEPS, step_size=STEP_SIZE)
    return {f: round(float(v), DECIMALS) for f, v in zip(vocab, w, strict=True) if abs(v) >= 0.5e-4}


def evaluate(items: Sequence[Item], scorer: LearnedScorer, min_score: float) -> dict[str, Any]:
    """Score the stage with ``scorer`` at threshold ``min_score`` on parsed items."""
    options = AttributionOptions(min_score=min_score)
    for art, _ in items:
        extract_attributions(art, options=options, scorer=scorer)
    return score_articles(items)


def train_from_items(
    train: Sequence[Item], dev: Sequence[Item], *, fingerprint: dict[str, Any]
) -> dict[str, Any]:
    """The artifact (a JSON-able dict) learned from parsed train and dev items."""
    step_examples: list[tuple[list[str], int]] = []
    drop_examples: list[tuple[list[str], int]] = []
    examples = _candidates(train, step_examples, drop_examples)
    cue_steps = _fit_weights(step_examples)
    content_drops = _fit_weights(drop_examples)
    weights = _fit_weights(examples)
    y = [label for _, label in examples]
    best_t, best_report = THRESHOLDS[0], None
    best_value = -math.inf
    for t in THRESHOLDS:
        report = evaluate(dev, LearnedScorer(weights, t, cue_steps, content_drops), t)
        value = _objective(report)
        if value > best_value + 1e-12:
            best_t, best_value, best_report = t, value, report
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
        "dev": _figures(best_report) if best_report is not None else {},
        "cue_steps_examples": len(step_examples),
        "cue_steps": dict(sorted(cue_steps.items())),
        "content_drops_examples": len(drop_examples),
        "content_drops": dict(sorted(content_drops.items())),
        "weights": dict(sorted(weights.items())),
    }


def train_attribution(
    train_dir: Path,
    dev_dir: Path,
    out_path: Path,
    settings: Settings,
    *,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Train on ``train_dir``, tune on ``dev_dir``, write the artifact to ``out_path``.

    Returns a summary: ``out``, ``bytes``, ``threshold``, ``dev`` figures, ``train_data``
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
        "dev": artifact["dev"],
        "train_data": artifact["train_data"],
        "train_candidates": artifact["train_candidates"],
        "train_positives": artifact["train_positives"],
    }
