"""Per-story comparison: voices and their space, numbers that disagree, shared phrases,
accusation against denial, techniques absent or present, outlet-less articles, escaping."""

from __future__ import annotations

from typing import Any

from corpus_helpers import make_article

from presslens.corpus.compare import compare_articles, stance
from presslens.corpus.digest import digest
from presslens.corpus.resolve import resolve_entities
from presslens.model import Article
from presslens.views.compare import render_compare

SHARED = "the radar had been switched off for scheduled maintenance"
A_TEXT = (
    f"Port director Josef Karlan said {SHARED}. Twelve people died in the collision. "
    "Relatives accused Karlan of negligence and a cover-up."
)
B_TEXT = (
    f"Officials confirmed {SHARED}, a claim the union disputes. At least 14 people died, "
    "hospital staff said. Karlan denied the accusations as baseless."
)


def _find(art: Article, sub: str) -> tuple[int, int]:
    start = art.text.index(sub)
    return start, start + len(sub)


def _attribute(art: Article, content: str, cue: str, speaker: str | None) -> None:
    cs, ce = _find(art, cue)
    cue_i = art.add("cues", art.span(cs, ce, "cue"))
    s, e = _find(art, content)
    art.add("attributions", art.span(s, e, "indirect", kind="indirect", cue=cue_i, source=None,
                                     speaker=speaker, resolution="named"))  # fmt: skip


def _number(
    art: Article, surface: str, value: int, approx: str | None, counted: str, pred: str
) -> None:
    s, e = _find(art, surface)
    c = list(_find(art, counted))
    p = list(_find(art, pred))
    attrs = {"value": value, "low": value, "high": value, "approx": approx, "unit": None,
             "counted": c, "predicate": p, "counted_lemma": counted}  # fmt: skip
    art.add("quantities", art.span(s, e, "count", **attrs))


def _story() -> tuple[dict[str, Any], list[Article]]:
    a = make_article(A_TEXT, aid="aaaa1111", outlet="The Courier", day="2026-03-12",
                     entities={"e1": ("PERSON", ["Josef Karlan", "Karlan"])})  # fmt: skip
    _attribute(a, SHARED, "said", "e1")
    _attribute(a, "Karlan of negligence and a cover-up", "accused", None)
    _number(a, "Twelve", 12, None, "people", "died")
    b = make_article(B_TEXT, aid="bbbb2222", outlet=None, day="2026-03-13",
                     entities={"e1": ("PERSON", ["Karlan"])})  # fmt: skip
    _attribute(b, "the accusations as baseless", "denied", "e1")
    _number(b, "At least 14", 14, "at least", "people", "died")
    b.add("techniques", b.span(*_find(b, "baseless"), "Loaded_Language"))
    a.check()
    b.check()
    story = {
        "id": "S1",
        "title": "Ferry",
        "first_published": "2026-03-12",
        "last_published": "2026-03-13",
    }
    return story, [b, a]


def _compare() -> dict[str, Any]:
    story, arts = _story()
    res = resolve_entities([digest(x) for x in arts])
    names = {e["id"]: e["name"] for e in res.entities}
    return compare_articles(story, arts, res, names)


def test_outlets_side_by_side_with_speaker_shares() -> None:
    c = _compare()
    assert [o["outlet"] for o in c["outlets"]] == ["The Courier", "(no outlet) bbbb2222"]
    courier = c["outlets"][0]
    karlan = courier["speakers"][0]
    assert karlan["name"] == "Josef Karlan" and karlan["statements"] == 1
    total = sum(s["chars"] for s in courier["speakers"])
    assert karlan["chars"] == len(SHARED) and abs(karlan["share"] - len(SHARED) / total) < 0.01
    # the speaker resolved across articles: one entity id in both outlets
    other = c["outlets"][1]["speakers"][0]
    assert other["entity"] == karlan["entity"] is not None


def test_numbers_about_the_same_thing_that_disagree_are_flagged() -> None:
    c = _compare()
    dead = [n for n in c["numbers"] if n["counted"] == "dead"]
    assert len(dead) == 1 and dead[0]["disagree"]
    assert {v["text"] for vs in dead[0]["values"].values() for v in vs} == {"Twelve", "At least 14"}


def test_shared_phrase_credits_the_first_outlet() -> None:
    c = _compare()
    point = next(t for t in c["talking_points"] if "switched off" in t["text"])
    assert point["first_outlet"] == "The Courier" and point["article"] == "aaaa1111"
    assert len(point["outlets"]) == 2
    art = _story()[1][1]
    assert art.text[point["start"] : point["end"]] == point["text"]
    assert point["same_day"] == []  # the other outlet printed it a day later


def test_a_phrase_printed_by_two_outlets_on_one_day_names_both() -> None:
    """Articles of one day were ordered by id, so the lower id was "first"."""
    phrase = "the radar had been switched off for scheduled maintenance"
    arts = [
        make_article(f"Officials said {phrase} on Sunday.", aid="a1", outlet="Alpha",
                     day="2026-03-12"),
        make_article(f"The port said {phrase}.", aid="b1", outlet="Beta", day="2026-03-12"),
        make_article(f"Later reports said {phrase}.", aid="c1", outlet="Gamma",
                     day="2026-03-13"),
    ]  # fmt: skip
    res = resolve_entities([digest(x) for x in arts])
    story = {"id": "S1", "title": "t", "first_published": None, "last_published": None}
    c = compare_articles(story, arts, res, {})
    point = next(t for t in c["talking_points"] if "switched off" in t["text"])
    assert point["first_outlet"] == "Alpha" and point["same_day"] == ["Beta"]
    assert point["outlets"] == ["Alpha", "Beta", "Gamma"]
    assert "the same day: Beta" in render_compare(c)


def test_accusation_and_denial_about_one_entity_contradict() -> None:
    c = _compare()
    s = next(x for x in c["stances"] if x["name"] == "Josef Karlan")
    assert s["relation"] == "contradiction"
    assert [r["outlet"] for r in s["accusations"]] == ["The Courier"]
    assert [r["text"] for r in s["denials"]] == ["the accusations as baseless"]


def test_stance_reads_negation() -> None:
    assert stance("the guards tortured him", "accused") == "accusation"
    assert stance("the guards did not torture anyone", "said") == "denial"
    assert stance("the claims are unfounded", "said") == "denial"
    assert stance("the weather was fine", "said") is None


def test_techniques_present_for_one_outlet_absent_marked_as_none() -> None:
    c = _compare()
    assert c["techniques_available"]
    assert c["outlets"][1]["techniques"] == {"Loaded_Language": 1}
    assert c["outlets"][0]["techniques"] == {}
    story, arts = _story()
    for a in arts:
        a.layers.pop("techniques", None)
    res = resolve_entities([digest(x) for x in arts])
    plain = compare_articles(story, arts, res, {})
    assert not plain["techniques_available"] and plain["outlets"][0]["techniques"] is None


def test_html_escapes_article_text() -> None:
    story, arts = _story()
    story["title"] = "<script>alert(1)</script>"
    res = resolve_entities([digest(x) for x in arts])
    page = render_compare(compare_articles(story, arts, res, {}))
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "The Courier" in page and "Loaded_Language" in page
