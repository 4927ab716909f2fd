"""Time expressions, TIMEX3-style (layer ``timexes``).

Candidates come from precompiled patterns (dates, weekdays, deictic words, "last year",
durations, sets, clock times) and from spaCy's DATE/TIME entities that no pattern covered.
Each candidate is normalised to a TIMEX3 ``type`` (DATE, TIME, DURATION, SET) and ``value``
("2010", "2021-03-01", "1998-W32", "P7Y", "PAST_REF", "XXXX-WXX-1"), relative expressions
anchored on the article's publication date (``anchored`` is true when the value used it).
``dateparser`` is called only on spaCy candidates no pattern could normalise, and cached;
spaCy phrases nothing normalises are dropped unless ``keep_unnormalised`` is set.

Direction comes from the tense of the governing verb (``timex_context``: "said Friday" is the
last Friday, "planned to leave Friday" the next); earnings reports' reference quarter ("a year
earlier", "the quarter") is resolved in a second pass (``timex_refs``), anaphoric expressions
("later that year", "the following month") from the last date named (``timex_anaphora``);
holidays have their own dates (``timex_holidays``); the parse turns rates into sets ("$5
million a year") and drops ordinals ("a second group", ``timex_syntax``). Durations that end or
start at the anchor ("the past two months") get ``ref`` = PAST_REF / FUTURE_REF. A rule runs
only on texts holding one of its trigger words (``_TRIGGERS``). Coordinated vague durations
("weeks or months") are one expression; titles ("USA Today") and comparisons
("quarter-to-quarter") are none.

Extents follow the TempEval-3 conventions: leading prepositions ("in", "since", "on") are
left out; determiners and modifiers that are part of the expression ("the past two months",
"nearly forty years", "early next week", "two years ago") are kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any

from presslens.lexicons_numbers import (
    COUNT_CUES,
    COUNT_NOUNS,
    COUNT_SUFFIXES,
    DURATION_UNITS,
    MONTHS,
    NUMBER_WORDS,
    PARTS_OF_DAY,
    REF_WORDS,
    SEASONS,
    WEAK_COUNT_CUES,
    WEEKDAYS,
    YEAR_NOUNS,
)
from presslens.model import Article
from presslens.registry import StageFn, stage
from presslens.settings import Settings
from presslens.stages.timex_anaphora import placeholder, resolve_anaphora
from presslens.stages.timex_context import tense_finder
from presslens.stages.timex_holidays import (
    HOLIDAY_PATTERN,
    HOLIDAY_WORDS,
    holiday_date,
    holiday_month,
)
from presslens.stages.timex_refs import resolve_reference_periods
from presslens.stages.timex_syntax import fix_rates_and_ordinals

__all__ = [
    "Timex",
    "TimexOptions",
    "find_timexes",
    "make_timexes_stage",
    "timex_spans",
    "year_is_count",
]

TYPES = ("DATE", "TIME", "DURATION", "SET")

#: Years outside this range are not read as bare years ("in 1850" yes, "in 3000" no).
YEAR_MIN, YEAR_MAX = 1800, 2099
#: A month named without a year or tense is read as coming if at most this many months ahead
#: of the article date, else as past (on TBAQ train: 4 of 5 mentions 5 months ahead or more
#: of the anchor were in the past).
MONTHS_AHEAD = 4
#: Characters searched to the left of a date for modifiers ("early", "the end of").
MODIFIER_WINDOW = 24


@dataclass(frozen=True)
class TimexOptions:
    """Options of :func:`find_timexes` (the stage's config options, same names)."""

    use_spacy: bool = True
    use_dateparser: bool = True
    #: Keep spaCy DATE/TIME phrases no rule could normalise, with value ``XXXX-XX-XX``. Off by
    #: default: such a value dates nothing, and on TempEval-3 TBAQ train most of these phrases
    #: ("the day", "the night of", "that day") were not annotated at all.
    keep_unnormalised: bool = False


@dataclass
class Timex:
    start: int
    end: int
    type: str
    value: str
    anchored: bool = False
    rule: str = ""
    ref: str = ""  # PAST_REF / FUTURE_REF for a duration that ends / starts at the anchor


@stage("presslens.timexes.v1", requires=("doc", "sentences"), assigns=("timexes",))
def make_timexes_stage(settings: Settings, **options: Any) -> StageFn:
    """Dates, times, durations and sets, TIMEX3-normalised and anchored on the article date."""
    opts = TimexOptions(**options)

    def run(articles: list[Article]) -> list[Article]:
        for art in articles:
            timex_spans(art, options=opts)
        return articles

    return run


def timex_spans(art: Article, *, options: TimexOptions = TimexOptions()) -> None:
    """Fill ``art.layers["timexes"]`` from the text and the spaCy Doc (if any)."""
    anchor = art.published.date if art.published else None
    try:
        found = find_timexes(art.text, anchor, doc=art._doc, options=options)
    except (OverflowError, ValueError):
        if anchor is None:
            raise
        # Date arithmetic ran past year 1 or 9999 from this anchor (a placeholder date
        # such as 9999-12-31): the article's expressions are resolved as if it were undated.
        found = find_timexes(art.text, None, doc=art._doc, options=options)
    spans = []
    for t in found:
        extra = {"ref": t.ref} if t.ref else {}
        spans.append(
            art.span(
                t.start, t.end, t.type, type=t.type, value=t.value, anchored=t.anchored, **extra
            )
        )
    art.layers["timexes"] = spans


# -- patterns ----------------------------------------------------------------------------------

_NUM_WORDS = sorted(NUMBER_WORDS, key=len, reverse=True)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUM = (
    rf"(?:(?:{_TENS})[- ](?:one|two|three|four|five|six|seven|eight|nine)"
    rf"|(?:a|one|two|three|four|five|six|seven|eight|nine)\s+(?:hundred|thousand)"
    rf"|{'|'.join(_NUM_WORDS)}|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|a|an|a\s+few|few|several|many|some|a\s+couple\s+of)"
)
_UNIT = (
    r"(?:years?|yrs?|months?|weeks?|days?|decades?|centur(?:y|ies)|quarters?|hours?|minutes?"
    r"|seconds?|weekends?)"
)
_MON = (
    r"(?:Jan(?:uary|\.|(?=\s+\d))|Feb(?:ruary|\.)?|March|Mar(?:\.|(?=\s+\d))|April"
    r"|Apr(?:\.|(?=\s+\d))|May|June|Jun(?:\.|(?=\s+\d))|July|Jul(?:\.|(?=\s+\d))"
    r"|August|Aug\.?|Sept(?:ember|\.)?|Sep(?:\.|(?=\s+\d))|Oct(?:ober|\.)?"
    r"|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
#: Spelled ordinal days, as broadcast transcripts write them ("March eighth", "May twenty-first").
_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
)
_ORDINAL_DAYS = {w: i + 1 for i, w in enumerate(_ORDINALS.split(" "))}
_ORDINAL_DAYS.update({f"twenty-{w}": 20 + n for w, n in list(_ORDINAL_DAYS.items())[:9]})
_ORDINAL_DAYS.update({"thirtieth": 30, "thirty-first": 31})
_SPELLED_DAY = "|".join(
    w.replace("-", "[- ]") for w in sorted(_ORDINAL_DAYS, key=len, reverse=True)
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:morning|afternoon|evening|night)"
_QMOD = (
    r"(?:(?:nearly|almost|about|around|more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to"
    r"|over|roughly|approximately|only|just|some|another|an?\s+additional)\s+)?"
)
_REL = r"(?:last|this|next|previous|current|coming|following|past)"
_GRAN = r"(?:week|month|year|quarter|weekend|decade|century|spring|summer|fall|autumn|winter)"

_F = re.IGNORECASE
_REF_WORDS = "|".join(map(re.escape, sorted(REF_WORDS, key=len, reverse=True)))

# (rule, pattern, flags). Earlier rules win ties of equal length.
_RULES: list[tuple[str, str, int]] = [
    ("iso", r"\b(\d{4})-(\d{2})-(\d{2})\b", 0),
    ("slash", r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b", 0),
    ("mdy", rf"\b(?:{_WD},?\s+)?({_MON})\s+({_DAY}),?\s+({_YEAR})\b", 0),
    ("dmy", rf"\b(?:{_WD},?\s+)?({_DAY})\s+({_MON}),?\s+({_YEAR})\b", 0),
    ("my", rf"\b({_MON}),?\s+(?:of\s+)?({_YEAR})\b", 0),
    (
        "periodyear",
        rf"\b({_MON}|(?:the\s+)?(?:[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)),?\s+(?:of\s+)?"
        rf"({_YEAR}|nineteen\s+(?:{_TENS})(?:[\s-](?:one|two|three|four|five|six|seven|eight"
        rf"|nine))?)\b",
        0,
    ),
    ("monrel", rf"\b({_MON})\s+(last|this|next)\s+year\b", 0),
    (
        "yearsquarter",
        r"\b(last|this|next)\s+year['’]s\s+(?:(first|second|third|fourth)[\s-])?quarter\b",
        _F,
    ),
    (
        "md",
        rf"\b(?:{_WD},?\s+)?({_MON})\s+({_DAY}|{_SPELLED_DAY})\b(?!:\d|[- ]quarter)",
        0,
    ),  # not "June first-quarter"
    ("dm", rf"\b(?:{_WD},?\s+)?({_DAY})\s+(?:of\s+)?({_MON})\b", 0),
    (
        "relmon",
        rf"\b((?i:last|this|next|early|late))\s+({_MON})\b(?!\.?\s+\d)",
        0,
    ),  # not "this march" (month names are case-sensitive), nor "last Oct. 23" (md's)
    ("month", rf"(?<![\w.])({_MON})(?![\w-])", 0),
    (
        "decade",
        r"(?:\b(?:the\s+)?(?:mid-|early\s+|late\s+)?(1[89]\d|20\d)0'?s\b"
        r"|\bthe\s+(?:mid-|early\s+|late\s+)?['’]([1-9])0s\b)",  # "the '80s"
        _F,
    ),
    (
        "decadeword",
        r"\bthe\s+(?:early\s+|late\s+|mid-)?(twenties|thirties|forties|fifties|sixties|seventies"
        r"|eighties|nineties)\b",
        _F,
    ),
    ("fiscal", rf"\b(?:fiscal(?:\s+year)?\s+)({_YEAR})\b", _F),
    (
        "half",
        r"\b(?:the\s+)?(first|second|last|latter)\s+half(?:\s+of\s+(?:the\s+year|(\d{4})))?\b",
        _F,
    ),  # before "year": "the first half of 1990" is 1990-H1
    ("year", rf"(?<![\w$€£.,/-])({_YEAR})(?![\w%/-]|[.,]\d)", 0),
    (
        "quarter",
        rf"\b(?:the\s+)?(?:({_YEAR})\s+)?(?:fiscal\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)"
        rf"[\s-]quarter(?:\s+of\s+({_YEAR}))?\b",
        _F,
    ),
    (
        "weekday",
        rf"\b(?:(last|this|next|early|late|earlier|later)\s+)?({_WD})(s?)(?:\s+({_PART}))?\b",
        _F,
    ),
    ("partofday", rf"\b(this|yesterday|tomorrow|last|tonight|the)\s+({_PART})\b", _F),
    ("tonight", r"\b(tonight|overnight)\b", _F),
    ("today", r"\b(today|yesterday|tomorrow)\b", _F),
    (
        "clock",
        r"\b(\d{1,2})(?:[:.](\d\d))?\s*(a\.m\.?|p\.m\.?|am\b|pm\b)"
        r"(?:\s+(?:EST|EDT|GMT|PST|PDT|CST|CDT|UTC|ET|PT|local\s+time))?",
        _F,
    ),
    (
        "clockpart",
        r"\b(1[0-2]|[1-9])(?::([0-5]\d))?\s+(?:o['’]clock\s+)?in\s+the\s+(morning|afternoon|evening)\b",
        _F,
    ),  # "4 in the morning"
    ("clock24", r"\b([01]?\d|2[0-3]):([0-5]\d)\s*(?:GMT|UTC|hours|hrs)\b", _F),
    ("noon", r"(?<!high )(?<!High )\b(noon|midnight|midday)\b", _F),  # not "high noon"
    (
        "reldate",
        rf"\b(?:(early|late|earlier|later)\s+)?(?:the\s+|this\s+(?=past\b))?({_REL}|same|prior|latest)\s+"
        rf"(?:fiscal\s+)?({_GRAN})\b",
        _F,
    ),
    ("thequarter", r"\b(?:the\s+)(?:latest\s+|most\s+recent\s+|fiscal\s+)?quarter\b", _F),
    (
        "theyear",
        r"\bthe\s+(full\s+|fiscal\s+|entire\s+|whole\s+)?year\b(?!['’-])(\s+end(?:ed|ing))?",
        _F,
    ),
    ("theperiod", r"\b(?:the|that)\s+(?:latest|most\s+recent|same|comparable)\s+period\b", _F),
    (
        "yearago",
        r"\b(?:the\s+)?(?:corresponding|comparable|same)\s+(?:period|quarter)\s+(?:of\s+)?last\s+year\b",
        _F,
    ),
    (
        "yearago",
        r"\b(?:the\s+)?(?:comparable\s+|corresponding\s+|same\s+)?year[- ](?:ago|earlier)"
        r"(?:\s+(?:(?:first|second|third|fourth)[\s-])?(?:period|quarter))?\b",
        _F,
    ),
    ("yearperiod", rf"\b(?:the\s+)({_YEAR})\s+(?:period|quarter)\b", _F),
    ("thepast", rf"\b(?:the\s+)(past|last|next|coming|previous|first|final)\s+({_GRAN})\b", _F),
    (
        "ago",
        rf"\b{_QMOD}({_NUM})\s+({_UNIT})\s+(ago|earlier|from\s+now|hence)\b",
        _F,
    ),
    (
        "span",
        rf"\b(?:the\s+)?(?:(past|last|next|coming|previous|first|final|latest|initial|"
        rf"remaining)\s+)?{_QMOD}({_NUM})\s+(?:more\s+|full\s+|straight\s+|consecutive\s+|"
        rf"trading\s+|business\s+|working\s+)?({_UNIT})\b",
        _F,
    ),
    ("hyphen", rf"\b({_NUM})-({_UNIT})\b(?!-old)", _F),
    (
        "bare",
        r"(?:(?<=\bfor\s)|\b(?:over\s+)?the\s+past\s+)"
        r"(years|months|weeks|days|decades)\b",
        _F,
    ),
    ("few", r"\b(several|many|a\s+few|few)\s+(years|months|weeks|days|decades|hours)\b", _F),
    ("set", rf"\b(?:every|each|per)\s+(?:other\s+)?({_GRAN}|day|hour|{_WD}|{_MON})\b", _F),
    ("setadv", r"\b(daily|weekly|monthly|annually|yearly|hourly)\b", _F),
    (
        "another",
        r"\b(?:another|an\s+additional|one\s+more|an\s+extra)\s+"
        r"(year|month|week|day|decade|quarter|hour|minute)\b",
        _F,
    ),
    ("later", r"\b(?:a\s+later\s+date|the\s+near\s+term)\b", _F),
    ("ahead", r"\b(?:the\s+)?(years|months|weeks|days|decades|quarters)\s+ahead\b", _F),
    ("ref", rf"\b({_REF_WORDS})\b", _F),
    (
        "holiday",
        rf"\b(?:((?i:last|this|next))\s+)?({HOLIDAY_PATTERN})(?:\s+(week(?:end)?))?(?![\w'’])"
        r"(?!\s+(?:Island|Islands|Rising|Offensive|Uprising)\b)",  # names, not days
        0,
    ),
    ("that", r"\bthat\s+(?:same\s+)?(year|month|week|day|quarter)\b(?!['’])", _F),
    (
        "current",
        r"\b(then[\s-])?current\b(?![\s-]+(?:account|assets?|liabilit|affairs|accounts))",
        _F,
    ),
    ("recent", rf"\b(?:recent|coming)\s+({_UNIT})\b", _F),
    ("century", r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+century\b", _F),
    ("midyear", rf"\bmid-({_YEAR})\b", _F),
    (
        "wordyear",
        r"\b(?:the\s+year\s+)?(?:(nineteen)\s+(?:(twenty|thirty|forty|fifty|sixty|seventy|eighty"
        r"|ninety)(?:[\s-](one|two|three|four|five|six|seven|eight|nine))?)"
        r"|(two\s+thousand)(?:\s+and\s+(one|two|three|four|five|six|seven|eight|nine|ten))?)\b",
        _F,
    ),
]  # fmt: skip
_COMPILED = [(name, re.compile(p, f)) for name, p, f in _RULES]
_MODIFIER = re.compile(
    r"(?:\b(?:early|late|earlier|later|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of"
    r"|the\s+start\s+of|end\s+of|the\s+(?:first|second|last|latter)\s+half\s+of)[\s-])$",
    re.IGNORECASE,
)
_AGE_AFTER = re.compile(r"^(?:-|\s)(?:years?[- ])?old\b|^\s+of\s+age\b", re.IGNORECASE)
_NOT_YEAR_BEFORE = re.compile(r"(?:\b(?:No\.|number|route|flight|model|page|room)\s*)$", _F)
_COUNT_CUE_BEFORE = re.compile(
    r"\b("
    + "|".join(c.replace(" ", r"\s+") for c in sorted(COUNT_CUES | WEAK_COUNT_CUES, key=len)[::-1])
    + r")\s+$",
    _F,
)
_DET_BEFORE = re.compile(r"\b(?:the|its|their|his|her|our|this|that|a)\s+$", _F)
_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")


def year_is_count(text: str, start: int, end: int) -> bool:
    """Is the year-like number ``text[start:end]`` ("2000") a count? It is after a cue of
    amount ("some 2000", "nearly 1990"), or before a plural noun of things counted ("2000
    people", "1990 protesters"), though not after a determiner ("the 2000 elections"); "about"
    and "around" need a plural noun too ("around 1990, the firm moved" is a year)."""
    after = _WORD_AFTER.match(text, end)
    word = after.group(1) if after else ""
    counted = word in COUNT_NOUNS or (word.endswith(COUNT_SUFFIXES) and word not in YEAR_NOUNS)
    cue = _COUNT_CUE_BEFORE.search(text, max(0, start - 20), start)
    if cue is not None:
        cue_word = " ".join(cue.group(1).lower().split())
        plural = word.endswith("s") and word not in YEAR_NOUNS
        return cue_word in COUNT_CUES or counted or plural
    return counted and _DET_BEFORE.search(text, max(0, start - 6), start) is None


#: After a month name, words that make it part of a name: "March for Life", "March on Rome".
_MONTH_AS_NAME = re.compile(r"\s+(?:of|for|on|to)\s+(?:the\s+)?[A-Z]")
#: A period after "the first half of" that names the whole ("the '80s", "the decade").
_HALF_OF_PERIOD = re.compile(
    r"\s+of\s+(?:the\s+)?(?:['’]\d0s|(?:1[89]|20)\d0s|\w+ties\b|decade|century)", re.I
)
#: A modal right before "one day" makes it "some day" ("will one day be"), not 24 hours.
_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|may|might|can|shall|should)\s+$", re.I)
#: "of" + determiner after "quarter(s)" that makes it a fraction, not three months ("a quarter
#: of the market", "three-quarters of its food"; "the first three quarters of the year" and
#: "several quarters of losses" stay periods).
_FRACTION_OF = re.compile(
    r"\s+of\s+(?:the|a|an|its|their|his|her|our|all|those|these|this|that)\s+"
    r"(?!(?:fiscal\s+|calendar\s+|current\s+|same\s+)?year\b)",
    re.IGNORECASE,
)
_MAY_OK_BEFORE = re.compile(r"\b(?:in|since|until|by|last|next|this|early|late|of|mid-|from)\s+$")
_TEMPORAL_WORD = re.compile(
    r"\b(?:year|month|week|day|quarter|century|decade|period|season|spring|summer|autumn|fall"
    r"|winter|morning|afternoon|evening|night|hour|minute|weekend|time|date|\d{4})s?\b",
    re.IGNORECASE,
)


def _num_value(word: str) -> int | float | None:
    w = " ".join(word.lower().replace("-", " ").split())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", w):  # "2,000 years"
        w = w.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        x = float(w)
        return int(x) if x.is_integer() else x
    if w in ("a", "an"):
        return 1
    if w == "a couple of":  # TimeML reads "a couple of days" as two (P2D)
        return 2
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w]
    parts = w.split()
    if len(parts) == 2 and parts[1] in ("hundred", "thousand"):  # "a hundred years"
        head = 1 if parts[0] in ("a", "an") else NUMBER_WORDS.get(parts[0], 0)
        return head * (100 if parts[1] == "hundred" else 1000) or None
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None  # few, several, many, some: unknown amount


def _duration(n: int | float | None, unit: str) -> str:
    letter = DURATION_UNITS.get(unit.lower().rstrip("."), "")
    if not letter and unit.lower().endswith("s"):
        letter = DURATION_UNITS.get(unit.lower()[:-1], "")
    amount = "X" if n is None else (str(n) if not isinstance(n, float) else f"{n:g}")
    if letter in ("DE", "CE"):  # in years, as TimeBank writes them ("decades" is PXY)
        return f"P{n * (10 if letter == 'DE' else 100):g}Y" if n is not None else "PXY"
    if letter in ("H", "MIN", "S"):
        return f"PT{amount}{'M' if letter == 'MIN' else letter}"
    if letter == "Q":  # ISO 8601 durations have no quarters: "three quarters" is P9M
        return f"P{n * 3:g}M" if n is not None else "PXM"
    return f"P{amount}{letter or 'X'}"


def _month_num(word: str) -> int:
    key = word.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def _day_num(day: str) -> int:
    spelled = _ORDINAL_DAYS.get(day.lower().replace(" ", "-"))
    if spelled:
        return spelled
    return int(day.rstrip("stndrh"))


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def _shift_months(d: date, months: int) -> tuple[int, int]:
    m = d.year * 12 + d.month - 1 + months
    return m // 12, m % 12 + 1


def _relative(anchor: date | None, rel: str, gran: str) -> tuple[str, bool]:
    """'last year' -> previous year of the anchor, and so on; X-filled without an anchor."""
    step = {"last": -1, "previous": -1, "prior": -1, "past": -1, "next": 1, "coming": 1,
            "following": 1}.get(rel.lower(), 0)  # fmt: skip
    g = gran.lower()
    if anchor is None:
        return {
            "year": "XXXX",
            "month": "XXXX-XX",
            "week": "XXXX-WXX",
            "quarter": "XXXX-QX",
            "weekend": "XXXX-WXX-WE",
            "decade": "XXX",
            "century": "XX",
        }.get(g, "XXXX-" + SEASONS.get(g, "XX")), False
    if g == "year":
        return str(anchor.year + step), True
    if g == "month":
        y, m = _shift_months(anchor, step)
        return f"{y}-{m:02d}", True
    if g in ("week", "weekend"):
        w = _week(anchor + timedelta(weeks=step))
        return (w + "-WE" if g == "weekend" else w), True
    if g == "quarter":
        y, m = _shift_months(anchor, 3 * step)
        return f"{y}-Q{(m - 1) // 3 + 1}", True
    if g == "decade":
        return str(anchor.year // 10 + step), True
    if g == "century":
        return str(anchor.year // 100 + step), True
    season = SEASONS[g]
    if step < 0 and anchor.month > _SEASON_END[season]:
        step = 0  # "this past spring" in October: this year's spring
    return f"{anchor.year + step}-{season}", True


#: Granularities "the following …" is resolved at from the preceding date (timex_anaphora).
_ANAPHORIC_GRAN = frozenset({"year", "quarter", "month", "week"})
#: The last month of each season (winter ends in February of the next year, so never "past").
_SEASON_END = {"SP": 5, "SU": 8, "FA": 11, "WI": 13}


def _weekday(anchor: date | None, wd: int, rel: str, tense: str) -> tuple[str, bool]:
    if anchor is None:
        return f"XXXX-WXX-{wd + 1}", False
    delta = (anchor.weekday() - wd) % 7
    if not rel and tense == "present":  # "meets Monday", "is due Friday": the nearer of the two
        fwd = (wd - anchor.weekday()) % 7
        d = anchor + timedelta(days=fwd) if fwd < delta else anchor - timedelta(days=delta)
        return d.isoformat(), True
    if rel == "next" or (tense == "future" and rel != "last"):
        fwd = (wd - anchor.weekday()) % 7
        d = anchor + timedelta(days=fwd or (7 if rel == "next" else 0))
    else:
        d = anchor - timedelta(days=delta or (7 if rel == "last" else 0))
    return d.isoformat(), True


def _year_for(anchor: date | None, month: int, tense: str) -> tuple[str, bool]:
    """The year of a month named without one: on or before the anchor for past tense, on or
    after it for future tense; else the coming months up to ``MONTHS_AHEAD`` ahead, and the
    past ones before that (news mostly reports what happened)."""
    if anchor is None:
        return "XXXX", False
    if tense == "past":
        return str(anchor.year if month <= anchor.month else anchor.year - 1), True
    if tense == "future":
        return str(anchor.year if month >= anchor.month else anchor.year + 1), True
    ahead = (month - anchor.month) % 12
    if ahead == 0 or ahead > MONTHS_AHEAD:
        return str(anchor.year if month <= anchor.month else anchor.year - 1), True
    return str(anchor.year if month > anchor.month else anchor.year + 1), True


def _holiday(anchor: date | None, rel: str, name: str, tense: str) -> tuple[str, str, bool]:
    """The holiday's date: the last one on or before the anchor for "last" or past tense, the
    next one for "next" or future tense, else whichever of the two is nearer."""
    if anchor is None:
        return "DATE", f"XXXX-{holiday_month(name):02d}-XX", False
    if rel == "this":
        return "DATE", holiday_date(name, anchor.year).isoformat(), True
    this = holiday_date(name, anchor.year)
    before = this if this <= anchor else holiday_date(name, anchor.year - 1)
    after = this if this >= anchor else holiday_date(name, anchor.year + 1)
    if rel == "last" or (not rel and tense == "past"):
        d = before
    elif rel == "next" or tense == "future":
        d = after
    else:
        d = before if anchor - before <= after - anchor else after
    return "DATE", d.isoformat(), True


_QUARTER_WORD = re.compile(r"\bquarter", _F)


def _in_quarter_context(text: str, pos: int) -> bool:
    """Is ``pos`` in a sentence about quarterly results ("… than a year ago in the quarter")?
    Then "a year ago" means the same quarter of the previous year (TimeBank convention)."""
    lo = text.rfind(". ", 0, pos) + 1
    hi = text.find(". ", pos)
    return _QUARTER_WORD.search(text, lo, len(text) if hi < 0 else hi) is not None


def _normalise(
    rule: str, m: re.Match[str], anchor: date | None, tense: str
) -> tuple[str, str, bool] | None:
    """(type, value, anchored) for a pattern match, or None when it is not a time expression."""
    g = m.groups()
    a = anchor
    if rule == "iso":
        return "DATE", f"{g[0]}-{g[1]}-{g[2]}", False
    if rule == "slash":
        y = g[2] if len(g[2]) == 4 else ("19" if int(g[2]) > 40 else "20") + g[2]
        if not (1 <= int(g[0]) <= 12 and 1 <= int(g[1]) <= 31):
            return None
        return "DATE", f"{y}-{int(g[0]):02d}-{int(g[1]):02d}", False
    if rule in ("mdy", "dmy"):
        mon, day = (g[0], g[1]) if rule == "mdy" else (g[1], g[0])
        return "DATE", f"{g[2]}-{_month_num(mon):02d}-{_day_num(day):02d}", False
    if rule == "my":
        return "DATE", f"{g[1]}-{_month_num(g[0]):02d}", False
    if rule == "periodyear":  # "the winter of 1994", "January nineteen ninety-seven"
        year = g[1] if g[1].isdigit() else str(1900 + (_num_value(g[1].split(None, 1)[1]) or 0))
        season = SEASONS.get(g[0].lower().split()[-1])
        return "DATE", f"{year}-{season or f'{_month_num(g[0]):02d}'}", False
    if rule in ("md", "dm"):
        mon, day = (g[0], g[1]) if rule == "md" else (g[1], g[0])
        y, anchored = _year_for(a, _month_num(mon), tense)
        return "DATE", f"{y}-{_month_num(mon):02d}-{_day_num(day):02d}", anchored
    if rule == "relmon":
        mon = _month_num(g[1])
        if a is None:
            return "DATE", f"XXXX-{mon:02d}", False
        rel = g[0].lower()
        y = a.year
        if rel in ("early", "late"):
            y = int(_year_for(a, mon, tense)[0])
        if rel == "last":
            y = a.year - 1 if mon >= a.month else a.year
        elif rel == "next":
            y = a.year + 1 if mon <= a.month else a.year
        return "DATE", f"{y}-{mon:02d}", True
    if rule == "month":
        word = g[0]
        if word in ("May", "Mar.", "Jan.", "Jun.", "Jul.") and not _MAY_OK_BEFORE.search(
            m.string[max(0, m.start() - 8) : m.start()]
        ):
            return None
        before = m.string[max(0, m.start() - 8) : m.start()]
        if _MONTH_AS_NAME.match(m.string, m.end()) and not _MAY_OK_BEFORE.search(before):
            return None  # "the annual March for Life", "the March of the Combatant Mothers"
        y, anchored = _year_for(a, _month_num(word), tense)
        return "DATE", f"{y}-{_month_num(word):02d}", anchored
    if rule == "decade":
        return "DATE", g[0] or f"19{g[1]}", False  # TIMEX3: "the 1970s" is 197
    if rule == "decadeword":  # "the nineties": 199, as "the 1990s"
        return "DATE", f"19{NUMBER_WORDS[g[0].lower()[:-3] + 'y'] // 10}", False
    if rule == "fiscal":
        return "DATE", g[0], False
    if rule == "year":
        if _AGE_AFTER.match(m.string[m.end() : m.end() + 12]):
            return None
        if _NOT_YEAR_BEFORE.search(m.string[max(0, m.start() - 10) : m.start()]):
            return None
        if year_is_count(m.string, m.start(), m.end()):
            return None  # "some 2000 people": an amount (the quantities stage keeps it)
        return "DATE", g[0], False
    if rule == "quarter":
        q = {"first": "1", "second": "2", "third": "3", "fourth": "4"}.get(g[1].lower(), g[1][0])
        year = g[0] or g[2]
        if year:
            return "DATE", f"{year}-Q{q}", False
        if a is None:
            return "DATE", f"XXXX-Q{q}", False
        later = int(q) > (a.month - 1) // 3 + 1  # a quarter not begun yet: last year's
        return "DATE", f"{a.year - 1 if later and tense != 'future' else a.year}-Q{q}", True
    if rule == "half":
        if g[1] is None and _HALF_OF_PERIOD.match(m.string, m.end()):
            return None  # "the last half of the '80s": the period named after "of" says which
        year = g[1] or (str(a.year) if a else "XXXX")
        return (
            "DATE",
            f"{year}-H{1 if g[0].lower() == 'first' else 2}",
            g[1] is None and a is not None,
        )
    if rule == "weekday":
        rel, wd, plural, part = (g[0] or "").lower(), WEEKDAYS[g[1].lower()], g[2], g[3]
        if plural:
            suffix = f"T{PARTS_OF_DAY[part.lower()]}" if part else ""
            return "SET", f"XXXX-WXX-{wd + 1}{suffix}", False
        value, anchored = _weekday(a, wd, rel, tense)
        # "Friday night": TimeBank mostly annotates the day alone, as a DATE
        if part and part.lower() == "evening" and anchored:
            return "TIME", f"{value}TEV", anchored
        return "DATE", value, anchored
    if rule == "partofday":
        which, part = g[0].lower(), PARTS_OF_DAY[g[1].lower()]
        if which == "the":
            return None
        if a is None:
            return "TIME", f"XXXX-XX-XXT{part}", False
        d = a + timedelta(days={"yesterday": -1, "tomorrow": 1, "last": -1}.get(which, 0))
        if which == "last" and part != "NI":
            return None
        return "TIME", f"{d.isoformat()}T{part}", True
    if rule == "tonight":
        return "TIME", (f"{a.isoformat()}TNI" if a else "XXXX-XX-XXTNI"), a is not None
    if rule == "today":
        if a is None:
            return "DATE", "XXXX-XX-XX", False
        d = a + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[g[0].lower()])
        return "DATE", d.isoformat(), True
    if rule == "clock":
        h, mi, ap = int(g[0]), g[1] or "00", g[2].lower()
        if h > 12:
            return None
        if ap.startswith("p") and h != 12:
            h += 12
        if ap.startswith("a") and h == 12:
            h = 0
        day = a.isoformat() if a else "XXXX-XX-XX"
        return "TIME", f"{day}T{h:02d}:{mi}", a is not None
    if rule == "clockpart":
        h = int(g[0]) % 12 + (12 if g[2].lower() != "morning" else 0)
        day = a.isoformat() if a else "XXXX-XX-XX"
        return "TIME", f"{day}T{h:02d}:{g[1] or '00'}", a is not None
    if rule == "clock24":
        day = a.isoformat() if a else "XXXX-XX-XX"
        return "TIME", f"{day}T{int(g[0]):02d}:{g[1]}", a is not None
    if rule == "noon":
        hh = "24:00" if g[0].lower() == "midnight" else "12:00"
        day = a.isoformat() if a else "XXXX-XX-XX"
        return "TIME", f"{day}T{hh}", a is not None
    if rule == "reldate":
        rel, gran = g[1].lower(), g[2].lower()
        if rel in ("past", "last") and gran == "century":
            return "DURATION", "P100Y", False  # "the past century": the last hundred years
        if rel == "past":  # "the past year", "this past spring": TimeBank reads the last one
            rel = "last"
        if rel == "same":
            return None
        if rel == "latest":
            rel = "last" if gran == "quarter" else "this"
        value, anchored = _relative(a, rel, gran)
        if rel == "following" and gran in _ANAPHORIC_GRAN and anchored:
            # "The following month": the month after the last one the text named
            return "DATE", placeholder(gran, 1, value), anchored
        return "DATE", value, anchored
    if rule == "monrel":
        if a is None:
            return "DATE", f"XXXX-{_month_num(g[0]):02d}", False
        year = a.year + {"last": -1, "this": 0, "next": 1}[g[1].lower()]
        return "DATE", f"{year}-{_month_num(g[0]):02d}", True
    if rule == "yearsquarter":
        if a is None:
            return "DATE", "XXXX-QX", False
        year = a.year + {"last": -1, "this": 0, "next": 1}[g[0].lower()]
        if g[1]:
            q = {"first": 1, "second": 2, "third": 3, "fourth": 4}[g[1].lower()]
            return "DATE", f"{year}-Q{q}", True
        return "DATE", f"{year}-Q{(a.month - 1) // 3 + 1}", True  # refined by timex_refs
    if rule in ("yearago", "yearperiod"):
        if a is None:
            return "DATE", g[0] if g and g[0] else "XXXX", False
        return "DATE", (g[0] if g and g[0] else str(a.year - 1)), True
    if rule == "theyear":
        if g[1] or (g[0] or "").strip().lower() in ("fiscal", "entire", "whole"):
            return "DURATION", "P1Y", False  # "the year ended June 30", "the fiscal year"
        return "DATE", (str(a.year) if a else "XXXX"), a is not None
    if rule == "theperiod":
        value, anchored = _relative(a, "last", "quarter")
        return "DATE", value, anchored
    if rule == "thequarter":
        value, anchored = _relative(a, "last", "quarter")
        return "DATE", value, anchored
    if rule == "thepast":
        rel, gran = g[0].lower(), g[1].lower()
        if rel in ("past", "last"):  # "the past year": TimeBank reads the previous year
            value, anchored = _relative(a, "last", gran)
            return "DATE", value, anchored
        if rel in ("next", "coming", "first", "final"):
            return "DURATION", _duration(1, gran), False
        value, anchored = _relative(a, rel, gran)
        return "DATE", value, anchored
    if rule == "ago":
        n, unit, direction = _num_value(g[0]), g[1].lower(), g[2].lower()
        sign = -1 if direction in ("ago", "earlier", "before") else 1
        letter = DURATION_UNITS.get(unit, "")
        if a is None or n is None or not isinstance(n, int) or letter in ("H", "MIN", "S", ""):
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", False
        if letter in ("Y", "DE", "CE"):
            mult = {"Y": 1, "DE": 10, "CE": 100}[letter]
            year = a.year + sign * n * mult
            if not 0 < year < 10000:  # "two thousand years ago" has no ISO year here
                return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", False
            return "DATE", f"{year:04d}", True
        if letter in ("M", "Q"):
            y, mo = _shift_months(a, sign * n * (3 if letter == "Q" else 1))
            return "DATE", (f"{y}-{mo:02d}" if letter == "M" else f"{y}-Q{(mo - 1) // 3 + 1}"), True
        if letter in ("W", "WE"):
            return "DATE", _week(a + timedelta(weeks=sign * n)), True
        return "DATE", (a + timedelta(days=sign * n)).isoformat(), True
    if rule in ("span", "hyphen"):
        num, unit = (g[1], g[2]) if rule == "span" else (g[0], g[1])
        if rule == "span" and _AGE_AFTER.match(m.string[m.end() : m.end() + 12]):
            return None
        if (
            rule == "span"
            and num.lower() == "one"
            and unit.lower() == "day"
            and _MODAL_BEFORE.search(m.string, max(0, m.start() - 12), m.start())
        ):
            return "DATE", "FUTURE_REF", False  # "Islam will one day be ...": some day
        if unit.lower().startswith("quarter") and _FRACTION_OF.match(m.string, m.end()):
            return None  # "three-quarters of the vote", "more than a quarter of the market"
        n = _num_value(num)
        if n is None and num.lower() not in ("few", "several", "many", "some", "a few"):
            return None
        return "DURATION", _duration(n, unit), False
    if rule == "bare":
        return "DURATION", _duration(None, g[0].lower()), False
    if rule == "century":
        return "DATE", f"{int(g[0]) - 1:02d}", False
    if rule == "midyear":
        return "DATE", g[0], False
    if rule == "wordyear":
        if g[0]:
            tens = NUMBER_WORDS[g[1].lower()] + (NUMBER_WORDS[g[2].lower()] if g[2] else 0)
            return "DATE", str(1900 + tens), False
        if not m.group(0).lower().startswith("the year") and not g[4]:
            return None  # "two thousand" alone is a count
        return "DATE", str(2000 + (NUMBER_WORDS[g[4].lower()] if g[4] else 0)), False
    if rule == "few":
        return "DURATION", _duration(None, g[1]), False
    if rule == "set":
        word = g[0].lower()
        if word in WEEKDAYS:
            return "SET", f"XXXX-WXX-{WEEKDAYS[word] + 1}", False
        if word.rstrip(".") in MONTHS:
            return "SET", f"XXXX-{_month_num(word):02d}", False
        if word in SEASONS:
            return "SET", f"XXXX-{SEASONS[word]}", False
        return "SET", _duration(1, "day" if word == "day" else word), False
    if rule == "setadv":
        unit = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year",
                "yearly": "year", "hourly": "hour"}[g[0].lower()]  # fmt: skip
        return "SET", _duration(1, unit), False
    if rule == "ref":
        return "DATE", REF_WORDS[" ".join(g[0].lower().split())], False
    if rule == "holiday":  # "last Thanksgiving", "Christmas Eve"
        kind, value, anchored = _holiday(a, (g[0] or "").lower(), g[1], tense)
        if g[2] and anchored:  # "Easter week", "Thanksgiving weekend": the week it falls in
            value = _week(date.fromisoformat(value)) + ("-WE" if g[2] == "weekend" else "")
        return kind, value, anchored
    if rule == "that":  # "later that year": resolved by timex_anaphora
        return "DATE", placeholder(g[0].lower()), False
    if rule == "current":  # "the current system", "the then current price"
        return "DATE", ("PAST_REF" if g[0] else "PRESENT_REF"), False
    if rule == "another":  # "an additional year": one more year, P1Y
        return "DURATION", _duration(1, g[0]), False
    if rule == "later":  # "at a later date", "in the near term"
        return "DATE", "FUTURE_REF", False
    if rule == "ahead":  # "the months ahead": ref FUTURE_REF
        return "DURATION", _duration(None, g[0]), False
    if rule == "recent":  # "in recent years": the PAST_REF (TimeBank is split on it)
        if m.group(0).lower().startswith("recent") and not g[0].lower().startswith("year"):
            return "DURATION", _duration(None, g[0]), False
        return (
            "DATE",
            ("FUTURE_REF" if m.group(0).lower().startswith("coming") else "PAST_REF"),
            False,
        )
    return None


#: Rules whose matches always end in a duration unit ("two years", "six weeks ago", "six-hour"):
#: they are run only on windows around the unit words, which is several times faster than
#: trying their long number alternations at every word of the text.
_UNIT_ANCHORED = frozenset({"span", "ago", "hyphen"})
_UNIT_WORD = re.compile(_UNIT, re.IGNORECASE)
#: Characters before a unit word that a unit-anchored match can start at ("the past more than
#: twenty-five years" is 38); generous, since windows are merged.
UNIT_WINDOW_BEFORE = 80
UNIT_WINDOW_AFTER = 24


def _unit_windows(text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for m in _UNIT_WORD.finditer(text):
        lo, hi = max(0, m.start() - UNIT_WINDOW_BEFORE), m.end() + UNIT_WINDOW_AFTER
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


def _matches(rule: str, rx: re.Pattern[str], text: str, windows: list[tuple[int, int]]) -> Any:
    if rule not in _UNIT_ANCHORED:
        yield from rx.finditer(text)
        return
    for lo, hi in windows:
        yield from rx.finditer(text, lo, min(hi, len(text)))


#: Words (lower case) one of which a rule's match always contains: a rule is run only on texts
#: that hold one, which is much faster than trying its pattern at every position.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "holiday": HOLIDAY_WORDS,
    "current": ("current",),
    "that": ("that",),
    "another": ("another", "additional", "one more", "extra"),
    "ahead": ("ahead",),
    "later": ("later date", "near term"),
    "decadeword": ("ties",),
    "noon": ("noon", "midnight", "midday"),
    "half": ("half",),
    "century": ("century",),
    "wordyear": ("nineteen", "thousand"),
    "quarter": ("quarter",),
    "yearsquarter": ("quarter",),
    "thequarter": ("quarter",),
    "yearperiod": ("period", "quarter"),
    "theperiod": ("period",),
    "yearago": ("year",),
    "midyear": ("mid-",),
    "tonight": ("tonight", "overnight"),
    "setadv": ("daily", "weekly", "monthly", "annually", "yearly", "hourly"),
    "clock": ("a.m", "p.m", "am", "pm"),
    "clock24": (":",),
    "clockpart": (" in the ",),
    "theyear": ("year",),
    "fiscal": ("fiscal",),
    "recent": ("recent", "coming"),
    "few": ("several", "many", "few"),
}  # fmt: skip


def _candidates(text: str, anchor: date | None, tense_at: Callable[[int], str]) -> list[Timex]:
    out: list[Timex] = []
    windows = _unit_windows(text)
    lower = text.lower()
    for rank, (rule, rx) in enumerate(_COMPILED):
        triggers = _TRIGGERS.get(rule)
        if triggers and not any(w in lower for w in triggers):
            continue  # no word the rule needs: skip scanning the text
        for m in _matches(rule, rx, text, windows):
            try:
                norm = _normalise(rule, m, anchor, tense_at(m.start()))
            except (OverflowError, ValueError):
                # The anchor sits at the calendar's edge (published 9999-12-31, "next
                # Monday"): resolve the expression as for an undated article.
                norm = _normalise(rule, m, None, tense_at(m.start()))
            if norm is None:
                continue
            start = m.start()
            if rule not in ("ago", "span", "set", "ref", "bare", "few", "setadv"):
                mod = _MODIFIER.search(text, max(0, start - MODIFIER_WINDOW), start)
                if mod:
                    start = mod.start()
            t = Timex(start, m.end(), norm[0], norm[1], norm[2], rule)
            t.rule = f"{rank:02d}{rule}"
            out.append(t)
    return out


def _select(cands: list[Timex]) -> list[Timex]:
    """Longest first, then earlier rule; drop candidates overlapping a chosen one."""
    cands.sort(key=lambda t: (t.rule == "90spacy", -(t.end - t.start), t.rule, t.start))
    chosen: list[Timex] = []
    taken: list[tuple[int, int]] = []
    for t in cands:
        i = bisect.bisect_left(taken, (t.start, t.start))
        left = taken[i - 1] if i else None
        right = taken[i] if i < len(taken) else None
        if (left and left[1] > t.start) or (right and right[0] < t.end):
            continue
        bisect.insort(taken, (t.start, t.end))
        chosen.append(t)
    chosen.sort(key=lambda t: t.start)
    return chosen


def _merge_adjacent(text: str, timexes: list[Timex]) -> list[Timex]:
    """Join a clock time with the day after it ("10 p.m. Wednesday", "noon Saturday")."""
    out: list[Timex] = []
    for t in timexes:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.type == "TIME"
            and t.type == "DATE"
            and re.fullmatch(r",?\s+(?:on\s+)?", text[prev.end : t.start])
            and re.fullmatch(r"\d{4}-\d\d-\d\d", t.value)
            and "T" in prev.value
        ):
            prev.end = t.end
            prev.value = t.value + prev.value[prev.value.index("T") :]
            prev.anchored = prev.anchored or t.anchored
            continue
        if (
            prev is not None
            and prev.type == "TIME"
            and t.type == "DATE"
            and _ASIDE.fullmatch(text, prev.end, t.start)
            and re.fullmatch(r"\d{4}-\d\d-\d\d", t.value)
            and "T" in prev.value
        ):  # "10:35 a.m. (0735 GMT) Friday": the time is on that day, the extents stay apart
            prev.value = t.value + prev.value[prev.value.index("T") :]
            prev.anchored = prev.anchored or t.anchored
        out.append(t)
    for prev, t in pairwise(out):
        if (
            prev.type == "TIME"
            and "T" in prev.value
            and re.fullmatch(r"\s*\(\s*", text[prev.end : t.start])
            and re.match(r"\d{4}-\d\d-\d\dT", t.value)
        ):  # "4 in the morning (4 a.m. EDT Thursday)": the aside says which day
            prev.value = t.value[:10] + prev.value[prev.value.index("T") :]
    return out


#: "weeks or months", "recent weeks and months": one vague duration, as TimeBank marks it.
_VAGUE_PAIR = re.compile(r"\s+(?:or|and)\s+(?:years|months|weeks|days|hours|decades)\b", _F)


def _merge_vague(text: str, timexes: list[Timex]) -> list[Timex]:
    """Join a vague duration with a bare plural unit coordinated after it; the first's value."""
    out: list[Timex] = []
    for t in timexes:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.type == "DURATION"
            and re.fullmatch(r"PT?X[A-Z]+", prev.value)
            and re.fullmatch(r"PT?X[A-Z]+", t.value)
            and _VAGUE_PAIR.fullmatch(text, prev.end, t.end)
        ):
            prev.end = t.end
            continue
        out.append(t)
    return out


#: A parenthesis between a clock time and its day ("10:35 a.m. (0735 GMT) Friday").
_ASIDE = re.compile(r"\s*\([^()\n]{1,30}\)\s*(?:on\s+)?")


#: The second day of a range after a full date: "April 24 and 25", "Oct. 5-6", "May 3 to 5".
_SECOND_DAY = re.compile(
    r"(?:\s*[-–]\s*|\s+(?:and|to|through)\s+)([12]?\d|3[01])\b(?![:.,%]?\d|\s*%)"
)


def _second_days(text: str, timexes: list[Timex]) -> list[Timex]:
    """Add the second day of a day range as its own DATE, in the first day's month and year."""
    out: list[Timex] = []
    skip_to = -1
    for i, t in enumerate(timexes):
        if t.start < skip_to:
            continue
        out.append(t)
        m = _SECOND_DAY.match(text, t.end)
        if not m or not re.fullmatch(r"\d{4}-\d\d-\d\d", t.value) or t.type != "DATE":
            continue
        day = int(m.group(1))
        nxt = timexes[i + 1].start if i + 1 < len(timexes) else len(text)
        if day <= int(t.value[8:]) or m.end() > nxt or _TIME_AFTER.match(text, m.end()):
            continue
        end, month = m.end(1), t.value[:8]
        year = _RANGE_YEAR.match(text, end)
        if year:  # "Oct. 5-6, 1999": the year after the range is both days'
            end, month, skip_to = year.end(), f"{year.group(1)}{t.value[4:8]}", year.end()
            t.value, t.anchored = f"{month}{t.value[8:]}", False
        out.append(Timex(m.start(1), end, "DATE", f"{month}{day:02d}", t.anchored, t.rule))
    return out


_RANGE_YEAR = re.compile(rf",?\s+({_YEAR})\b")


#: A clock or unit after the number: "May 3 to 5 p.m.", "Oct. 5-6 percent" are not days.
_TIME_AFTER = re.compile(r"\s*(?:a\.?m\b|p\.?m\b|o['’]clock|percent|%|hours?|days?)", re.I)


@lru_cache(maxsize=64)
def _date_parser(anchor: date | None) -> Any:
    """One dateparser parser per anchor date (building one is slow)."""
    from dateparser.date import DateDataParser

    base = datetime(anchor.year, anchor.month, anchor.day) if anchor else datetime(2000, 1, 1)
    return DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "STRICT_PARSING": False},
    )


@lru_cache(maxsize=4096)
def _dateparse(surface: str, anchor: date | None) -> tuple[str, str] | None:
    """(type, value) from dateparser for a spaCy candidate, or None (cached: it is slow)."""
    data = _date_parser(anchor).get_date_data(surface)
    if data.date_obj is None:
        return None
    d = data.date_obj
    period = data.period or "day"
    if period == "year":
        return "DATE", str(d.year)
    if period == "month":
        return "DATE", f"{d.year}-{d.month:02d}"
    if period == "week":
        return "DATE", _week(d.date())
    if period == "time":
        return "TIME", d.strftime("%Y-%m-%dT%H:%M")
    return "DATE", d.date().isoformat()


_YEAR_AGO = re.compile(r"\byear[- ](?:ago|earlier)\b|\ba\s+year\s+(?:ago|earlier)\b", _F)
_PLURAL_UNIT = re.compile(
    r"^(?:the\s+)?(?:early\s+|past\s+)?(years|months|weeks|days|decades)$", _F
)
#: After "the days", "weeks": an event they are counted from ("the weeks before the shooting",
#: "days after the attack"). TimeML dates such a phrase by the event (on TBAQ train all 6 are
#: DATEs like ``1998-10``), which no rule here can date, so it is not emitted.
_EVENT_AFTER = re.compile(r"\s+(?:before|after|following|prior\s+to|leading\s+up\s+to)\b", _F)
_YEAR_END = re.compile(r"\byear(?:['’]s)?[- ]end\b", _F)
_CUR_GRAN = re.compile(rf"\b(this|current|last|next|previous)\s+(?:fiscal\s+)?({_GRAN})\b", _F)


#: "two years", "less than 48 hours", "six-hour", "more than a week": a duration, never a date
#: (dateparser reads "thirty years" as the year thirty years before the anchor).
_DURATION_PHRASE = re.compile(
    rf"^(?:the\s+(?:last|past|next|first)\s+)?{_QMOD}({_NUM})[- ]({_UNIT})(?:\s+long)?$", _F
)
#: Only phrases with a digit, a month or weekday name or a deictic word are worth dateparser's
#: time: on the rest ("evening", "the same day", "the fog season") it returns nothing.
_DATEPARSER_WORTH = re.compile(
    rf"\d|\b{_MON}\b|\b{_WD}\b|\b(?:ago|yesterday|today|tomorrow|tonight)\b", _F
)


#: A spaCy phrase of a number and a time unit with no word placing it in time ("7 ½ minutes",
#: "the 11th hour", "a 15-year"): dateparser reads it as that long before the anchor.
_UNIT_NO_PLACE = re.compile(
    rf"^(?!.*\b(?:ago|before|after|earlier|later|since|{_MON}|{_WD})\b).*\b{_UNIT}\b", _F
)
#: "the 5th" alone: dateparser makes it the fifth month.
_BARE_ORDINAL = re.compile(r"^(?:the\s+)?\d{1,2}(?:st|nd|rd|th)$", _F)
#: A year written out: the one thing dateparser can date without an anchor.
_WRITTEN_YEAR = re.compile(r"(?<!\d)(?:1[0-9]|20)\d\d(?!\d)")


def _dateparser_may(surface: str, anchor: date | None) -> bool:
    """Whether dateparser may date ``surface``. Not a length of time without a word placing
    it ("7 ½ minutes" was the day before publication), not a bare ordinal, and in an undated
    article only a phrase with its year: dateparser resolves everything else against a
    made-up base date (an undated "10 p.m. on the night of the 12th" was 1999-12-01T22:00)."""
    if not _DATEPARSER_WORTH.search(surface):
        return False
    if _UNIT_NO_PLACE.search(surface) or _BARE_ORDINAL.match(surface):
        return False
    return anchor is not None or bool(_WRITTEN_YEAR.search(surface))


#: "the summer", "the early summer": this year's season (TimeBank reads them so).
_SEASON_PHRASE = re.compile(
    r"^(?:the\s+)?(?:early\s+|late\s+)?(spring|summer|fall|autumn|winter)$", _F
)
_MID_PART = re.compile(r"^mid[\s-]?(morning|afternoon|evening)$", _F)


def _fallback(surface: str, anchor: date | None) -> tuple[str, str] | None:
    """Values for common spaCy DATE phrases no pattern covers ("the year-ago quarter")."""
    duration = _DURATION_PHRASE.match(surface)
    if duration:
        return "DURATION", _duration(_num_value(duration.group(1)), duration.group(2))
    if _YEAR_AGO.search(surface) and anchor is not None:
        if "quarter" in surface.lower():
            y, m = _shift_months(anchor, -15)
            return "DATE", f"{y}-Q{(m - 1) // 3 + 1}"
        return "DATE", str(anchor.year - 1)
    plural = _PLURAL_UNIT.match(surface)
    if plural:
        return "DURATION", _duration(None, plural.group(1))
    if _YEAR_END.search(surface):
        return "DATE", str(anchor.year) if anchor else "XXXX"
    season = _SEASON_PHRASE.match(surface)
    if season and anchor is not None:
        return "DATE", f"{anchor.year}-{SEASONS[season.group(1).lower()]}"
    part = _MID_PART.match(surface)
    if part and anchor is not None:
        return "TIME", f"{anchor.isoformat()}T{PARTS_OF_DAY[part.group(1).lower()]}"
    cur = _CUR_GRAN.search(surface)
    if cur:
        return ("DATE", *_relative(anchor, cur.group(1), cur.group(2))[:1])
    return None


#: "over" heading a duration as a preposition ("over 10 years": during them) is no part of it.
_OVER_PREP = re.compile(r"over\s+(?=\S)", re.IGNORECASE)
_YEAR_IN = re.compile(rf"(?<![\w,.]){_YEAR}(?!\w|[.,]\d)")
_LEAD_TRIM = re.compile(r"^(?:(?:in|on|at|since|by|from|until|during|of|for)\s+)+", _F)
_SPACY_SKIP = re.compile(r"\b(?:old|aged|age|ages)\b|^\d+(?:\.\d+)?$", _F)


def _from_spacy(doc: Any, text: str, anchor: date | None, options: TimexOptions) -> list[Timex]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        surface = ent.text
        if _SPACY_SKIP.search(surface) or not _TEMPORAL_WORD.search(surface):
            continue
        if any(
            year_is_count(text, ent.start_char + y.start(), ent.start_char + y.end())
            for y in _YEAR_IN.finditer(surface)
        ):
            continue  # "Nearly 1990 people": an amount, not a year
        lead = _LEAD_TRIM.match(surface)
        start = ent.start_char + (lead.end() if lead else 0)
        surface = text[start : ent.end_char]
        if surface.lower().endswith(("quarter", "quarters")) and _FRACTION_OF.match(
            text, ent.end_char
        ):
            continue  # "more than a quarter of the market"
        if _PLURAL_UNIT.match(surface) and _EVENT_AFTER.match(text, ent.end_char):
            continue  # "in the weeks before the shooting": a date that only the event fixes
        try:
            norm = _fallback(surface, anchor)
            if norm is None and options.use_dateparser and _dateparser_may(surface, anchor):
                norm = _dateparse(surface, anchor)
        except (OverflowError, ValueError):  # past the calendar's edge: as if undated
            norm = _fallback(surface, None)
        if norm is None and options.keep_unnormalised:
            kind = "TIME" if ent.label_ == "TIME" else "DATE"
            out.append(Timex(start, ent.end_char, kind, "XXXX-XX-XX", False, "90spacy"))
        elif norm is None:
            continue
        else:
            out.append(Timex(start, ent.end_char, norm[0], norm[1], anchor is not None, "90spacy"))
    return out


def find_timexes(
    text: str,
    anchor: date | None,
    *,
    doc: Any = None,
    options: TimexOptions = TimexOptions(),
) -> list[Timex]:
    """Time expressions of ``text``, normalised; relative ones anchored on ``anchor``."""
    tense_at = tense_finder(text, doc)
    cands = _candidates(text, anchor, tense_at)
    if doc is not None and options.use_spacy:
        cands.extend(_from_spacy(doc, text, anchor, options))
    chosen = _second_days(text, _merge_adjacent(text, _select(cands)))
    chosen = _merge_vague(text, chosen)
    chosen = [t for t in chosen if not _in_title(text, t) and not _to_compound(text, t)]
    if doc is not None:
        chosen = [t for t in chosen if not _modifies_noun(doc, t)]
        for t in chosen:
            over = _OVER_PREP.match(text, t.start) if t.type == "DURATION" else None
            tok = doc.char_span(t.start, t.start + 4) if over is not None else None
            if over is not None and tok is not None and tok[0].dep_ == "prep":
                t.start = over.end()  # "cost $5 million over 10 years": during them
        chosen = fix_rates_and_ordinals(doc, text, chosen)
    chosen = resolve_anaphora(chosen)
    resolve_reference_periods(text, chosen, anchor)
    for t in chosen:
        if t.type == "DURATION":
            ref = _DURATION_REF.match(text, t.start, t.end)
            if ref:
                t.ref = "PAST_REF" if ref.group(1) else "FUTURE_REF"
            elif text[t.start : t.end].lower().endswith("ahead"):
                t.ref = "FUTURE_REF"
    return chosen


#: A time word capitalised inside a sentence after a capitalised word or a number is part of a
#: title: "USA Today", "VOA Today", CBS's "60 Minutes".
_TITLE_WORD = re.compile(
    r"(?<=\S\s)(?:Today|Tonight|Tomorrow|Yesterday|Minutes|Hours|Days|Weeks|Months|Daily"
    r"|Weekly)\b"
)


#: "quarter-to-quarter", "day-to-day": a compound adjective (a comparison), no time.
_TO_COMPOUND = re.compile(r"-to-(\w+)")


def _to_compound(text: str, t: Timex) -> bool:
    """Is ``t`` the first half of "quarter-to-quarter" (the same word again after "-to-")?"""
    m = _TO_COMPOUND.match(text, t.end)
    return m is not None and text[t.start : t.end].lower().endswith(m.group(1).lower())


def _in_title(text: str, t: Timex) -> bool:
    """Is a time word of ``t`` capitalised mid-sentence after a name or number ("USA Today")?"""
    m = _TITLE_WORD.search(text, t.start, t.end)
    if m is None:
        return False
    before = text[max(0, m.start() - 40) : m.start()].rstrip()
    word = before.rsplit(None, 1)[-1].lstrip("'\"`‘“(") if before.split() else ""
    return bool(word) and (word[0].isupper() or word[0].isdigit()) and not word.endswith(".")


#: Words that are time expressions as adverbs or nouns ("grows annually", "in the future") but
#: not as adjectives ("daily newspaper", "future payments").
_ADJECTIVAL = frozenset({"future", "daily", "weekly", "monthly", "annually", "yearly", "hourly"})


def _modifies_noun(doc: Any, t: Timex) -> bool:
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or len(span) != 1 or span[0].lower_ not in _ADJECTIVAL:
        return False
    return bool(span[0].dep_ == "amod" or span[0].tag_ == "JJ")


#: Durations that end at the article date ("recent years", "the past two months") or start
#: there ("the coming weeks", "the next three years"): ``ref`` says so (TimeML gives them a
#: DURATION value; a timeline dates what happened in them as ``PAST_REF``).
_DURATION_REF = re.compile(
    r"(?:(recent|(?:the\s+)?(?:past|last)\b)|(?:the\s+)?(?:coming|next)\b)", re.IGNORECASE
)
