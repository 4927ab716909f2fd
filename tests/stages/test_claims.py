"""Claims stage: check-worthy factual sentences with a score, from a model trained on
ClaimBuster."""

from __future__ import annotations

from presslens.model import Article
from presslens.registry import StageFn, get_stage
from presslens.settings import Settings
from presslens.stages.claims import MIN_WORDS, make_claims_stage

TEXT = (
    "Unemployment rose from 4.1 percent in 2019 to 9.5 percent in 2021, according to the "
    "labour ministry. "
    "Thank you all so much for being here tonight. "
    "The government cut the education budget by $2 billion last year. "
    "Hello there."
)


def analysed(text: str, spacy_stage: StageFn, **options: object) -> Article:
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    make_claims_stage(Settings(), **options)([art])
    art.check()
    return art


def test_stage_is_registered_with_its_contract() -> None:
    spec = get_stage("presslens.claims.v1")
    assert spec.requires == ("doc", "sentences")
    assert spec.assigns == ("claims",)


def test_factual_sentences_with_numbers_are_claims_and_pleasantries_are_not(
    spacy_stage: StageFn,
) -> None:
    art = analysed(TEXT, spacy_stage)
    claims = art.layer("claims")
    texts = [c.text for c in claims]
    assert any(t.startswith("Unemployment rose") for t in texts)
    assert any(t.startswith("The government cut") for t in texts)
    assert not any(t.startswith("Thank you") for t in texts)
    for c in claims:
        assert c.label == "claim"
        assert 0 < c.attrs["score"] <= 1
        sentence_starts = {s.start for s in art.layer("sentences")}
        assert c.start in sentence_starts  # claims are whole sentences


def test_threshold_option_and_minimum_length(spacy_stage: StageFn) -> None:
    everything = analysed(TEXT, spacy_stage, threshold=0.0)
    # every sentence of at least MIN_WORDS tokens, and not "Hello there."
    assert [c.text for c in everything.layer("claims")][-1].startswith("The government")
    assert all(len(c.text.split()) >= MIN_WORDS - 1 for c in everything.layer("claims"))
    nothing = analysed(TEXT, spacy_stage, threshold=1.01)
    assert nothing.layer("claims") == []
