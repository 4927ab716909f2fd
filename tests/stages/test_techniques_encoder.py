"""techniques.v3: spans from the fine-tuned MiniLM tagger, techniques from v1's classifier."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from presslens.encoder import Pieces
from presslens.errors import PresslensError
from presslens.model import Article
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
from presslens.registry import StageFn, get_stage
from presslens.settings import Settings
from presslens.stages.techniques import token_table
from presslens.stages.techniques_encoder import (
    load_encoder_tagger,
    make_techniques_encoder_stage,
    piece_to_token_probs,
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
    make_techniques_encoder_stage(Settings(), **options)([art])
    art.check()  # every span's offsets hold: text[start:end] == span text
    return art


def test_stage_is_registered_with_the_techniques_contract() -> None:
    spec = get_stage("presslens.techniques.v3")
    assert spec.assigns == ("techniques",)
    assert "doc" in spec.requires


def test_tokens_take_the_highest_probability_of_their_pieces(spacy_stage: StageFn) -> None:
    art = Article(text="Unbelievable lies, folks.", source="<test>")
    spacy_stage([art])
    t = token_table(art._doc, art.text)
    # hand-made pieces: "Unbeliev" "able" "lies" "," "folks" "."
    cuts = [(0, 8), (8, 12), (13, 17), (17, 18), (19, 24), (24, 25)]
    pieces = Pieces(
        np.arange(len(cuts)),
        np.array([s for s, _ in cuts]),
        np.array([e for _, e in cuts]),
    )
    p = piece_to_token_probs(t, pieces, np.array([0.2, 0.9, 0.4, 0.1, 0.3, 0.05]))
    words = [art.text[t.start(i) : t.end(i)] for i in range(t.n)]
    assert dict(zip(words, p.tolist(), strict=True)) == {
        "Unbelievable": 0.9,
        "lies": 0.4,
        ",": 0.1,
        "folks": 0.3,
        ".": 0.05,
    }


def test_loaded_text_gets_valid_spans_and_plain_text_fewer(spacy_stage: StageFn) -> None:
    loaded = analysed(OPINION, spacy_stage, paragraphs=False)
    plain = analysed(NEUTRAL, spacy_stage, paragraphs=False)
    spans = loaded.layer("techniques")
    assert spans, "the encoder tagger found nothing in plainly loaded text"
    for s in spans:
        assert loaded.text[s.start : s.end] == s.text
        assert s.attrs["explanation"] and 0 < s.attrs["confidence"] <= 1
    assert len(plain.layer("techniques")) < len(spans)


def test_lower_seed_threshold_finds_at_least_as_many_spans(spacy_stage: StageFn) -> None:
    strict = analysed(OPINION, spacy_stage, paragraphs=False, threshold=0.9, extend=0.9)
    loose = analysed(OPINION, spacy_stage, paragraphs=False, threshold=0.2, extend=0.1)
    chars = sum(s.end - s.start for s in loose.layer("techniques"))
    assert chars > sum(s.end - s.start for s in strict.layer("techniques"))


def test_docless_article_gets_an_empty_layer() -> None:
    art = Article(text="", source="<test>")
    make_techniques_encoder_stage(Settings())([art])
    assert art.layers["techniques"] == []


def test_unreadable_artifact_is_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "techniques_encoder.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(PresslensError) as err:
        load_encoder_tagger(bad)
    assert err.value.code == "P534"
    assert "presslens train techniques-encoder" in str(err.value)


def test_artifact_without_overrides_reads_its_optional_sentence_head(tmp_path: Path) -> None:
    from presslens.encoder import HIDDEN
    from presslens.train.techniques_encoder import _write

    path = tmp_path / "techniques_encoder.npz"
    head = {"head.weight": np.zeros((1, HIDDEN), np.float16), "head.bias": np.ones(1, np.float16)}
    _write(path, head, {"threshold": 0.5, "extend": 0.3})
    plain = load_encoder_tagger(path)
    assert plain.sentence_w is None
    pieces = plain.encoder.pieces("Lies, all lies.")
    span, sent = plain.piece_probs_both(pieces)
    assert sent is None and np.allclose(span, 1 / (1 + np.exp(-1.0)), atol=1e-6)
    sentence = {
        "sentence_head.weight": np.zeros((1, HIDDEN), np.float16),
        "sentence_head.bias": -np.ones(1, np.float16),
    }
    _write(path, head | sentence, {"threshold": 0.5, "extend": 0.3})
    span, sent = load_encoder_tagger(path).piece_probs_both(pieces)
    assert sent is not None and len(sent) == len(span) == len(pieces.ids)
    assert np.allclose(sent, 1 / (1 + np.exp(1.0)), atol=1e-6)


def _pipeline_article(path: Path, impl: str) -> Article:
    config = default_config()
    config["stages"]["techniques"] = {"impl": impl}
    pipeline = Pipeline.from_config(config, Settings())
    raw = path.read_text(encoding="utf-8")
    art = normalise(text_document(raw, source=str(path), key=path.name, meta={}), Settings())
    return pipeline(art)


@pytest.mark.slow
@pytest.mark.parametrize("version", ["v3", "v4"])
def test_examples_opinion_piece_has_more_techniques_with_encoders(
    examples_dir: Path, version: str
) -> None:
    """The acceptance checks of the examples hold with the encoder taggers too."""
    if version == "v4":
        from presslens.stages.techniques_encoder import v4_missing

        if v4_missing():
            pytest.skip(v4_missing() or "")
    impl = f"presslens.techniques.{version}"
    opinion = _pipeline_article(next(examples_dir.glob("004_*.txt")), impl)
    report = _pipeline_article(next(examples_dir.glob("000_*.txt")), impl)
    opinion.check()
    labels = {s.label for s in opinion.layer("techniques")}
    assert {"Loaded_Language", "Name_Calling-Labeling", "Doubt"} <= labels

    def rate(art: Article, *, own: bool) -> float:
        spans = [s for s in art.layer("techniques") if not (own and s.attrs["quoted"])]
        return 1000 * len(spans) / len(art.text.split())

    assert rate(opinion, own=False) > rate(report, own=False)
    assert rate(opinion, own=True) > 1.5 * rate(report, own=True)
