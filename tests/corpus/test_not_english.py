"""Articles not in English (``P128``) stay out of corpus entity resolution, where the English
NER's names for their function words ("un") would join real entities (the UN); they stay in
stories and near-duplicates, which are computed exactly as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from corpus_helpers import make_article

from presslens.cli import main
from presslens.corpus import load_entities, load_stories, update_corpus
from presslens.corpus.digest import digest
from presslens.corpus.resolve import resolve_entities
from presslens.model import Article
from presslens.store import open_store

UN_A = (
    "The UN said on Monday that aid convoys reached Rabat after the floods. The UN appealed for "
    "funds to rebuild the dams."
)
UN_B = (
    "The United Nations appealed for funds to rebuild the dams near Rabat after the floods, a "
    "UN spokesman said on Monday."
)
#: What the English NER made of French: "un" (an article) an ORG, the city a PERSON.
FRENCH = (
    "Rabat : le gouvernement annonce un plan pour reconstruire les barrages après les "
    "inondations. Le ministre a présenté lundi un programme de dix barrages, selon Rabat."
)
#: ``meta.language_from`` of a page declaring English whose text reads as French.
DECLARED_EN_READS_FR = {
    "rule": "declared",
    "value": "en",
    "where": "html lang",
    "detected": {
        "language": "fr",
        "rule": "function words",
        "share": 0.38,
        "english_share": 0.05,
        "counted": 60,
    },
}


def _articles(french_as: str) -> list[Article]:
    """Two English articles about the UN and the floods, and the French one, flagged as
    ``fr``, as declared English reading French, or (``en``) not flagged at all."""
    a = make_article(
        UN_A, aid="a", outlet="Wire A", entities={"e1": ("ORG", ["UN"]), "e2": ("GPE", ["Rabat"])}
    )
    b = make_article(
        UN_B,
        aid="b",
        outlet="Wire B",
        entities={"e1": ("ORG", ["United Nations", "UN"]), "e2": ("GPE", ["Rabat"])},
    )
    fr = make_article(
        FRENCH,
        aid="fr",
        outlet="Le Journal",
        entities={"e1": ("ORG", ["un"]), "e2": ("PERSON", ["Rabat"])},
    )
    if french_as == "fr":
        fr.language = "fr"
    elif french_as == "declared-en":
        fr.meta["language_from"] = DECLARED_EN_READS_FR
    return [a, b, fr]


def _store(tmp_path: Path, french_as: str) -> Any:
    store = open_store(str(tmp_path / f"{french_as}.db"))
    for art in _articles(french_as):
        store.upsert(art)
    return store


def _entity_of(entities: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(e for e in entities if name in e["variants"])


def test_english_ner_on_french_would_join_the_un() -> None:
    """The harm avoided: resolved with the others, the French "un" is the UN's mention."""
    everything = resolve_entities([digest(a) for a in _articles("en")])
    assert "fr" in _entity_of(everything.entities, "UN")["articles"]


@pytest.mark.parametrize("french_as", ["fr", "declared-en"])
def test_an_article_not_in_english_is_left_out_of_entity_resolution(
    tmp_path: Path, french_as: str
) -> None:
    store = _store(tmp_path, french_as)
    summary = update_corpus(store)
    assert (summary["articles"], summary["not_english"]) == (3, 1)
    entities = load_entities(store)
    assert not [e for e in entities if "fr" in e["articles"]]
    un = _entity_of(entities, "UN")
    assert un["articles"] == ["a", "b"] and "un" not in un["variants"]


def test_stories_are_the_same_whether_or_not_an_article_is_left_out(tmp_path: Path) -> None:
    left_out = _store(tmp_path, "fr")
    kept = _store(tmp_path, "en")
    assert update_corpus(left_out)["not_english"] == 1
    assert update_corpus(kept)["not_english"] == 0
    stories = load_stories(left_out)
    assert any("fr" in s["articles"] for s in stories)  # still in a story
    assert stories == load_stories(kept)
    assert left_out.get_corpus("corpus.story_index") == kept.get_corpus("corpus.story_index")


def test_corpus_command_says_how_many_articles_it_left_out(tmp_path: Path) -> None:
    _store(tmp_path, "fr").close()
    db = str(tmp_path / "fr.db")
    shown = CliRunner().invoke(main, ["corpus", "--store", db])
    assert shown.exit_code == 0, shown.output
    assert "1 article not in English left out of entity resolution" in shown.stdout
    as_json = CliRunner().invoke(main, ["corpus", "--store", db, "--json"])
    assert json.loads(as_json.stdout)["not_english"] == 1
