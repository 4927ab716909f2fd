"""One quotation in several outlets: a different speaker named, or different words, are shown
with every version; scare quotes and one outlet's own quotations are not groups."""

from __future__ import annotations

from typing import Any

import pytest

from presslens.api import analyze
from presslens.corpus.compare import compare_articles, quotations_of
from presslens.corpus.digest import digest
from presslens.corpus.resolve import resolve_entities
from presslens.model import Article
from presslens.pipeline import default_config
from presslens.views.compare import render_compare

GAZETTE = (
    'Council leader Jane Porter defended the decision. "We have no choice and we will not back '
    'down on these savings," she said on Tuesday.\n\n'
    'Tom Reed said the closures were "a disaster for our communities and for every child who '
    'reads".'
)
HERALD = (
    '"We have no choice and we will never back down on these savings," the council\'s '
    "spokesman Mark Ellis said.\n\n"
    'Campaigners called the plan "a disaster for our communities and for every child who '
    'reads", according to Tom Reed. Officials called it a "difficult but fair" plan.'
)


@pytest.fixture(scope="module")
def arts() -> list[Article]:
    config = default_config()
    config["pipeline"]["stages"] = [n for n in config["pipeline"]["stages"] if n != "genre"]
    out = []
    for text, outlet in ((HERALD, "Harbour Herald"), (GAZETTE, "Evening Gazette")):
        art = analyze(text, config=config, outlet=outlet)
        art.check()
        out.append(art)
    return out


@pytest.fixture(scope="module")
def comparison(arts: list[Article]) -> dict[str, Any]:
    res = resolve_entities([digest(a) for a in arts])
    names = {e["id"]: e["name"] for e in res.entities}
    story = {"id": "S1", "title": "t", "first_published": None, "last_published": None}
    return compare_articles(story, arts, res, names)


def _group(c: dict[str, Any], words: str) -> dict[str, Any]:
    hits = [q for q in c["quotations"] if any(words in v["text"] for v in q["versions"])]
    assert len(hits) == 1, c["quotations"]
    return hits[0]


def test_a_quotation_given_to_two_speakers_with_a_word_changed(comparison: Any) -> None:
    q = _group(comparison, "back down on these savings")
    assert q["speakers_differ"] and q["wording_differs"]
    by_source = {v["source"]: v for v in q["versions"]}
    assert by_source["Harbour Herald"]["speaker"] == "Mark Ellis"
    assert by_source["Evening Gazette"]["speaker"] == "Jane Porter"  # "she", resolved
    assert by_source["Evening Gazette"]["added"] == ["not"]
    assert by_source["Evening Gazette"]["dropped"] == ["never"]


def test_the_same_words_from_the_same_speaker_agree(comparison: Any) -> None:
    q = _group(comparison, "a disaster for our communities")
    assert not q["speakers_differ"] and not q["wording_differs"]
    assert {v["speaker"] for v in q["versions"]} == {"Tom Reed"}
    assert q["sources"] == ["Evening Gazette", "Harbour Herald"]


def test_versions_point_at_their_quotations(arts: list[Article], comparison: Any) -> None:
    text = {a.id: a.text for a in arts}
    for q in comparison["quotations"]:
        for v in q["versions"]:
            assert text[v["article"]][v["start"] : v["end"]] == v["text"]
    # "difficult but fair" (three words) is a scare quote in one outlet: no group
    assert not any("difficult" in v["text"] for q in comparison["quotations"]
                   for v in q["versions"])  # fmt: skip


def test_without_a_digested_corpus_the_same_groups_are_found(arts: list[Article]) -> None:
    groups = quotations_of(arts)
    assert len(groups) == 2
    assert [g["speakers_differ"] for g in groups] == [True, False]


def test_the_comparison_page_shows_and_escapes_versions(comparison: Any) -> None:
    html = render_compare(comparison)
    assert "speakers read differently" in html and "wording differs" in html
    assert "words not in the first version: not; instead of: never" in html
    assert "&#34;We have no choice" in html or "&quot;We have no choice" in html


@pytest.mark.parametrize(
    ("company", "differ"),
    [("Northwind Software", False), ("Contoso Systems", True)],
)
def test_an_organisation_and_its_named_spokesman_are_one_voice(company: str, differ: bool) -> None:
    words = "We have fixed the flaw in every supported version of the program"
    texts = {
        "Tech Daily": (
            f'"{words}," said Christopher Budd, a Northwind Software spokesman, on Tuesday.'
        ),
        "Market Wire": f'{company} said on Tuesday: "{words}."',
    }
    arts = [analyze(t, outlet=o) for o, t in texts.items()]
    (q,) = quotations_of(arts)
    assert {v["speaker"] for v in q["versions"]} == {"Christopher Budd", company}
    assert q["speakers_differ"] is differ


def test_an_outlet_or_a_people_is_no_speaker_and_near_spellings_are_one_voice() -> None:
    from presslens.corpus.quote_match import Speaker, _named, _one_voice

    # "told the Anchorage Daily News" read as who spoke: no speaker that can differ
    assert not _named(Speaker("The Anchorage Daily News", "e1", "ORG"))
    assert not _named(Speaker("Greeks", "e2", "NORP"))
    assert _named(Speaker("Contoso Systems", "e3", "ORG"))
    assert _named(Speaker("Janette Brimmer", "e4", "PERSON"))
    # one name spelt two ways by two outlets is one voice; two people are two
    assert _one_voice(Speaker("Hugh Hefner", "e5", "PERSON"), Speaker("Heffner", "e6", "PERSON"))
    assert not _one_voice(Speaker("George Bush", "e7", "PERSON"), Speaker("Rush", "e8", "PERSON"))
    assert not _one_voice(
        Speaker("Andrew Welzler", "e9", "PERSON"), Speaker("Janette Brimmer", "e4", "PERSON")
    )


def test_each_version_names_a_voice_and_only_two_voices_make_a_pair_differ() -> None:
    """Three outlets print one sentence: one gives it to Jane Porter, one to Mark Ellis, one
    to "her spokesman". The group's speakers differ; of its pairs only Porter and Ellis do
    (``eval quotations`` scores pairs this way): "her spokesman" names nobody who can differ."""
    from presslens.eval.quotations import system_pairs

    words = "We will appeal the ruling to the highest court in the land"
    texts = {
        "Tech Daily": f'"{words}," said Jane Porter, the mayor, on Tuesday.',
        "Market Wire": f'"{words}," said Mark Ellis, the governor, on Tuesday.',
        "City Paper": f'Her spokesman said on Tuesday: "{words}."',
    }
    arts = [analyze(t, outlet=o) for o, t in texts.items()]
    for art in arts:
        art.meta["story"] = "s1"
    (q,) = quotations_of(arts)
    assert q["speakers_differ"]
    voices = {v["source"]: v["voice"] for v in q["versions"]}
    assert voices["City Paper"] is None
    assert {voices["Tech Daily"], voices["Market Wire"]} == {0, 1}
    flagged = {
        frozenset(a[0] for a in pair)
        for pair, info in system_pairs(arts).items()
        if info["speakers_differ"]
    }
    ids = {art.outlet: art.id for art in arts}
    assert flagged == {frozenset({ids["Tech Daily"], ids["Market Wire"]})}
