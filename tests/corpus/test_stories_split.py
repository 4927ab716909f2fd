"""Spectral splitting of a coarse group: two threads apart, one coherent story kept whole."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from corpus_helpers import make_article

from presslens.corpus.digest import digest
from presslens.corpus.resolve import resolve_entities
from presslens.corpus.stories import (
    StoryIndex,
    StoryOptions,
    _pair_score,
    article_entities,
    group_similarity,
)
from presslens.corpus.story_split import bisect, components, fiedler_sides, normalised_cut


def _two_threads(k: int, inside: float, across: float) -> np.ndarray:
    """Items 0..k-1 and k..2k-1: ``inside`` within a thread, ``across`` between them."""
    first = np.arange(2 * k) < k
    sim = np.where(first[:, None] == first[None, :], inside, across)
    np.fill_diagonal(sim, 0.0)
    return sim


def test_two_threads_sharing_vocabulary_are_split() -> None:
    # the threads are close (0.15 across, above a 0.08 grouping threshold) but closer inside
    sim = _two_threads(5, inside=0.5, across=0.15)
    assert bisect(sim, max_ncut=0.8) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_one_coherent_story_is_kept_whole_however_large() -> None:
    rng = np.random.default_rng(3)
    for n in (9, 200):
        upper = np.triu(rng.uniform(0.1, 0.5, (n, n)), 1)
        sim = upper + upper.T
        assert bisect(sim, max_ncut=0.8) == [list(range(n))]


def test_threshold_decides_whether_a_weak_split_is_kept() -> None:
    sim = _two_threads(4, inside=0.4, across=0.3)
    side = fiedler_sides(sim)
    assert sorted(side[:4]) == [side[0]] * 4 and side[4] != side[0]
    cut = normalised_cut(sim, side)
    # by hand: cut = 16 * 0.3, the volume of each half = 4 * (3 * 0.4 + 4 * 0.3)
    assert cut == pytest.approx(2 * 4.8 / 9.6)
    assert len(bisect(sim, max_ncut=cut + 0.01)) == 2
    assert len(bisect(sim, max_ncut=cut - 0.01)) == 1


def test_unconnected_pieces_come_apart_and_a_pair_stays() -> None:
    sim = np.zeros((6, 6))
    for a, b, w in [(0, 1, 0.9), (2, 3, 0.2), (3, 4, 0.2), (2, 4, 0.2)]:
        sim[a, b] = sim[b, a] = w
    assert components(sim) == [[0, 1], [2, 3, 4], [5]]
    # a pair cannot be cut below 2: it stays one story
    assert bisect(sim, max_ncut=1.5) == [[0, 1], [2, 3, 4], [5]]


SHARED = "Harbour United of the northern league, chairman Ilse Varga said on {day}. "
FIRED = [
    "Harbour United fired coach Brenn after nine straight defeats, the last a 0-4 home loss to "
    "Rivermouth that fans protested.",
    "Brenn was fired by Harbour United: nine defeats in a row, the 0-4 loss at home to Rivermouth "
    "ended his spell, and angry fans protested outside the stadium.",
    "After the 0-4 defeat to Rivermouth, the ninth straight loss, fans protested and Brenn was "
    "sacked as Harbour United coach.",
]
HIRED = [
    "Harbour United hired Dalvik as coach from Lakeside on a three-year contract; he starts "
    "training the squad in June.",
    "Dalvik left Lakeside to become Harbour United coach, signing a three-year contract, and will "
    "take his first training session in June.",
    "Harbour United named Lakeside's Dalvik their new coach on a three-year contract starting in "
    "June training camp.",
]


def _digests() -> list[dict]:
    ents = {"e1": ("ORG", ["Harbour United"]), "e2": ("PERSON", ["Ilse Varga"])}
    arts = []
    for i, body in enumerate(FIRED + HIRED):
        coach = "Brenn" if i < 3 else "Dalvik"
        text = body + " " + SHARED.format(day="Monday" if i < 3 else "Friday")
        arts.append(
            make_article(
                text,
                aid=f"c{i}",
                outlet=f"Outlet {i}",
                entities={**ents, "e3": ("PERSON", [coach])},
            )
        )
    return [digest(a) for a in arts]


def test_group_similarity_is_the_pair_score_of_every_pair() -> None:
    digests = _digests()
    res = resolve_entities(digests)
    idx = StoryIndex()
    ents = {d["id"]: article_entities(d, res, idx.options.entity_labels) for d in digests}
    for d in digests:
        idx._count(d, ents[d["id"]])
    vecs = [idx._vector(d, ents[d["id"]]) for d in digests]
    vecs[0].published, vecs[1].published = "2024-01-02", "2024-03-01"
    vecs[2].year, vecs[3].year = "2023", "2024"
    opts = StoryOptions()
    sim = group_similarity(vecs, opts)
    for i, j in itertools.combinations(range(len(vecs)), 2):
        assert sim[i, j] == pytest.approx(_pair_score(vecs[i], vecs[j], opts))
        assert sim[j, i] == pytest.approx(sim[i, j])
    assert np.all(np.diag(sim) == 0)


def _stories(options: StoryOptions) -> list[set[str]]:
    digests = _digests()
    res = resolve_entities(digests)
    idx = StoryIndex(options)
    idx.add_batch(
        digests, {d["id"]: article_entities(d, res, idx.options.entity_labels) for d in digests}
    )
    return sorted(
        ({a for a, s in idx.assignment.items() if s == sid} for sid in idx.stories), key=min
    )


def test_coach_fired_and_coach_hired_by_one_club_are_two_stories() -> None:
    fired, hired = {"c0", "c1", "c2"}, {"c3", "c4", "c5"}
    assert _stories(StoryOptions()) == [fired, hired]
    # the same club, chairman and words: without the split one story (and by average link alone
    # at the joining threshold too)
    assert _stories(StoryOptions(split_ncut=0.0)) == [fired | hired]
    assert _stories(StoryOptions(group_threshold=0.2, split_ncut=0.0)) == [fired | hired]
    # a group over split_max is not bisected but cut by average link at the joining threshold
    assert _stories(StoryOptions(split_max=5)) == [fired | hired]
