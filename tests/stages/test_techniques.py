"""Techniques stage: trained span tagger and classifier over spaCy tokens, 23 SemEval-2023
names, confidence and a plain explanation per span."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from presslens.model import Article
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
from presslens.registry import StageFn, get_stage
from presslens.settings import Settings
from presslens.stages.techniques import (
    EXPLANATIONS,
    PTC_TO_TECHNIQUE,
    TECHNIQUE_TO_PTC,
    TECHNIQUES,
    Candidate,
    TechniqueOptions,
    _models,
    _paragraph_model,
    decode_spans,
    extract_techniques,
    make_techniques_stage,
    paragraph_candidates,
    paragraphs,
    token_table,
)

OPINION = (
    "This corrupt, treasonous regime keeps feeding us disgusting lies. "
    "These so-called experts are nothing but puppets of a criminal gang. "
    "Wake up, people! Our nation is being destroyed by shameless traitors."
)
NEUTRAL = "The council met on Tuesday. It approved the budget for the new school."


def analysed(text: str, spacy_stage: StageFn, **options: object) -> Article:
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    make_techniques_stage(Settings(), **options)([art])
    art.check()
    return art


def test_stage_is_registered_with_its_contract() -> None:
    spec = get_stage("presslens.techniques.v1")
    assert spec.requires == ("doc", "sentences")
    assert spec.assigns == ("techniques",)


def test_every_label_maps_and_is_explained() -> None:
    assert len(TECHNIQUES) == 23
    assert set(EXPLANATIONS) == set(TECHNIQUES)
    assert set(PTC_TO_TECHNIQUE.values()) <= set(TECHNIQUES)
    assert len(PTC_TO_TECHNIQUE) == 14
    assert set(TECHNIQUE_TO_PTC) == set(TECHNIQUES)
    assert set(TECHNIQUE_TO_PTC.values()) == set(PTC_TO_TECHNIQUE)


def test_loaded_text_gets_explained_spans_and_neutral_text_fewer(spacy_stage: StageFn) -> None:
    art = analysed(OPINION, spacy_stage)
    spans = art.layer("techniques")
    assert spans, "a text full of loaded words has technique spans"
    for s in spans:
        assert s.label in TECHNIQUES
        assert s.attrs["explanation"] == EXPLANATIONS[s.label]
        assert 0 < s.attrs["confidence"] <= 1
        assert s.attrs["quoted"] is False  # nothing in this text is quoted
        assert s.text == s.text.strip() and s.text[-1] not in ".,!"
    assert {"Loaded_Language", "Name_Calling-Labeling"} & {s.label for s in spans}
    neutral = analysed(NEUTRAL, spacy_stage)
    assert len(neutral.layer("techniques")) < len(spans)


def test_threshold_and_min_confidence_options(spacy_stage: StageFn) -> None:
    none = analysed(OPINION, spacy_stage, threshold=1.01, extend=1.0)
    assert none.layer("techniques") == []
    strict = analysed(OPINION, spacy_stage, min_confidence=0.99)
    default = analysed(OPINION, spacy_stage)
    assert len(strict.layer("techniques")) < len(default.layer("techniques"))
    assert TechniqueOptions().threshold is None  # the model's dev-tuned value by default


def test_decode_seeds_extends_and_trims(spacy_stage: StageFn) -> None:
    art = Article(text="Wicked , evil liars ruin it . The end", source="<test>")
    spacy_stage([art])
    t = token_table(art._doc, art.text)
    # tokens: Wicked , evil liars ruin it . | The end
    p = np.array([0.9, 0.25, 0.3, 0.3, 0.1, 0.1, 0.9, 0.9, 0.1])
    assert decode_spans(t, p, 0.5, 0.2) == [(0, 3)]  # seeded by "Wicked", "." trimmed
    assert decode_spans(t, p, 0.5, 0.3) == [(0, 0)]  # "evil liars" alone has no seed
    # "The" scores 0.9, but a span needs a content word


def test_paragraphs_are_the_non_blank_lines() -> None:
    text = "Title\n\n  \nFirst para.\nSecond\n"
    ranges = paragraphs(text)
    assert [text[s:e] for s, e in ranges] == ["Title", "First para.", "Second"]
    assert paragraphs("") == [] and paragraphs("\n\n") == []


def test_candidates_are_assigned_to_every_paragraph_they_overlap(spacy_stage: StageFn) -> None:
    art = Article(text="Evil liars lie .\nGood people win .", source="<test>")
    spacy_stage([art])
    t = token_table(art._doc, art.text)
    probs = np.ones(2) / 2
    first, both, second = (Candidate(i, j, 0.5, 0.5, probs) for i, j in ((0, 1), (2, 5), (6, 6)))
    # tokens: Evil liars lie . \n Good people win . — (2, 5) runs over the line break
    members = paragraph_candidates(t, [first, both, second], paragraphs(art.text))
    assert members == [[0, 1], [1, 2]]


def test_paragraph_classifier_keeps_fewer_spans_than_the_candidates(spacy_stage: StageFn) -> None:
    """The shipped paragraph classifier only removes or relabels candidates: each kept span is
    a candidate span, and its technique is one its paragraph's classifier accepted."""
    model = _paragraph_model()
    assert model is not None, "the paragraph classifier ships with the package"
    text = f"{NEUTRAL}\n\n{OPINION}"
    plain = analysed(text, spacy_stage)  # default: with the paragraph classifier
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    span_model, label_model = _models()
    extract_techniques(art, span_model, label_model, paragraph_model=None)
    every = {(s.start, s.end) for s in art.layer("techniques")}
    off = analysed(text, spacy_stage, paragraphs=False)  # the stage option does the same
    assert [(s.start, s.end, s.label) for s in off.layer("techniques")] == [
        (s.start, s.end, s.label) for s in art.layer("techniques")
    ]
    kept = plain.layer("techniques")
    assert {(s.start, s.end) for s in kept} <= every
    assert len({(s.start, s.end) for s in kept}) <= len(every)
    for s in kept:
        assert s.attrs["paragraph_score"] >= model.meta["threshold"]
    assert all("paragraph_score" not in s.attrs for s in art.layer("techniques"))


def test_empty_and_docless_articles_get_an_empty_layer(spacy_stage: StageFn) -> None:
    art = Article(text="", source="<test>")
    make_techniques_stage(Settings())([art])
    assert art.layers["techniques"] == []
    art = analysed("   ", spacy_stage)
    assert art.layers["techniques"] == []


def _pipeline_article(path: Path) -> Article:
    config = default_config()
    pipeline = Pipeline.from_config(config, Settings())
    raw = path.read_text(encoding="utf-8")
    art = normalise(text_document(raw, source=str(path), key=path.name, meta={}), Settings())
    return pipeline(art)


@pytest.mark.slow
def test_examples_opinion_piece_has_more_techniques(examples_dir: Path) -> None:
    """Acceptance: the opinion piece shows loaded language, name calling and doubt, and has
    clearly more techniques per 1,000 words than the news report."""
    opinion = _pipeline_article(next(examples_dir.glob("004_*.txt")))
    report = _pipeline_article(next(examples_dir.glob("000_*.txt")))
    labels = {s.label for s in opinion.layer("techniques")}
    assert {"Loaded_Language", "Name_Calling-Labeling", "Doubt"} <= labels

    def rate(art: Article, *, own: bool) -> float:
        spans = [s for s in art.layer("techniques") if not (own and s.attrs["quoted"])]
        return 1000 * len(spans) / len(art.text.split())

    assert rate(opinion, own=False) > rate(report, own=False)
    # the writer's own voice (outside quotations): clearly more rhetoric in the opinion piece
    assert rate(opinion, own=True) > 1.5 * rate(report, own=True)
    assert opinion.meta["genre"]["label"] == "opinion"
    assert report.meta["genre"]["label"] == "reporting"


def test_shipped_v1_tagger_is_distilled_and_the_encoders_mix_the_gold_one() -> None:
    """v1's tagger learnt from v4 on unlabelled articles; v3/v4 mix in the gold-only tagger
    their mix weight was chosen for (README "Measured")."""
    from presslens.stages.techniques import _models, gold_span_model

    taught, gold = _models()[0], gold_span_model()
    assert taught.meta["teacher"] == "presslens.techniques.v4"
    assert taught.meta["unlabelled_articles"] > 600
    assert taught.meta["l2"] < 3e-5  # regularised less than the gold-only tagger
    assert gold.meta["gold_only"] is True
    assert taught.meta["valence"] is True and "valence" not in gold.meta  # word valence: v1 only
    assert taught.meta["data"] == gold.meta["data"]  # the same gold articles
    assert not np.array_equal(taught.w, gold.w)
