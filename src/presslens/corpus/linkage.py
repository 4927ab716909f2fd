"""Complete-linkage grouping, shared by the figure and quotation matchers.

Pairs are joined in the order given (best first); two groups join only when ``may_join`` says
every member of one may stand with every member of the other, so a group never chains from
one item to an unrelated one through a third, as single linkage (union-find) would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = ["complete_linkage"]


def complete_linkage(
    n: int,
    pairs: Iterable[tuple[int, int]],
    may_join: Callable[[list[int], list[int]], bool],
) -> list[list[int]]:
    """Groups of two or more of the items ``0 … n-1``, each sorted, in order of their first
    item; ``pairs`` are tried in the order given."""
    group_of = {i: [i] for i in range(n)}
    for i, j in pairs:
        gi, gj = group_of[i], group_of[j]
        if gi is gj or not may_join(gi, gj):
            continue
        gi.extend(gj)
        for k in gj:
            group_of[k] = gi
    seen: set[int] = set()
    out = []
    for g in group_of.values():
        if len(g) > 1 and id(g) not in seen:
            seen.add(id(g))
            out.append(sorted(g))
    return sorted(out)
