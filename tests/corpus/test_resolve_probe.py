"""Corpus resolution: spellings an article kept apart as two people stay two entities."""

from __future__ import annotations

from corpus_helpers import cluster_digest

from presslens.corpus.resolve import resolve_entities


def _entity(res, name: str):
    hits = [e for e in res.entities if name in e["variants"]]
    assert len(hits) == 1, f"{name} is in {len(hits)} entities"
    return hits[0]


def test_spellings_kept_apart_in_one_article_stay_apart() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("PERSON", "Daniel Marsh", {"Daniel Marsh": 1}),
                                       ("PERSON", "Daniela Marsh", {"Daniela Marsh": 2})]),
            cluster_digest("a2", "Y", [("PERSON", "Daniel Marsh", {"Daniel Marsh": 1})]),
        ]
    )  # fmt: skip
    assert _entity(res, "Daniel Marsh")["id"] != _entity(res, "Daniela Marsh")["id"]
    assert _entity(res, "Daniel Marsh")["articles"] == ["a1", "a2"]


def test_third_article_spelling_does_not_bridge_them() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("PERSON", "Youssef Karim", {"Youssef Karim": 1}),
                                       ("PERSON", "Yousef Karim", {"Yousef Karim": 1})]),
            cluster_digest("a2", "Y", [("PERSON", "Yusuf Karim", {"Yusuf Karim": 1})]),
        ]
    )  # fmt: skip
    assert _entity(res, "Youssef Karim")["id"] != _entity(res, "Yousef Karim")["id"]


def test_spellings_in_different_articles_still_merge() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("PERSON", "Mohamed Hajib", {"Mohamed Hajib": 1})]),
            cluster_digest("a2", "Y", [("PERSON", "Mohammad Hajib", {"Mohammad Hajib": 1})]),
        ]
    )
    assert _entity(res, "Mohamed Hajib")["id"] == _entity(res, "Mohammad Hajib")["id"]
