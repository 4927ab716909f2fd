"""Hand-built digests and articles for corpus tests (no spaCy needed); imported by the tests
of this folder (pytest puts the folder on sys.path)."""

from __future__ import annotations

from datetime import date
from typing import Any

from presslens.model import Article, Cluster, Published


def make_article(
    text: str,
    *,
    aid: str,
    outlet: str | None,
    day: str | None = "2026-03-12",
    entities: dict[str, tuple[str, list[str]]] | None = None,
) -> Article:
    """An article whose ``entities`` layer marks every occurrence of each surface given in
    ``entities`` ({cluster id: (label, [surfaces])}); the first surface is the name."""
    art = Article(id=aid, text=text, outlet=outlet, source=f"<{aid}>")
    if day:
        art.published = Published(date=date.fromisoformat(day), source="header")
    for cid, (label, surfaces) in (entities or {}).items():
        mentions: list[int] = []
        variants: dict[str, int] = {}
        for surface in surfaces:
            start = 0
            while (at := text.find(surface, start)) >= 0:
                # skip a surface inside a longer one already marked
                if not any(s.start <= at < s.end for s in art.layer("entities")):
                    mentions.append(
                        art.add("entities", art.span(at, at + len(surface), label, entity=cid))
                    )
                    variants[surface] = variants.get(surface, 0) + 1
                start = at + len(surface)
        art.clusters.append(
            Cluster(id=cid, label=label, name=surfaces[0], mentions=mentions, variants=variants)
        )
    art.check()
    return art


def cluster_digest(
    aid: str, outlet: str, clusters: list[tuple[str, str, dict[str, int]]]
) -> dict[str, Any]:
    """A digest holding only clusters: [(label, name, variants)]."""
    return {
        "id": aid,
        "outlet": outlet,
        "title": aid,
        "published": None,
        "clusters": [
            [f"e{i}", label, name, variants] for i, (label, name, variants) in enumerate(clusters)
        ],
        "terms": {},
        "years": {},
        "minhash": None,
    }
