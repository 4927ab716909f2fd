"""Numbers about earlier events are keyed with their time: a story's toll does not meet the
toll of a quake years before, which two outlets' recollections of it still share. Hand-written
reports, real pipeline."""

from __future__ import annotations

from datetime import date

from presslens.api import analyze
from presslens.corpus.compare import number_groups
from presslens.corpus.number_time import EARLIER, story_time, time_of
from presslens.model import Article, Published


def _report(text: str, outlet: str, day: date | None = date(2005, 11, 28)) -> Article:
    art = analyze(text, outlet=outlet)
    if day is not None:
        art.published = Published(date=day, source="header")
    return art


def _values(group: dict) -> set[str]:
    return {v["text"] for vs in group["values"].values() for v in vs}


def test_a_toll_of_an_earlier_year_meets_only_tolls_of_that_year() -> None:
    arts = [
        _report(
            "An earthquake killed 10 people on the island of Qeshm on Sunday. In December "
            "2003, a quake in the city of Bam killed 26,000 people.",
            "Wire A",
        ),
        _report(
            "The quake on Sunday killed 13 people, officials said. A quake in the city of Bam in "
            "December 2003 killed 31,000 people.",
            "Wire B",
        ),
    ]
    groups = number_groups(arts)
    by_values = {frozenset(_values(g)): g for g in groups}
    now = by_values[frozenset({"10", "13"})]
    then = by_values[frozenset({"26,000", "31,000"})]
    assert now["disagree"] and then["disagree"]
    assert "2003-12" in then["counted"] and "2003" not in now["counted"]
    assert not any({"10", "31,000"} <= _values(g) for g in groups)


def test_words_that_place_a_number_earlier_key_it_apart() -> None:
    """ "Earlier this year, … killing three": another shooting than the story's two dead."""
    art = _report(
        "Two workers were killed in the shooting at the plant on Thursday. Earlier this year, "
        "a gunman at a university killed three professors.",
        "Wire A",
        day=None,
    )
    spans = {s.text: s for s in art.layer("quantities")}
    when = story_time([art])
    assert time_of(art, spans["three"], when) == EARLIER
    assert time_of(art, spans["Two"], when) is None


def test_the_story_time_comes_from_publication_else_from_full_dates() -> None:
    dated = _report("Ten people died on Sunday.", "Wire A", day=date(2005, 11, 28))
    undated = _report(
        "Ten people died on November 27, 2005, a year after a flood in 2004 killed 40.",
        "Wire B",
        day=None,
    )
    assert story_time([dated, undated]) == (2005, 11)
    assert story_time([undated]) == (2005, 11)  # the full date outweighs the bare year
    spans = {s.text: s for s in undated.layer("quantities")}
    assert time_of(undated, spans["40"], (2005, 11)) == "2004"


def test_a_month_is_earlier_from_two_months_before_the_story() -> None:
    """ "In February 2005, a quake … killed 612" in a November 2005 report is another quake;
    "in October" may still be the story's own; a month without a year counts back from the
    story's month."""
    texts = {
        "feb": "In February 2005, a quake in the town of Zarand killed 612 people.",
        "oct": "In October 2005, a quake in the town of Zarand killed 612 people.",
        "yearless": "In February, a quake in the town of Zarand killed 612 people.",
        "december": "In December, a quake in the town of Zarand killed 612 people.",
    }
    arts = {k: _report(t, "Wire A") for k, t in texts.items()}
    times = {k: time_of(a, a.layer("quantities")[0], (2005, 11)) for k, a in arts.items()}
    assert times == {"feb": "2005-02", "oct": None, "yearless": EARLIER, "december": EARLIER}
    december = arts["december"]
    assert time_of(december, december.layer("quantities")[0], (2006, 1)) is None


def test_a_sentence_that_goes_on_with_it_is_dated_by_the_one_before() -> None:
    """ "The last major quake hit Zarand in February. It killed 612 people." — but a sentence
    that names its own subject is not dated by its neighbour."""
    art = _report(
        "The last major quake hit the town of Zarand in February. It killed 612 people. "
        "Rescuers found 14 survivors in the rubble on Sunday.",
        "Wire A",
    )
    spans = {s.text: s for s in art.layer("quantities")}
    assert time_of(art, spans["612"], (2005, 11)) == EARLIER
    assert time_of(art, spans["14"], (2005, 11)) is None


def test_a_sentence_that_dates_itself_is_not_dated_by_the_one_before() -> None:
    art = _report("Last year, 40 people died in the floods. This year, 10 people died.", "Wire A")
    spans = {s.text: s for s in art.layer("quantities")}
    assert time_of(art, spans["40"], (2005, 11)) == EARLIER
    assert time_of(art, spans["10"], (2005, 11)) is None
