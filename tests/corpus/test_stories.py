"""Story clustering: same event together, other events apart, new articles join incrementally."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_helpers import make_article

from presslens.corpus import CORPUS_VERSION, load_stories, update_corpus
from presslens.corpus.errors import CorpusError
from presslens.corpus.resolve import resolve_entities
from presslens.corpus.stories import StoryIndex, cluster_stories
from presslens.store import open_store

FERRY_ENTS = {
    "e1": ("PRODUCT", ["Aurelia Star"]),
    "e2": ("PRODUCT", ["Kobalt 7"]),
    "e3": ("PERSON", ["Josef Karlan", "Karlan"]),
}
FERRY = [
    "The ferry Aurelia Star collided with the dredger Kobalt 7 in dense fog off Calder Bay, "
    "killing twelve passengers. Port director Josef Karlan said radar was working. The "
    "collision inquiry will examine the fog, the radar and the dredger's position.",
    "Twelve dead after ferry Aurelia Star hits dredger Kobalt 7 in fog. Karlan, the port "
    "director, insisted the radar was working when the ferry and the dredger collided.",
    "Relatives of the twelve ferry victims asked why the dredger Kobalt 7 was in the channel. "
    "Josef Karlan promised that radar recordings from the night of the collision will be public.",
]
BANK = (
    "The central bank held its main interest rate at 3.25 percent, saying inflation was still "
    "above target and that rate cuts would come later in the year, Governor Mira Solvik said."
)


def _articles():
    arts = [
        make_article(t, aid=f"f{i}", outlet=f"Outlet {i}", entities=FERRY_ENTS)
        for i, t in enumerate(FERRY)
    ]
    arts.append(
        make_article(
            BANK, aid="bank", outlet="Outlet 0", entities={"e1": ("PERSON", ["Mira Solvik"])}
        )
    )
    return arts


def test_same_event_forms_one_story_and_other_event_another(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    for art in _articles():
        store.upsert(art)
    summary = update_corpus(store)
    assert summary["articles"] == 4 and summary["stories"] == 2
    stories = load_stories(store)
    ferry = next(s for s in stories if "f0" in s["articles"])
    assert sorted(ferry["articles"]) == ["f0", "f1", "f2"]
    assert set(ferry["outlets"]) == {"Outlet 0", "Outlet 1", "Outlet 2"}
    assert ferry["first_published"] == "2026-03-12"


def test_update_is_incremental(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    arts = _articles()
    for art in arts[:2] + arts[3:]:
        store.upsert(art)
    update_corpus(store)
    before = {s["id"]: s["articles"] for s in load_stories(store)}
    store.upsert(arts[2])
    summary = update_corpus(store, [arts[2]])
    assert summary["new_articles"] == 1
    after = {s["id"]: s["articles"] for s in load_stories(store)}
    assert set(after) == set(before)  # the new article joined; no story was rebuilt
    ferry = next(sid for sid, a in before.items() if "f0" in a)
    assert sorted(after[ferry]) == ["f0", "f1", "f2"]


def test_a_partial_update_takes_in_articles_another_writer_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two web POSTs at once: each stores its article, then updates the corpus with it; the
    first update finds the other's article too, without reading every stored article again."""
    import presslens.corpus as corpus

    store = open_store(str(tmp_path / "s.db"))
    arts = _articles()
    for art in arts[:2] + arts[3:]:
        store.upsert(art)
    update_corpus(store)
    store.upsert(arts[2])  # the other writer's, its corpus update still to come
    extra = make_article(FERRY[0], aid="f9", outlet="Outlet 9", entities=FERRY_ENTS)
    store.upsert(extra)

    def read_everything(**_: object) -> None:
        raise AssertionError("the whole store was read")

    monkeypatch.setattr(store, "articles", read_everything)
    summary = update_corpus(store, [extra])
    assert summary["articles"] == 5
    ferry = next(s for s in load_stories(store) if "f0" in s["articles"])
    assert sorted(ferry["articles"]) == ["f0", "f1", "f2", "f9"]
    # far behind (more unseen articles than a partial update takes in): everything is read
    monkeypatch.setattr(corpus, "CATCH_UP_LIMIT", 0)
    store.upsert(make_article(BANK, aid="bank2", outlet="Outlet 8"))
    with pytest.raises(AssertionError, match="whole store"):
        update_corpus(store, [extra])


def test_story_index_round_trips_through_json() -> None:
    from presslens.corpus.digest import digest

    digests = [digest(a) for a in _articles()]
    res = resolve_entities(digests)
    idx = StoryIndex()
    cluster_stories(digests[:2], res, index=idx)
    again = StoryIndex.from_json(idx.to_json())
    assert again.assignment == idx.assignment
    assert again.add(digests[2], []) == idx.add(digests[2], [])


def test_missing_corpus_raises_p800(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "empty.db"))
    with pytest.raises(CorpusError) as info:
        load_stories(store)
    assert info.value.code == "P800"


def test_partial_update_on_a_store_never_synced_takes_every_article(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    arts = _articles()
    for art in arts:
        store.upsert(art)
    assert update_corpus(store, arts[:1])["articles"] == 4


def test_a_damaged_stored_result_is_p803(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    for art in _articles():
        store.upsert(art)
    update_corpus(store)
    store.put_corpus("corpus.stories", {"version": CORPUS_VERSION, "stories": "oops"})
    with pytest.raises(CorpusError) as info:
        load_stories(store)
    assert info.value.code == "P803"


def test_an_article_updated_in_place_refreshes_its_story(tmp_path: Path) -> None:
    """Found by probing: an article whose outlet was learnt later kept its story's outlets
    stale (``{}``) until ``corpus --rebuild``."""
    store = open_store(str(tmp_path / "s.db"))
    arts = _articles()
    arts[0].outlet = None
    for art in arts:
        store.upsert(art)
    update_corpus(store)
    ferry = next(s for s in load_stories(store) if "f0" in s["articles"])
    assert set(ferry["outlets"]) == {"Outlet 1", "Outlet 2"}
    arts[0].outlet = "Merrow Wire"
    store.upsert(arts[0])
    summary = update_corpus(store, [arts[0]])
    assert summary["new_articles"] == 0
    ferry = next(s for s in load_stories(store) if "f0" in s["articles"])
    assert set(ferry["outlets"]) == {"Merrow Wire", "Outlet 1", "Outlet 2"}


def test_story_words_join_plural_and_singular() -> None:
    """ "libraries" stemmed to "librarie", so a library story's key terms listed "librarie"
    and "library" as two words."""
    from presslens.corpus.digest import text_tokens

    assert text_tokens("Libraries and the library; councils and the council; press") == [
        "library",
        "library",
        "council",
        "council",
        "press",
    ]
