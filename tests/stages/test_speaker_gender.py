"""Gender evidence for pronoun agreement: honorifics, gendered roles, possessives after a
lone subject; nothing from first names, nothing when the evidence disagrees."""

from __future__ import annotations

import pytest
from attribution_helpers import parsed

from presslens.registry import StageFn
from presslens.stages.speaker_gender import cluster_genders, pronoun_gender
from presslens.stages.speakers import SpeakerIndex


def genders(text: str, spacy_stage: StageFn) -> dict[str, str]:
    """Name → gender for the article's PERSON clusters that got one."""
    art = parsed(text, spacy_stage)
    index = SpeakerIndex.build(art, art._doc)
    names = {c.id: c.name for c in art.clusters}
    return {names[c]: g for c, g in index.genders.items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Peter Brandt met Ms. Anna Koval.", {"Peter Brandt": "male", "Anna Koval": "female"}),
        ("Mrs Koval arrived late.", {"Koval": "female"}),
        ("The spokeswoman, Anna Koval, declined to comment.", {"Anna Koval": "female"}),
        ("Peter Brandt raised his hand.", {"Peter Brandt": "male"}),
        # the possessive sits in another clause: no evidence about the subject
        ("Peter Brandt said his plan would work.", {}),
        ("Anna Koval checked herself into a clinic.", {"Anna Koval": "female"}),
        # no evidence: first names say nothing
        ("Anna Koval met Peter Brandt.", {}),
        # "her" as an object is no evidence about the subject
        ("Peter Brandt thanked her warmly.", {}),
        # coordinated subjects: whose plan it is stays open
        ("Peter Brandt and Anna Koval presented her plan.", {}),
        # the possessive's clause has no subject of its own
        ("Peter Brandt made the ruling, addressing her husband directly.", {}),
    ],
)
def test_evidence(spacy_stage: StageFn, text: str, expected: dict[str, str]) -> None:
    assert genders(text, spacy_stage) == expected


def test_evidence_both_ways_gives_no_gender(spacy_stage: StageFn) -> None:
    text = "Ms. Kim Lee spoke. Kim Lee raised his hand."
    assert genders(text, spacy_stage) == {}


def test_pronoun_gender() -> None:
    assert [pronoun_gender(w) for w in ("He", "her", "Himself", "they", "it")] == [
        "male",
        "female",
        "male",
        None,
        None,
    ]


def test_no_people_no_genders(spacy_stage: StageFn) -> None:
    art = parsed("The ministry said his plan would work.", spacy_stage)
    assert cluster_genders(art._doc, [], {}) == {}


def test_roles_are_not_taken_from_a_title_case_headline(spacy_stage: StageFn) -> None:
    """In "Greek Prime Minister Calls Bank Workers …" NER may make "Calls Bank Workers" an
    organisation; the headline must not make it the minister."""
    from presslens.model import Article, Cluster

    text = (
        "Greek Prime Minister Calls Bank Workers Back To Their Desks\n\n"
        "Prime Minister George Papandreou spoke on Monday."
    )
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    for cid, label, surface in (
        ("e1", "ORG", "Calls Bank Workers"),
        ("e2", "PERSON", "George Papandreou"),
    ):
        start = text.index(surface)
        art.add("entities", art.span(start, start + len(surface), label, entity=cid))
        art.clusters.append(Cluster(id=cid, label=label, name=surface, mentions=[], variants={}))
    index = SpeakerIndex.build(art, art._doc)
    assert {cluster for _, cluster in index.roles.get("minister", [])} == {"e2"}
