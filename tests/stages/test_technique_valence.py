"""Word valence (VADER's lexicon) as features of the span tagger: the lexicon is read from the
installed package, buckets keep the polarity and strength, and the stage adds the columns only
for a tagger trained with them."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.strings import hash_string  # type: ignore[attr-defined]

from presslens.lexicons_valence import valence_buckets
from presslens.model import Article
from presslens.registry import StageFn
from presslens.stages.linear import LinearModel
from presslens.stages.techniques import (
    _SPC,
    VALENCE_WIDTH,
    token_features,
    token_probabilities,
    token_table,
    valence_features,
)


def _buckets(*words: str) -> list[int]:
    return valence_buckets(np.array([hash_string(w) for w in words], dtype=np.uint64)).tolist()


def test_buckets_keep_polarity_and_strength() -> None:
    evil, glorious, threat, pretend, table, nonsense = _buckets(
        "evil", "glorious", "threat", "pretend", "table", "qzxv"
    )
    assert evil == -3 and glorious == 3  # strong: |valence| >= 2.5 (-3.4, +3.2 in VADER)
    assert threat == -2  # moderate (-2.4)
    assert pretend == -1  # mild (-0.4)
    assert table == 0 and nonsense == 0  # not in the lexicon
    assert valence_buckets(np.zeros(0, dtype=np.uint64)).shape == (0,)


def test_valence_columns_mark_loaded_words_and_their_neighbours(spacy_stage: StageFn) -> None:
    art = Article(text="The council met. These evil traitors lie again and again.", source="<t>")
    spacy_stage([art])
    t = token_table(art._doc, art.text)
    words = [art.text[t.start(i) : t.end(i)] for i in range(t.n)]
    v = valence_features(t)
    assert v.shape == (t.n, VALENCE_WIDTH)
    evil, council, these = words.index("evil"), words.index("council"), words.index("These")
    assert v[evil, 0] != v[council, 0]  # own bucket: strong negative against none
    assert v[these, 0] == v[council, 0]  # both neutral
    assert v[these, 4] != v[council, 4]  # the next word: "evil" against "met"
    assert v[these, 7] != v[council, 7]  # sentence with strongly valenced words
    full = token_features(t, valence=True)
    assert np.array_equal(full[:, -VALENCE_WIDTH:], v)
    assert np.array_equal(full[:, :-VALENCE_WIDTH], token_features(t))


def test_the_stage_adds_valence_only_for_a_tagger_trained_with_it(spacy_stage: StageFn) -> None:
    art = Article(text="These evil traitors lie. The council met on Tuesday.", source="<t>")
    spacy_stage([art])
    t = token_table(art._doc, art.text)
    w = np.random.default_rng(0).normal(size=2**12)
    plain = token_probabilities(t, LinearModel(w, np.zeros(1), {}))
    with_valence = token_probabilities(t, LinearModel(w, np.zeros(1), {"valence": True}))
    words = t.a[:, _SPC] == 0
    assert plain.shape == with_valence.shape == (t.n,)
    assert not np.allclose(plain[words], with_valence[words])


def test_a_missing_lexicon_is_a_clear_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from presslens import lexicons_valence
    from presslens.errors import ConfigError

    monkeypatch.setattr(lexicons_valence, "LEXICON_PACKAGE", "no_such_vader_package")
    lexicons_valence._table.cache_clear()
    try:
        with pytest.raises(ConfigError) as err:
            valence_buckets(np.array([hash_string("evil")], dtype=np.uint64))
        assert err.value.code == "P530" and "vadersentiment" in (err.value.hint or "")
    finally:
        lexicons_valence._table.cache_clear()
