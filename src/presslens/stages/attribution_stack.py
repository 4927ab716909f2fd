"""The attribution scorer's second stage: candidates rated next to their competitors.

The first stage (:func:`presslens.stages.attributions.candidate_features`) rates each
candidate alone. But PolNeAR's keep/drop decision often depends on the others: the same cue
claimed by a word-list rule and an open rule, a statement nested inside a stronger one, two
readings of one clause with different edges. This stage takes each candidate's first-stage
probability and describes its neighbourhood — its rank among the candidates sharing its cue
or overlapping its content, the best competitor's probability and how its content lies
against this one's (same, holds, inside, crosses) and what kind of statement it is (a
direct quote against an indirect reading of the same clause), whether a stronger statement
holds its cue or it holds a stronger one's — and a second logistic regression, trained on
*out-of-fold* first-stage probabilities (``presslens train attribution`` fits the first
stage on k − 1 folds of PolNeAR train and scores the k-th, so the second stage learns from
probabilities as uncertain as those it sees at run time) to tell the best reading of each
gold statement from the others (``winner_labels`` in :mod:`presslens.train.attribution`),
gives the final score.

The features are a handful of names plus one real value (the first-stage logit), so the
second stage's weights are small. Every feature depends only on candidates whose extent
(cue, content and source together) meets its own (:func:`neighbours`), and is read from the
best-ranked few of those by interval queries (:func:`lowest_ranks`): no quadratic blow-up on
a book-length input, nor when thousands of candidates overlap (an unpunctuated text).
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Mapping, Sequence
from typing import Any

from presslens.stages.attribution_rules import Candidate

__all__ = [
    "LOGIT",
    "context_features",
    "lowest_ranks",
    "neighbours",
    "stack_logit",
    "stack_probability",
]

#: Name of the real-valued feature: the first-stage logit, clipped to ±:data:`LOGIT_CLIP`.
LOGIT = "s1"
LOGIT_CLIP = 8.0


def _bin(p: float) -> int:
    """Probability in tenths, 0–9."""
    return min(9, max(0, int(p * 10)))


def stack_logit(p: float) -> float:
    """The first-stage logit as the second stage reads it (clipped)."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return max(-LOGIT_CLIP, min(LOGIT_CLIP, math.log(p / (1 - p))))


def _relation(own: tuple[int, int], other: tuple[int, int]) -> str:
    """How ``other``'s content lies against ``own``'s."""
    if own == other:
        return "same"
    if own[0] <= other[0] and other[1] <= own[1]:
        return "holds"
    if other[0] <= own[0] and own[1] <= other[1]:
        return "inside"
    return "cross"


def _source_kind(cand: Candidate, doc: Any) -> str:
    if cand.source_head is None:
        return "none"
    tok = doc[cand.source_head]
    if tok.pos_ == "PRON":
        return "who" if tok.lower_ in ("who", "which", "that") else "pron"
    return "name" if cand.source_label else "np"


def _extent(cand: Candidate) -> tuple[int, int]:
    """The characters a candidate's cue, content and source span together."""
    spans = [r for r in (cand.cue, cand.content, cand.source) if r is not None]
    return min(r[0] for r in spans), max(r[1] for r in spans)


def neighbours(cands: Sequence[Candidate]) -> list[list[int]]:
    """For each candidate, the other candidates whose extent meets its own (closed
    intervals), in candidate order: the only ones any context feature can depend on (an
    overlapping cue or content, a content holding a cue, the same source span).

    A sweep in order of start: the candidates that started earlier and are still open, plus
    those starting inside this one's extent (found by bisection), so the cost follows how
    deeply candidates overlap, not the square of their number."""
    extents = [_extent(c) for c in cands]
    order = sorted(range(len(cands)), key=lambda k: (extents[k][0], k))
    los = [extents[k][0] for k in order]
    open_: list[tuple[int, int]] = []  # heap of (end, candidate) started so far
    out: list[list[int]] = [[] for _ in cands]
    for pos, i in enumerate(order):
        lo, hi = extents[i]
        while open_ and open_[0][0] < lo:
            heapq.heappop(open_)
        later = order[pos + 1 : bisect.bisect_right(los, hi)]
        out[i] = sorted([k for _, k in open_] + later)
        heapq.heappush(open_, (hi, i))
    return out


def _merge(a: tuple[int, ...], b: tuple[int, ...], k: int) -> tuple[int, ...]:
    return a if not b else b if not a else tuple(sorted(a + b)[:k])


def lowest_ranks(
    items: Sequence[tuple[int, int, int]], queries: Sequence[tuple[int, int]], k: int
) -> list[tuple[int, ...]]:
    """For each query ``(lo, hi)``, the ``k`` smallest ranks (ascending) of the items
    ``(a, b, rank)`` with ``a < hi`` and ``b > lo`` (for half-open ranges: those
    overlapping ``[lo, hi)``).

    Offline, in O((items + queries) · log · k): queries in order of ``hi``, items added in
    order of ``a`` to a segment tree over their ``b`` whose nodes keep their ``k`` smallest
    ranks; a query reads the suffix ``b > lo``. Comparing every pair instead cost quadratic
    time when thousands of candidates all overlap (an unpunctuated text)."""
    n = len(items)
    by_b = sorted(range(n), key=lambda t: items[t][1])
    bs = [items[t][1] for t in by_b]
    size = 1
    while size < max(n, 1):
        size *= 2
    leaf = [0] * n
    for pos, t in enumerate(by_b):
        leaf[t] = pos + size
    tree: list[tuple[int, ...]] = [()] * (2 * size)
    by_a = sorted(range(n), key=lambda t: items[t][0])
    out: list[tuple[int, ...]] = [()] * len(queries)
    added = 0
    for qi in sorted(range(len(queries)), key=lambda q: queries[q][1]):
        lo, hi = queries[qi]
        while added < n and items[by_a[added]][0] < hi:
            t = by_a[added]
            node = leaf[t]
            tree[node] = (items[t][2],)
            node //= 2
            while node:
                tree[node] = _merge(tree[2 * node], tree[2 * node + 1], k)
                node //= 2
            added += 1
        left, right = bisect.bisect_right(bs, lo) + size, n + size
        acc: tuple[int, ...] = ()
        while left < right:
            if left & 1:
                acc = _merge(acc, tree[left], k)
                left += 1
            if right & 1:
                right -= 1
                acc = _merge(acc, tree[right], k)
            left //= 2
            right //= 2
        out[qi] = acc
    return out


def context_features(
    cands: Sequence[Candidate], probs: Sequence[float], doc: Any
) -> list[list[str]]:
    """The second stage's binary feature names of each candidate (the logit is added by
    :func:`stack_probability`), given every candidate of the article and their first-stage
    probabilities.

    Candidate ``j`` is *higher* than ``i`` when its probability is greater, or equal and
    ``j < i``: a rank. Every feature is read from the few best-ranked candidates overlapping
    a range (:func:`lowest_ranks`), so the cost does not grow with the square of the number
    of overlapping candidates; the features are those of comparing each candidate with each
    other one whose extent meets its own (:func:`neighbours`)."""
    n = len(cands)
    cues = [c.cue for c in cands]
    contents = [c.content for c in cands]
    sources = [c.source for c in cands]
    bases = [c.rule.split("+")[0] for c in cands]
    by_rank = sorted(range(n), key=lambda j: (-probs[j], j))
    rank = [0] * n
    for r, j in enumerate(by_rank):
        rank[j] = r
    with_cue = [(j, c) for j, c in enumerate(cues) if c is not None]
    strong = [j for j in range(n) if probs[j] >= 0.5]
    found = lowest_ranks([(c[0], c[1], rank[j]) for j, c in with_cue], [c for _, c in with_cue], 3)
    cue_hits = {j: hit for (j, _), hit in zip(with_cue, found, strict=True)}
    ov_hits = lowest_ranks([(c[0], c[1], rank[j]) for j, c in enumerate(contents)], contents, 5)
    # a stronger (≥ 0.5) content holding the cue; a stronger cue inside the content
    strong_contents = [(contents[j][0], contents[j][1], rank[j]) for j in strong]
    found = lowest_ranks(strong_contents, [(c[0], c[0] + 1) for _, c in with_cue], 1)
    held_hits = {j: hit for (j, _), hit in zip(with_cue, found, strict=True)}
    holds_hits = lowest_ranks(
        [(c[0], c[0] + 1, rank[j]) for j in strong if (c := cues[j]) is not None], contents, 1
    )
    best_source: dict[tuple[int, int], int] = {}
    for j in strong:
        span = sources[j]
        if span is not None:
            best_source[span] = min(best_source.get(span, n), rank[j])
    out: list[list[str]] = []
    for i, cand in enumerate(cands):
        p = probs[i]
        b = _bin(p)
        base = bases[i]
        own = rank[i]
        src = _source_kind(cand, doc)
        feats = ["bias2", f"b={b}", f"rule={base}|b={b}", f"src={src}|b={b}"]
        cue_hit = [r for r in cue_hits.get(i, ()) if r != own]
        if cue_hit:
            cue_rank = sum(r < own for r in cue_hit[:2])
            rival = bases[by_rank[cue_hit[0]]]
            best = _bin(probs[by_rank[cue_hit[0]]])
            feats += [
                f"cue_rank={cue_rank}",
                f"cue_rank={cue_rank}|best={best}",
                f"cue_rank={cue_rank}|rival={rival}",
            ]
        else:
            feats.append("cue_alone")
        ov_hit = [r for r in ov_hits[i] if r != own]
        if ov_hit:
            ov_rank = sum(r < own for r in ov_hit[:2])
            top = by_rank[ov_hit[0]]
            rel = _relation(contents[i], contents[top])
            feats += [
                f"ov_rank={ov_rank}",
                f"ov_rank={ov_rank}|rel={rel}|best={_bin(probs[top])}",
                f"n_ov={min(len(ov_hit), 4)}",
                # a direct quote against an indirect reading of it, and who is ahead
                f"ov_kind={cands[top].kind}|kind={cand.kind}|rank={min(ov_rank, 1)}",
            ]
        else:
            feats.append("ov_alone")
        if any(r < own for r in held_hits.get(i, ())):
            feats.append("held_by_stronger")
        if any(r < own for r in holds_hits[i]):
            feats.append("holds_stronger")
        source = sources[i]
        if source is not None and best_source.get(source, n) < own:
            feats.append("shares_stronger_source")
        out.append(feats)
    return out


def stack_probability(weights: Mapping[str, float], feats: Sequence[str], p1: float) -> float:
    """The second stage's probability from its features and the first-stage probability."""
    z = weights.get(LOGIT, 0.0) * stack_logit(p1) + sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
