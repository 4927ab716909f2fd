"""Check-worthy claims: sentences that state a checkable fact, scored by a trained model.

A logistic regression over hashed features of each sentence's tokens (words, lemmas, word
bigrams and trigrams, part-of-speech tags and their pairs, shapes, suffixes, entity types,
dependency and head-lemma pairs, numbers, length) gives every sentence a score; sentences
scoring at least ``threshold`` become ``claims`` spans with their ``score``. Trained by
``presslens train claims`` on ClaimBuster (crowd-labelled US presidential debate sentences:
check-worthy factual versus not), threshold tuned on a fixed dev split of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from presslens.model import Article
from presslens.registry import StageFn, stage
from presslens.settings import Settings
from presslens.stages.linear import LinearModel, Rows, load_model, mix, sigmoid
from presslens.stages.techniques import (
    _DEP,
    _ENT,
    _HEAD,
    _LEM,
    _LOW,
    _POS,
    _SHP,
    _SPC,
    _SUF,
    _TAG,
    TokenTable,
    token_table,
)

__all__ = ["ClaimOptions", "extract_claims", "make_claims_stage", "sentence_features"]

VERSION = "claims.v1"
MODEL = "data/claims.zip"
#: Sentences with fewer words than this are never claims ("Thank you.").
MIN_WORDS = 4


@dataclass(frozen=True)
class ClaimOptions:
    """Options of the claims stage (same names as its config options)."""

    #: A probability (0-1); None: the dev-tuned value stored with the model.
    threshold: float | None = field(default=None, metadata={"range": (0.0, 1.0)})


def sentence_features(t: TokenTable, i: int, j: int, text: str) -> np.ndarray:
    """Feature ids of the sentence made of tokens ``i..j`` (inclusive).

    Words, lemmas, tags and entity types; word bigrams and trigrams; word shapes ("dd.d%",
    "Xxxxx") and three-letter suffixes, which carry numbers and word forms the vocabulary has
    not seen; each lemma with its dependency label and with its syntactic head ("rise" ←
    "unemployment"), so who did what counts, not only which words occur; each of the first two
    words apart ("I think …", "Thank you …" open opinions and courtesies, not claims); length
    and digit buckets."""
    a = t.a
    toks = np.arange(i, j + 1)
    toks = toks[a[toks, _SPC] == 0]
    if not len(toks):
        return np.zeros(1, np.uint64)
    low, lem, pos, tag = a[toks, _LOW], a[toks, _LEM], a[toks, _POS], a[toks, _TAG]
    parts = [
        mix(low, 201),
        mix(lem, 202),
        mix(pos, 203),
        mix(tag, 204),
        mix(a[toks, _ENT], 205),
        mix(a[toks, _SHP], 210),
        mix(a[toks, _SUF], 211),
        mix(a[toks, _DEP], 212) ^ lem,
        mix(low[:2], 216),
    ]
    head = np.clip(toks.astype(np.int64) + a[toks, _HEAD].astype(np.int64), 0, t.n - 1)
    parts.append(mix(a[head, _LEM], 213) ^ lem)
    if len(toks) > 1:
        parts.append(mix(low[:-1], 206) ^ low[1:])
        parts.append(mix(pos[:-1], 207) ^ pos[1:])
        parts.append(mix(tag[:-1], 208) ^ low[1:])
    if len(toks) > 2:
        parts.append(mix(mix(low[:-2], 214) ^ low[1:-1], 215) ^ low[2:])
    digits = sum(ch.isdigit() for ch in text[t.start(int(toks[0])) : t.end(int(toks[-1]))])
    n = len(toks)
    length = min(n // 5, 8)
    parts.append(mix(np.array([length, min(digits, 6) + 20], np.uint64), 209))
    parts.append(np.zeros(1, np.uint64))  # bias-like
    return np.concatenate(parts)


@lru_cache(maxsize=1)
def _model() -> LinearModel:
    return load_model(resources.files("presslens").joinpath(MODEL))


@stage("presslens.claims.v1", requires=("doc", "sentences"), assigns=("claims",))
def make_claims_stage(settings: Settings, **options: Any) -> StageFn:
    """Check-worthy factual sentences with a score, from a model trained on ClaimBuster."""
    opts = ClaimOptions(**options)

    def run(articles: list[Article]) -> list[Article]:
        model = _model()
        for art in articles:
            extract_claims(art, model, options=opts)
        return articles

    return run


def sentence_ranges(t: TokenTable) -> list[tuple[int, int]]:
    """Token ranges ``(i, j)`` (inclusive) of each sentence, whitespace tokens trimmed."""
    out: list[tuple[int, int]] = []
    if not t.n:
        return out
    bounds = np.flatnonzero(np.diff(t.sent)) + 1
    for s, e in zip(np.r_[0, bounds], np.r_[bounds, t.n], strict=True):
        idx = np.arange(s, e)
        idx = idx[t.a[idx, _SPC] == 0]
        if len(idx):
            out.append((int(idx[0]), int(idx[-1])))
    return out


def extract_claims(
    art: Article, model: LinearModel, *, options: ClaimOptions = ClaimOptions()
) -> None:
    """Fill ``art.layers["claims"]`` from the article's spaCy Doc."""
    art.layers["claims"] = []
    doc = art._doc
    if doc is None:
        return
    t = token_table(doc, art.text)
    ranges = [(i, j) for i, j in sentence_ranges(t) if j - i + 1 >= MIN_WORDS]
    if not ranges:
        return
    rows = Rows.from_lists([sentence_features(t, i, j, art.text) for i, j in ranges])
    scores = sigmoid(model.scores(rows))
    thr = options.threshold if options.threshold is not None else model.meta["threshold"]
    for (i, j), score in zip(ranges, scores, strict=True):
        if score >= thr:
            art.add("claims", art.span(t.start(i), t.end(j), "claim", score=round(float(score), 3)))
