"""Where the attribution rules put a content's edges (v5): agentless passives and raising
verbs, clauses the parse ran across a line break, a later statement by the same speaker, and
a quote before a cue in the next paragraph.

The rule tests run the real spaCy model on small hand-written sentences and check the
candidate's spans, not whether the scorer keeps it.
"""

from __future__ import annotations

import pytest
from attribution_helpers import parsed

from presslens.registry import StageFn
from presslens.stages.attribution_rules import (
    Candidate,
    clip_to_paragraph,
    find_candidates,
    find_quotes,
)
from presslens.stages.attributions import (
    AttributionOptions,
    attribution_candidates,
    candidate_features,
)


def candidates(text: str, spacy_stage: StageFn) -> list[Candidate]:
    """Every candidate of the rules, the open ones included, in ``text``."""
    return find_candidates(parsed(text, spacy_stage)._doc, find_quotes(text), open_rules=True)


def by_cue(text: str, cands: list[Candidate], cue: str) -> Candidate:
    """The one candidate whose cue reads ``cue`` (word-list rules before open ones)."""
    found = [c for c in cands if c.cue and text[slice(*c.cue)] == cue]
    found.sort(key=lambda c: c.rule.startswith("open-"))
    assert found, [(c.rule, c.cue and text[slice(*c.cue)]) for c in cands]
    return found[0]


def test_agentless_passive_content_starts_at_its_subject(spacy_stage: StageFn) -> None:
    text = "Peacekeepers have been accused of hurting the civilians they protect."
    cands = candidates(text, spacy_stage)
    cand = by_cue(text, cands, "have been accused")
    assert text[slice(*cand.content)] == (
        "Peacekeepers have been accused of hurting the civilians they protect"
    )
    assert cand.source is None
    assert [text[s:e] for s, e in cand.fragments] == [
        "Peacekeepers",
        "of hurting the civilians they protect",
    ]


def test_raising_verb_content_holds_its_subject(spacy_stage: StageFn) -> None:
    text = "The campaign has appeared to acknowledge that his help is needed."
    cands = candidates(text, spacy_stage)
    cand = by_cue(text, cands, "has appeared")
    assert text[slice(*cand.content)].startswith("The campaign has appeared")
    assert cand.source is None


def test_passive_with_an_agent_keeps_the_agent_as_speaker(spacy_stage: StageFn) -> None:
    text = "The plan was endorsed by the mayor."
    cands = candidates(text, spacy_stage)
    cand = by_cue(text, cands, "was endorsed by")
    assert cand.source is not None and text[slice(*cand.source)] == "the mayor"
    assert text[slice(*cand.content)] == "The plan"


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        # a later word-list verb of the same subject starts a statement of its own
        (
            "Cruz says he would sit Putin down and tells the crowd he was the first one.",
            "says",
            "he would sit Putin down",
        ),
        # a nested statement with its own subject stays inside the content
        (
            "Cruz said that the mayor claimed the vote was rigged.",
            "said",
            "that the mayor claimed the vote was rigged",
        ),
    ],
)
def test_content_ends_before_a_later_statement_of_the_same_speaker_only(
    text: str, cue: str, content: str, spacy_stage: StageFn
) -> None:
    cand = by_cue(text, candidates(text, spacy_stage), cue)
    assert text[slice(*cand.content)] == content


def test_clause_is_clipped_at_the_line_break_after_its_cue() -> None:
    text = "Cruz says he will win.\n\n10:30 a.m.\n\nTrump has traded his rallies"
    cand = Candidate(content=(10, len(text)), kind="indirect", rule="verb-ccomp", cue=(5, 9))
    clip_to_paragraph(cand, text)
    assert text[slice(*cand.content)] == "he will win."


def test_clause_is_clipped_at_the_line_break_before_its_cue() -> None:
    text = "Polls closed at 8\n\nthe race is close, Smith said"
    cue = text.index("said")
    cand = Candidate(content=(0, cue - 8), kind="indirect", rule="verb-fronted", cue=(cue, cue + 4))
    clip_to_paragraph(cand, text)
    assert text[slice(*cand.content)] == "the race is close"


def test_clause_within_its_paragraph_is_left_alone() -> None:
    text = "Cruz says he will win the state.\n\nMore later."
    cand = Candidate(content=(10, 31), kind="indirect", rule="verb-ccomp", cue=(5, 9))
    clip_to_paragraph(cand, text)
    assert cand.content == (10, 31)


def test_quote_before_a_cue_in_the_next_paragraph_still_continues_the_statement(
    spacy_stage: StageFn,
) -> None:
    text = (
        "“I am worried about his stance,” Varmus said. “This is a litmus test.”\n\n"
        "A spokesman did not respond to requests for comment."
    )
    art = parsed(text, spacy_stage)
    cands = attribution_candidates(art, options=AttributionOptions(), open_rules=True)
    across = by_cue(text, cands, "did not respond")
    assert across.rule.endswith("+across")
    said = by_cue(text, cands, "said")
    assert text[slice(*said.content)] == (
        "“I am worried about his stance,” Varmus said. “This is a litmus test.”"
    )


def test_object_with_a_predicate_is_told_by_the_predicate(spacy_stage: StageFn) -> None:
    text = "The officials declined the claims, declaring them as unfounded."
    art = parsed(text, spacy_stage)
    cands = find_candidates(art._doc, find_quotes(text), open_rules=True)
    declaring = by_cue(text, cands, "declaring")
    assert text[slice(*declaring.content)] == "them as unfounded"
    assert "rule=verb-object|c0=as" in candidate_features(declaring, art._doc)
    declined = by_cue(text, cands, "declined")
    assert "rule=verb-object|c0=the" in candidate_features(declined, art._doc)
