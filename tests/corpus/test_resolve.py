"""Corpus entity resolution: variants merge with a reason; namesakes without evidence do not."""

from __future__ import annotations

from corpus_helpers import cluster_digest

from presslens.corpus.resolve import resolve_entities


def _entity(res, name: str):
    hits = [e for e in res.entities if name in e["variants"]]
    assert len(hits) == 1, f"{name} is in {len(hits)} entities"
    return hits[0]


def test_transliterated_first_names_merge_with_a_reason() -> None:
    res = resolve_entities(
        [
            cluster_digest(
                "a1", "Outlet A", [("PERSON", "Mohamed Hajib", {"Mohamed Hajib": 1, "Hajib": 6})]
            ),
            cluster_digest("a2", "Outlet B", [("PERSON", "Mohammad Hajib", {"Mohammad Hajib": 2})]),
            cluster_digest("a3", "Outlet C", [("PERSON", "Muhammad Hajib", {"Muhammad Hajib": 1})]),
        ]
    )
    ent = _entity(res, "Mohamed Hajib")
    assert {"Mohammad Hajib", "Muhammad Hajib"} <= set(ent["variants"])
    assert ent["articles"] == ["a1", "a2", "a3"]
    assert ent["outlets"] == {"Outlet A": 1, "Outlet B": 1, "Outlet C": 1}
    assert len(ent["merges"]) == 2 and all("spelling" in m["why"] for m in ent["merges"])
    assert res.entity_of("a2", "e0") == ent["id"]


def test_people_sharing_a_surname_stay_apart() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("PERSON", "Hillary Clinton", {"Hillary Clinton": 1})]),
            cluster_digest("a2", "Y", [("PERSON", "Bill Clinton", {"Bill Clinton": 1})]),
            cluster_digest("a3", "Z", [("PERSON", "Clinton", {"Clinton": 2})]),
        ]
    )
    assert _entity(res, "Hillary Clinton")["id"] != _entity(res, "Bill Clinton")["id"]
    # a bare surname with two candidates and no shared context is left alone
    assert _entity(res, "Clinton")["merges"] == []


def test_bare_surname_joins_the_candidate_it_is_co_mentioned_with() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("PERSON", "Hillary Clinton", {"Hillary Clinton": 1}),
                                       ("ORG", "State Department", {"State Department": 1})]),
            cluster_digest("a2", "Y", [("PERSON", "Bill Clinton", {"Bill Clinton": 1}),
                                       ("ORG", "Arkansas Senate", {"Arkansas Senate": 1})]),
            cluster_digest("a3", "Z", [("PERSON", "Clinton", {"Clinton": 2}),
                                       ("ORG", "State Department", {"State Department": 1})]),
        ]
    )  # fmt: skip
    hillary = _entity(res, "Hillary Clinton")
    assert "Clinton" in hillary["variants"]
    assert "co-mentioned" in hillary["merges"][0]["why"]
    assert "Clinton" not in _entity(res, "Bill Clinton")["variants"]


def test_unique_surname_and_acronym_and_initial() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("PERSON", "Anna Koval", {"Anna Koval": 1}),
                                       ("ORG", "Calder Bay Port Authority",
                                        {"Calder Bay Port Authority": 1, "CBPA": 2})]),
            cluster_digest("a2", "X", [("PERSON", "Koval", {"Koval": 3}),
                                       ("ORG", "CBPA", {"CBPA": 1}),
                                       ("PERSON", "A. Koval", {"A. Koval": 1})]),
        ]
    )  # fmt: skip
    koval = _entity(res, "Anna Koval")
    assert {"Koval", "A. Koval"} <= set(koval["variants"])
    whys = " | ".join(m["why"] for m in koval["merges"])
    assert "only person with this surname" in whys and "initial" in whys
    cbpa = [e for e in res.entities if e["label"] == "ORG"]
    assert len(cbpa) == 1 and cbpa[0]["variants"]["CBPA"] == 3


def test_quoted_terms_with_doubled_letters_are_one_term() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("TERM", "Taqqiya", {"Taqqiya": 2})]),
            cluster_digest("a2", "Y", [("TERM", "Taqiyya", {"Taqiyya": 1})]),
        ]
    )
    assert len(res.entities) == 1
    assert res.entities[0]["variants"] == {"Taqqiya": 2, "Taqiyya": 1}


def test_different_places_with_similar_names_stay_apart() -> None:
    res = resolve_entities(
        [
            cluster_digest(
                "a1", "X", [("GPE", "Austria", {"Austria": 1}), ("GPE", "Iran", {"Iran": 1})]
            ),
            cluster_digest(
                "a2", "Y", [("GPE", "Australia", {"Australia": 1}), ("GPE", "Iraq", {"Iraq": 1})]
            ),
        ]
    )
    assert len(res.entities) == 4


def test_middle_initial_joins_only_when_unambiguous() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("PERSON", "Donald J. Trump", {"Donald J. Trump": 1})]),
            cluster_digest("a2", "Y", [("PERSON", "Donald Trump", {"Donald Trump": 2})]),
            cluster_digest("a3", "X", [("PERSON", "George W. Bush", {"George W. Bush": 1})]),
            cluster_digest("a4", "Y", [("PERSON", "George H. W. Bush", {"George H. W. Bush": 1})]),
            cluster_digest("a5", "Z", [("PERSON", "George Bush", {"George Bush": 1})]),
        ]
    )
    assert "Donald Trump" in _entity(res, "Donald J. Trump")["variants"]
    assert _entity(res, "George Bush")["merges"] == []
    assert _entity(res, "George W. Bush")["id"] != _entity(res, "George H. W. Bush")["id"]


def _names(aid: str, label: str, *names: str):
    """A digest of one article naming each of ``names`` once (all with ``label``)."""
    return cluster_digest(aid, aid, [(label, n, {n: 1}) for n in names])


def test_lone_word_needs_the_same_spelling_and_not_a_first_name() -> None:
    res = resolve_entities(
        [
            _names("a1", "PERSON", "Aaron Klein", "Tom John", "John Smith"),
            _names("a2", "PERSON", "Klan", "John"),
        ]
    )
    assert _entity(res, "Klan")["merges"] == [] and _entity(res, "John")["merges"] == []


def test_acronym_inside_a_longer_name_is_not_its_alias() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("ORG", "DNC Rules Committee", {"DNC Rules Committee": 1,
                                                                      "DNC": 1})]),
            _names("a2", "ORG", "DNC"),
        ]
    )  # fmt: skip
    assert sorted(e["name"] for e in res.entities) == ["DNC", "DNC Rules Committee"]


def test_acronym_of_two_different_names_joins_neither() -> None:
    res = resolve_entities(
        [
            _names("a1", "ORG", "Trans-Pacific Partnership"),
            _names("a2", "ORG", "Texas Politics Project"),
            _names("a3", "ORG", "TPP"),
        ]
    )
    assert len(res.entities) == 3


def test_articles_without_an_outlet_are_not_one_outlet() -> None:
    """Found by probing: outlet-less articles shared the outlet "-", so an initial joined a
    full name "from the same outlet" across unrelated files, and entity pages listed "-"."""

    def corpus(outlet: str) -> list[dict]:
        return [
            cluster_digest("a1", outlet, [("PERSON", "Anna Koval", {"Anna Koval": 1})]),
            cluster_digest("a2", outlet, [("PERSON", "A. Koval", {"A. Koval": 1})]),
        ]

    apart = resolve_entities(corpus(""))
    assert _entity(apart, "Anna Koval")["id"] != _entity(apart, "A. Koval")["id"]
    assert _entity(apart, "Anna Koval")["outlets"] == {"(unknown outlet)": 1}
    joined = resolve_entities(corpus("X"))
    assert "A. Koval" in _entity(joined, "Anna Koval")["variants"]


def test_an_organisation_with_an_owner_in_the_possessive_is_the_organisation() -> None:
    res = resolve_entities(
        [
            cluster_digest(
                "a1",
                "Wire",
                [
                    (
                        "ORG",
                        "Norrvale's Regional Health Directorate",
                        {"Norrvale's Regional Health Directorate": 1},
                    ),
                    ("ORG", "Harbour’s Inc", {"Harbour’s Inc": 1}),
                    ("GPE", "Norrvale", {"Norrvale": 1}),
                    ("PERSON", "Alan Grayson", {"Alan Grayson": 1, "Grayson": 2}),
                    ("ORG", "Grayson's Democratic Senate", {"Grayson's Democratic Senate": 1}),
                ],
            ),
            cluster_digest(
                "a2",
                "Courier",
                [
                    ("ORG", "Regional Health Directorate", {"Regional Health Directorate": 2}),
                    ("ORG", "Inc", {"Inc": 1}),
                    ("ORG", "Democratic Senate", {"Democratic Senate": 1}),
                    ("PERSON", "Grayson", {"Grayson": 1}),
                ],
            ),
        ]
    )
    ent = _entity(res, "Regional Health Directorate")
    assert ent["name"] == "Regional Health Directorate" and ent["articles"] == ["a1", "a2"]
    assert "possessive" in ent["merges"][0]["why"]
    # one word after the possessive is a name of its own ("McDonald's Corporation"), and a
    # person's race is not the Senate
    assert _entity(res, "Harbour’s Inc")["articles"] == ["a1"]
    assert _entity(res, "Democratic Senate")["articles"] == ["a2"]


def test_a_facility_to_ner_is_the_place_of_the_same_name() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "Wire", [("GPE", "Port Merrow", {"Port Merrow": 2})]),
            cluster_digest("a2", "Courier", [("FAC", "Port Merrow", {"Port Merrow": 1})]),
            # a facility that is also an organisation somewhere is no place
            cluster_digest("a3", "Gazette", [("FAC", "Aurelia Star", {"Aurelia Star": 1})]),
            cluster_digest("a4", "Herald", [("ORG", "Aurelia Star", {"Aurelia Star": 1})]),
            cluster_digest("a5", "Wire", [("GPE", "Aurelia Star", {"Aurelia Star": 1})]),
        ]
    )
    port = _entity(res, "Port Merrow")
    assert (port["label"], port["articles"]) == ("GPE", ["a1", "a2"])
    assert "facility" in port["merges"][0]["why"]
    ships = sorted(e["articles"] for e in res.entities if e["name"] == "Aurelia Star")
    assert ships == [["a3", "a4"], ["a5"]]


def test_a_lone_surname_is_read_in_its_own_article() -> None:
    """One article's "Williams" (its headline wrote "Esther Williams") is Esther Williams;
    another's, co-mentioned with the Chargers, is Jamal Williams: the two people stay apart
    instead of meeting in one shared "Williams"."""
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("PERSON", "Williams",
                                        {"Williams": 4, "Esther Williams": 1})]),
            cluster_digest("a2", "Y", [("PERSON", "Esther Williams", {"Esther Williams": 2})]),
            cluster_digest("a3", "Z", [("PERSON", "Jamal Williams", {"Jamal Williams": 2}),
                                       ("ORG", "Chargers", {"Chargers": 1})]),
            cluster_digest("a4", "Z", [("PERSON", "Williams", {"Williams": 3}),
                                       ("ORG", "Chargers", {"Chargers": 2})]),
        ]
    )  # fmt: skip
    esther = res.entity_of("a1", "e0")
    jamal = res.entity_of("a4", "e0")
    assert esther == res.entity_of("a2", "e0")
    assert jamal == res.entity_of("a3", "e0")
    assert esther != jamal
    assert len({e["id"] for e in res.entities}) == len(res.entities)


def test_lone_surnames_no_rule_places_stay_one_entity() -> None:
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("PERSON", "Lyons", {"Lyons": 2})]),
            cluster_digest("a2", "Y", [("PERSON", "Lyons", {"Lyons": 1})]),
            cluster_digest("a3", "Z", [("PERSON", "Williams", {"Williams": 1})]),
        ]
    )
    lyons = _entity(res, "Lyons")
    assert lyons["articles"] == ["a1", "a2"]
    assert lyons["merges"][0]["why"] == "the same lone surname"
    assert res.entity_of("a3", "e0") != lyons["id"]


def test_a_team_named_by_one_word_is_the_only_place_and_word_name() -> None:
    """Found with ``eval entities``: "Colts" in fourteen ECB+ articles and "Indianapolis
    Colts" in others were two entities. A place and the word make the longer name; a second
    such name, or a longer name that is no place's ("White House"), joins nothing."""
    res = resolve_entities(
        [
            cluster_digest("a1", "X", [("ORG", "Indianapolis Colts", {"Indianapolis Colts": 1}),
                                       ("GPE", "Indianapolis", {"Indianapolis": 1})]),
            cluster_digest("a2", "Y", [("ORG", "Colts", {"Colts": 3})]),
            cluster_digest("a3", "X", [("ORG", "Washington Post", {"Washington Post": 1}),
                                       ("ORG", "New York Post", {"New York Post": 1}),
                                       ("GPE", "Washington", {"Washington": 1}),
                                       ("GPE", "New York", {"New York": 1})]),
            cluster_digest("a4", "Z", [("ORG", "Post", {"Post": 2}),
                                       ("ORG", "White House", {"White House": 1}),
                                       ("ORG", "House", {"House": 1})]),
        ]
    )  # fmt: skip
    colts = _entity(res, "Colts")
    assert "Indianapolis Colts" in colts["variants"]
    assert "longer name ends in this word" in colts["merges"][0]["why"]
    assert res.entity_of("a4", "e0") not in {res.entity_of("a3", "e0"), res.entity_of("a3", "e1")}
    assert res.entity_of("a4", "e2") != res.entity_of("a4", "e1")
