"""Quantities: numbers with what they count, when, where and on whose word (layer ``quantities``).

Numbers are found by precompiled patterns over the text (digits with comma or spaced thousands,
decimals, number words, scale words and suffixes such as "2.5bn", currencies, units, ranges
"from X to Y" / "X-Y" / "between X and Y", vague counts "dozens of"), then read against the spaCy
Doc of the stages before:

* ``counted`` is the noun the number modifies, with its compound modifiers ("terrorism cells");
* ``predicate`` is the nearest verb above it ("dismantled");
* ``time`` links a date in the same clause (``timexes`` index, preferring one below the
  predicate: "since 2002"), ``time_prep`` keeps its preposition;
* ``place`` is a place entity attached to the predicate or the noun by "in", "across", …;
* ``source`` is ``{"attribution": i}`` when the number lies inside attribution *i*'s content or
  its sentence carries an "according to"-style attribution, else ``"unattributed"``.

``counted_lemma`` is the counted phrase lemmatised without function words ("eligible
pensioner"; ``quantity_concept``), NewsQuant's unit of a count. "to A from B" changes and
same-unit "X to Y" are one range, fractions ("a third of", "1/2") have values below one, and a
bare number compared with a previous one takes its unit (``unit_from``).

Numbers inside dates and clock times (``timexes`` of type DATE, TIME, SET), ordinals, numbers
that are part of a name ("Windows 10", "COVID-19", "S&P 500", "Stoxx 600"), identifiers (phone
numbers "0800 555 123", "case number 2023-4471") and bare years are left out; a year-like count
("some 2000 people") is kept. "two dozen" is 24, "three-quarters of" and "one in five" are
fractions, and "5-4" is a ``score`` (``low`` ≤ ``high`` always; ``score`` keeps the order).
Durations ("seven years") are quantities with ``unit`` "year" and ``timex`` linking the
DURATION timex.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from presslens.lexicons_attribution import (
    EPISTEMIC_VERBS,
    ESTIMATE_VERBS,
    NOMINAL_CUES,
    SPEECH_VERBS,
)
from presslens.lexicons_numbers import (
    APPROX_CUES,
    CURRENCY_PREFIX,
    INDEX_NAME_WORDS,
    LENGTH_WORDS,
    LETTER_SCALES,
    NUMBER_WORDS,
    PER_UNITS,
    SCALES,
    SHORT_UNITS,
    UNIT_WORDS,
    VAGUE_COUNTS,
)
from presslens.model import Article
from presslens.registry import StageFn, stage
from presslens.settings import Settings
from presslens.stages.quantity_concept import concept_lemma
from presslens.stages.timexes import year_is_count

__all__ = ["Quantity", "QuantityOptions", "find_quantities", "make_quantities_stage"]

#: spaCy entity labels whose numbers are part of a name, not a quantity.
NAME_LABELS = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC", "PERSON"})
#: Prepositions that attach a place to a predicate or noun.
PLACE_PREPS = frozenset({"in", "across", "throughout", "at", "inside", "within"})
#: Cues that make a sentence's attribution the source of its numbers even when the number is
#: outside the attribution's content span.
SOURCE_KINDS = frozenset({"according-to"})
#: Most tokens climbed from the number to its predicate verb.
PREDICATE_MAX_HOPS = 6


@dataclass(frozen=True)
class QuantityOptions:
    """Options of :func:`find_quantities` (the stage's config options, same names)."""

    include_one: bool = True  # "one man": NewsQuant counts it; set false to skip bare "one"
    include_years: bool = False  # bare years outside timexes ("the 2019 list")


@dataclass
class Quantity:
    start: int
    end: int
    value: float | int | None
    low: float | int | None = None
    high: float | int | None = None
    approx: str | None = None
    unit: str | None = None
    kind: str = "count"  # count, money, percent, measure, duration, age, vague, fraction, score
    num_start: int = 0
    num_end: int = 0
    timex: int | None = None  # the DURATION timex a duration quantity is
    score: tuple[float | int, float | int] | None = None  # "5-4" as written (kind "score")


@stage(
    "presslens.quantities.v1",
    requires=("doc", "sentences", "timexes", "attributions", "sources"),
    assigns=("quantities",),
)
def make_quantities_stage(settings: Settings, **options: Any) -> StageFn:
    """Numbers, ranges, money, percentages and durations with counted noun, time and source."""
    opts = QuantityOptions(**options)

    def run(articles: list[Article]) -> list[Article]:
        for art in articles:
            quantity_spans(art, options=opts)
        return articles

    return run


# -- patterns ---------------------------------------------------------------------------------

_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]\d)"
    r"|\d+(?:\.\d+)?|\.\d+)(?![\d])(?![:/⁄]\d)"
)
#: No number right after a letter, a digit separator or a name hyphen ("COVID-19", "TA-35").
_NUM_START = r"(?<![\w.,/:⁄$€£¥])(?<![A-Za-z]-)"
_WORD_NUM_ATOM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_WORDS = (
    rf"\b(?:(?:{_WORD_NUM_ATOM})(?:[- ](?:{_WORD_NUM_ATOM}))?"
    r"(?:\s+(?:hundred|thousand|million|billion|trillion|dozen)(?:\s+(?:and\s+)?"
    rf"(?:{_WORD_NUM_ATOM})(?:[- ](?:{_WORD_NUM_ATOM}))?)?)*|an?\s+dozen|dozen|a\s+half)\b"
)
_CUR = (
    r"(?:\bUS\s?\$|\bS\s?\$|\bA\$|\bC\$|\bHK\s?\$|\bNZ\$|\$|€|£|¥|₹|₩|\bRM|\bRs\.?|\bUSD"
    r"|\bEUR|\bGBP|\bJPY|\bCNY|\bRMB|\bINR|\bMAD|\bCHF|\bPS(?=\d)|\bY=)"
)
_SCALE = (
    r"(?:hundred|thousand|millions?|billion|trillion|lakhs?\s+crores?|lakhs?|lacs?|crores?"
    r"|bn|mn|mln|mil|tn|trn|cr|k|m|b)(?![A-Za-z])"
)
_NUMBER = re.compile(
    rf"(?:(?P<neg>\bminus[- ])|(?P<cur>{_CUR})\s?(?=[\d.]|an?\b)|{_NUM_START})"
    rf"(?:(?P<digits>{_DIGITS})|(?P<words>{_WORDS}))"
    rf"(?:\s?-?(?P<scale>{_SCALE}))?",
    re.IGNORECASE,
)
_A_SCALE = re.compile(
    rf"\b(?P<cur>{_CUR})?\s?an?\s+(?P<scale>million|billion|trillion|thousand|lakh|crore)\b",
    re.I,
)
_UNITS_RX = re.compile(
    r"[\s-]?(?P<unit>"
    + "|".join(re.escape(u) for u in sorted(UNIT_WORDS, key=len, reverse=True))
    + r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_AGE_RX = re.compile(r"-?\s?(?:years?[- ]old|year-old|years-old)\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged|age)\s+$", re.IGNORECASE)
#: A person's age set off by commas after their name: "Nadia Ferreira-Holm, 34, was on deck".
_AGE_APPOSITION_BEFORE = re.compile(r"[A-Z][\w'’-]*[a-z],\s$")
_AGE_APPOSITION_AFTER = re.compile(r",\s")
_APPROX_RX = re.compile(
    r"\b(?P<cue>"
    + "|".join(re.escape(c) for c in sorted(APPROX_CUES, key=len, reverse=True))
    + r")\s+$",
    re.IGNORECASE,
)
_VAGUE_RX = re.compile(
    r"\b(?:(?:several|many|a\s+few)\s+)?(?P<vague>"
    + "|".join(re.escape(v) for v in sorted(VAGUE_COUNTS, key=len, reverse=True))
    + r")\s+of\b",
    re.IGNORECASE,
)
_PER_RX = re.compile(
    r"[\s-]*(?:per|a|an|/|each)[\s-]*("
    + "|".join(re.escape(u) for u in sorted(PER_UNITS, key=len, reverse=True))
    + r")s?\b(?!\s+(?:ago|earlier|before|later|from\s+now))",  # "8 percent a year ago": a date
    re.IGNORECASE,
)
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|to|and)\s*", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_GLUED_WORD = re.compile(r"[A-Za-z]")


def _word_value(words: str) -> float | None:
    """Value of number words: "forty-two", "two hundred and fifty thousand", "a dozen"."""
    w = words.lower().replace("-", " ").split()
    if w in (["a", "dozen"], ["an", "dozen"], ["dozen"]):
        return 12
    if w == ["a", "half"]:
        return 0.5
    total = current = 0.0
    for word in w:
        if word == "and":
            continue
        if word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "dozen":  # "two dozen": 24
            current = (current or 1) * 12
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
    return total + current


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() and abs(x) < 1e18 else round(x, 6)


def _parse(m: re.Match[str]) -> tuple[float | None, str | None]:
    """(value, currency unit) of a number match."""
    digits, words, scale, cur = (
        m.group("digits"),
        m.group("words"),
        m.group("scale"),
        m.group("cur"),
    )
    if digits:
        value: float | None = float(re.sub(r"[,\s\u00a0\u202f]", "", digits))
    else:
        value = _word_value(words)
    if value is None:
        return None, None
    if scale:
        s = re.sub(r"\s+", " ", scale.lower())
        if s in LETTER_SCALES and not cur:
            nxt = re.match(r"\s+([A-Za-z]+)", m.string[m.end() : m.end() + 20])
            glued = m.start("scale") == m.end("digits") if digits else False
            if not glued or nxt is None or nxt.group(1).lower() in LENGTH_WORDS:
                return None, None  # "5 m" is metres, "3b" a name; "12.3m tonnes" a million
        value *= SCALES.get(s) or SCALES.get(" ".join(w.removesuffix("s") for w in s.split()), 1)
    if m.group("neg"):
        value = -value
    unit = CURRENCY_PREFIX.get(re.sub(r"\s+", " ", cur.lower())) if cur else None
    if cur and unit is None:
        unit = CURRENCY_PREFIX.get(cur.lower().replace(" ", ""), "dollar")
    return value, unit


def _scan(text: str, options: QuantityOptions) -> list[Quantity]:
    """Number expressions in ``text``, with units, ranges and approximation cues."""
    found: list[Quantity] = []
    matches = [m for m in _NUMBER.finditer(text) if m.group("digits") or m.group("words")]
    matches += list(_A_SCALE.finditer(text))
    matches.sort(key=lambda m: m.start())
    fractions = _fractions(text)
    found.extend(fractions)
    taken = [(f.start, f.end) for f in fractions]
    taken += _identifiers(text)
    last_end = -1
    for m in matches:
        if m.start() < last_end or any(a < m.end() and m.start() < b for a, b in taken):
            continue
        if "words" in m.re.groupindex:
            value, cur_unit = _parse(m)
        else:  # "a million"
            value = float(SCALES[m.group("scale").lower()])
            cur = m.group("cur")
            cur_unit = CURRENCY_PREFIX.get(cur.lower().replace(" ", "")) if cur else None
        if value is None:
            continue
        words = m.groupdict().get("words")
        if words and words.strip().lower() == "one" and not options.include_one:
            continue
        end = m.end()
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        tail = text[end : end + 3]
        if m.groupdict().get("digits") and _ORDINAL_AFTER.match(tail):
            continue  # 1st, 22nd
        q = Quantity(start, end, _num(value), unit=cur_unit, num_start=start, num_end=end)
        q.kind = "money" if cur_unit else "count"
        # unit after the number
        age = _AGE_RX.match(text, end)
        if age:
            q.unit, q.kind, q.end = "year of age", "age", age.end()
        else:
            um = _UNITS_RX.match(text, end)
            if um and not cur_unit:
                u = um.group("unit")
                glued = um.start("unit") == end
                if u.lower() in SHORT_UNITS and not glued and not u.startswith("%"):
                    um = None
                if um:
                    q.unit, q.end = UNIT_WORDS[u.lower()], um.end()
                    q.kind = _kind(q.unit)
            if q.unit is not None:
                per = _PER_RX.match(text, q.end)
                if per:
                    q.unit = f"{q.unit} per {PER_UNITS[per.group(1).lower().rstrip('s')]}"
                    q.end = per.end()
            if not um and _GLUED_WORD.match(text, end) and not m.group("scale"):
                continue  # "5G", "3D", "MP3" style names
        if _AGE_BEFORE.search(text, max(0, start - 8), start) or (
            q.kind == "count"
            and m.groupdict().get("digits")
            and isinstance(q.value, int)
            and 0 < q.value < 120
            and _AGE_APPOSITION_BEFORE.search(text, max(0, start - 40), start)
            and _AGE_APPOSITION_AFTER.match(text, end)
        ):
            q.unit, q.kind = "year of age", "age"
        # approximation cue before
        cue = _APPROX_RX.search(text, max(0, start - 16), start)
        if cue:
            q.approx = APPROX_CUES[cue.group("cue").lower()]
            q.start = cue.start()
        found.append(q)
        last_end = q.end
    for vm in _VAGUE_RX.finditer(text):
        low, high, label = VAGUE_COUNTS[vm.group("vague").lower()]
        if any(q.start < vm.end() and vm.start() < q.end for q in found):
            continue
        vague_end = vm.start("vague") + len(vm.group("vague"))
        found.append(
            Quantity(
                vm.start(), vague_end, None, low=low, high=high, approx=label, kind="vague",
                unit=_unit_after_of(text, vm.end()), num_start=vm.start("vague"),
                num_end=vague_end,
            )
        )  # fmt: skip
    found.sort(key=lambda q: q.start)
    return found


#: Digit strings that name rather than count: phone numbers (a group with a leading zero among
#: several, "0800 555 123", "+44 20 7946 0958") and numbers after a label word ("case number
#: 2023-4471", "tel. 555-0199", "No. 12-345").
_IDENTIFIER = re.compile(
    r"(?<![\w.,])(?:\+\d{1,3}[\s-]?)?\(?0\d+\)?(?:[\s-]\d{2,})+(?![\w.,]\d)"
    r"|(?<![\w.,])\+\d{1,3}(?:[\s-]\d{2,}){2,}"
    r"|\b(?:(?:case|phone|telephone|reference|account|serial|file|registration|policy|tracking)"
    r"\s+(?:number|no\.)|tel\.|tel|fax|hotline)[\s:#]*(?:(?:is|was)\s+)?"
    r"(?P<id>\d+(?:[\s-]\d+)*)(?![\w.,]\d)",
    re.IGNORECASE,
)


def _identifiers(text: str) -> list[tuple[int, int]]:
    return [m.span("id") if m.group("id") else m.span() for m in _IDENTIFIER.finditer(text)]


_FRACTION_DIGITS = re.compile(r"(?<![\w/⁄.$,])(\d{1,2})\s?[/⁄]\s?(\d{1,3})(?![\w/⁄]|[.,]\d)")
_FRACTION_WORDS = re.compile(
    r"\b(?:(?P<n>a|one|two|three|four|five|seven|nine)[\s-]+"
    r"(?P<d>half|thirds?|quarters?|fourths?|fifths?|eighths?|tenths?)"
    r"|(?P<half>half))(?=\s+of\b)(?!\s+of\s+(?:\d|(?:the\s+|this\s+|last\s+|next\s+)?"
    r"(?:fiscal\s+|calendar\s+|current\s+|same\s+)?year\b))",
    re.IGNORECASE,
)  # not "three quarters of the year", "two quarters of 2020": periods
_DENOMINATORS = {
    "half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "eighth": 8, "tenth": 10
}  # fmt: skip
_NUM_WORD = r"one|two|three|four|five|six|seven|eight|nine|ten"
#: "one in five voters", "9 out of 10 doctors": a share, not two counts.
_ONE_IN = re.compile(
    rf"(?<![\w.,$€£])(?P<n>\d{{1,3}}|{_NUM_WORD}|an?)\s+(?:in|out\s+of)\s+(?:every\s+)?"
    rf"(?P<d>\d{{1,3}}(?:,\d{{3}})*|{_NUM_WORD}|hundred|a\s+hundred|a\s+thousand)\b"
    r"(?![.,]\d|\s*%|\s+(?:years?|months?|weeks?|days?|hours?|minutes?|percent|per\s+cent)\b)",
    re.IGNORECASE,
)


def _count_word(word: str) -> int | None:
    w = " ".join(word.lower().split())
    if w in ("a", "an"):
        return 1
    if w.replace(",", "").isdigit():
        return int(w.replace(",", ""))
    return {"hundred": 100, "a hundred": 100, "a thousand": 1000}.get(w, NUMBER_WORDS.get(w))


def _fractions(text: str) -> list[Quantity]:
    """ "1/2 pound", "1⁄32 of a quart", "a third of", "half of": values below one."""
    out = []
    for m in _FRACTION_DIGITS.finditer(text):
        num, den = int(m.group(1)), int(m.group(2))
        if den == 0 or num >= den:
            continue  # "24/7", "9/11": not fractions
        q = Quantity(m.start(), m.end(), _num(num / den), num_start=m.start(), num_end=m.end())
        um = _UNITS_RX.match(text, m.end())
        if um:
            q.unit, q.end = UNIT_WORDS[um.group("unit").lower()], um.end()
            q.kind = _kind(q.unit)
        out.append(q)
    for m in _ONE_IN.finditer(text):
        share, whole = _count_word(m.group("n")), _count_word(m.group("d"))
        if share is None or not whole or share >= whole:
            continue
        out.append(
            Quantity(
                m.start(), m.end(), _num(share / whole), kind="fraction", num_start=m.start(),
                num_end=m.end(),
            )
        )  # fmt: skip
    for m in _FRACTION_WORDS.finditer(text):
        if any(q.start < m.end() and m.start() < q.end for q in out):
            continue
        if m.group("half"):
            value = 0.5
        else:
            n = 1 if m.group("n").lower() in ("a", "one") else NUMBER_WORDS[m.group("n").lower()]
            value = n / _DENOMINATORS[m.group("d").lower().rstrip("s")]
        out.append(
            Quantity(
                m.start(), m.end(), _num(value), kind="fraction", num_start=m.start(),
                num_end=m.end(),
            )
        )  # fmt: skip
    return out


def _unit_after_of(text: str, pos: int) -> str | None:
    m = _UNITS_RX.match(text, pos)
    return UNIT_WORDS[m.group("unit").lower()] if m else None


def _kind(unit: str) -> str:
    if unit in ("percentage", "percentage point"):
        return "percent"
    if unit in ("year", "month", "week", "day", "hour", "minute", "second", "decade"):
        return "duration"
    return "money" if unit in _MONEY_UNITS else "measure"


#: Scale words that make "N … pounds" money rather than weight ("4.5 million pounds").
_POUND_SCALES = re.compile(r"\b(?:thousand|million|billion|trillion|bn|m)\b", re.IGNORECASE)


def _pound_unit(text: str, q: Quantity, noun: Any) -> str:
    """ "pounds" after a number: weight when "of" follows ("10 million pounds of beef") or
    nothing marks money; money (pound sterling) after a scale word or where the article
    writes £ or "sterling" elsewhere ("fined 500 pounds" in a British report)."""
    after = text[noun.idx + len(noun.text) :].lstrip()
    if after.lower().startswith("of "):
        return "pound-mass"
    if _POUND_SCALES.search(text, q.num_start, q.num_end) or re.search(
        r"£|\bsterling\b", text, re.IGNORECASE
    ):
        return "pound sterling"
    return "pound-mass"


_MONEY_UNITS = frozenset(CURRENCY_PREFIX.values()) | {
    "dollar", "cent", "euro", "pound sterling", "japanese yen", "chinese yuan", "shekel",
    "indian rupee", "moroccan dirham", "swiss franc", "peso", "sen", "malaysian ringgit",
}  # fmt: skip


def _join_ranges(text: str, qs: list[Quantity]) -> None:
    """Merge "X-Y", "from X to Y", "between X and Y" and "X to Y" into one range quantity."""
    i = 0
    while i + 1 < len(qs):
        a, b = qs[i], qs[i + 1]
        gap = text[a.end : b.start]
        sep = _RANGE_SEP.fullmatch(gap)
        opener = _RANGE_OPEN.search(text, max(0, a.start - 9), a.start)
        ok = False
        if sep and a.value is not None and b.value is not None and b.approx is None:
            word = sep.group(0).strip().lower()
            if word in ("-", "–", "—"):
                ok = True
            elif word == "and":
                ok = opener is not None and opener.group(0).strip().lower() == "between"
            elif word == "to":
                ok = (
                    opener is not None
                    or (a.unit is None and a.kind == "count")
                    or (  # "$1 million to $1.25 million", but not "rose by $4 to $19"
                        a.unit is not None
                        and (a.unit == b.unit or str(b.unit).startswith(f"{a.unit} per "))
                        and not _BY_BEFORE.search(text, max(0, a.start - 4), a.start)
                    )
                )
        if not ok and _is_change_to_from(text, a, b, gap):
            # "narrowed to 138,285 lots from 212,577 lots": one change, written as a range
            merged = Quantity(
                a.start, b.end, None, low=b.value, high=a.value, unit=a.unit or b.unit,
                kind=a.kind, num_start=a.num_start, num_end=b.num_end,
            )  # fmt: skip
            qs[i : i + 2] = [merged]
            continue
        if ok:
            lo, hi = a.value, b.value
            assert lo is not None and hi is not None
            if a.unit in (None, b.unit):
                # "33-35 billion euros", "four to five thousand": the scale applies to both
                lo = _rescale(text, a, b)
            score = None
            if lo > hi:
                if sep is not None and sep.group(0).strip() in ("-", "–", "—") and not opener:
                    score = (lo, hi)  # "ruled 5-4", "a 9-2 lead": a score or vote, no range
                lo, hi = hi, lo  # "fell from 18 to 12 percent": a change downwards
            merged = Quantity(
                (opener.start() if opener else a.start), b.end, None, low=lo, high=hi,
                approx=a.approx, unit=b.unit or a.unit, kind=b.kind if b.unit else a.kind,
                num_start=a.num_start, num_end=b.num_end, score=score,
            )  # fmt: skip
            if score is not None:
                merged.kind, merged.unit = "score", None
            qs[i : i + 2] = [merged]
            continue
        i += 1


_TO_BEFORE = re.compile(r"\bto\s+$", re.IGNORECASE)
_BY_BEFORE = re.compile(r"\bby\s+$", re.IGNORECASE)
_FROM_GAP = re.compile(r"\s+(?:(?P<word>[A-Za-z]+)\s+)?from\s+", re.IGNORECASE)


def _is_change_to_from(text: str, a: Quantity, b: Quantity, gap: str) -> bool:
    """ "… to A from B" with A and B of one unit (or B's unit implied by A's): "to 6.7% from
    6.29%", "to 138,285 lots from 212,577 lots"."""
    fm = _FROM_GAP.fullmatch(gap)
    if fm is not None and fm.group("word"):  # the counted noun repeated after B
        word = re.match(r"\s+([A-Za-z]+)", text[b.end : b.end + 40])
        if word is None or word.group(1).lower() != fm.group("word").lower():
            return False
    return (
        fm is not None
        and _TO_BEFORE.search(text, max(0, a.start - 4), a.start) is not None
        and a.value is not None
        and b.value is not None
        and a.approx is None
        and b.approx is None
        and (a.unit == b.unit or b.unit is None)
    )


def _rescale(text: str, a: Quantity, b: Quantity) -> float | int:
    """The low end takes the high end's scale word when it has none ("33-35 billion"), unless
    it is already a whole amount ("$750,000 to $1 million")."""
    assert a.value is not None
    m = re.search(rf"\s?({_SCALE})", text[b.num_start : b.num_end], re.IGNORECASE)
    a_has_scale = re.search(rf"\d\s?({_SCALE})", text[a.num_start : a.num_end], re.IGNORECASE)
    if m and not a_has_scale:
        scale = SCALES.get(m.group(1).lower(), 1)
        # "$750,000 to $1 million": a low end already above the high end's digits is complete.
        if b.value is None or a.value <= b.value / scale:
            return _num(a.value * scale)
    return a.value


# -- reading the numbers against the parse ------------------------------------------------------


def quantity_spans(art: Article, *, options: QuantityOptions = QuantityOptions()) -> None:
    """Fill ``art.layers["quantities"]`` (needs the Doc, timexes and attributions)."""
    art.layers["quantities"] = []
    for q, attrs in find_quantities(art, options=options):
        art.add("quantities", art.span(q.start, q.end, q.kind, **attrs))


def find_quantities(
    art: Article, *, options: QuantityOptions = QuantityOptions()
) -> list[tuple[Quantity, dict[str, Any]]]:
    """Quantities of ``art`` with their attrs (see the module docstring)."""
    text, doc = art.text, art._doc
    timexes = art.layer("timexes")
    t_starts = [t.start for t in timexes]
    ents = [] if doc is None else list(doc.ents)
    sents = art.layer("sentences")
    s_starts = [s.start for s in sents]
    tok_starts: list[int] = [] if doc is None else doc.to_array("IDX").tolist()
    links = _Lookups(doc, timexes)
    kept: list[Quantity] = []
    for q in _scan(text, options):
        timex_i = _covering(timexes, t_starts, q.num_start, q.num_end)
        if timex_i is not None:
            t = timexes[timex_i]
            if t.attrs.get("type") != "DURATION":
                continue  # part of a date or clock time
            q.kind, q.timex = "duration", timex_i
            if q.approx and doc is not None and _over_as_preposition(doc, text, q.start):
                q.approx, q.start = None, q.num_start  # "cost $5 million over 10 years"
            if q.unit is None:
                q.unit = _duration_unit(str(t.attrs.get("value", "")))
        elif (
            _bare_year(q)
            and not options.include_years
            and not year_is_count(text, q.num_start, q.num_end)
        ):
            continue
        if (
            q.unit is None
            and doc is not None
            and (_in_name(ents, q) or _names_a_thing(doc, q, links))
        ):
            continue
        if _HYPHEN_ADJ.match(text, q.num_end) and q.kind == "duration":
            continue  # "a five-year award": a modifier, not a stated amount
        kept.append(q)
    _join_ranges(text, kept)
    out = []
    for q in kept:
        attrs = _attrs(art, q, doc, tok_starts, sents, s_starts, links)
        pronoun = q.value == 1 and text[q.num_start : q.num_end].lower() == "one"
        if pronoun and attrs["counted"] is None and not text.startswith(" of", q.num_end):
            continue  # "each one", "the same one": a pronoun
        out.append((q, attrs))
    _inherit_units(text, out)
    for q, attrs in out:
        if q.kind == "fraction" and attrs["unit"] is None:
            # NewsQuant writes "a third of the population" as a share: unit "% population"
            attrs["unit"] = f"% {attrs.get('counted_lemma') or '-'}"
    return out


#: A bare number compared with a previous one takes its unit: "rose to 3.9 million headsets
#: from 2.4 million", "460 vehicles … compared with 63".
_COMPARISON_GAP = re.compile(
    r"\b(?:from|to|compared\s+(?:with|to)|versus|vs\.?|against|than|or|including)\b",
    re.IGNORECASE,
)
#: Most characters between a bare number and the number whose unit it takes.
INHERIT_MAX_GAP = 90


def _inherit_units(text: str, found: list[tuple[Quantity, dict[str, Any]]]) -> None:
    for i, (q, attrs) in enumerate(found):
        if attrs["unit"] or attrs.get("counted_lemma") or q.kind != "count" or q.approx:
            continue
        for j in range(i - 1, -1, -1):
            p, pa = found[j]
            gap = text[p.end : q.start]
            if len(gap) > INHERIT_MAX_GAP or re.search(r"[.;:!?]\s", gap):
                break
            if pa["unit"] == "percentage":
                continue  # "rose 0.65 per cent to 27,349.19": the level is not a percentage
            if (pa["unit"] or pa.get("counted_lemma")) and _COMPARISON_GAP.search(gap):
                attrs["unit"], attrs["unit_from"] = pa["unit"], j
                if pa.get("counted_lemma"):
                    attrs["counted_lemma"] = pa["counted_lemma"]
                q.unit = pa["unit"]
            break


_HYPHEN_ADJ = re.compile(r"-(?:year|month|week|day|hour|minute)\b(?!-old)", re.IGNORECASE)
#: Words before a number that make it a label, not an amount ("Part 3", "Game 7").
LABEL_WORDS = frozenset(
    {"part", "game", "chapter", "article", "section", "no", "no.", "number", "vol", "vol.",
     "route", "flight", "room", "episode", "season", "page"}
)  # fmt: skip


def _names_a_thing(doc: Any, q: Quantity, links: _Lookups) -> bool:
    """A number right after a proper noun or label word ("iPhone 11", "S&P 500", "Part 3"),
    or in parentheses on its own ("(4)"), names something rather than counting it."""
    span = doc.char_span(q.num_start, q.num_end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    prev = doc[span.start - 1]
    if prev.text == "(" and span.end < len(doc) and doc[span.end].text == ")":
        return True
    if prev.lower_ in LABEL_WORDS or prev.lower_ in INDEX_NAME_WORDS:
        return True
    if (
        prev.text in ("-", "&")
        and span.start >= 2
        and doc[span.start - 2].lower_ in INDEX_NAME_WORDS
    ):
        return True
    if (
        prev.pos_ == "PROPN"
        and prev.i > links.sent_bounds(prev.i)[0]
        and prev.ent_type_ not in ("GPE", "NORP")
    ):
        return True
    last = doc[span.end - 1]
    return last.dep_ == "compound" and last.head.pos_ == "PROPN" and last.head.i > last.i


def _over_as_preposition(doc: Any, text: str, start: int) -> bool:
    """Is the "over" at ``start`` a preposition heading a duration ("cost $5 million over 10
    years": during them) rather than a bound ("for over 10 years": more than ten)?"""
    if not text.startswith(("over ", "Over "), start):
        return False
    span = doc.char_span(start, start + 4)
    return span is not None and span[0].dep_ == "prep"


def _duration_unit(value: str) -> str | None:
    m = re.fullmatch(r"PT?[\dX.]+(Y|M|W|D|H|S|DE|CE|Q)", value)
    if not m:
        return None
    time_part = value.startswith("PT")
    return {
        "Y": "year", "M": "minute" if time_part else "month", "W": "week", "D": "day",
        "H": "hour", "S": "second", "DE": "decade", "CE": "century", "Q": "quarter",
    }[m.group(1)]  # fmt: skip


def _bare_year(q: Quantity) -> bool:
    v = q.value
    return (
        q.unit is None
        and q.low is None
        and isinstance(v, int)
        and 1800 <= v <= 2099
        and q.num_end - q.num_start == 4
    )


def _covering(spans: list[Any], starts: list[int], start: int, end: int) -> int | None:
    i = bisect.bisect_right(starts, start) - 1
    for j in (i, i - 1):
        if 0 <= j < len(spans) and spans[j].start <= start and end <= spans[j].end:
            return j
    return None


def _in_name(ents: list[Any], q: Quantity) -> bool:
    for e in ents:
        if e.start_char <= q.num_start and q.num_end <= e.end_char and e.label_ in NAME_LABELS:
            return True
    return False


def _attrs(
    art: Article,
    q: Quantity,
    doc: Any,
    tok_starts: list[int],
    sents: list[Any],
    s_starts: list[int],
    links: _Lookups,
) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "value": q.value,
        "low": q.low if q.low is not None else q.value,
        "high": q.high if q.high is not None else (q.value if q.low is None else None),
        "approx": q.approx,
        "unit": q.unit,
        "counted": None,
        "predicate": None,
        "subject": None,
        "time": None,
        "time_prep": None,
        "place": None,
        "source": "unattributed",
    }
    if q.timex is not None:
        attrs["timex"] = q.timex
    if q.score is not None:
        attrs["score"] = list(q.score)
    si = bisect.bisect_right(s_starts, q.start) - 1
    sent = sents[si] if si >= 0 else None
    pred_tok = None
    if doc is not None and tok_starts:
        ti = max(0, bisect.bisect_right(tok_starts, max(q.num_end - 1, q.num_start)) - 1)
        tok = doc[ti]
        noun = _counted_noun(tok)
        if noun is not None and q.unit is not None and noun.lower_ in UNIT_WORDS:
            noun = None  # "seven years", "15 miles": the unit, not a counted thing
        if noun is not None:
            left = noun
            while left.i > 0:  # the compounds right before the noun ("terrorism cells")
                prev = doc[left.i - 1]
                if prev.dep_ != "compound" or prev.head.i != noun.i:
                    break
                left = prev
            if left.idx >= q.num_end or left.i > tok.i:
                attrs["counted"] = [left.idx, noun.idx + len(noun.text)]
            else:
                attrs["counted"] = [noun.idx, noun.idx + len(noun.text)]
            own = _token_ids(tok_starts, q.num_start, q.num_end)
            nxt = doc[max(own) + 1] if max(own) + 1 < len(doc) else None
            if (
                nxt is not None
                and nxt.dep_ == "compound"
                and nxt.pos_ == "NOUN"
                and nxt.head.i == noun.i
                and nxt.i < noun.i
                and noun.tag_ != "NNS"  # "five profile slots" count slots
            ):
                noun = nxt  # "a 3 cylinder engine", "the 12 page document": cylinders, pages
            partitive = noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.i in own
            attrs["counted_lemma"] = concept_lemma(
                noun, own, partitive=partitive, sent_len=_length(links.sent_bounds(noun.i))
            )
            unit_word = UNIT_WORDS.get(noun.lower_) or CURRENCY_PREFIX.get(noun.lower_)
            if noun.lower_ in ("pound", "pounds"):
                unit_word = _pound_unit(art.text, q, noun)
            if q.unit is None and unit_word and noun.i == tok.i + 1:
                attrs["unit"] = q.unit = unit_word  # "110 JPY", "15 cm"
                q.kind = _kind(unit_word)  # "4.5 million pounds" is money, as £4.5m
        pred_tok = _predicate(noun if noun is not None else tok)
        if pred_tok is not None:
            attrs["predicate"] = [pred_tok.idx, pred_tok.idx + len(pred_tok.text)]
            subj = [c for c in pred_tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and not (subj[0].idx <= q.num_start < subj[0].idx + len(subj[0].text)):
                first, last = subj[0].left_edge, subj[0].right_edge  # its subtree's ends
                attrs["subject"] = [first.idx, last.idx + len(last.text)]
            attrs["place"] = _place(art, doc, pred_tok, noun)
    if sent is not None:
        num_tok = tok if doc is not None and tok_starts else None
        attrs["time"], attrs["time_prep"] = _time_link(art.text, sent, links, pred_tok, num_tok)
        attrs["source"] = _source(art, q, sent)
    return attrs


def _token_ids(tok_starts: list[int], start: int, end: int) -> set[int]:
    lo = max(0, bisect.bisect_right(tok_starts, start) - 1)
    hi = bisect.bisect_left(tok_starts, end)
    return set(range(lo, max(lo + 1, hi)))


def _counted_noun(tok: Any) -> Any:
    """The noun a number token modifies ("2,009" -> "cells"; "40 million" -> "Moroccans")."""
    t = tok
    for _ in range(2):
        if t.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and t.head.pos_ in (
            "NOUN",
            "PROPN",
        ):
            head = t.head
            if head.lower_ in SCALES or head.lower_ in ("dozen", "dozens", "hundreds", "thousands"):
                t = head
                continue
            if t.dep_ == "compound" and t.lower_ in SCALES:
                # "Rs 2,500 crore relief package": the scale word is parsed as a compound of
                # the next noun; the counted noun heads the whole compound
                while head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN"):
                    head = head.head
            return head
        if t.dep_ in ("nummod", "quantmod") and t.head.pos_ == "NUM":
            t = t.head
            continue
        break
    # "hundreds of people", "3,535 of the prisoners": the object of "of"
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for o in c.children:
                if o.dep_ == "pobj" and o.pos_ in ("NOUN", "PROPN"):
                    return o
    return None


def _predicate(tok: Any) -> Any:
    t = tok
    for _ in range(PREDICATE_MAX_HOPS):
        if t.pos_ == "VERB" and t.i != tok.i:
            return t
        if t.head.i == t.i:
            return t if t.pos_ == "VERB" else None
        t = t.head
    return None


def _place(art: Article, doc: Any, pred: Any, noun: Any) -> list[int] | None:
    anchors = {pred.i} | ({noun.i} if noun is not None else set())
    for e in art.layer("entities"):
        if e.label not in ("GPE", "LOC"):
            continue
        span = doc.char_span(e.start, e.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS and root.head.head.i in anchors:
            return [e.start, e.end]
    return None


class _Lookups:
    """What reading each number against the parse looks up, built once per article: each
    sentence's DATE and TIME timexes sorted by start with a range-minimum table of their
    indices (:func:`_time_link`), the ends of each token's subtree, and the Doc's sentence
    starts. Scanning every timex and listing the predicate's subtree for each quantity cost
    quadratic time (800,000 subtree walks for 4,000 numbers in one unpunctuated sentence),
    and so did ``Token.sent``, which checks every token of the Doc."""

    def __init__(self, doc: Any, timexes: list[Any]) -> None:
        self.doc = doc
        self.timexes = timexes
        dated = sorted(
            (t.start, i) for i, t in enumerate(timexes) if t.attrs.get("type") in ("DATE", "TIME")
        )
        self.starts = [start for start, _ in dated]
        self.indices = [i for _, i in dated]
        self.sentences: dict[tuple[int, int], tuple[list[int], list[list[int]]]] = {}
        self.first: list[int] = []
        self.last: list[int] = []
        self.sent_starts: list[int] = []

    def sent_bounds(self, i: int) -> tuple[int, int]:
        """Start and end (exclusive) of ``doc[i].sent``, by bisection in the sentence starts."""
        if not self.sent_starts:
            self.sent_starts = [s.start for s in self.doc.sents]
        k = bisect.bisect_right(self.sent_starts, i) - 1
        end = self.sent_starts[k + 1] if k + 1 < len(self.sent_starts) else len(self.doc)
        return self.sent_starts[k], end

    def in_sentence(self, sent: Any) -> tuple[list[int], list[list[int]]]:
        """Starts, sorted, of the DATE and TIME timexes inside ``sent``, and the
        range-minimum table (:func:`_min_table`) of their indices."""
        key = (sent.start, sent.end)
        if key not in self.sentences:
            lo = bisect.bisect_left(self.starts, sent.start)
            hi = bisect.bisect_left(self.starts, sent.end)
            inside = [
                (self.starts[k], self.indices[k])
                for k in range(lo, hi)
                if self.timexes[self.indices[k]].end <= sent.end
            ]
            self.sentences[key] = ([a for a, _ in inside], _min_table([i for _, i in inside]))
        return self.sentences[key]

    def subtree_chars(self, tok: Any) -> tuple[int, int]:
        """Character range from the first to the last token of ``list(tok.subtree)``: the
        subtree of the leftmost left child, or of the rightmost right one, recursively
        (followed once per token, not walked per quantity)."""
        if not self.first:
            heads = [t.head.i for t in self.doc]
            self.first, self.last = list(range(len(heads))), list(range(len(heads)))
            left, right = [-1] * len(heads), [-1] * len(heads)
            for c, h in enumerate(heads):
                if c < h and left[h] < 0:
                    left[h] = c
                elif c > h:
                    right[h] = c
            for i in range(len(heads)):  # a left child's first is known before its head's
                if left[i] >= 0:
                    self.first[i] = self.first[left[i]]
            for i in range(len(heads) - 1, -1, -1):
                if right[i] >= 0:
                    self.last[i] = self.last[right[i]]
        a, b = self.doc[self.first[tok.i]], self.doc[self.last[tok.i]]
        return a.idx, b.idx + len(b.text)


def _length(bounds: tuple[int, int]) -> int:
    return bounds[1] - bounds[0]


def _min_table(values: list[int]) -> list[list[int]]:
    """Sparse table of ``values``: ``table[k][i]`` is the least of ``values[i : i + 2**k]``."""
    table = [values]
    while 2 ** len(table) <= len(values):
        prev, half = table[-1], 2 ** (len(table) - 1)
        table.append([min(prev[i], prev[i + half]) for i in range(len(prev) - half)])
    return table


def _range_min(table: list[list[int]], lo: int, hi: int) -> int | None:
    """The least of ``values[lo:hi]`` (None when empty)."""
    if lo >= hi:
        return None
    k = (hi - lo).bit_length() - 1
    return min(table[k][lo], table[k][hi - 2**k])


#: Dependencies that open a clause of their own: a date inside one dates only that clause
#: ("The bank, which was founded in 1962, held its rate at 4.5 percent").
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "csubj", "parataxis"})
#: Dated candidates tried per quantity, inside the predicate's subtree and then in the whole
#: sentence (each try climbs the parse; a bound keeps long sentences linear).
TIME_LINK_TRIES = 3


def _time_link(
    text: str, sent: Any, links: _Lookups, pred: Any, num: Any = None
) -> tuple[int | None, str | None]:
    """The DATE or TIME timex of the sentence that the quantity happened at: the first (in
    layer order) inside the predicate's subtree, else the first of the sentence; never one
    inside a clause (relative, adverbial, complement, coordinated) that does not hold the
    number, since no date is better than a wrong one. (The quantity's own timex, when it has
    one, is a DURATION: never one of these.)"""
    starts, table = links.in_sentence(sent)
    spans: list[tuple[int, int]] = []
    if pred is not None:
        lo, hi = links.subtree_chars(pred)
        spans.append((bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)))
    spans.append((0, len(starts)))
    best = None
    for lo, hi in spans:
        for i in _smallest(table, lo, hi, TIME_LINK_TRIES):
            if num is None or not _outside_clause(links, links.timexes[i], num):
                best = i
                break
        if best is not None:
            break
    if best is None:
        return None, None
    t = links.timexes[best]
    prep = re.search(r"\b(since|in|on|by|until|during|from|before|after|at|over)\s+$",
                     text[max(0, t.start - 8) : t.start], re.IGNORECASE)  # fmt: skip
    return best, (prep.group(1).lower() if prep else None)


def _smallest(table: list[list[int]], lo: int, hi: int, k: int) -> list[int]:
    """The ``k`` least of ``values[lo:hi]`` in order (``table`` from :func:`_min_table`), by
    splitting the range around each minimum found."""
    values = table[0] if table else []
    out: list[int] = []
    ranges = [(lo, hi)]
    while ranges and len(out) < k:
        found = [(m, a, b) for a, b in ranges if (m := _range_min(table, a, b)) is not None]
        if not found:
            break
        m, a, b = min(found)
        ranges.remove((a, b))
        out.append(m)
        at = values.index(m, a, b)
        ranges += [r for r in ((a, at), (at + 1, b)) if r[0] < r[1]]
    return out


def _outside_clause(links: _Lookups, timex: Any, num: Any) -> bool:
    """Is ``timex`` inside a clause (see ``CLAUSE_DEPS``, or a coordinated verb) that does not
    hold the number token ``num``?"""
    doc = links.doc
    span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
    if span is None:
        return False
    t = span.root
    for _ in range(PREDICATE_MAX_HOPS * 2):
        if t.head.i == t.i:
            return False
        clause = t.dep_ in CLAUSE_DEPS or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX"))
        if clause:
            lo, hi = links.subtree_chars(t)
            return not lo <= num.idx < hi
        t = t.head
    return False


#: Attribution kinds that always report someone's words or figures.
REPORTING_KINDS = frozenset({"direct", "mixed", "according-to", "epistemic"})
#: Cue words (lemmas) that make an indirect attribution a report of words, a belief or an
#: estimate, so the numbers in it are given on its source's word.
REPORTING_CUES = (
    SPEECH_VERBS
    | EPISTEMIC_VERBS
    | ESTIMATE_VERBS
    | NOMINAL_CUES
    # "In this poll, Trump rose 1 point", "Politifact: …", "identified X as one of the
    # reasons", "a video references four cases", "made the criticism"
    | {"in", ":", "identify", "reference", "criticism"}
)
#: Subjects that make "found" and "showed" a report of findings ("a 2014 study found 31
#: incidents") rather than a deed ("police found 12 bodies").
FINDING_SUBJECTS = frozenset(
    {"study", "report", "survey", "poll", "analysis", "data", "figure", "research", "review",
     "audit", "investigation", "census", "statistic", "record", "document", "test", "inquiry",
     "probe", "estimate", "count", "tally", "assessment", "evaluation", "paper", "model"}
)  # fmt: skip
#: Speech verbs that report only with a clause or a quotation: with the number in their direct
#: object they tell what was done ("it adds 3.8 kilometres of track", "police found 12
#: bodies", "the firm posted a loss of $2m", "prosecutors charged three men").
CLAUSE_ONLY_CUES = frozenset({"add", "find", "post", "show", "charge", "order", "continue"})


def _reports(art: Article, attribution: Any, q: Quantity) -> bool:
    """Whether an attribution gives its content on its source's word ("said", "estimated",
    "according to", a quotation) rather than recording what the source did: in "the council
    approved a 64 million crown budget" or "the board backs a 5 % rise" the council and the
    board decided the figure, nobody is cited for it (PolNeAR counts such cues as attribution,
    and the attribution stage follows it); nor is a number in the direct object of a verb of
    CLAUSE_ONLY_CUES."""
    if attribution.attrs.get("kind") in REPORTING_KINDS:
        return True
    cues = art.layer("cues")
    k = attribution.attrs.get("cue")
    doc = art._doc
    if not isinstance(k, int) or not 0 <= k < len(cues) or doc is None:
        return True  # nothing to read the cue from: keep the stage's judgement
    cue = doc.char_span(cues[k].start, cues[k].end, alignment_mode="expand")
    if cue is None:
        return True
    for t in cue:
        lemma = t.lemma_.casefold()
        if lemma == "point" and any(w.lower_ == "out" for w in cue):
            return True  # "Politifact then pointed out that one shooting …"
        subjects = {c.lemma_.casefold() for c in t.children if c.dep_ in ("nsubj", "nsubjpass")}
        if lemma in ("find", "show") and subjects & FINDING_SUBJECTS:
            return True
        if lemma in CLAUSE_ONLY_CUES:
            objects = [c for c in t.children if c.dep_ in ("dobj", "obj")]
            return not any(
                o.left_edge.idx <= q.start < o.right_edge.idx + len(o.right_edge) for o in objects
            )
        if lemma in REPORTING_CUES:
            return True
    return False


def _source(art: Article, q: Quantity, sent: Any) -> dict[str, int] | str:
    best: tuple[int, int] | None = None
    same_sentence: int | None = None
    for i, a in enumerate(art.layer("attributions")):
        if a.start <= q.start and q.end <= a.end:
            size = a.end - a.start
            if (best is None or size < best[0]) and _reports(art, a, q):
                best = (size, i)
        elif sent.start <= a.start < sent.end and a.attrs.get("kind") in SOURCE_KINDS:
            same_sentence = i  # "according to": a reporting kind
    if best is not None:
        return {"attribution": best[1]}
    if same_sentence is not None:
        return {"attribution": same_sentence}
    return "unattributed"
