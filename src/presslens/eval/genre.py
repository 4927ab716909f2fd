"""Score the genre stage on SemEval-2023 Task 3 subtask 1 (news / opinion / satire).

The data folder holds ``*labels-subtask-1.txt`` (``id<TAB>genre``) and a folder of
``article<id>.txt`` files. Reported next to the scores: the majority-class baseline on the
same articles, so a figure can be read in context, and the reporting-vs-opinion AUC of the
stage's scores: with 7 reporting dev articles one article moves macro-F1 by several points,
while the AUC ranks every pair of articles and needs no threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from presslens.errors import InputError
from presslens.eval.metrics import classification_report, macro_f1_interval
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
from presslens.settings import Settings

GOLD_NAMES = {"reporting": "reporting", "opinion": "opinion", "satire": "satire"}


def rank_auc(scores: Sequence[float], positive: Sequence[bool]) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half):
    the area under the ROC curve; None without both classes."""
    s = np.asarray(scores, dtype=float)
    pos = np.asarray(positive, dtype=bool)
    if not pos.any() or pos.all():
        return None
    diff = s[pos][:, None] - s[~pos][None, :]  # every (positive, negative) pair: small corpora
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size)


def reporting_auc(gold: Sequence[str], margins: Sequence[float]) -> dict[str, Any]:
    """AUC of ``margins`` (reporting's score minus opinion's) at telling gold reporting from
    gold opinion articles; satire articles are left out."""
    pairs = [(g, m) for g, m in zip(gold, margins, strict=True) if g in ("reporting", "opinion")]
    positive = [g == "reporting" for g, _ in pairs]
    return {
        "auc": rank_auc([m for _, m in pairs], positive),
        "reporting": sum(positive),
        "opinion": len(pairs) - sum(positive),
    }


def load_semeval_genre(data: Path) -> list[tuple[str, Path, str]]:
    """(article id, text file, gold genre) for every labelled article that has a text file."""
    labels = sorted(data.glob("*labels-subtask-1.txt"))
    folders = sorted(p for p in data.glob("*articles*") if p.is_dir())
    if not labels or not folders:
        raise InputError(
            "no SemEval-2023 subtask-1 labels file or articles folder found",
            where=str(data),
            hint="Pass the folder holding train-labels-subtask-1.txt and "
            "train-articles-subtask-3/ (e.g. ../shared/data/semeval2023).",
        )
    items = []
    for lineno, line in enumerate(labels[0].read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2 or parts[1].strip() not in GOLD_NAMES:
            raise InputError(
                f"expected 'id<TAB>genre', got {line!r}",
                where=f"{labels[0]}:{lineno}",
                hint="Check the labels file.",
            )
        path = folders[0] / f"article{parts[0].strip()}.txt"
        if path.is_file():
            items.append((parts[0].strip(), path, GOLD_NAMES[parts[1].strip()]))
    return items


def eval_genre(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    split: str = "all",
    impl: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Run the pipeline's genre stage on the labelled articles of ``split`` (``all``, or
    ``dev`` / ``train`` of the fixed rhetoric split) and score its label; ``impl`` picks
    another genre implementation than the default pipeline's."""
    items = load_semeval_genre(data)
    if split != "all":
        from presslens.train.linear import dev_ids

        dev = dev_ids()
        items = [it for it in items if (it[0] in dev) == (split == "dev")]
    items = items[:limit]
    config = default_config()
    config["pipeline"]["stages"] = ["spacy", "entities", "genre"]
    if impl:
        config["stages"]["genre"] = {"impl": impl}
    pipeline = Pipeline.from_config(config, settings)
    gold: list[str] = []
    pred: list[str] = []
    margins: list[float] = []
    batch: list[tuple[str, Any]] = []

    def flush() -> None:
        done, _failed = pipeline.run([a for _, a in batch])
        by_id = {a.id: a for a in done}
        for label, art in batch:
            if art.id in by_id:
                genre = by_id[art.id].meta["genre"]
                gold.append(label)
                pred.append(genre["label"])
                margins.append(genre["scores"]["reporting"] - genre["scores"]["opinion"])
        batch.clear()

    for i, (aid, path, label) in enumerate(items, 1):
        raw = path.read_text(encoding="utf-8", errors="replace")
        try:
            art = normalise(text_document(raw, source=str(path), key=aid, meta={}), settings)
        except InputError:
            continue
        batch.append((label, art))
        if len(batch) >= settings.batch_size:
            flush()
        if on_progress:
            on_progress(i, len(items))
    flush()
    report = classification_report(gold, pred)
    report["macro_f1_interval"] = macro_f1_interval(gold, pred)
    majority, _ = Counter(gold).most_common(1)[0] if gold else ("", 0)
    report["baseline_majority"] = classification_report(gold, [majority] * len(gold))
    report["baseline_majority"]["label"] = majority
    report["reporting_auc"] = reporting_auc(gold, margins)
    report["skipped"] = len(items) - len(gold)  # unreadable or failed articles
    report["split"] = split
    report["stage"] = config["stages"]["genre"]["impl"]
    report["data"] = str(data)
    return report
