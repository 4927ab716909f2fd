"""The attribution scorer's second stage: context features, competitive labels, the fit."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from attribution_helpers import parsed

from presslens.eval.brat import GoldRelation
from presslens.registry import StageFn
from presslens.stages.attribution_rules import Candidate
from presslens.stages.attribution_stack import (
    LOGIT,
    context_features,
    neighbours,
    stack_logit,
    stack_probability,
)
from presslens.stages.attributions import (
    LearnedScorer,
    attribution_candidates,
    candidate_features,
    load_learned_scorer,
)
from presslens.train.attribution import fit_logistic, winner_labels

TEXT = "Anna Koval said that the mayor claimed the bridge was closed."


@pytest.fixture(scope="module")
def art(spacy_stage: StageFn):  # type: ignore[no-untyped-def]
    return parsed(TEXT, spacy_stage)


def _cand(content: tuple[int, int], cue: tuple[int, int], rule: str = "verb-ccomp") -> Candidate:
    return Candidate(content=content, kind="indirect", rule=rule, cue=cue)


def _at(s: str) -> tuple[int, int]:
    i = TEXT.index(s)
    return (i, i + len(s))


def test_candidates_sharing_a_cue_are_ranked_by_first_stage_probability(art) -> None:  # type: ignore[no-untyped-def]
    said = _at("said")
    a = _cand(_at("that the mayor claimed the bridge was closed"), said)
    b = _cand(_at("the mayor claimed the bridge was closed"), said, rule="open-verb-ccomp")
    feats = context_features([a, b], [0.9, 0.3], art._doc)
    assert "cue_rank=0" in feats[0] and "cue_rank=1" in feats[1]
    assert "cue_rank=1|rival=verb-ccomp" in feats[1]
    # the weaker one's content lies inside the stronger one's
    assert any(f.startswith("ov_rank=1|rel=inside") for f in feats[1])
    assert "ov_kind=indirect|kind=indirect|rank=1" in feats[1]
    assert "ov_kind=indirect|kind=indirect|rank=0" in feats[0]
    swapped = context_features([a, b], [0.3, 0.9], art._doc)
    assert "cue_rank=1" in swapped[0] and "cue_rank=0" in swapped[1]


def test_a_statement_inside_a_stronger_one_is_marked(art) -> None:  # type: ignore[no-untyped-def]
    outer = _cand(_at("that the mayor claimed the bridge was closed"), _at("said"))
    inner = _cand(_at("the bridge was closed"), _at("claimed"))
    feats = context_features([outer, inner], [0.9, 0.6], art._doc)
    assert "held_by_stronger" in feats[1] and "holds_stronger" not in feats[1]
    assert "held_by_stronger" not in feats[0]
    # a weak outer statement (under 0.5) does not count as stronger
    weak = context_features([outer, inner], [0.4, 0.3], art._doc)
    assert "held_by_stronger" not in weak[1]


def test_a_lone_candidate_has_no_competitors(art) -> None:  # type: ignore[no-untyped-def]
    (feats,) = context_features(
        [_cand(_at("the bridge was closed"), _at("claimed"))], [0.7], art._doc
    )
    assert "cue_alone" in feats and "ov_alone" in feats and "b=7" in feats


def test_stack_probability_reads_the_first_stage_logit() -> None:
    weights = {LOGIT: 1.0, "bias2": -0.5}
    low, high = (stack_probability(weights, ["bias2"], p) for p in (0.2, 0.8))
    assert low < high
    assert high == pytest.approx(1 / (1 + math.exp(-(math.log(4) - 0.5))))
    assert stack_logit(1.0) == 8.0 and stack_logit(0.0) == -8.0  # clipped, no overflow


def test_score_all_without_a_stack_is_the_first_stage(art) -> None:  # type: ignore[no-untyped-def]
    cands = attribution_candidates(art, open_rules=True)
    plain = LearnedScorer({"bias": 0.3, "rule=verb-ccomp": 1.0}, 0.5)
    assert plain.score_all(cands, art._doc) == [plain(c, art._doc) for c in cands]
    stacked = LearnedScorer(plain.weights, 0.5, stack={LOGIT: 0.0, "bias2": 2.0})
    assert all(
        p == pytest.approx(1 / (1 + math.exp(-2.0))) for p in stacked.score_all(cands, art._doc)
    )


def test_winner_labels_keep_the_best_match_of_a_gold_statement(art) -> None:  # type: ignore[no-untyped-def]
    said = _at("said")
    gold = [
        GoldRelation(
            source=_at("Anna Koval"),
            cue=said,
            content=_at("that the mayor claimed the bridge was closed"),
        )
    ]
    exact = _cand(_at("that the mayor claimed the bridge was closed"), said)
    shorter = _cand(_at("the bridge was closed"), said, rule="open-verb-ccomp")
    other = _cand(_at("the bridge was closed"), _at("claimed"))
    group = [(c, candidate_features(c, art._doc), 1) for c in (exact, shorter, other)]
    # the inner statement's cue is not gold's: it never matched; the shorter reading loses
    group[2] = (other, group[2][1], 0)
    assert winner_labels(group, gold, TEXT) == [1, 0, 0]


def test_logistic_regression_with_real_values_learns_their_sign() -> None:
    rows = [[0, 1]] * 4
    values = [[1.0, 2.0], [1.0, 1.0], [1.0, -1.0], [1.0, -2.0]]
    w = fit_logistic(rows, [1, 1, 0, 0], 2, steps=300, values=values)
    assert w[1] > 0
    ones = fit_logistic([[0, 1], [0, 2]], [1, 0], 3, steps=50)
    same = fit_logistic([[0, 1], [0, 2]], [1, 0], 3, steps=50, values=[[1.0, 1.0]] * 2)
    assert np.array_equal(ones, same)


def test_the_shipped_artifact_has_a_second_stage() -> None:
    scorer = load_learned_scorer()
    assert scorer.stack.get(LOGIT, 0.0) > 0  # the first stage's opinion counts, positively
    assert any(k.startswith("cue_rank=") for k in scorer.stack)


def test_neighbours_are_exactly_the_candidates_whose_extent_meets() -> None:
    """The sweep gives what comparing every pair would, so context features are unchanged."""
    rng = random.Random(5)
    for trial in range(40):
        cands = []
        for _ in range(rng.randint(0, 30)):
            s = rng.randint(0, 300)
            content = (s, s + rng.randint(0, 60 if trial % 2 else 400))
            c = rng.randint(0, 320)
            cue = (c, c + rng.randint(0, 8)) if rng.random() < 0.8 else None
            src = (c + 9, c + 9 + rng.randint(0, 5)) if rng.random() < 0.5 else None
            cands.append(Candidate(content=content, kind="indirect", rule="r", cue=cue, source=src))

        def extent(c: Candidate) -> tuple[int, int]:
            spans = [r for r in (c.cue, c.content, c.source) if r is not None]
            return min(r[0] for r in spans), max(r[1] for r in spans)

        brute = [
            [
                j
                for j, b in enumerate(cands)
                if j != i and extent(b)[0] <= extent(a)[1] and extent(a)[0] <= extent(b)[1]
            ]
            for i, a in enumerate(cands)
        ]
        assert neighbours(cands) == brute
