"""Open attribution rules (scored only by the learned scorer): the candidates they propose.

These run the real spaCy model on small hand-written sentences and check the candidate's
cue, source and content, not whether the scorer keeps it.
"""

from __future__ import annotations

from typing import Any

from attribution_helpers import parsed

from presslens.registry import StageFn
from presslens.stages.attribution_rules import Candidate, find_candidates, find_quotes
from presslens.stages.attributions import AttributionOptions, attribution_candidates


def candidates(text: str, spacy_stage: StageFn) -> tuple[str, list[Candidate]]:
    art = parsed(text, spacy_stage)
    return text, find_candidates(art._doc, find_quotes(text), open_rules=True)


def pick(text: str, cands: list[Candidate], rule: str, cue: str) -> dict[str, Any]:
    """The one candidate of ``rule`` whose cue is ``cue``, as texts."""
    found = [c for c in cands if c.rule.startswith(rule) and c.cue and text[slice(*c.cue)] == cue]
    assert len(found) == 1, [(c.rule, c.cue and text[slice(*c.cue)]) for c in cands]
    c = found[0]
    return {
        "source": text[slice(*c.source)] if c.source else None,
        "content": text[slice(*c.content)],
        "kind": c.kind,
    }


def test_copular_stance_runs_the_cue_to_the_preposition(spacy_stage: StageFn) -> None:
    text, cands = candidates("The senator has been critical of the new trade deal.", spacy_stage)
    found = pick(text, cands, "open-copular", "has been critical of")
    assert found == {"source": "The senator", "content": "the new trade deal", "kind": "epistemic"}


def test_copular_noun_with_a_clause_has_the_possessor_as_source(spacy_stage: StageFn) -> None:
    text, cands = candidates(
        "Rubio's response was that the tax code is unfair to families.", spacy_stage
    )
    found = pick(text, cands, "open-copular", "response was")
    assert found["source"] == "Rubio's"
    assert found["content"] == "that the tax code is unfair to families"


def test_copular_without_a_complement_is_no_candidate(spacy_stage: StageFn) -> None:
    _, cands = candidates("The senator was tired after the long vote.", spacy_stage)
    assert not [c for c in cands if c.rule == "open-copular"]


def test_participle_of_a_noun_takes_the_noun_as_source(spacy_stage: StageFn) -> None:
    text, cands = candidates(
        "Clinton criticised a tweet attacking a former beauty queen.", spacy_stage
    )
    found = pick(text, cands, "verb-object", "attacking")
    assert found["source"] == "a tweet"
    assert found["content"] == "a former beauty queen"


def test_verb_after_a_preposition_shares_the_main_subject(spacy_stage: StageFn) -> None:
    text, cands = candidates(
        "Obama opened the event by remembering former congresswoman Gabby Giffords.",
        spacy_stage,
    )
    found = pick(text, cands, "open-verb", "remembering")
    assert found["source"] == "Obama"


def test_fronted_phrase_vouches_for_the_clause_after_the_comma(spacy_stage: StageFn) -> None:
    text, cands = candidates(
        "In a CBS News poll released Monday, Clinton led Trump by six points.", spacy_stage
    )
    found = pick(text, cands, "open-fronted", "In")
    assert found["source"] == "a CBS News poll released Monday"
    assert found["content"] == "Clinton led Trump by six points"


def test_nominal_with_a_name_before_it_takes_the_name_as_source(spacy_stage: StageFn) -> None:
    text, cands = candidates(
        "Clinton seized on a New York Times report that Trump lost $915 million.", spacy_stage
    )
    found = pick(text, cands, "open-nominal", "report")
    assert found["source"] == "New York Times"
    assert found["content"].startswith("that Trump lost")


def test_transcript_line_in_an_open_quote_keeps_its_speaker(spacy_stage: StageFn) -> None:
    text = 'Transcript:\n\n"PENCE: Well, look, this is a serious choice for the country.\n'
    art = parsed(text, spacy_stage)
    cands = attribution_candidates(art, options=AttributionOptions(), open_rules=True)
    colon = [c for c in cands if c.rule == "colon"]
    assert [text[slice(*c.source)] for c in colon if c.source] == ["PENCE"]
    # a colon inside an ordinary quote is still a nested statement, left out
    text = "“The rule was clear: nobody leaves early,” Koval said.\n"
    art = parsed(text, spacy_stage)
    cands = attribution_candidates(art, options=AttributionOptions(), open_rules=True)
    assert not [c for c in cands if c.rule == "colon"]


def test_statements_holding_or_inside_another_are_marked(spacy_stage: StageFn) -> None:
    text = "The senator said that Bloomberg reports that the plan will fail.\n"
    art = parsed(text, spacy_stage)
    cands = attribution_candidates(art, options=AttributionOptions(), open_rules=True)
    by_cue = {text[slice(*c.cue)]: c for c in cands if c.cue is not None}
    assert by_cue["said"].nesting.startswith("outer")
    assert by_cue["reports"].nesting.startswith("inner")
    alone = parsed("The senator said that the plan will fail.\n", spacy_stage)
    (cand,) = attribution_candidates(alone, options=AttributionOptions(), open_rules=True)
    assert cand.nesting == ""


def test_quoted_transcript_line_is_no_orphan_quote(spacy_stage: StageFn) -> None:
    text = (
        "“We will win the vote,” Koval said.\n\n"
        '"WALLACE: Let me ask you about the debate schedule for next week.\n'
    )
    art = parsed(text, spacy_stage)
    cands = attribution_candidates(art, options=AttributionOptions(), open_rules=True)
    assert not [c for c in cands if c.rule == "orphan-quote"]
    said = next(c for c in cands if c.cue is not None and text[slice(*c.cue)] == "said")
    assert text[slice(*said.content)] == "“We will win the vote,”"  # not continued into it
    assert [text[slice(*c.source)] for c in cands if c.rule == "colon"] == ["WALLACE"]


def test_infinitive_complement_takes_the_object_before_it(spacy_stage: StageFn) -> None:
    text, cands = candidates("The mayor urged residents to leave the coast tonight.", spacy_stage)
    found = pick(text, cands, "verb-xcomp", "urged")
    assert found["source"] == "The mayor"
    assert found["content"] == "residents to leave the coast tonight"


def test_passive_without_agent_has_its_subject_in_the_content(spacy_stage: StageFn) -> None:
    text, cands = candidates("The senator is expected to announce her decision.", spacy_stage)
    (cand,) = [c for c in cands if c.rule.startswith("verb-xcomp")]
    assert cand.source is None
    assert text[slice(*cand.content)] == "The senator is expected to announce her decision"
    # The content is the subject and the complement, around the cue.
    assert [text[slice(*f)] for f in cand.fragments] == [
        "The senator",
        "to announce her decision",
    ]
