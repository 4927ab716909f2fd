"""Split a coarse group of articles into its stories by recursive spectral bisection.

Average link with one threshold cannot tell two incidents of the same kind apart when they share
their protagonists and vocabulary (a coach fired, then a coach hired by the same team): the two
threads are more alike than the least alike reports of one of them. Within a group already known
to be about one topic the test is relative instead: the group's similarity matrix (every pair,
not the sparse neighbour graph, whose missing pairs would make any large story look cuttable) is
cut where the normalised cut of Shi and Malik is smallest, and the cut is kept only when it is
clearly below what cutting one coherent story gives (about 1). Each half is tested the same way.
"""

from __future__ import annotations

import numpy as np

__all__ = ["bisect", "components", "fiedler_sides", "normalised_cut"]


def components(sim: np.ndarray) -> list[list[int]]:
    """Connected components of the graph whose edges are the positive entries of ``sim``."""
    n = len(sim)
    linked = sim > 0
    seen = np.zeros(n, dtype=bool)
    out = []
    for start in range(n):
        if seen[start]:
            continue
        seen[start] = True
        comp, stack = [], [start]
        while stack:
            x = stack.pop()
            comp.append(x)
            for y in np.flatnonzero(linked[x] & ~seen):
                seen[y] = True
                stack.append(int(y))
        out.append(sorted(comp))
    return out


def fiedler_sides(sim: np.ndarray) -> np.ndarray:
    """Boolean side of each item in the bisection given by the second eigenvector of the
    normalised similarity ``D^-1/2 W D^-1/2`` (the relaxed minimum normalised cut). The graph
    must be connected."""
    w = np.where(sim > 0, sim, 0.0)
    np.fill_diagonal(w, 0.0)
    inv = 1.0 / np.sqrt(np.maximum(w.sum(axis=1), 1e-12))
    _, vecs = np.linalg.eigh(inv[:, None] * w * inv[None, :])
    side: np.ndarray = (inv * vecs[:, -2]) > 0
    return side


def normalised_cut(sim: np.ndarray, side: np.ndarray) -> float:
    """``cut/vol(A) + cut/vol(B)``: 0 for unconnected halves, about 1 or more for a cut through
    one coherent group (2 when a half is one article linked only to the other half)."""
    w = np.where(sim > 0, sim, 0.0)
    np.fill_diagonal(w, 0.0)
    cut = float(w[np.ix_(side, ~side)].sum())
    vol_a, vol_b = float(w[side].sum()), float(w[~side].sum())
    if vol_a <= 0 or vol_b <= 0:
        return 2.0
    return cut / vol_a + cut / vol_b


def bisect(sim: np.ndarray, max_ncut: float) -> list[list[int]]:
    """Items ``0..n-1`` of the symmetric similarity matrix ``sim`` cut into parts: unconnected
    pieces apart, then each piece bisected while the normalised cut of its spectral bisection is
    below ``max_ncut``. Parts come back sorted by their first item."""
    out: list[list[int]] = []
    todo = components(sim)
    while todo:
        part = todo.pop()
        if len(part) < 2:
            out.append(part)
            continue
        sub = sim[np.ix_(part, part)]
        side = fiedler_sides(sub)
        if side.all() or not side.any() or normalised_cut(sub, side) >= max_ncut:
            out.append(part)
            continue
        for half in (np.flatnonzero(side), np.flatnonzero(~side)):
            picked = [part[i] for i in half]
            todo.extend([picked[i] for i in c] for c in components(sim[np.ix_(picked, picked)]))
    return sorted(out, key=lambda p: p[0])
