"""Attribution v2 rules and learned boundaries: "NAME:" lines, dash signatures, passive agents,
relative-pronoun sources, sources kept to their line, cue widening and content trimming.

Rule tests read the candidates the rules propose (before any scorer), so they test the rules,
not the shipped weights; the boundary models are driven by hand-set weights.
"""

from __future__ import annotations

from typing import Any

from attribution_helpers import parsed

from presslens.model import Article
from presslens.registry import StageFn
from presslens.stages.attribution_bounds import (
    DROP_THRESHOLD,
    STEP_THRESHOLD,
    content_units,
    extend_cue,
    next_units,
    trim_content,
)
from presslens.stages.attribution_rules import Candidate
from presslens.stages.attributions import attribution_candidates


def candidates(art: Article, rule: str) -> list[Candidate]:
    return [c for c in attribution_candidates(art, open_rules=True) if c.rule.split("+")[0] == rule]


def surface(art: Article, rng: tuple[int, int] | None) -> str | None:
    return None if rng is None else art.text[rng[0] : rng[1]]


def test_transcript_line_names_its_speaker_with_a_colon_cue(spacy_stage: StageFn) -> None:
    art = parsed(
        "PENCE: Well, we will win the debate tomorrow night.\n\nWALLACE: Governor, thank you.\n",
        spacy_stage,
    )
    found = candidates(art, "colon")
    assert [surface(art, c.source) for c in found] == ["PENCE", "WALLACE"]
    assert all(surface(art, c.cue) == ":" for c in found)
    assert surface(art, found[0].content) == "Well, we will win the debate tomorrow night."
    assert found[0].kind == "direct"


def test_colon_after_a_lowercase_phrase_is_no_speaker(spacy_stage: StageFn) -> None:
    art = parsed("Partial transcript as follows: the debate went on for hours.\n", spacy_stage)
    assert candidates(art, "colon") == []


def test_quote_signed_with_a_dash_is_by_the_name(spacy_stage: StageFn) -> None:
    art = parsed("“We will build the bridge next year.” ― Anna Koval\n\nMore text.\n", spacy_stage)
    (cand,) = candidates(art, "dash-signature")
    assert surface(art, cand.source) == "Anna Koval"
    assert surface(art, cand.cue) == "―"
    assert surface(art, cand.content) == "“We will build the bridge next year.”"


def test_passive_agent_is_the_source_and_subject_the_content(spacy_stage: StageFn) -> None:
    art = parsed("The plan was endorsed by the mayor of Calder Bay.", spacy_stage)
    (cand,) = candidates(art, "passive-agent")
    assert surface(art, cand.source) == "the mayor of Calder Bay"
    assert surface(art, cand.content) == "The plan"
    assert surface(art, cand.cue) == "was endorsed by"  # PolNeAR's passive cues take "by"


def test_relative_pronoun_is_the_source_and_resolves_to_its_antecedent(
    spacy_stage: StageFn,
) -> None:
    from presslens.stages.attributions import extract_attributions

    art = parsed("The report cites Anna Koval, who said that the bridge was closed.", spacy_stage)
    extract_attributions(art)
    (span,) = [s for s in art.layer("attributions") if s.text == "that the bridge was closed"]
    assert art.layer("sources")[span.attrs["source"]].text == "who"
    names = {c.id: c.name for c in art.clusters}
    assert names[span.attrs["speaker"]] == "Anna Koval"


def test_source_stays_on_the_line_of_its_verb(spacy_stage: StageFn) -> None:
    art = parsed(
        "The Latest on the race (all times EDT):\n\n7 p.m.\n\n"
        "Donald Trump says he will win the state.\n",
        spacy_stage,
    )
    sources = [
        surface(art, c.source)
        for c in attribution_candidates(art, open_rules=True)
        if c.cue is not None and surface(art, c.cue) == "says"
    ]
    assert sources == ["Donald Trump"]


def test_word_list_verb_with_a_prepositional_complement(spacy_stage: StageFn) -> None:
    art = parsed("The mayor called for a new bridge over the river.", spacy_stage)
    found = [c for c in attribution_candidates(art, open_rules=True) if c.rule == "open-verb-prep"]
    assert [surface(art, c.content) for c in found] == ["for a new bridge over the river"]


# -- learned boundaries, with hand-set weights ---------------------------------------------------


def said_candidate(art: Article) -> Candidate:
    (cand,) = [
        c
        for c in attribution_candidates(art, open_rules=True)
        if c.cue is not None and surface(art, c.cue) == "said"
    ]
    return cand


def test_cue_takes_a_whole_phrase_when_the_model_says_so(spacy_stage: StageFn) -> None:
    art = parsed("Anna Koval said in a statement that the bridge was closed.", spacy_stage)
    cand = said_candidate(art)
    offered = {(u.side, u.kind) for u in next_units(art._doc, cand, cand.cue)}  # type: ignore[arg-type]
    assert ("R", "sub") in offered
    extend_cue(cand, art._doc, art.text, {"Rsub|w=in|last=statement": 5.0, "Rsub": -1.0})
    assert surface(art, cand.cue) == "said in a statement"
    assert surface(art, cand.content) == "that the bridge was closed"


def test_cue_stays_when_the_model_says_no(spacy_stage: StageFn) -> None:
    art = parsed("Anna Koval said in a statement that the bridge was closed.", spacy_stage)
    cand = said_candidate(art)
    extend_cue(cand, art._doc, art.text, {"Rsub": -3.0, "Rtok": -3.0})
    assert surface(art, cand.cue) == "said"


def test_preposition_taken_into_the_cue_leaves_the_content(spacy_stage: StageFn) -> None:
    art = parsed("The mayor called for a new bridge over the river.", spacy_stage)
    (cand,) = [
        c for c in attribution_candidates(art, open_rules=True) if c.rule == "open-verb-prep"
    ]
    extend_cue(cand, art._doc, art.text, {"Rtok|w=for": 5.0, "Rsub": -5.0})
    assert surface(art, cand.cue) == "called for"
    assert surface(art, cand.content) == "a new bridge over the river"


def trimmed_content(art: Article, weights: dict[str, float]) -> str | None:
    cand = said_candidate(art)
    trim_content(cand, art._doc, art.text, weights)
    return surface(art, cand.content)


TRAILING = "Anna Koval said that the bridge was closed, which angered the drivers."


def test_content_loses_a_trailing_clause_when_the_model_says_so(spacy_stage: StageFn) -> None:
    art = parsed(TRAILING, spacy_stage)
    assert trimmed_content(art, {"Rdrop|dep=relcl": 5.0, "Rdrop": -1.0}) == (
        "that the bridge was closed"
    )


def test_content_unit_is_dropped_only_above_the_drop_threshold(spacy_stage: StageFn) -> None:
    art = parsed(TRAILING, spacy_stage)
    full = "that the bridge was closed, which angered the drivers"
    # logistic(0.3) = 0.57: over the cue threshold, under the content-drop threshold
    assert STEP_THRESHOLD < 0.57 < DROP_THRESHOLD
    assert trimmed_content(art, {"Rdrop|dep=relcl": 0.3}) == full
    assert trimmed_content(art, {"Rdrop|dep=relcl": 1.0}) == "that the bridge was closed"


def test_content_keeps_its_edges_without_weights(spacy_stage: StageFn) -> None:
    art = parsed(TRAILING, spacy_stage)
    full = "that the bridge was closed, which angered the drivers"
    assert trimmed_content(art, {}) == full
    assert trimmed_content(art, {"Rdrop": -5.0, "Ldrop": -5.0}) == full


def test_quotes_are_never_trimmed(spacy_stage: StageFn) -> None:
    art = parsed(
        "“The bridge was closed, which angered the drivers,” Anna Koval said.", spacy_stage
    )
    cand = said_candidate(art)
    before = cand.content
    trim_content(cand, art._doc, art.text, {"Rdrop": 9.0, "Ldrop": 9.0})
    assert cand.content == before


def test_droppable_units_never_include_the_content_root(spacy_stage: StageFn) -> None:
    art = parsed(TRAILING, spacy_stage)
    doc: Any = art._doc
    cand = said_candidate(art)
    span = doc.char_span(*cand.content, alignment_mode="contract")
    for unit in content_units(doc, cand.content):
        assert not unit.first <= span.root.i <= unit.last


def test_no_droppable_units_in_a_sentence_past_the_walk_bound(spacy_stage: StageFn) -> None:
    """Finding units walks subtrees, quadratic in the sentence: an unpunctuated transcript of
    thousands of words took 37 s. Past MAX_UNIT_SENTENCE tokens the content is kept whole."""
    from presslens.stages.attribution_bounds import MAX_UNIT_SENTENCE

    art = parsed(TRAILING, spacy_stage)
    cand = said_candidate(art)
    assert content_units(art._doc, cand.content)  # a short sentence has units
    padding = " and the harbour" * (MAX_UNIT_SENTENCE // 3 + 1)
    long = parsed(TRAILING.removesuffix(".") + padding + ".", spacy_stage)
    doc: Any = long._doc
    assert max(len(s) for s in doc.sents) > MAX_UNIT_SENTENCE
    cand = said_candidate(long)
    assert content_units(doc, cand.content) == []
