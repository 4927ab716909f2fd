"""The learned cue-edge chooser (attribution v8): which alternative edges a kept cue is
offered, that the best-rated one wins, that a cue grown into its content pushes the content
behind it, and what a cue never takes (the source, a quote, a line break, its content when
the content is a quote). Hand-set weights drive the model, so the tests check the mechanism,
not the shipped weights; training examples are checked against a hand-made gold cue.
"""

from __future__ import annotations

from typing import Any

from attribution_helpers import parsed

from presslens.model import Article
from presslens.registry import StageFn
from presslens.stages.attribution_cues import (
    INWARD,
    LEFT_WINDOW,
    RIGHT_WINDOW,
    choose_cue_edges,
    cue_adjustable,
    cue_edge_features,
    cue_edge_options,
)
from presslens.stages.attribution_rules import Candidate
from presslens.stages.attributions import _deduplicated, attribution_candidates
from presslens.train.attribution import cue_edge_examples

SAID = "The mayor also said last month that the bridge would reopen in the spring."
ACCUSED = "The senator accused Holt of lying about the budget."


def by_cue(art: Article, cue: str) -> Candidate:
    found = [
        c
        for c in attribution_candidates(art, open_rules=True)
        if c.cue is not None and art.text[slice(*c.cue)] == cue
    ]
    found.sort(key=lambda c: c.rule.startswith("open-"))
    assert found, [(c.rule, c.cue and art.text[slice(*c.cue)]) for c in attribution_candidates(art)]
    return found[0]


def surface(art: Article, rng: tuple[int, int] | None) -> str:
    assert rng is not None
    return art.text[rng[0] : rng[1]]


def words(art: Article, cand: Candidate, side: str) -> list[str]:
    doc: Any = art._doc
    return [doc[e.i].text for e in cue_edge_options(doc, cand, art.text) if e.side == side]


def test_alternatives_include_staying_and_the_words_around_the_cue(
    spacy_stage: StageFn,
) -> None:
    art = parsed(SAID, spacy_stage)
    cand = by_cue(art, "said")
    doc: Any = art._doc
    options = cue_edge_options(doc, cand, art.text)
    assert sum(1 for e in options if e.delta == 0) == 2  # staying is one of the choices
    assert "also" in words(art, cand, "S")  # "also | said"
    assert "month" in words(art, cand, "E")  # "said last month"
    assert "mayor" not in words(art, cand, "S")  # never into the source
    assert all(-LEFT_WINDOW <= e.delta <= INWARD for e in options if e.side == "S")
    assert all(-INWARD <= e.delta <= RIGHT_WINDOW for e in options if e.side == "E")
    head = cand.cue_head
    assert head is not None
    assert all(e.i <= head for e in options if e.side == "S")
    assert all(e.i >= head for e in options if e.side == "E")


def test_best_rated_alternatives_win(spacy_stage: StageFn) -> None:
    art = parsed(SAID, spacy_stage)
    cand = by_cue(art, "said")
    content = cand.content
    weights = {"cS|w=also": 4.0, "cE|w=month": 4.0, "cS": -1.0, "cE": -1.0}
    choose_cue_edges(cand, art._doc, art.text, weights)
    assert surface(art, cand.cue) == "also said last month"
    assert cand.content == content  # the content starts after the cue: untouched


def test_cue_stays_when_staying_rates_best_or_without_weights(spacy_stage: StageFn) -> None:
    art = parsed(SAID, spacy_stage)
    cand = by_cue(art, "said")
    before = cand.cue
    choose_cue_edges(cand, art._doc, art.text, {"cS|d=0": 3.0, "cE|d=0": 3.0})
    assert cand.cue == before
    choose_cue_edges(cand, art._doc, art.text, {})
    assert cand.cue == before


def test_a_cue_grown_into_its_content_pushes_the_content_behind_it(
    spacy_stage: StageFn,
) -> None:
    art = parsed(ACCUSED, spacy_stage)
    cand = by_cue(art, "accused")
    assert cand.content[0] < ACCUSED.index(" lying")  # the rules' content holds "Holt of"
    choose_cue_edges(cand, art._doc, art.text, {"cE|w=of": 5.0, "cE": -1.0})
    assert surface(art, cand.cue) == "accused Holt of"
    assert surface(art, cand.content).startswith("lying")
    assert cand.cue is not None and cand.cue[1] <= cand.content[0]


def test_cues_never_take_a_quote_or_cross_a_line(spacy_stage: StageFn) -> None:
    text = "“The bridge was closed to traffic,” Anna Koval said Monday.\nShe left."
    art = parsed(text, spacy_stage)
    cand = by_cue(art, "said")
    assert cand.quote is not None
    doc: Any = art._doc
    everything = {f"cE|w={t.lower_}": 5.0 for t in doc} | {f"cS|w={t.lower_}": 5.0 for t in doc}
    choose_cue_edges(cand, doc, text, everything)
    cue = surface(art, cand.cue)
    assert "“" not in cue and "”" not in cue and "\n" not in cue
    assert "Koval" not in cue  # the source stays out
    assert surface(art, cand.content) == "“The bridge was closed to traffic,”"


def test_cues_without_a_head_word_are_not_offered_alternatives(spacy_stage: StageFn) -> None:
    art = parsed(SAID, spacy_stage)
    cand = by_cue(art, "said")
    cand.cue_head = None
    assert not cue_adjustable(cand)
    assert cue_edge_options(art._doc, cand, art.text) == []


def test_training_examples_label_the_gold_edges(spacy_stage: StageFn) -> None:
    art = parsed(SAID, spacy_stage)
    cand = by_cue(art, "said")
    gold = (SAID.index("said"), SAID.index(" that"))  # "said last month"
    doc: Any = art._doc
    examples = cue_edge_examples(doc, cand, [gold], art.text)
    positives = [feats for feats, label in examples if label]
    assert len(positives) == 2  # the start stays, the end moves to "month"
    assert any("cS|d=0" in f for f in positives)
    assert any("cE|w=month" in f and "cE|add" in f for f in positives)
    anchor = next(
        e.i for e in cue_edge_options(doc, cand, art.text) if e.side == "E" and not e.delta
    )
    month = next(e for e in cue_edge_options(doc, cand, art.text) if doc[e.i].text == "month")
    assert "cE|add|time=True" in cue_edge_features(doc, cand, month, anchor)
    assert cue_edge_examples(doc, cand, [(0, 3)], art.text) == []  # no overlapping gold


def test_duplicates_are_told_by_the_cue_the_rules_found() -> None:
    first = Candidate(content=(20, 40), kind="indirect", rule="verb", cue=(10, 19), score=0.9)
    second = Candidate(content=(25, 40), kind="indirect", rule="verb", cue=(10, 19), score=0.5)
    # the chooser gave both the same cue; the rules had found them on different cues
    rule_cues = {id(first): (10, 16), id(second): (10, 19)}
    assert _deduplicated([first, second], rule_cues) == [first, second]
    # found on the same cue: one statement, the higher-scoring
    same = {id(first): (10, 16), id(second): (10, 16)}
    assert _deduplicated([first, second], same) == [first]
