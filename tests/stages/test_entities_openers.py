"""Names glued to the common word opening their sentence ("Stubborn Norway", "Without Ohio").

The Docs are built by hand with exactly the NER spans we want the model to have glued, so
the tests check our rules; the word lists are the installed spaCy model's own.
"""

from __future__ import annotations

from typing import Any

import pytest

from presslens.model import Article
from presslens.nlp import load_nlp
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.entities import cluster_entities, make_entities_stage
from presslens.stages.entities_openers import WordLists, opening_cut, opens_at, word_lists


@pytest.fixture(scope="module")
def words(spacy_stage: StageFn) -> WordLists:
    found = word_lists(Settings().spacy_model)
    assert found is not None, "the default spaCy model has a lemmatizer with word lists"
    return found


def clustered(text: str, ents: list[tuple[str, str]], words: WordLists | None) -> Article:
    """Cluster an article whose NER found exactly ``ents`` ((surface, label), in order)."""
    nlp: Any = load_nlp(Settings().spacy_model)
    doc = nlp.make_doc(text)
    spans, at = [], 0
    for surface, label in ents:
        start = text.index(surface, at)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, f"{surface!r} does not fall on token boundaries"
        spans.append(span)
        at = start + len(surface)
    doc.ents = spans
    art = Article(text=text, source="<test>")
    art._doc = doc
    cluster_entities(art, words=words)
    art.check()
    return art


def surfaces(art: Article) -> list[str]:
    return [s.text for s in art.layer("entities")]


STUBBORN = (
    "Stubborn Norway: a country that shelters its critics\n\n"
    "Norway’s approach has confused many observers. Officials in Oslo say Norway will not "
    "change course."
)
STUBBORN_ENTS = [("Stubborn Norway", "GPE"), ("Norway", "GPE"), ("Oslo", "GPE"), ("Norway", "GPE")]


def test_opening_adjective_is_cut_from_a_place(words: WordLists) -> None:
    before = clustered(STUBBORN, STUBBORN_ENTS, None)
    assert "Stubborn Norway" in surfaces(before)  # what NER's glued span gives without the rule
    art = clustered(STUBBORN, STUBBORN_ENTS, words)
    assert surfaces(art) == ["Norway", "Norway", "Oslo", "Norway"]
    first = art.layer("entities")[0]
    assert STUBBORN[first.start : first.end] == "Norway" and first.start == len("Stubborn ")
    assert sorted(c.name for c in art.clusters) == ["Norway", "Oslo"]
    norway = next(c for c in art.clusters if c.name == "Norway")
    assert norway.label == "GPE" and norway.variants == {"Norway": 3}


@pytest.mark.parametrize(
    ("text", "ents", "glued", "name"),
    [
        (  # a function word at a quotation opener
            '"Without Ohio, the senator would have lost," she said. Ohio voted for him twice.',
            [("Without Ohio", "WORK_OF_ART"), ("Ohio", "GPE")],
            "Without Ohio",
            "Ohio",
        ),
        (  # a gerund glued to a person, after a line break
            "Rivals kept quiet.\nBashing Harris may be popular, but Harris is ahead in the polls.",
            [("Bashing Harris", "PERSON"), ("Harris", "PERSON")],
            "Bashing Harris",
            "Harris",
        ),
        (  # "The" at a line start, where spaCy's sentence start is not set
            "Budget talks\nThe Finance Ministry denied it. A Finance Ministry official agreed.",
            [("The Finance Ministry", "ORG"), ("Finance Ministry", "ORG")],
            "The Finance Ministry",
            "Finance Ministry",
        ),
    ],
)
def test_common_opening_words_are_cut(
    words: WordLists, text: str, ents: list[tuple[str, str]], glued: str, name: str
) -> None:
    art = clustered(text, ents, words)
    assert glued not in surfaces(art)
    assert surfaces(art).count(name) == 2
    for span in art.layer("entities"):
        assert text[span.start : span.end] == span.text
    assert [c.name for c in art.clusters] == [name]


@pytest.mark.parametrize(
    ("text", "ents", "why"),
    [
        (
            "Bill Harris opened the meeting. Later, Harris thanked the staff.",
            [("Bill Harris", "PERSON"), ("Harris", "PERSON")],
            "a first name that is also a noun and a verb",
        ),
        (
            "Sandy Harris opened the meeting. Later, Harris thanked the staff.",
            [("Sandy Harris", "PERSON"), ("Harris", "PERSON")],
            "a person's name never loses an adjective",
        ),
        (
            "Great Britain voted. Britain, or Great Britain, left.",
            [("Great Britain", "GPE"), ("Britain", "GPE"), ("Great Britain", "GPE")],
            "the whole name is written in mid-sentence",
        ),
        (
            "New Hampshire voted first. Voters in Hampshire and New Hampshire differ.",
            [("New Hampshire", "GPE"), ("Hampshire", "GPE"), ("New Hampshire", "GPE")],
            "the opening word is capitalised where no opener explains it",
        ),
        (
            "Stubborn Norway: a country that shelters its critics. Officials in Oslo agree.",
            [("Stubborn Norway", "GPE"), ("Oslo", "GPE")],
            "the rest is never a mention on its own",
        ),
        (
            "Critics say stubborn Norway Inc is wrong. Norway disagrees.",
            [("Norway Inc", "ORG"), ("Norway", "GPE")],
            "the mention does not open a sentence",
        ),
    ],
)
def test_names_the_article_does_not_show_glued_stay_whole(
    words: WordLists, text: str, ents: list[tuple[str, str]], why: str
) -> None:
    art = clustered(text, ents, words)
    assert surfaces(art)[0] == ents[0][0], why


def test_word_classes(words: WordLists) -> None:
    assert words.common_opener("Stubborn", person=False)
    assert not words.common_opener("Stubborn", person=True)
    assert words.common_opener("Without", person=True)
    assert words.common_opener("Impeaching", person=True)
    assert words.common_opener("Stopping", person=True)  # doubled consonant
    for name in ("Bill", "Will", "Rose", "Hope", "Frank", "Sterling", "King"):
        assert not words.common_opener(name, person=True), name


def test_word_lists_from_any_lemma_index() -> None:
    lists = WordLists.of({"adj": ["calm"], "verb": ["jog"], "noun": ["rock"]})
    assert lists.common_opener("Calm", person=False)
    assert lists.common_opener("Jogging", person=True)
    assert not lists.common_opener("Rock", person=False)
    assert WordLists.of({}).adverbs == frozenset()


def test_opening_cut_offsets(words: WordLists) -> None:
    text = "Calm. Stubborn Norway: yes. Norway agrees."
    start = text.index("Stubborn")
    cut = opening_cut(
        text, start, start + len("Stubborn Norway"), False, {"Norway"}.__contains__, words
    )
    assert cut == text.index("Norway")
    assert opens_at(text, start) and opens_at(text, 0) and not opens_at(text, text.index("agrees"))


def test_stage_uses_the_model_word_lists(spacy_stage: StageFn) -> None:
    """End to end through the registered stages: the real model's parse, then the rule."""
    art = Article(text=STUBBORN, source="<test>")
    spacy_stage([art])
    make_entities_stage(Settings())([art])
    art.check()
    assert not [c.name for c in art.clusters if c.name.startswith("Stubborn")]
    assert any(c.name == "Norway" for c in art.clusters)
