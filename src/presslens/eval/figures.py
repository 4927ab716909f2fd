"""Score cross-outlet number matching on ECB+: are the numbers ``compare`` groups about one thing?

``presslens compare`` puts numbers from different outlets of one story into a group when they
count the same thing (by key: "dead", "people rescue"…, or by the clauses around them), and
flags the group when the outlets' figures disagree. A wrong group is a false alarm a
fact-checker would chase, so the question scored here is: for two numbers from two documents
of one story, do they report the same quantity (the same thing counted or measured, about the
same event, scope and time), so that different values would be a real discrepancy?

Gold: pairs of numbers from ECB+ sub-topics (each sub-topic a story, each document an outlet),
labelled ``same`` or ``different`` by annotators who saw the two sentences and never the
system's decision (``presslens/data/figure_pairs_ecbplus.jsonl``; how it was drawn and
annotated is in the README). Pairs are drawn in strata: pairs the system groups (by key or by
clause) and pairs of the same kind of number it does not group (values close or not); each
gold pair carries the weight of its stratum (pairs in the stratum over pairs drawn), so
recall over every pair of the stories can be estimated from the drawn ones.

Scored: precision of the system's pairs (share labelled ``same``), by match kind and for pairs
whose values the system says disagree; estimated recall (the weighted share of ``same`` pairs
the system groups). The documents are rebuilt from ECB+ as ``eval stories`` rebuilds them and
analysed with the default pipeline; a gold pair whose numbers are no longer found at their
offsets (the reader, normaliser or quantities stage changed) is counted as ``missing``.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from presslens.corpus.compare import number_groups
from presslens.errors import InputError
from presslens.eval.metrics import bootstrap_interval
from presslens.model import Article
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
from presslens.settings import Settings

__all__ = [
    "COMPARABLE_KINDS",
    "Pair",
    "analyse_ecbplus",
    "candidate_pairs",
    "eval_figures",
    "load_gold",
    "system_pairs",
]

#: Kinds of numbers whose pairs are candidates: counts and amounts an outlet reports.
COMPARABLE_KINDS = frozenset({"count", "money", "percent", "measure", "vague"})
#: Values this close (largest over smallest) put an ungrouped pair in the ``ungrouped_close``
#: stratum.
CLOSE_RATIO = 1.5
#: The gold pairs shipped with the package.
GOLD_FILE = "figure_pairs_ecbplus.jsonl"

#: A number: (document, start, end) in the analysed text.
Number = tuple[str, int, int]
#: A pair of numbers from two documents, the smaller document first.
Pair = tuple[Number, Number]


def _pair(a: Number, b: Number) -> Pair:
    return (a, b) if a <= b else (b, a)


def analyse_ecbplus(
    data: Path,
    settings: Settings,
    *,
    stories: set[str] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Article], list[dict[str, Any]]]:
    """ECB+ documents (of ``stories`` only, when given) analysed with the default pipeline:
    each article's ``outlet`` is its document name and ``meta["story"]`` its sub-topic."""
    from presslens.eval.stories import read_ecbplus

    docs = [d for d in read_ecbplus(Path(data)) if stories is None or d["story"] in stories]
    pipeline = Pipeline.from_config(default_config(), settings)
    out: list[Article] = []
    skipped: list[dict[str, Any]] = []
    size = max(1, settings.batch_size)
    for n in range(0, len(docs), size):
        batch = []
        for doc in docs[n : n + size]:
            try:
                raw = text_document(doc["text"], source=doc["name"], key=doc["name"], meta={})
                art = normalise(raw, settings)
            except InputError as exc:
                skipped.append(exc.to_dict())
                continue
            art.id = doc["name"]
            art.url = doc["url"]
            art.outlet = doc["name"]
            art.meta["story"] = doc["story"]
            batch.append(art)
        done, failed = pipeline.run(batch)
        skipped.extend(f.error.to_dict() for f in failed)
        out.extend(done)
        if on_progress:
            on_progress(min(n + size, len(docs)), len(docs))
    return out, skipped


def _by_story(articles: Iterable[Article]) -> dict[str, list[Article]]:
    stories: dict[str, list[Article]] = defaultdict(list)
    for art in articles:
        stories[str(art.meta.get("story"))].append(art)
    return stories


def system_pairs(articles: Sequence[Article]) -> dict[Pair, dict[str, Any]]:
    """Every cross-document pair of numbers ``compare`` puts in one group, per story:
    ``{match: key|clause, disagree: bool, story}`` (``disagree``: the two figures' values
    do not overlap, as the group's flag reads them)."""
    from presslens.corpus.compare import _any_overlap  # the flag's own reading of values

    out: dict[Pair, dict[str, Any]] = {}
    for story, arts in sorted(_by_story(articles).items()):
        by_id = {a.id: a for a in arts}
        for group in number_groups(arts):
            values = [(o, v) for o, vs in group["values"].items() for v in vs]
            for i, (o1, v1) in enumerate(values):
                for o2, v2 in values[i + 1 :]:
                    if o1 == o2:
                        continue
                    a = (v1["article"], v1["start"], v1["end"])
                    b = (v2["article"], v2["start"], v2["end"])
                    rows = [{"article": v["article"], "index": v["index"]} for v in (v1, v2)]
                    out[_pair(a, b)] = {
                        "match": group["match"],
                        "disagree": not _any_overlap(rows[:1], rows[1:], by_id),
                        "story": story,
                    }
    return out


def candidate_pairs(articles: Sequence[Article]) -> dict[Pair, dict[str, Any]]:
    """Every cross-document pair of numbers of one story and one comparable kind
    (:data:`COMPARABLE_KINDS`): the population the drawn gold pairs stand for."""
    out: dict[Pair, dict[str, Any]] = {}
    for story, arts in sorted(_by_story(articles).items()):
        numbers = [
            (art.id, span.start, span.end, span.label, span.attrs.get("value"))
            for art in arts
            for span in art.layer("quantities")
            if span.label in COMPARABLE_KINDS
        ]
        for i, (d1, s1, e1, k1, v1) in enumerate(numbers):
            for d2, s2, e2, k2, v2 in numbers[i + 1 :]:
                if d1 != d2 and k1 == k2:
                    out[_pair((d1, s1, e1), (d2, s2, e2))] = {
                        "story": story,
                        "kind": k1,
                        "close": _close(v1, v2),
                    }
    return out


def _close(x: Any, y: Any) -> bool:
    """Whether two values are within a factor of :data:`CLOSE_RATIO` of each other: the
    ungrouped pairs most likely to report one quantity are drawn apart from the rest."""
    if not isinstance(x, int | float) or not isinstance(y, int | float) or x <= 0 or y <= 0:
        return False
    return max(x, y) / min(x, y) <= CLOSE_RATIO


def draw_pairs(
    articles: Sequence[Article], *, per_stratum: dict[str, int], seed: int = 0
) -> list[dict[str, Any]]:
    """Pairs to annotate, drawn at random within strata: ``key`` and ``clause`` (the system
    groups them, by that match), ``ungrouped_close`` and ``ungrouped_far`` (same story and
    kind, not grouped; values within :data:`CLOSE_RATIO` of each other or not); each with
    its stratum's size and the weight it stands for (size over drawn)."""
    system = system_pairs(articles)
    population = candidate_pairs(articles)
    strata: dict[str, list[Pair]] = defaultdict(list)
    for pair, info in system.items():
        strata[info["match"]].append(pair)
    for pair, info in population.items():
        if pair not in system:
            strata["ungrouped_close" if info["close"] else "ungrouped_far"].append(pair)
    stories = {p: i["story"] for p, i in population.items()} | {
        p: i["story"] for p, i in system.items()
    }
    return draw_strata(strata, stories, per_stratum=per_stratum, seed=seed)


def draw_strata(
    strata: dict[str, list[Pair]],
    stories: dict[Pair, str],
    *,
    per_stratum: dict[str, int],
    seed: int = 0,
) -> list[dict[str, Any]]:
    """``per_stratum[name]`` pairs drawn at random from each stratum (strata in name order,
    one seeded generator), each with its story, its stratum's size and the weight it stands
    for (size over drawn): what a gold line holds besides its labels."""
    rng = random.Random(seed)
    drawn = []
    for name in sorted(strata):
        pairs = sorted(strata[name])
        take = rng.sample(pairs, min(per_stratum.get(name, 0), len(pairs)))
        for pair in sorted(take):
            drawn.append(
                {
                    "stratum": name,
                    "stratum_size": len(pairs),
                    "weight": len(pairs) / len(take),
                    "story": stories.get(pair),
                    "a": list(pair[0]),
                    "b": list(pair[1]),
                }
            )
    return drawn


def ratio_of(num: int, den: int) -> Callable[[np.ndarray], np.ndarray]:
    """A bootstrap statistic: column ``num`` over column ``den`` of the summed counts, or NaN
    where a resample has no denominator (it says nothing about the ratio)."""

    def ratio(sums: np.ndarray) -> np.ndarray:
        den_ = sums[:, den]
        return np.where(den_ > 0, sums[:, num] / np.where(den_ > 0, den_, 1.0), np.nan)

    return ratio


def load_gold(path: Path | None = None, *, name: str = GOLD_FILE) -> list[dict[str, Any]]:
    """Gold pairs (JSON lines; by default the package's own file ``name``)."""
    if path is None:
        text = files("presslens.data").joinpath(name).read_text(encoding="utf-8")
        where = f"presslens/data/{name}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot read the gold pairs: {exc}", where=str(path), hint="Check --gold."
            ) from exc
        where = str(path)
    gold = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            _ = (row["a"], row["b"], row["label"], row["stratum"], row["weight"], row["story"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"line {n} is not a gold pair: {exc}",
                where=where,
                hint='Each line: {"a": [doc, start, end], "b": …, "label": "same"|"different", '
                '"stratum", "weight", "story"}.',
            ) from exc
        gold.append(row)
    return gold


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def tally_pairs(
    gold: Sequence[dict[str, Any]],
    system: dict[Pair, dict[str, Any]],
    found: set[Number],
    *,
    flagged: Callable[[dict[str, Any]], bool],
    right: Callable[[dict[str, Any]], bool],
) -> tuple[Counter[str], list[np.ndarray], list[tuple[dict[str, Any], dict[str, Any], bool]]]:
    """The walk ``eval figures`` and ``eval quotations`` share over annotated pairs: counts
    (``missing``, ``scored``, ``same``), per story the weighted sums [grouped, of them same,
    flagged, of them right, same, of them grouped] (``flagged(info)``: the system's flag on a
    grouped pair; ``right(row)``: a flagged gold pair the flag gets right), and each grouped
    pair as (gold row, system info, same), for the caller's own counts. A gold number missing
    from ``found`` (the analysis) makes its pair ``missing``."""
    counts: Counter[str] = Counter()
    per_story: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(6))
    grouped: list[tuple[dict[str, Any], dict[str, Any], bool]] = []
    for row in gold:
        a, b = tuple(row["a"]), tuple(row["b"])
        if a not in found or b not in found:
            counts["missing"] += 1
            continue
        same = row["label"] == "same"
        info = system.get(_pair(a, b))
        story = per_story[row["story"]]
        w = row["weight"]
        counts["scored"] += 1
        counts["same"] += same
        if same:
            story[4] += w
            story[5] += w if info is not None else 0.0
        if info is None:
            continue
        story[0] += w
        story[1] += w * same
        if flagged(info):
            story[2] += w
            story[3] += w * right(row)
        grouped.append((row, info, same))
    return counts, list(per_story.values()), grouped


def score_pairs(
    gold: Sequence[dict[str, Any]],
    system: dict[Pair, dict[str, Any]],
    found: set[Number],
) -> dict[str, Any]:
    """Precision of the system's pairs, by match kind and for disagreeing pairs, and recall,
    each with a bootstrap interval over stories (a story's pairs share its numbers, so
    stories are resampled whole); ``found``: the numbers the analysis holds (a gold number
    missing from it makes its pair ``missing``). Every figure is an estimate over all the
    pairs of the stories: a drawn pair weighs its stratum's ``weight`` (strata were drawn at
    different rates), so ``precision`` is weighted while ``pairs`` and ``same`` count the
    drawn pairs."""
    counts, rows, grouped = tally_pairs(
        gold,
        system,
        found,
        flagged=lambda info: bool(info["disagree"]),
        right=lambda row: row["label"] == "same",
    )
    by_match: dict[str, Counter[str]] = defaultdict(Counter)
    examples: list[dict[str, Any]] = []
    for row, info, same in grouped:
        w = row["weight"]
        for name in (info["match"], "all", *(["disagree"] if info["disagree"] else [])):
            by_match[name]["pairs"] += 1
            by_match[name]["same"] += same
            by_match[name]["w"] += w
            by_match[name]["w_same"] += w * same
        if not same and len(examples) < 10:
            examples.append({"a": row["a"], "b": row["b"], "match": info["match"]})

    precision: dict[str, dict[str, Any]] = {
        name: {
            "pairs": c["pairs"],
            "same": c["same"],
            "precision": round(_ratio(c["w_same"], c["w"]), 4),
        }
        for name, c in sorted(by_match.items())
    }
    if "all" in precision:
        precision["all"]["interval"] = bootstrap_interval(rows, ratio_of(1, 0))
    if "disagree" in precision:
        precision["disagree"]["interval"] = bootstrap_interval(rows, ratio_of(3, 2))
    totals = np.sum(rows, axis=0) if rows else np.zeros(6)
    return {
        "gold_pairs": len(gold),
        "scored": counts["scored"],
        "missing": counts["missing"],
        "gold_same": counts["same"],
        "precision": precision,
        "recall_estimate": round(_ratio(totals[5], totals[4]), 4),
        "recall_interval": bootstrap_interval(rows, ratio_of(5, 4)),
        "wrong_examples": examples,
    }


def gold_and_articles(
    data: Path,
    settings: Settings,
    gold: list[dict[str, Any]],
    *,
    split: str = "all",
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], set[str], list[Article], list[dict[str, Any]]]:
    """The gold pairs of the ``split``'s topics (``standard_splits.json``: ``train``, ``dev``
    or ``all``; the first ``limit`` stories in name order, when given), their stories, and
    those stories' ECB+ documents analysed; with the documents that could not be."""
    from presslens.eval.stories import _split_topics

    if split != "all":
        topics = _split_topics(Path(data)).get(split)
        if topics is None:
            raise InputError(
                f"no {split!r} topics: standard_splits.json is missing or does not list them",
                where=str(Path(data) / "standard_splits.json"),
                hint="Pass the ECB+ release folder, or --split all.",
            )
        gold = [row for row in gold if int(str(row["story"]).split("_")[0]) in topics]
    stories = set(sorted({row["story"] for row in gold})[:limit])
    gold = [row for row in gold if row["story"] in stories]
    articles, skipped = analyse_ecbplus(data, settings, stories=stories, on_progress=on_progress)
    if not articles:
        raise InputError(
            "none of the gold pairs' ECB+ documents was found",
            where=str(data),
            hint="Pass --data the ECB+ release folder (e.g. ../shared/data/ecbplus).",
        )
    return gold, stories, articles, skipped


def eval_figures(
    data: Path,
    settings: Settings,
    *,
    gold_path: Path | None = None,
    split: str = "all",
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Analyse the ECB+ stories the gold pairs come from and score ``compare``'s groups
    (see :func:`gold_and_articles` for ``split`` and ``limit``)."""
    gold, stories, articles, skipped = gold_and_articles(
        data, settings, load_gold(gold_path), split=split, limit=limit, on_progress=on_progress
    )
    found = {(a.id, s.start, s.end) for a in articles for s in a.layer("quantities")}
    report = score_pairs(gold, system_pairs(articles), found)
    report.update(
        documents=len(articles),
        stories=len(stories),
        split=split,
        skipped=skipped,
        data=str(data),
    )
    return report
