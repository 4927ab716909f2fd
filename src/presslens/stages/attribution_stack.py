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
second stage's weights are small. Every feature compares a candidate only with candidates
whose extent (cue, content and source together) meets its own (:func:`neighbours`), not with
the whole article: a few dozen comparisons in news, and no quadratic blow-up on a
book-length input.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Mapping, Sequence
from typing import Any

from presslens.stages.attribution_rules import Candidate

__all__ = ["LOGIT", "context_features", "neighbours", "stack_logit", "stack_probability"]

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


def context_features(
    cands: Sequence[Candidate], probs: Sequence[float], doc: Any
) -> list[list[str]]:
    """The second stage's binary feature names of each candidate (the logit is added by
    :func:`stack_probability`), given every candidate of the article and their first-stage
    probabilities."""
    out: list[list[str]] = []
    cues = [c.cue for c in cands]
    contents = [c.content for c in cands]
    sources = [c.source for c in cands]
    bases = [c.rule.split("+")[0] for c in cands]
    near = neighbours(cands)
    for i, cand in enumerate(cands):
        p = probs[i]
        b = _bin(p)
        base = bases[i]
        src = _source_kind(cand, doc)
        feats = ["bias2", f"b={b}", f"rule={base}|b={b}", f"src={src}|b={b}"]
        cue_rank = ov_rank = 0
        cue_best = ov_best = -1.0
        cue_rival = ""
        ov_rel = ov_kind = ""
        held = holds = shared_src = False
        n_ov = 0
        cue, (s, e), source = cues[i], contents[i], sources[i]
        for j in near[i]:
            q = probs[j]
            higher = q > p or (q == p and j < i)
            ocue = cues[j]
            os_, oe = contents[j]
            if cue is not None and ocue is not None and cue[0] < ocue[1] and ocue[0] < cue[1]:
                cue_rank += higher
                if q > cue_best:
                    cue_best, cue_rival = q, bases[j]
            if s < oe and os_ < e:
                n_ov += 1
                ov_rank += higher
                if q > ov_best:
                    ov_best, ov_rel = q, _relation((s, e), (os_, oe))
                    ov_kind = cands[j].kind
            if higher and q >= 0.5:
                if cue is not None and os_ <= cue[0] < oe:
                    held = True
                if ocue is not None and s <= ocue[0] < e:
                    holds = True
                if source is not None and source == sources[j]:
                    shared_src = True
        if cue_best >= 0:
            feats += [
                f"cue_rank={min(cue_rank, 2)}",
                f"cue_rank={min(cue_rank, 2)}|best={_bin(cue_best)}",
                f"cue_rank={min(cue_rank, 2)}|rival={cue_rival}",
            ]
        else:
            feats.append("cue_alone")
        if ov_best >= 0:
            feats += [
                f"ov_rank={min(ov_rank, 2)}",
                f"ov_rank={min(ov_rank, 2)}|rel={ov_rel}|best={_bin(ov_best)}",
                f"n_ov={min(n_ov, 4)}",
                # a direct quote against an indirect reading of it, and who is ahead
                f"ov_kind={ov_kind}|kind={cand.kind}|rank={min(ov_rank, 1)}",
            ]
        else:
            feats.append("ov_alone")
        if held:
            feats.append("held_by_stronger")
        if holds:
            feats.append("holds_stronger")
        if shared_src:
            feats.append("shares_stronger_source")
        out.append(feats)
    return out


def stack_probability(weights: Mapping[str, float], feats: Sequence[str], p1: float) -> float:
    """The second stage's probability from its features and the first-stage probability."""
    z = weights.get(LOGIT, 0.0) * stack_logit(p1) + sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
