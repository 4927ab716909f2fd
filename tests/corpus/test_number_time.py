"""Numbers about earlier events are keyed with their time: a story's toll does not meet the
toll of a quake years before, which two outlets' recollections of it still share. Hand-written
reports, real pipeline."""

from __future__ import annotations

from datetime import date

from presslens.api import analyze
from presslens.corpus.compare import number_groups
from presslens.corpus.number_time import EARLIER, reference_year, time_of
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
    year = reference_year([art])
    assert time_of(art, spans["three"], year) == EARLIER
    assert time_of(art, spans["Two"], year) is None


def test_the_story_year_comes_from_publication_else_from_full_dates() -> None:
    dated = _report("Ten people died on Sunday.", "Wire A", day=date(2005, 11, 28))
    undated = _report(
        "Ten people died on November 27, 2005, a year after a flood in 2004 killed 40.",
        "Wire B",
        day=None,
    )
    assert reference_year([dated, undated]) == 2005
    assert reference_year([undated]) == 2005  # the full date outweighs the bare year
    spans = {s.text: s for s in undated.layer("quantities")}
    assert time_of(undated, spans["40"], 2005) == "2004"
