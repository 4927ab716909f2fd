"""The learned content-edge chooser (attribution v7): which alternative edges a parsed
content is offered, that the best-rated one wins, and what never moves (quotes, the cue,
the source). Hand-set weights drive the model, so the tests check the mechanism, not the
shipped weights; training examples are checked against a hand-made gold content.
"""

from __future__ import annotations

from typing import Any

from attribution_helpers import parsed

from presslens.model import Article
from presslens.registry import StageFn
from presslens.stages.attribution_edges import (
    WINDOW,
    choose_edges,
    edge_adjustable,
    edge_features,
    edge_options,
)
from presslens.stages.attribution_rules import Candidate
from presslens.stages.attributions import attribution_candidates
from presslens.train.attribution import content_edge_examples

URGED = "The mayor urged residents to leave the city before the storm."


def by_cue(art: Article, cue: str) -> Candidate:
    found = [
        c
        for c in attribution_candidates(art, open_rules=True)
        if c.cue is not None and art.text[slice(*c.cue)] == cue
    ]
    found.sort(key=lambda c: c.rule.startswith("open-"))
    assert found
    return found[0]


def surface(art: Article, rng: tuple[int, int]) -> str:
    return art.text[rng[0] : rng[1]]


def words(art: Article, cand: Candidate, side: str) -> list[str]:
    doc: Any = art._doc
    return [doc[e.i].text for e in edge_options(doc, cand, art.text) if e.side == side]


def test_alternatives_include_the_current_edges_and_constituent_starts(
    spacy_stage: StageFn,
) -> None:
    art = parsed(URGED, spacy_stage)
    cand = by_cue(art, "urged")
    assert surface(art, cand.content) == "residents to leave the city before the storm"
    doc: Any = art._doc
    options = edge_options(doc, cand, art.text)
    assert sum(1 for e in options if e.delta == 0) == 2  # staying is one of the choices
    assert "to" in words(art, cand, "S")  # "urged residents | to leave …"
    assert "city" in words(art, cand, "E")  # "… the city | before the storm"
    assert all(abs(e.delta) <= WINDOW for e in options)


def test_best_rated_alternative_wins(spacy_stage: StageFn) -> None:
    art = parsed(URGED, spacy_stage)
    cand = by_cue(art, "urged")
    choose_edges(cand, art._doc, art.text, {"S|w=to": 4.0, "E|w=city": 4.0, "S": -1.0, "E": -1.0})
    assert surface(art, cand.content) == "to leave the city"


def test_content_stays_when_staying_rates_best(spacy_stage: StageFn) -> None:
    art = parsed(URGED, spacy_stage)
    cand = by_cue(art, "urged")
    before = cand.content
    choose_edges(cand, art._doc, art.text, {"S|d=0": 3.0, "E|d=0": 3.0})
    assert cand.content == before
    choose_edges(cand, art._doc, art.text, {})
    assert cand.content == before


def test_edges_never_cross_the_cue_the_source_or_a_quotation_mark(
    spacy_stage: StageFn,
) -> None:
    text = "Anna Koval said that the “old bridge” was closed to traffic on Monday."
    art = parsed(text, spacy_stage)
    cand = by_cue(art, "said")
    assert cand.kind == "mixed"
    assert edge_adjustable(cand)
    doc: Any = art._doc
    for edge in edge_options(doc, cand, art.text):
        tok = doc[edge.i]
        assert tok.idx >= cand.cue[1]  # type: ignore[index]
        if edge.side == "S":
            assert tok.idx <= text.index("“")  # never starts inside the quote
    everything = {f"S|w={t.lower_}": 5.0 for t in doc} | {f"E|w={t.lower_}": 5.0 for t in doc}
    choose_edges(cand, doc, text, everything)
    content = surface(art, cand.content)
    assert content.count("“") == content.count("”")


def test_direct_quotes_are_never_moved(spacy_stage: StageFn) -> None:
    art = parsed("“The bridge was closed to traffic,” Anna Koval said.", spacy_stage)
    cand = by_cue(art, "said")
    assert not edge_adjustable(cand)
    before = cand.content
    choose_edges(cand, art._doc, art.text, {"S": 9.0, "E": 9.0})
    assert cand.content == before


def test_training_examples_label_the_gold_edges(spacy_stage: StageFn) -> None:
    art = parsed(URGED, spacy_stage)
    cand = by_cue(art, "urged")
    start = URGED.index("to leave")
    gold = (start, URGED.index(" before"))
    doc: Any = art._doc
    examples = content_edge_examples(doc, cand, [gold], art.text)
    positives = [feats for feats, label in examples if label]
    assert len(positives) == 2  # one start, one end
    assert any("S|w=to" in f for f in positives)
    assert any("E|w=city" in f for f in positives)
    # features describe the move: a start that cuts the object off
    anchor = next(e.i for e in edge_options(doc, cand, art.text) if e.side == "S" and not e.delta)
    to = next(e for e in edge_options(doc, cand, art.text) if e.side == "S" and e.delta > 0)
    assert "S|cut" in edge_features(doc, cand, to, anchor)


def test_no_examples_without_an_overlapping_gold(spacy_stage: StageFn) -> None:
    art = parsed(URGED, spacy_stage)
    cand = by_cue(art, "urged")
    assert content_edge_examples(art._doc, cand, [(0, 9)], art.text) == []
