"""Near-duplicate articles (syndicated or lightly edited copies) by MinHash and LSH, in numpy.

Each article's text becomes a set of word 5-gram shingles (CRC32, so signatures are the same in
every process and can be stored); :data:`NUM_PERM` universal hash functions give its MinHash
signature. Locality-sensitive hashing (:data:`BANDS` bands of :data:`ROWS` rows) proposes
candidate pairs, so no all-pairs comparison is made; a candidate is kept when the signatures
agree on at least :data:`DUP_MIN_JACCARD` of their positions (the estimated Jaccard similarity).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["BANDS", "DUP_MIN_JACCARD", "NUM_PERM", "near_duplicate_groups", "signature"]

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
#: Estimated Jaccard similarity of shingle sets above which two articles are near-duplicates.
#: Syndicated copies with a changed headline or sign-off score ≥ 0.8; articles about the same
#: event by different writers stay below 0.2 (checked on the demo corpus and PolNeAR).
DUP_MIN_JACCARD = 0.6
SHINGLE_WORDS = 5

_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20261122)  # fixed: signatures must be comparable across runs
_A = _rng.integers(1, 1 << 31, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+")
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint64)


def _shingles(text: str) -> np.ndarray:
    words = _WORD.findall(text.casefold())
    n = max(1, len(words) - SHINGLE_WORDS + 1)
    grams = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(n)} if words else set()
    return np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))


def signature(text: str) -> np.ndarray:
    """MinHash signature of ``text`` (``NUM_PERM`` integers below 2**32)."""
    x = _shingles(text)
    if x.size == 0:
        return _EMPTY.copy()
    hashed = (_A[:, None] * x[None, :] + _B[:, None]) % _PRIME
    return (hashed.min(axis=1) & np.uint64(0xFFFFFFFF)).astype(np.uint64)


def near_duplicate_groups(
    items: Iterable[tuple[str, Sequence[int] | np.ndarray | None]],
    *,
    min_jaccard: float = DUP_MIN_JACCARD,
) -> list[dict[str, Any]]:
    """Groups of near-duplicate ids from ``(id, signature)`` pairs: ``[{"articles": [...],
    "similarity": min estimated Jaccard of the joining pairs}]``, groups of two or more only."""
    ids: list[str] = []
    sigs: list[np.ndarray] = []
    for aid, sig in items:
        if sig is None:
            continue
        ids.append(aid)
        sigs.append(np.asarray(sig, dtype=np.uint64))
    if not ids:
        return []
    matrix = np.vstack(sigs)
    parent = list(range(len(ids)))
    best: dict[int, float] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for band in range(BANDS):
        cols = matrix[:, band * ROWS : (band + 1) * ROWS]
        buckets: dict[bytes, list[int]] = {}
        for i, row in enumerate(cols):
            buckets.setdefault(row.tobytes(), []).append(i)
        for members in buckets.values():
            if len(members) < 2 or len(members) > 1000:  # a huge bucket is empty texts
                continue
            first = members[0]
            for other in members[1:]:
                ra, rb = find(first), find(other)
                if ra == rb:
                    continue
                sim = float(np.mean(matrix[first] == matrix[other]))
                if sim >= min_jaccard:
                    parent[rb] = ra
                    best[ra] = min(best.get(ra, 1.0), best.pop(rb, 1.0), sim)
    groups: dict[int, list[str]] = {}
    for i, aid in enumerate(ids):
        groups.setdefault(find(i), []).append(aid)
    return [
        {"articles": sorted(m), "similarity": round(best.get(root, 1.0), 3)}
        for root, m in sorted(groups.items(), key=lambda kv: min(kv[1]))
        if len(m) > 1
    ]
