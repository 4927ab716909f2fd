"""The timex stage: patterns, normalisation and anchoring, on hand-written sentences."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from presslens.model import Article, Published
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.timexes import TimexOptions, find_timexes, make_timexes_stage

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
        ("Police have in recent years aborted plots.", ("recent years", "DATE", "PAST_REF")),
        ("The vote was held on Sunday.", ("Sunday", "DATE", "2021-02-28")),
        ("The vote will be held on Sunday.", ("Sunday", "DATE", "2021-03-07")),
        ("The office opens yesterday?", ("yesterday", "DATE", "2021-02-28")),
        ("Prices are now higher.", ("now", "DATE", "PRESENT_REF")),
        ("The board meets every month.", ("every month", "SET", "P1M")),
        ("It is published weekly.", ("weekly", "SET", "P1W")),
        ("Profit rose in the third quarter.", ("the third quarter", "DATE", "2020-Q3")),
        ("It happened in the 1990s.", ("the 1990s", "DATE", "199")),
        ("They met at 10:30 a.m. on Friday.", ("10:30 a.m. on Friday", "TIME", "2021-02-26T10:30")),
        ("It starts at 6 p.m. today.", ("6 p.m. today", "TIME", "2021-03-01T18:00")),
        # abbreviated months without a full stop, before a day: a date line's "Mar 5, 2009"
        # (its day was read as a count of "Mar")
        ("Mar 5, 2009", ("Mar 5, 2009", "DATE", "2009-03-05")),
        ("It closed on Jun 12, 2010.", ("Jun 12, 2010", "DATE", "2010-06-12")),
        ("It opened on Sep 3, 2019.", ("Sep 3, 2019", "DATE", "2019-09-03")),
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


def _parsed(spacy_stage: StageFn, text: str, **options: Any) -> list[tuple[str, str, str]]:
    (art,) = spacy_stage([Article(text=text)])
    found = find_timexes(text, ANCHOR, doc=art._doc, options=TimexOptions(**options))
    return [(text[t.start : t.end], t.type, t.value) for t in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a year earlier in an earnings report is the reported quarter a year before
        (
            "Third-quarter profit rose to $5 million from $4 million a year earlier.",
            [("Third-quarter", "DATE", "2020-Q3"), ("a year earlier", "DATE", "2019-Q3")],
        ),
        # "the quarter" and "the year-ago period" refer back to the quarter named first
        (
            "Sales in the first quarter rose. In the quarter, costs fell from the year-ago period.",
            [
                ("the first quarter", "DATE", "2021-Q1"),
                ("the quarter", "DATE", "2021-Q1"),
                ("the year-ago period", "DATE", "2020-Q1"),
            ],
        ),
        # outside earnings talk a year ago is a year
        ("She moved to Paris a year ago.", [("a year ago", "DATE", "2020")]),
        # a quarter long past is history, not the reported period
        (
            "It peaked in the third quarter of 1984. Third-quarter sales fell from a year ago.",
            [
                ("the third quarter of 1984", "DATE", "1984-Q3"),
                ("Third-quarter", "DATE", "2020-Q3"),
                ("a year ago", "DATE", "2019-Q3"),
            ],
        ),
    ],
)
def test_reference_periods_of_earnings_reports(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Net income for the year ended June 30 rose.", ("the year ended", "DURATION", "P1Y")),
        ("Shares hit a high for the year in June.", ("the year", "DATE", "2021")),
        ("It was built in the 20th century.", ("the 20th century", "DATE", "19")),
        ("Prices peaked in mid-1996.", ("mid-1996", "DATE", "1996")),
        ("By the year two thousand, it had grown.", ("the year two thousand", "DATE", "2000")),
        ("It began in nineteen ninety-six.", ("nineteen ninety-six", "DATE", "1996")),
        ("It happened in the late 1970s.", ("the late 1970s", "DATE", "197")),
        ("It rained last Friday night.", ("last Friday night", "DATE", "2021-02-26")),
        ("Sales fell over the past year.", ("the past year", "DATE", "2020")),
        ("This past spring was dry.", ("This past spring", "DATE", "2020-SP")),
        ("He left in June last year.", ("June last year", "DATE", "2020-06")),
        ("In this year's third quarter it fell.", ("this year's third quarter", "DATE", "2021-Q3")),
        ("Costs rise the next three quarters.", ("the next three quarters", "DURATION", "P9M")),
        ("The deal closes in late November.", ("late November", "DATE", "2020-11")),
        ("Talks ended Monday, Oct. 26: a deadline.", ("Monday, Oct. 26", "DATE", "2020-10-26")),
    ],
)  # fmt: skip
def test_more_timex3_conventions(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _values(text)


def test_spelled_thousands_and_names_are_not_dates() -> None:
    assert _values("They paid two thousand dollars to Jan Kavan.") == []


def test_month_without_year_or_tense_prefers_the_recent_past() -> None:
    # the anchor is 2021-03-01: May is two months ahead, December three months back
    assert ("May", "DATE", "2021-05") in _values("The summit is in May.")
    assert ("December", "DATE", "2020-12") in _values("Talks began in December.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # no verb to read a tense from: a weekday in news is the last one
        ("Thursday's closing price was $5.", ("Thursday", "DATE", "2021-02-25")),
        # planning verbs point forward even in the past tense
        ("The team planned to leave on Thursday.", ("Thursday", "DATE", "2021-03-04")),
        ("The sale is scheduled to close Monday.", ("Monday", "DATE", "2021-03-01")),
        ("The firm has scheduled a news conference Thursday.", ("Thursday", "DATE", "2021-03-04")),
        ("Police arrested him on Thursday.", ("Thursday", "DATE", "2021-02-25")),
    ],
)
def test_weekday_direction_follows_the_parse(
    spacy_stage: StageFn, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _parsed(spacy_stage, text)


def test_adjectival_future_and_daily_are_not_timexes(spacy_stage: StageFn) -> None:
    found = _parsed(spacy_stage, "Future payments and daily flights were cut in the future.")
    assert found == [("the future", "DATE", "FUTURE_REF")]


def test_unnormalised_spacy_phrases_are_dropped_unless_asked(spacy_stage: StageFn) -> None:
    text = "They met on the night of the storm."
    assert _parsed(spacy_stage, text) == []
    assert ("the night", "TIME", "XXXX-XX-XX") in _parsed(spacy_stage, text, keep_unnormalised=True)


def test_durations_up_to_the_article_date_carry_a_ref(spacy_stage: StageFn) -> None:
    art = Article(
        text="Prices rose over the past two months and will fall in the next three years.",
        published=Published(date=ANCHOR, source="header"),
    )
    make_timexes_stage(Settings())(spacy_stage([art]))
    refs = [(s.text, s.attrs["value"], s.attrs.get("ref")) for s in art.layers["timexes"]]
    assert refs == [
        ("the past two months", "P2M", "PAST_REF"),
        ("the next three years", "P3Y", "FUTURE_REF"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He will be home for Thanksgiving.", ("Thanksgiving", "DATE", "2021-11-25")),
        ("They met last Thanksgiving.", ("last Thanksgiving", "DATE", "2020-11-26")),
        ("Last Christmas it snowed.", ("Last Christmas", "DATE", "2020-12-25")),
        ("The fire broke out on Christmas Eve.", ("Christmas Eve", "DATE", "2020-12-24")),
        ("The holiday is Easter Sunday.", ("Easter Sunday", "DATE", "2021-04-04")),
        ("It peaked in the winter of 1994.", ("the winter of 1994", "DATE", "1994-WI")),
        ("January nineteen ninety-seven.", ("January nineteen ninety-seven", "DATE", "1997-01")),
        ("It was a hit in the nineties.", ("the nineties", "DATE", "199")),
        ("It stood for almost a hundred years.", ("almost a hundred years", "DURATION", "P100Y")),
        ("Islam will one day be the largest.", ("one day", "DATE", "FUTURE_REF")),
        ("Earnings fell in the last half of 1989.", ("the last half of 1989", "DATE", "1989-H2")),
        ("Sales rise in the first half of 1990.", ("the first half of 1990", "DATE", "1990-H1")),
        ("It boomed in the last half of the '80s.", ("the last half of the '80s", "DATE", "198")),
        ("It opened at the then current price.", ("then current", "DATE", "PAST_REF")),
        ("Talks go on in the weeks ahead.", ("the weeks ahead", "DURATION", "PXW")),
        ("The best idea of the past century.", ("the past century", "DURATION", "P100Y")),
        ("Feuds went on for decades.", ("decades", "DURATION", "PXY")),
        ("It will be paid at a later date.", ("a later date", "DATE", "FUTURE_REF")),
        ("The summit is on April 24 and 25.", ("25", "DATE", "2021-04-25")),
        ("They met Oct. 5-6, 1999, in Rome.", ("6, 1999", "DATE", "1999-10-06")),
        ("They met Oct. 5-6, 1999, in Rome.", ("Oct. 5", "DATE", "1999-10-05")),
        ("The deal runs an additional year.", ("an additional year", "DURATION", "P1Y")),
        ("The current system works.", ("current", "DATE", "PRESENT_REF")),
        ("It hit at 10:35 a.m. (0735 GMT) Friday.", ("10:35 a.m.", "TIME", "2021-02-26T10:35")),
    ],
)  # fmt: skip
def test_holidays_spelled_years_and_deictic_adjectives(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _values(text)


@pytest.mark.parametrize(
    "text",
    [
        "Iraq imports about three-quarters of its food.",
        "Funds hold more than a quarter of the market.",
        "Protesters joined the annual March for Life.",
        "Police broke up this march in the capital.",
        "Its current account deficit grew.",
        "For Poland, high noon comes today, he said of High Noon."[:26],
    ],
)
def test_fractions_names_and_nouns_are_not_timexes(text: str) -> None:
    assert _values(text) == []


def test_a_range_ending_in_a_clock_time_has_no_second_day() -> None:
    assert [v for v in _values("Polls open May 3 to 5 p.m.") if v[1] == "DATE"] == [
        ("May 3", "DATE", "2021-05-03")
    ]


def test_quarters_of_a_period_stay_durations() -> None:
    found = _values("It made money after several quarters of losses.")
    assert found == [("several quarters", "DURATION", "PXM")]


def test_that_year_takes_the_last_date_mentioned() -> None:
    text = "She fled in June 1998 and returned later that year. That day nothing happened."
    assert _values(text) == [
        ("June 1998", "DATE", "1998-06"),
        ("later that year", "DATE", "1998"),
    ]  # "That day": the last date is a month, too coarse for a day, so it is dropped


def test_holidays_without_an_anchor_keep_their_month() -> None:
    assert _values("They met at Christmas.", None) == [("Christmas", "DATE", "XXXX-12-XX")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Unisys will save $500 million a year in costs.", ("a year", "SET", "P1Y")),
        ("The airline flies four flights a week to Bombay.", ("a week", "SET", "P1W")),
        ("They meet twice a week.", ("a week", "SET", "P1W")),
        ("The strike lasted a week.", ("a week", "DURATION", "P1W")),
    ],
)
def test_rates_are_sets_and_spans_are_durations(
    spacy_stage: StageFn, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _parsed(spacy_stage, text)


def test_a_second_as_an_ordinal_is_not_a_duration(spacy_stage: StageFn) -> None:
    assert _parsed(spacy_stage, "A second group of directors resigned.") == []
    assert ("a second", "DURATION", "PT1S") in _parsed(spacy_stage, "It lasted a second.")


@pytest.mark.parametrize(
    ("name", "year", "day"),
    [
        ("Easter", 2000, date(2000, 4, 23)),
        ("Easter", 2024, date(2024, 3, 31)),
        ("Good Friday", 2019, date(2019, 4, 19)),
        ("Thanksgiving", 1999, date(1999, 11, 25)),
        ("Labor Day", 2021, date(2021, 9, 6)),
        ("Memorial Day", 2021, date(2021, 5, 31)),
        ("New Year’s Eve", 2021, date(2021, 12, 31)),
    ],
)
def test_holiday_dates(name: str, year: int, day: date) -> None:
    from presslens.stages.timex_holidays import holiday_date

    assert holiday_date(name, year) == day


def test_place_names_are_not_holidays() -> None:
    assert _values("Flights to Christmas Island resumed.") == []


def test_rule_triggers_are_in_every_match() -> None:
    """A rule skipped for lack of its trigger words must never have matched that text."""
    from presslens.stages.timexes import _COMPILED, _TRIGGERS

    text = (
        "Since Christmas Eve and last Thanksgiving, the current board met that year, another "
        "year, in the weeks ahead and at a later date; the nineties, noon, the first half of "
        "1990, the 20th century, nineteen ninety-six, the third quarter, this year's first "
        "quarter, the quarter, the 1988 period, the latest period, a year earlier, mid-1996, "
        "tonight, daily, 10 a.m., 14:30 GMT, the full year, fiscal 1990, recent years, several "
        "days, at 4 in the morning."
    )
    rules = dict(_COMPILED)
    for rule, words in _TRIGGERS.items():
        matches = list(rules[rule].finditer(text))
        assert matches, rule
        for m in matches:
            assert any(w in m.group(0).lower() for w in words), (rule, m.group(0))


def test_a_clock_time_takes_the_day_of_its_aside() -> None:
    text = "He will leave at 4 in the morning (4 a.m. EDT Thursday), Castro said."
    (outer, inner) = _values(text)
    assert outer[:2] == ("4 in the morning", "TIME")
    assert outer[2].endswith("T04:00") and outer[2][:10] == inner[2][:10]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Castro spoke Friday evening.", ("Friday evening", "TIME", "2021-02-26TEV")),
        ("Castro spoke Friday night.", ("Friday night", "DATE", "2021-02-26")),
        ("He was shot last Oct. 23 at his home.", ("Oct. 23", "DATE", "2020-10-23")),
        ("Women's Day is this coming Sunday, March eighth.", ("Sunday, March eighth", "DATE",
                                                             "2021-03-08")),
        ("Concerns grew in recent months.", ("recent months", "DURATION", "PXM")),
        ("Police have in recent years aborted plots.", ("recent years", "DATE", "PAST_REF")),
        ("Today, prices rose.", ("Today", "DATE", "2021-03-01")),
        ("Sales rose 5% this year-to-date.", ("this year", "DATE", "2021")),
    ],
)  # fmt: skip
def test_v4_conventions(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _values(text)


@pytest.mark.parametrize(
    "text",
    [
        "He told USA Today and CBS's ``60 Minutes'' about it.",
        "This is VOA Today.",
        "The quarter-to-quarter comparison was enhanced by charges.",
    ],
)
def test_titles_and_compound_adjectives_are_not_timexes(text: str) -> None:
    assert _values(text) == []


def test_recent_weeks_are_a_duration_up_to_the_article_date() -> None:
    (t,) = find_timexes("Prices fell in recent weeks.", ANCHOR)
    assert (t.type, t.value, t.ref) == ("DURATION", "PXW", "PAST_REF")


def test_days_counted_from_an_event_are_not_emitted(spacy_stage: StageFn) -> None:
    found = _parsed(
        spacy_stage, "His car was seen in the neighborhood in the days before the slaying."
    )
    assert not any("days" in surface for surface, _, _ in found)


def test_coordinated_vague_durations_are_one_timex(spacy_stage: StageFn) -> None:
    found = _parsed(spacy_stage, "He probably died within weeks or months of his capture.")
    assert ("weeks or months", "DURATION", "PXW") in found
    assert not any(surface == "months" for surface, _, _ in found)


def test_numbers_with_thousands_separators_are_whole() -> None:
    """ "9,000 years" was read as "000 years" (P0Y), and "2,000 years from now" as this year."""
    found = _values("In 9,000 years, or 2,000 years from now.")
    assert ("9,000 years", "DURATION", "P9000Y") in found
    assert ("2,000 years from now", "DATE", str(ANCHOR.year + 2000)) in found
    assert ("1,500 days ago", "DATE", "2017-01-21") in _values("It began 1,500 days ago.")


@pytest.mark.parametrize("anchor", [date(9999, 12, 31), date(9999, 12, 25), date(1, 1, 1)])
def test_anchor_at_the_calendar_edge_resolves_what_it_can(anchor: date) -> None:
    """Date arithmetic past year 9999 or before year 1 raised OverflowError and the article
    was skipped; such an expression is now resolved as in an undated article."""
    text = (
        "On Monday the board met. Next week, next year and last Friday it meets again; "
        "tomorrow and yesterday too, three days later, next Christmas and the 31st."
    )
    art = Article(text=text, source="<test>", published=Published(date=anchor, source="test"))
    make_timexes_stage(Settings())([art])
    surfaces = {s.text for s in art.layer("timexes")}
    assert {"Monday", "Next week", "tomorrow", "yesterday"} <= surfaces
    art.check()


# -- dateparser only where it can date a phrase --------------------------------------------
def _pipeline_timexes(text: str, day: date | None) -> list[tuple[str, str]]:
    from presslens.api import analyze

    art = analyze(text if day is None else f"date: {day.isoformat()}\n\n{text}")
    art.check()
    assert (art.published.date if art.published else None) == day
    return [(t.text, t.attrs["value"]) for t in art.layer("timexes")]


@pytest.mark.parametrize("day", [None, ANCHOR])
def test_lengths_of_time_and_idioms_are_no_dates(day: date | None) -> None:
    """dateparser read "the 11th hour" and "7 ½ minutes" as a day before publication (an
    undated article's "the 11th hour" was 1999-12-31 on its entity's timeline)."""
    found = _pipeline_timexes(
        "At the 11th hour, the singer pulled out of the deal. The fire was put out in "
        "7 ½ minutes, and crews left on the 5th.",
        day,
    )
    assert not [v for _, v in found if v[:1].isdigit()], found


def test_an_undated_article_gets_no_made_up_dates() -> None:
    found = dict(_pipeline_timexes("It ended at 10 p.m. on the night of the 12th.", None))
    assert all(not v[:1].isdigit() for v in found.values()), found
    dated = dict(_pipeline_timexes("Police said the attack happened on March 3, 2019.", None))
    assert "2019-03-03" in dated.values()  # a date with its year needs no anchor


def test_a_lower_case_mar_before_a_number_is_no_month() -> None:
    """ "mar" is also a verb: only the capitalised abbreviation before a day is a month."""
    assert _values("Injuries could mar 5 of the games.") == []
