"""Entity mentions on Title Case lines, checked against the article's running text.

On a Title Case headline every word has a capital, so spaCy's NER takes verbs and nouns into
names ("Calls Bank Workers" as an ORG, "Obama Commutes Sentence" as a PERSON). The rest of the
article says which of those words are names, so each NER mention on such a line is checked:

1. its words are a name the running text has, or a contiguous part of one ("Papandreou" when
   the text has "George Papandreou"): kept as it is;
2. otherwise each capitalised word is classed by how the running text writes it (the word,
   else its crude stem, so "Commutes" meets "commuted"): *common* when mostly in lower case
   ("calls", "workers"), a *name* when mostly capitalised mid-sentence or part of a name of
   the text. A word the text never uses is common when the tagger made it a verb, adjective,
   adverb or function word ("Vying", "Dangerous"; not for NORP, whose names are adjectives),
   a name when written in capitals on a line that is not ("US"), else *unknown*: a name the
   headline alone gives, or a noun the text does not repeat; it is kept.
3. common words split the mention; each run holding a name or an unknown word is kept,
   without lower-case words at its ends ("Obama Commutes Sentence" -> "Obama"), and
   without unknown words after the last word of a name of the text ("Trump Supporters" ->
   "Trump" when the text has "Donald Trump"; a suffix such as "Jr." stays) or before the
   first word of one ("Nominate Regina Benjamin" -> "Regina Benjamin").

Mentions off Title Case lines are never looked at. The running text is read once per
article, and only when a Title Case line holds a mention. What is still not caught: nouns
the running text never uses ("Clown", "Step"), which stay as *unknown*.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from presslens.lexicons_entities import (
    ADJECTIVE_NAME_LABELS,
    DETERMINERS,
    NAME_SUFFIXES,
    NOT_NAME_TAGS,
    WORD_EDGE_PUNCT,
)
from presslens.stages.entities_openers import opens_at

__all__ = ["CaseEvidence", "KnownNames", "headline_name_ranges", "in_ranges", "word_keys"]

_WORD = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"['’]s?$")

_NAME, _COMMON, _UNKNOWN, _NEUTRAL = "name", "common", "unknown", "neutral"

#: Inflection endings dropped by :func:`_stem`, and the shortest stem left (hand-set: short
#: stems make unrelated words meet).
STEM_SUFFIXES = ("ing", "ed", "es", "s")
STEM_MIN_CHARS = 4


def in_ranges(offset: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether ``offset`` falls in one of the sorted, disjoint ``(start, end)`` ranges."""
    k = bisect.bisect_right(ranges, (offset, 1 << 62)) - 1
    return k >= 0 and offset < ranges[k][1]


@dataclass
class CaseEvidence:
    """How the running text (every line but the Title Case ones) writes the headline words.

    ``lower`` counts lower-case uses, ``capital`` capitalised uses that do not open a
    sentence, a quotation or a line; keys are lower-cased words. Only words sharing a stem
    with a headline word are counted: one regular-expression scan of the text.
    """

    lower: Counter[str]
    capital: Counter[str]
    lower_stems: Counter[str]
    capital_stems: Counter[str]
    doc: Any
    _all_caps: dict[int, bool] = field(default_factory=dict)

    @classmethod
    def of(
        cls, text: str, doc: Any, skip: list[tuple[int, int]], words: Iterable[str]
    ) -> CaseEvidence:
        """Count the uses of ``words`` (lower-cased) and their inflections in ``text``
        outside the ``skip`` ranges (the Title Case lines)."""
        lower: Counter[str] = Counter()
        capital: Counter[str] = Counter()
        stems = sorted({_stem(w) for w in words if w}, key=len, reverse=True)
        if stems:
            alternation = "|".join(re.escape(st) for st in stems)
            pattern = re.compile(rf"(?<!\w)(?:{alternation})\w*", re.IGNORECASE)
            for hit in pattern.finditer(text):
                at = hit.start()
                if in_ranges(at, skip):
                    continue
                word = hit.group()
                if word[0].islower():
                    lower[word.lower()] += 1
                elif word[0].isupper() and not opens_at(text, at):
                    capital[word.lower()] += 1
        return cls(lower, capital, _stems(lower), _stems(capital), doc)

    def all_caps_line(self, text: str, offset: int) -> bool:
        """Whether the line holding ``offset`` is set in capitals (cached per line)."""
        start = text.rfind("\n", 0, offset) + 1
        if start not in self._all_caps:
            end = text.find("\n", offset)
            self._all_caps[start] = _all_caps(text[start : end if end >= 0 else len(text)])
        return self._all_caps[start]

    def word_class(self, key: str, start: int, label: str) -> str:
        """``name``, ``common`` or ``unknown`` for a capitalised headline word (see module)."""
        caps, lows = self.capital[key], self.lower[key]
        if not (caps or lows):
            stem = _stem(key)  # "Commutes" when the text says "commuted"
            caps, lows = self.capital_stems[stem], self.lower_stems[stem]
        if caps or lows:
            return _NAME if caps >= lows else _COMMON
        if key in DETERMINERS:
            return _COMMON
        if label not in ADJECTIVE_NAME_LABELS:
            span = self.doc.char_span(start, start + len(key), alignment_mode="expand")
            if span is not None and len(span) and span[0].tag_.startswith(NOT_NAME_TAGS):
                return _COMMON
        return _UNKNOWN


def _stem(word: str) -> str:
    """A crude stem, enough to match inflections of one word ("calls", "called")."""
    for suffix in STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= STEM_MIN_CHARS:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > STEM_MIN_CHARS else word


def _stems(counts: Counter[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for word, n in counts.items():
        out[_stem(word)] += n
    return out


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    key: str  # lower-cased, edge punctuation and possessive dropped
    capital: bool
    upper: bool  # written in capitals only ("US", "NATO")


def _headline_words(text: str, start: int, end: int) -> list[_Word]:
    words: list[_Word] = []
    for hit in _WORD.finditer(text, start, end):
        raw = hit.group()
        left = len(raw) - len(raw.lstrip(WORD_EDGE_PUNCT))
        core = raw.strip(WORD_EDGE_PUNCT)
        if not core:
            continue
        bare = _POSSESSIVE.sub("", core) or core
        s = hit.start() + left
        upper = sum(c.isalpha() for c in bare) > 1 and bare.isupper()
        words.append(_Word(s, s + len(bare), bare.lower(), core[:1].isupper(), upper))
    return words


def word_keys(text: str, span: Any) -> list[str]:
    """The compared forms of the words of a mention (anything with ``start`` and ``end``)."""
    return [w.key for w in _headline_words(text, span.start, span.end)]


@dataclass(frozen=True)
class KnownNames:
    """The running text's names (case-folded word tuples) and every contiguous word run of
    them ("Papandreou" of "George Papandreou"), in ``parts``."""

    parts: frozenset[tuple[str, ...]]
    #: first words of the text's person names of two words or more ("george"); an
    #: organisation's first word is often a common one ("University of …")
    starts: frozenset[str]
    #: last words of the text's names of two words or more ("papandreou")
    ends: frozenset[str]
    #: the names as the running text writes them whole ("obama", "barack obama")
    wholes: frozenset[tuple[str, ...]] = frozenset()

    @classmethod
    def of(cls, forms: Iterable[tuple[tuple[str, ...], str]]) -> KnownNames:
        """From ``(words, label)`` of the mentions off Title Case lines."""
        parts: set[tuple[str, ...]] = set()
        starts: set[str] = set()
        ends: set[str] = set()
        wholes: set[tuple[str, ...]] = set()
        for form, label in forms:
            wholes.add(form)
            if len(form) > 1:
                ends.add(form[-1])
                if label == "PERSON":
                    starts.add(form[0])
            for i in range(len(form)):
                for j in range(i + 1, len(form) + 1):
                    parts.add(form[i:j])
        return cls(frozenset(parts), frozenset(starts), frozenset(ends), frozenset(wholes))


def headline_name_ranges(
    text: str,
    start: int,
    end: int,
    label: str,
    names: KnownNames,
    evidence: CaseEvidence,
) -> list[tuple[int, int]]:
    """The character ranges of a Title Case line mention that are names (module rules)."""
    words = _headline_words(text, start, end)
    keys = tuple(w.key for w in words)
    if not words or keys in names.parts:
        return [(start, end)] if words else []
    shouting = evidence.all_caps_line(text, start)
    classes = [
        _NEUTRAL if not w.capital else _word_class(w, label, names, evidence, shouting)
        for w in words
    ]
    out: list[tuple[int, int]] = []
    run: list[int] = []
    for i, cls in enumerate([*classes, _COMMON]):
        if cls != _COMMON:
            run.append(i)
            continue
        while run and classes[run[-1]] == _NEUTRAL:
            run.pop()
        while run and classes[run[0]] == _NEUTRAL:
            run.pop(0)
        for part in _split_at_names(run, words, classes, names):
            part = _end_at_surname(part, words, classes, names)
            part = _start_at_first_name(part, words, classes, names)
            if any(classes[k] in (_NAME, _UNKNOWN) for k in part):
                out.append((words[part[0]].start, words[part[-1]].end))
        run = []
    return out


def _split_at_names(
    run: list[int], words: list[_Word], classes: list[str], names: KnownNames
) -> list[list[int]]:
    """Two names of the text joined by words it never uses are two names ("Obama Reverses
    Bush" when the text has "Obama" and "Bush"): the run is cut to each name, so one mention
    does not make the two people one. Every word outside the names must be one the text
    never uses, and a word between two names is required ("Hillary Clinton" stays whole)."""
    found: list[list[int]] = []
    pos = 0
    while pos < len(run):
        for stop in range(len(run), pos, -1):
            if tuple(words[k].key for k in run[pos:stop]) in names.wholes:
                found.append(run[pos:stop])
                pos = stop
                break
        else:
            if classes[run[pos]] not in (_UNKNOWN, _NEUTRAL):
                return [run]
            pos += 1
    gaps = [found[i + 1][0] - found[i][-1] for i in range(len(found) - 1)]
    keys = {tuple(words[k].key for k in f) for f in found}
    if len(found) < 2 or len(keys) < 2 or min(gaps) < 2:
        return [run]
    return found


def _start_at_first_name(
    run: list[int], words: list[_Word], classes: list[str], names: KnownNames
) -> list[int]:
    """Words the text never uses before the first word of one of its names are no part of
    it ("Nominate Regina Benjamin" when the text has "Regina Benjamin")."""
    for pos, k in enumerate(run):
        if classes[k] == _NAME and words[k].key in names.starts:
            before = run[:pos]
            if before and all(classes[i] in (_UNKNOWN, _NEUTRAL) for i in before):
                return run[pos:]
            break
    return run


def _end_at_surname(
    run: list[int], words: list[_Word], classes: list[str], names: KnownNames
) -> list[int]:
    """Words the text never uses after the last word of one of its names are no part of it
    ("Trump Supporters", "Clinton Probe" when the text has "Donald Trump", "Hillary
    Clinton"); a name suffix ("Jr.") is."""
    for pos, k in enumerate(run):
        if classes[k] == _NAME and words[k].key in names.ends:
            rest = run[pos + 1 :]
            if rest and all(classes[i] in (_UNKNOWN, _NEUTRAL) for i in rest):
                keep = pos + 1
                while keep < len(run) and words[run[keep]].key.rstrip(".") in NAME_SUFFIXES:
                    keep += 1
                return run[:keep]
            break
    return run


def _all_caps(line: str) -> bool:
    """Whether most letters of a line are capitals (a headline in capitals, not Title Case)."""
    letters = [c for c in line if c.isalpha()]
    return sum(c.isupper() for c in letters) > len(letters) / 2


def _word_class(
    w: _Word, label: str, names: KnownNames, evidence: CaseEvidence, shouting: bool
) -> str:
    """A word of a name of the text is a name unless the text mostly writes it in lower
    case ("Bank" of "Bank of Greece" when it also says "the bank" three times); an acronym
    ("US") on a line not set in capitals is a name whatever the text does with "us"."""
    if not shouting and w.upper:
        return _NAME
    cls = evidence.word_class(w.key, w.start, label)
    return _NAME if cls != _COMMON and (w.key,) in names.parts else cls
