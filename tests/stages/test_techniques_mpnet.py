"""techniques.v4: v3's stage with the tagger fine-tuned from all-mpnet-base-v2."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from presslens.model import Article
from presslens.registry import StageFn, get_stage
from presslens.settings import Settings
from presslens.stages.techniques_encoder import (
    ENCODER_MODEL,
    MPNET_MODEL,
    load_encoder_tagger,
    make_techniques_mpnet_stage,
    v4_missing,
)

needs_v4 = pytest.mark.skipif(v4_missing() is not None, reason=v4_missing() or "")

OPINION = (
    "This corrupt, treasonous regime keeps feeding us disgusting lies. "
    "These so-called experts are nothing but puppets of a criminal gang. "
    "Wake up, people! Our nation is being destroyed by shameless traitors."
)
NEUTRAL = "The council met on Tuesday. It approved the budget for the new school."


def test_stage_is_registered_with_the_techniques_contract() -> None:
    spec = get_stage("presslens.techniques.v4")
    assert spec.assigns == ("techniques",)
    assert "doc" in spec.requires


def test_shipped_artifacts_stay_within_the_budget() -> None:
    """Issue 5: the rhetoric, genre and claims artifacts together at most 60 MB."""
    data = Path(str(resources.files("presslens").joinpath("data")))
    names = ["techniques_spans.zip", "techniques_labels.zip", "techniques_paragraphs.zip"]
    names += ["techniques_spans_gold.zip"]
    names += ["genre.zip", "claims.zip", Path(ENCODER_MODEL).name, Path(MPNET_MODEL).name]
    assert sum(data.joinpath(n).stat().st_size for n in names if data.joinpath(n).is_file()) <= 60e6


@needs_v4
def test_shipped_artifact_is_an_mpnet_tagger_chosen_on_train() -> None:
    tagger = load_encoder_tagger(resources.files("presslens").joinpath(MPNET_MODEL))
    assert tagger.meta["base"] == "mpnet" and tagger.head_w.shape == (768,)
    assert 0 < tagger.meta["extend"] <= tagger.meta["threshold"] < 1
    assert 0 <= tagger.meta["mix"] <= 1 and tagger.meta["tune_si_f1_mixed"] > 0.3


@needs_v4
def test_loaded_text_gets_valid_spans_and_plain_text_fewer(spacy_stage: StageFn) -> None:
    def analysed(text: str) -> Article:
        art = Article(text=text, source="<test>")
        spacy_stage([art])
        make_techniques_mpnet_stage(Settings(), paragraphs=False)([art])
        art.check()
        return art

    loaded, plain = analysed(OPINION), analysed(NEUTRAL)
    spans = loaded.layer("techniques")
    assert spans, "the base encoder tagger found nothing in plainly loaded text"
    for s in spans:
        assert loaded.text[s.start : s.end] == s.text
        assert s.attrs["explanation"] and 0 < s.attrs["confidence"] <= 1
    assert len(plain.layer("techniques")) < len(spans)
