"""Score cross-outlet quotation matching on ECB+: one quotation in two outlets, and who said it.

``presslens compare`` groups the quotations two or more outlets print (``corpus/quote_match``)
and flags a group whose outlets name different speakers — a misattribution is what a
fact-checker looks for first. Scored here, on pairs of quotations from two documents of one
ECB+ story labelled by annotators who saw each quotation in its sentences and never the
system's decision (``presslens/data/quotation_pairs_ecbplus.jsonl``; the README says how they
were drawn and annotated):

- ``label``: ``same`` when both documents quote one utterance (trimmed or reworded a little),
  else ``different``;
- ``speaker`` (for ``same`` pairs): ``same`` when both documents give it to one person or
  organisation (a spokesperson and the organisation count as one), ``different`` when they
  name different ones, ``unclear`` when a document's shown text does not say.

Reported: precision of the pairs the system groups (share quoting one utterance), precision of
its "speakers differ" flag (share of flagged pairs that quote one utterance given to different
speakers), and recall of grouping estimated from the drawn strata, as ``eval figures`` does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from presslens.corpus.compare import quotations_of
from presslens.corpus.quote_match import _WORD, MIN_WORDS
from presslens.eval.figures import (
    Number,
    Pair,
    _by_story,
    _pair,
    draw_strata,
    gold_and_articles,
    load_gold,
    ratio_of,
    tally_pairs,
)
from presslens.eval.metrics import bootstrap_interval
from presslens.model import Article
from presslens.settings import Settings
from presslens.stages.attribution_rules import find_quotes

__all__ = ["GOLD_FILE", "candidate_pairs", "eval_quotations", "score_pairs", "system_pairs"]

GOLD_FILE = "quotation_pairs_ecbplus.jsonl"
#: Share of the shorter quotation's words two ungrouped quotations share to be drawn in the
#: ``ungrouped_similar`` stratum (the pairs most likely to be one quotation the system missed).
SIMILAR_SHARE = 0.3


def _quotes(art: Article) -> list[tuple[Number, set[str]]]:
    """The article's quotations as ``compare`` reads them (``MIN_WORDS`` words or more)."""
    out = []
    for q in find_quotes(art.text):
        start, end = q.fragments[0][0], q.fragments[-1][1]
        words = [
            m.group().replace("’", "'").casefold()
            for s, e in q.fragments
            for m in _WORD.finditer(art.text, s, e)
        ]
        if len(words) >= MIN_WORDS:
            out.append(((art.id, start, end), set(words)))
    return out


def system_pairs(articles: Sequence[Article]) -> dict[Pair, dict[str, Any]]:
    """Every cross-document pair of quotations ``compare`` puts in one group, per story:
    ``{speakers_differ: bool, story}``; a pair's speakers differ when the two versions name
    two different voices (``voice``: "her rep", "he" or a news outlet names none)."""
    out: dict[Pair, dict[str, Any]] = {}
    for story, arts in sorted(_by_story(articles).items()):
        for group in quotations_of(arts):
            versions = group["versions"]
            for i, v1 in enumerate(versions):
                for v2 in versions[i + 1 :]:
                    if v1["source"] == v2["source"]:
                        continue
                    a = (v1["article"], v1["start"], v1["end"])
                    b = (v2["article"], v2["start"], v2["end"])
                    differ = None not in (v1["voice"], v2["voice"]) and v1["voice"] != v2["voice"]
                    out[_pair(a, b)] = {"speakers_differ": differ, "story": story}
    return out


def candidate_pairs(articles: Sequence[Article]) -> dict[Pair, dict[str, Any]]:
    """Every cross-document pair of quotations of one story, with the share of the shorter
    one's words they share (``similar``: at least :data:`SIMILAR_SHARE`)."""
    out: dict[Pair, dict[str, Any]] = {}
    for story, arts in sorted(_by_story(articles).items()):
        quotes = [q for art in arts for q in _quotes(art)]
        for i, (a, wa) in enumerate(quotes):
            for b, wb in quotes[i + 1 :]:
                if a[0] == b[0]:
                    continue
                share = len(wa & wb) / max(1, min(len(wa), len(wb)))
                out[_pair(a, b)] = {"story": story, "similar": share >= SIMILAR_SHARE}
    return out


def draw_pairs(
    articles: Sequence[Article], *, per_stratum: dict[str, int], seed: int = 0
) -> list[dict[str, Any]]:
    """Pairs to annotate, drawn at random within strata: ``grouped_differ`` and
    ``grouped_agree`` (grouped, speakers said to differ or not), ``ungrouped_similar`` and
    ``ungrouped_other``; each with its stratum's size and weight (size over drawn)."""
    system = system_pairs(articles)
    population = candidate_pairs(articles)
    strata: dict[str, list[Pair]] = defaultdict(list)
    for pair, info in system.items():
        strata["grouped_differ" if info["speakers_differ"] else "grouped_agree"].append(pair)
    for pair, info in population.items():
        if pair not in system:
            strata["ungrouped_similar" if info["similar"] else "ungrouped_other"].append(pair)
    stories = {p: i["story"] for p, i in population.items()} | {
        p: i["story"] for p, i in system.items()
    }
    return draw_strata(strata, stories, per_stratum=per_stratum, seed=seed)


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def score_pairs(
    gold: Sequence[dict[str, Any]], system: dict[Pair, dict[str, Any]], found: set[Number]
) -> dict[str, Any]:
    """Precision of grouping and of the "speakers differ" flag, and recall, each with a
    bootstrap interval over stories; ``found``: the quotations the analysis holds (a gold
    quotation missing from it makes its pair ``missing``). Estimates over all pairs: a drawn
    pair weighs its stratum's ``weight``; ``pairs``, ``same`` and ``right`` count drawn pairs."""
    counts, rows, grouped = tally_pairs(
        gold,
        system,
        found,
        flagged=lambda info: bool(info["speakers_differ"]),
        right=lambda row: row["label"] == "same" and row.get("speaker") == "different",
    )
    for row in gold:
        if row["label"] == "same" and tuple(row["a"]) in found and tuple(row["b"]) in found:
            counts["speaker_" + str(row.get("speaker"))] += 1
    examples: list[dict[str, Any]] = []
    for row, info, same in grouped:
        counts["grouped"] += 1
        counts["grouped_same"] += same
        if info["speakers_differ"]:
            right = same and row.get("speaker") == "different"
            counts["flagged"] += 1
            counts["flagged_right"] += right
            if not right and len(examples) < 10:
                examples.append({"a": row["a"], "b": row["b"], "speaker": row.get("speaker")})
    totals = np.sum(rows, axis=0) if rows else np.zeros(6)

    return {
        "gold_pairs": len(gold),
        "scored": counts["scored"],
        "missing": counts["missing"],
        "gold_same": counts["same"],
        "gold_speakers": {k[8:]: v for k, v in sorted(counts.items()) if k.startswith("speaker_")},
        "grouped": {
            "pairs": counts["grouped"],
            "same": counts["grouped_same"],
            "precision": round(_ratio(totals[1], totals[0]), 4),
            "interval": bootstrap_interval(rows, ratio_of(1, 0)),
        },
        "speakers_differ": {
            "pairs": counts["flagged"],
            "right": counts["flagged_right"],
            "precision": round(_ratio(totals[3], totals[2]), 4),
            "interval": bootstrap_interval(rows, ratio_of(3, 2)),
        },
        "recall_estimate": round(_ratio(totals[5], totals[4]), 4),
        "recall_interval": bootstrap_interval(rows, ratio_of(5, 4)),
        "wrong_flags": examples,
    }


def eval_quotations(
    data: Path,
    settings: Settings,
    *,
    gold_path: Path | None = None,
    split: str = "all",
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Analyse the ECB+ stories the gold pairs come from and score ``compare``'s quotation
    groups (``split`` and ``limit`` as ``eval figures`` takes them)."""
    gold, stories, articles, skipped = gold_and_articles(
        data,
        settings,
        load_gold(gold_path, name=GOLD_FILE),
        split=split,
        limit=limit,
        on_progress=on_progress,
    )
    found = {q for art in articles for q, _ in _quotes(art)}
    report = score_pairs(gold, system_pairs(articles), found)
    report.update(
        documents=len(articles), stories=len(stories), split=split, skipped=skipped, data=str(data)
    )
    return report
