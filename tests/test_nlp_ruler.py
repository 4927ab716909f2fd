"""The faster spaCy pipeline `load_nlp` returns (compiled attribute ruler, NumPy matrix
products) gives exactly what the model package gives as it loads; the compiled ruler steps
aside when a model's patterns are beyond it."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import spacy

from presslens.nlp import add_paragraph_starts, load_nlp
from presslens.nlp_ruler import CompiledAttributeRuler, use_compiled_ruler
from presslens.settings import Settings

ATTRS = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE"]

# Every kind of pattern the English model's ruler holds: tag-map entries, words with tags,
# dependency-conditioned pronoun cases and AUX/VERB, regular expressions, two-token
# exceptions (gon|na, got|ta, let|'s, c'm|on, y'|all), expletive "there is", whitespace tokens.
TRICKY = (
    "Y'all ain't seen nothin' yet, c'mon. Let's go: I'm gonna win and we gotta try.\n\n"
    "There is a cat; there's more. But he said it, but.  I saw it and you did it.\n\n"
    "  It is here; do it.  Did you have one? He had. That is what those who know said."
)


def _texts(demo_dir: Path, examples: Path | None) -> list[str]:
    texts = [TRICKY]
    texts += [p.read_text(encoding="utf-8") for p in sorted(demo_dir.glob("*.txt"))[:12]]
    if examples is not None:
        texts += [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.txt"))]
    return texts


def _reference() -> Any:
    """The model as its package loads it (spaCy's own attribute ruler), with our paragraph
    sentence starts, which change the parse on purpose (``tests/test_nlp_model.py``)."""
    nlp = importlib.import_module(Settings().spacy_model).load()
    add_paragraph_starts(nlp)
    return nlp


def test_default_pipeline_runs_the_compiled_ruler_and_numpy_products() -> None:
    nlp = load_nlp(Settings().spacy_model)
    assert isinstance(nlp.get_pipe("attribute_ruler"), CompiledAttributeRuler)
    assert nlp.pipe_names.index("attribute_ruler") < nlp.pipe_names.index("lemmatizer")
    models = [getattr(c, "model", None) for _, c in nlp.pipeline]
    layers = [node for model in models if model is not None for node in model.walk()]
    assert layers and not any(getattr(node.ops, "use_blis", False) for node in layers)
    assert any(
        getattr(node.ops, "use_blis", True) for node in _reference().get_pipe("ner").model.walk()
    )


def test_faster_pipeline_output_equals_the_packages(demo_dir: Path, request: Any) -> None:
    try:
        examples = request.getfixturevalue("examples_dir")
    except pytest.skip.Exception:
        examples = None  # the bundled demo texts and TRICKY still run
    texts = _texts(demo_dir, examples)
    assert len(texts) >= 5
    reference = list(_reference().pipe(texts))
    compiled = list(load_nlp(Settings().spacy_model).pipe(texts))
    lemmas = 0
    for ref, got in zip(reference, compiled, strict=True):
        assert np.array_equal(ref.to_array(ATTRS), got.to_array(ATTRS)), ref.text[:60]
        assert [str(t.morph) for t in ref] == [str(t.morph) for t in got]
        assert [t.lemma_ for t in ref] == [t.lemma_ for t in got]
        lemmas += sum(t.lemma_ == "go" and t.lower_ == "gon" for t in got)
    assert lemmas == 1  # the two-token exception "gon|na" -> go really fired


def _blank_with_ruler(patterns: list[dict[str, Any]]) -> Any:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp


def test_later_patterns_win_and_indices_count_from_either_end() -> None:
    patterns = [
        {"patterns": [[{"LOWER": {"IN": ["red", "blue"]}}]], "attrs": {"TAG": "JJ"}},
        {"patterns": [[{"LOWER": "blue"}]], "attrs": {"TAG": "NN"}},  # later: wins for blue
        {"patterns": [[{"LOWER": "big"}, {"LOWER": "red"}]], "attrs": {"LEMMA": "x"}, "index": -1},
        {"patterns": [[{"LOWER": {"REGEX": "^b.g$"}}]], "attrs": {"LEMMA": "b?g"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP"}},
    ]
    text = "A big red car, a blue  bag and a bug."
    reference = _blank_with_ruler(patterns)
    nlp = _blank_with_ruler(patterns)
    assert use_compiled_ruler(nlp)
    ref, got = reference(text), nlp(text)
    assert [(t.tag_, t.lemma_) for t in got] == [(t.tag_, t.lemma_) for t in ref]
    tags = {t.text: t.tag_ for t in got}
    assert tags["red"] == "JJ" and tags["blue"] == "NN"
    assert [t.lemma_ for t in got if t.text in ("red", "bag", "bug", "big")] == [
        "b?g",
        "x",
        "b?g",
        "b?g",
    ]


def test_a_ruler_beyond_the_simple_forms_is_left_to_spacy() -> None:
    nlp = _blank_with_ruler(
        [{"patterns": [[{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}]], "attrs": {"TAG": "X"}}]
    )
    assert not use_compiled_ruler(nlp)
    assert not isinstance(nlp.get_pipe("attribute_ruler"), CompiledAttributeRuler)
    assert nlp("very very good")[0].tag_ == "X"  # spaCy's own ruler still runs (index 0)
