"""Speaker resolution beyond a bare name: affiliation + role + name, and organisations
described rather than named ("the company said"). Hand-written texts, real spaCy parse."""

from __future__ import annotations

import pytest

from presslens.model import Article, Span
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.attributions import make_attributions_stage
from presslens.stages.entities import make_entities_stage


def attributed(text: str, spacy_stage: StageFn) -> Article:
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    make_entities_stage(Settings())([art])
    make_attributions_stage(Settings())([art])
    art.check()
    return art


def about(art: Article, inside: str) -> Span:
    found = [s for s in art.layer("attributions") if inside in s.text]
    assert len(found) == 1, [s.text for s in art.layer("attributions")]
    return found[0]


def speaker(art: Article, span: Span) -> str | None:
    names = {c.id: c.name for c in art.clusters}
    sid = span.attrs["speaker"]
    return names.get(sid) if isinstance(sid, str) else None


@pytest.mark.parametrize(
    ("text", "inside", "expected"),
    [
        # the parse may make the team or the role noun the head: the person named last speaks
        (
            "It rained.\n\nColts interim coach Bruce Arians said the team played well.",
            "played well",
            "Bruce Arians",
        ),
        (
            "Nordbank deputy director Anna Koval told reporters that the loans were safe.",
            "loans were safe",
            "Anna Koval",
        ),
        (
            "Obama adviser David Axelrod said the plan would work.",
            "plan would work",
            "David Axelrod",
        ),
        (
            "Philadelphia 76ers President and General Manager Billy King said the deal was done.",
            "deal",
            "Billy King",
        ),
    ],
)
def test_affiliation_role_and_name_resolve_to_the_person(
    spacy_stage: StageFn, text: str, inside: str, expected: str
) -> None:
    art = attributed(text, spacy_stage)
    span = about(art, inside)
    assert span.attrs["resolution"] == "named"
    assert speaker(art, span) == expected


def test_a_possessor_is_not_the_speaker(spacy_stage: StageFn) -> None:
    """ "Anna Koval's lawyer said": the lawyer speaks, and is not named."""
    art = attributed(
        "Anna Koval was charged on Monday. Anna Koval's lawyer said the charges were false.",
        spacy_stage,
    )
    span = about(art, "charges were false")
    assert speaker(art, span) is None


@pytest.mark.parametrize(
    ("text", "inside", "expected"),
    [
        (
            "Microsoft released a patch on Tuesday. The US software giant said the flaw "
            "was serious.",
            "flaw",
            "Microsoft",
        ),
        (
            "The Ministry of Health published new figures on Monday. The ministry said "
            "that 40 people had died.",
            "40 people",
            "Ministry of Health",
        ),
    ],
)
def test_a_described_organisation_resolves_to_the_one_named_before(
    spacy_stage: StageFn, text: str, inside: str, expected: str
) -> None:
    art = attributed(text, spacy_stage)
    span = about(art, inside)
    assert span.attrs["resolution"] == "description"
    assert speaker(art, span) == expected


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        # two organisations in reach: no guess
        ("Apple and Google met on Monday. The company said that it would appeal.", "appeal"),
        # a kind of organisation whose name does not say so
        ("Acme Corp. opened a plant. The ministry said that it was illegal.", "illegal"),
        # indefinite: some company, not the one named
        ("Microsoft released a patch. A company said that the patch failed.", "failed"),
        # nothing named before
        ("The company said that sales fell.", "sales"),
    ],
)
def test_a_description_without_one_organisation_in_reach_is_not_resolved(
    spacy_stage: StageFn, text: str, inside: str
) -> None:
    art = attributed(text, spacy_stage)
    span = about(art, inside)
    assert span.attrs["resolution"] != "description"
    assert span.attrs["speaker"] is None


def test_a_resolved_pronoun_gives_its_person_a_gender_for_later_pronouns(
    spacy_stage: StageFn,
) -> None:
    """ "He" after "Peter Brandt said" is Brandt, so the later "she" is not him: the chain
    of pronouns carries the text's own gender for a person the article gave none."""
    art = attributed(
        "Anna Koval checked into a clinic, Peter Brandt said on Friday. "
        "He declined to give details. “I am fine,” she said.",
        spacy_stage,
    )
    span = about(art, "I am fine")
    assert span.attrs["resolution"] == "pronoun"
    assert speaker(art, span) == "Anna Koval"
