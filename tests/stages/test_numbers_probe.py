"""Numbers and dates found wrong by probing: year-like counts, time links across clauses,
dozens, fractions, shares, scores, identifiers, rates before "ago", and weekday direction."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from presslens.model import Article

#: A Wednesday, as in the probe articles.
WEDNESDAY = date(2023, 5, 10)

Analyse = Callable[[str], Article]


@pytest.fixture(scope="module")
def analyse(analyse_on: Callable[..., Article]) -> Analyse:
    return functools.partial(analyse_on, day=WEDNESDAY)


def _quantities(art: Article) -> list[dict[str, Any]]:
    rows = []
    for s in art.layer("quantities"):
        row = dict(s.attrs, text=s.text, kind=s.label)
        if row.get("counted"):
            row["counted"] = art.text[row["counted"][0] : row["counted"][1]]
        rows.append(row)
    return rows


def _timexes(art: Article) -> list[tuple[str, str]]:
    return [(t.text, t.attrs["value"]) for t in art.layer("timexes")]


@pytest.mark.parametrize(
    ("text", "value", "counted"),
    [
        ("Some 2000 people attended the rally.", 2000, "people"),
        ("Police said 2000 protesters gathered.", 2000, "protesters"),
        ("Nearly 1990 people signed.", 1990, "people"),
    ],
)
def test_a_year_like_count_is_a_quantity_not_a_date(
    analyse: Analyse, text: str, value: int, counted: str
) -> None:
    art = analyse(text)
    assert _timexes(art) == []
    assert [(q["value"], q["counted"]) for q in _quantities(art)] == [(value, counted)]


@pytest.mark.parametrize(
    "text",
    [
        "Profits were above 1988 levels.",
        "In the 2000 elections, turnout fell.",
        "Around 1990, the firm moved.",
    ],
)
def test_years_before_other_nouns_stay_years(analyse: Analyse, text: str) -> None:
    assert len(analyse(text).layer("timexes")) == 1


def test_a_date_in_a_relative_clause_does_not_date_the_main_clause(analyse: Analyse) -> None:
    art = analyse(
        "The central bank, which was founded in 1962, said it would hold its rate at 4.5 percent."
    )
    (q,) = _quantities(art)
    assert (q["value"], q["time"]) == (4.5, None)


def test_a_date_in_the_quantity_clause_still_dates_it(analyse: Analyse) -> None:
    (q,) = _quantities(analyse("The city lost 900 jobs in 2021."))
    assert q["time"] is not None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Two dozen schools remain closed.", 24),
        ("Three dozen shops were looted.", 36),
        ("A dozen cars burned.", 12),
    ],
)
def test_dozens_multiply(analyse: Analyse, text: str, value: int) -> None:
    assert [q["value"] for q in _quantities(analyse(text))] == [value]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Officials said three-quarters of the applications were rejected.", 0.75),
        ("A quarter of the staff left.", 0.25),
        ("Two-thirds of voters agreed.", 0.666667),
        ("One in five voters said they would switch parties.", 0.2),
        ("Nine out of 10 doctors agree.", 0.9),
    ],
)
def test_fractions_and_shares_are_one_fraction(analyse: Analyse, text: str, value: float) -> None:
    rows = _quantities(analyse(text))
    assert [(q["value"], q["kind"]) for q in rows] == [(value, "fraction")]


def test_a_score_is_not_a_range(analyse: Analyse) -> None:
    (q,) = _quantities(analyse("The court ruled 5-4 on Friday."))
    assert (q["kind"], q["score"], q["low"], q["high"], q["value"]) == ("score", [5, 4], 4, 5, None)


def test_a_falling_from_to_range_is_ordered(analyse: Analyse) -> None:
    (q,) = _quantities(analyse("Unemployment fell from 18 to 12 percent."))
    assert (q["low"], q["high"]) == (12, 18)


@pytest.mark.parametrize(
    "text",
    [
        "Residents can call the hotline on 0800 555 123 for help.",
        "The case number is 2023-4471.",
        "Call +44 20 7946 0958 for details.",
    ],
)
def test_phone_and_case_numbers_are_identifiers(analyse: Analyse, text: str) -> None:
    assert _quantities(analyse(text)) == []


def test_a_percentage_before_a_year_ago_is_no_rate(analyse: Analyse) -> None:
    rows = _quantities(analyse("Unemployment is 11 percent, compared with 8 percent a year ago."))
    assert [(q["text"], q["unit"]) for q in rows] == [
        ("11 percent", "percentage"),
        ("8 percent", "percentage"),
    ]
    assert ("a year ago", "2022") in _timexes(analyse("Prices were 8 percent higher a year ago."))


def test_over_a_span_is_no_approximation_but_over_a_count_is(analyse: Analyse) -> None:
    rows = _quantities(analyse("The project will cost US$5 million over 10 years."))
    assert [(q["text"], q["approx"]) for q in rows][-1] == ("10 years", None)
    rows = _quantities(analyse("He has worked there for over 10 years."))
    assert [(q["value"], q["approx"]) for q in rows] == [(10, "more than")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the parser hangs "on Tuesday" on "close"; after "said" it is when it was said
        (
            "The company said on Tuesday it would close the plant on Friday.",
            ("Tuesday", "2023-05-09"),
        ),
        ("The minister announced Tuesday that taxes will rise.", ("Tuesday", "2023-05-09")),
        # a deadline with a present copula lies ahead; with a past one it is past
        ("A new inspection is due on Thursday.", ("Thursday", "2023-05-11")),
        ("The report was due Thursday.", ("Thursday", "2023-05-04")),
    ],
)
def test_weekday_direction_after_reporting_verbs_and_deadlines(
    analyse: Analyse, text: str, expected: tuple[str, str]
) -> None:
    assert expected in _timexes(analyse(text))
