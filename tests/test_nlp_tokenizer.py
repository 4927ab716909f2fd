"""spaCy's tokenizer takes quadratic time on a long run of punctuation without a space; the
pipeline's tokenizer cuts such runs into pieces and must change nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from presslens.api import analyze
from presslens.nlp import LONG_RUN, RUN_PIECE, BoundedTokenizer, load_nlp
from presslens.settings import Settings

TEXT = (
    "The mayor of Port Elin, Anna Koval, said on Tuesday that “14 workers” were rescued "
    "(see http://example.org/report-2021?id=7). Don't panic!!! — he said… e-mail us."
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp(Settings().spacy_model)


def _tokens(doc: Any) -> list[tuple[int, str, str]]:
    return [(t.idx, t.text, t.whitespace_) for t in doc]


def test_ordinary_text_is_tokenized_exactly_as_spacy_does(nlp: Any) -> None:
    assert isinstance(nlp.tokenizer, BoundedTokenizer)
    raw = nlp.tokenizer.tokenizer
    near_limit = TEXT + " " + "!" * (LONG_RUN - 1) + " end"  # one short of a long run
    for text in (TEXT, near_limit):
        assert _tokens(nlp.tokenizer(text)) == _tokens(raw(text))
    assert nlp.tokenizer.vocab is raw.vocab  # attributes reach the wrapped tokenizer


def test_a_long_run_is_cut_into_pieces_and_the_text_kept(nlp: Any) -> None:
    run = "“" * 3000 + "word" + "”" * 3000
    text = f"Anna Koval said {run} and left."
    doc = nlp.tokenizer(text)
    assert doc.text == text
    for tok in doc:
        assert text[tok.idx : tok.idx + len(tok.text)] == tok.text
    start = text.index("“")
    boundaries = {t.idx for t in doc}
    for cut in range(start + RUN_PIECE, start + len(run), RUN_PIECE):
        assert cut in boundaries  # a token starts at every cut
    assert [t.text for t in doc[:3]] == ["Anna", "Koval", "said"]
    assert [t.text for t in doc[-3:]] == ["and", "left", "."]


@pytest.mark.slow
def test_an_article_with_a_long_run_is_analysed_with_true_offsets() -> None:
    text = "Mayor Anna Koval said the port reopens. " + "!?" * 5000 + "\n\nShe left on Tuesday."
    art = analyze(text)
    art.check()  # every span's surface equals the text at its offsets
    assert any(c.name == "Anna Koval" for c in art.clusters)
    assert art.layer("timexes")
