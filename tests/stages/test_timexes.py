"""The timex stage: patterns, normalisation and anchoring, on hand-written sentences."""

from __future__ import annotations

from datetime import date

import pytest

from presslens.model import Article, Published
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.timexes import find_timexes, make_timexes_stage

ANCHOR = date(2021, 3, 1)  # a Monday


def _values(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str, str]]:
    return [(text[t.start : t.end], t.type, t.value) for t in find_timexes(text, anchor)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He was arrested in 2010.", ("2010", "DATE", "2010")),
        ("It opened on March 1, 2011.", ("March 1, 2011", "DATE", "2011-03-01")),
        ("It opened on 9 May 2019.", ("9 May 2019", "DATE", "2019-05-09")),
        ("The deadline is 2021-03-15.", ("2021-03-15", "DATE", "2021-03-15")),
        ("He got seven years in prison.", ("seven years", "DURATION", "P7Y")),
        ("The talks lasted three hours.", ("three hours", "DURATION", "PT3H")),
        ("Sales fell last year.", ("last year", "DATE", "2020")),
        ("Prices rose last month.", ("last month", "DATE", "2021-02")),
        ("The plant opened two years ago.", ("two years ago", "DATE", "2019")),
        ("Police have in recent years aborted plots.", ("in recent years", "DATE", "PAST_REF")),
        ("The vote was held on Sunday.", ("Sunday", "DATE", "2021-02-28")),
        ("The vote will be held on Sunday.", ("Sunday", "DATE", "2021-03-07")),
        ("The office opens yesterday?", ("yesterday", "DATE", "2021-02-28")),
        ("Prices are now higher.", ("now", "DATE", "PRESENT_REF")),
        ("The board meets every month.", ("every month", "SET", "P1M")),
        ("It is published weekly.", ("weekly", "SET", "P1W")),
        ("Profit rose in the third quarter.", ("the third quarter", "DATE", "2020-Q3")),
        ("It happened in the 1990s.", ("the 1990s", "DATE", "199X")),
        ("They met at 10:30 a.m. on Friday.", ("10:30 a.m. on Friday", "TIME", "2021-02-26T10:30")),
        ("It starts at 6 p.m. today.", ("6 p.m. today", "TIME", "2021-03-01T18:00")),
    ],
)
def test_patterns_normalise_like_timex3(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _values(text)


def test_relative_expressions_are_anchored_and_flagged() -> None:
    (t,) = find_timexes("Sales fell last year.", ANCHOR)
    assert t.anchored is True
    (t,) = find_timexes("He was arrested in 2010.", ANCHOR)
    assert t.anchored is False


def test_without_an_anchor_relative_values_stay_unknown() -> None:
    assert _values("Sales fell last year.", None) == [("last year", "DATE", "XXXX")]


def test_extent_leaves_out_the_preposition() -> None:
    assert _values("It has grown since 2002.") == [("2002", "DATE", "2002")]


def test_ages_and_amounts_are_not_years() -> None:
    assert _values("The 44-year-old paid $2010 for 2,009 shares.") == []


def test_stage_writes_the_layer_with_the_article_date(spacy_stage: StageFn) -> None:
    art = Article(
        text="Hajib was arrested in 2010 and sentenced last year to seven years.",
        published=Published(date=ANCHOR, source="header"),
    )
    make_timexes_stage(Settings())(spacy_stage([art]))
    spans = art.layers["timexes"]
    assert [(s.text, s.attrs["value"]) for s in spans] == [
        ("2010", "2010"),
        ("last year", "2020"),
        ("seven years", "P7Y"),
    ]
    assert all(s.label == s.attrs["type"] for s in spans)
    art.check()


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("two years", "P2Y"),
        ("less than 48 hours", "PT48H"),
        ("six-hour", "PT6H"),
        ("more than a week", "P1W"),
        ("thirty years", "P30Y"),
    ],
)
def test_duration_phrases_from_the_parser_are_durations_not_dates(phrase: str, value: str) -> None:
    from presslens.stages.timexes import _fallback

    assert _fallback(phrase, date(2026, 3, 14)) == ("DURATION", value)
