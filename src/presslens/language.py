"""Is an article in English? A small, fast, offline check of our own.

Every stage (the spaCy model, the attribution scorer, techniques, genre, claims) is trained on
English; on a French or Arabic article they return confident nonsense. This module tells
those articles apart so a run can say so (``P128``) while still analysing them.

Two kinds of evidence, no model:

* **Script.** When most letters of the text belong to one script other than Latin (Arabic,
  Cyrillic, Greek, Hebrew, Han, Kana, Hangul, Devanagari, Thai, Tifinagh, …), the text is in
  that script's language. A few letters only one language of a script writes name it
  (Ukrainian і ї є, Russian ы э, Persian پ گ ی, Urdu ے ٹ); otherwise the tag is ``und-`` plus
  the script (``und-Cyrl``, ``und-Tfng`` for Amazigh in Tifinagh).
* **Function words.** Latin-script prose is mostly function words: "the", "of", "said" in
  English, "le", "des", "qu'" in French. The check counts, among the words written in lower
  case (names and headline capitals say nothing about the language), those of each
  language's list in :mod:`presslens.lexicons_language`. A text is in a language other than
  English only when that language's words are many (``MIN_FOREIGN_WORDS``), a good share of
  the words counted (``MIN_FOREIGN_SHARE``) and several times the English ones
  (``FOREIGN_OVER_ENGLISH``). Prose with almost no English function word and no list that
  matches is ``und-Latn`` (Turkish, Polish, Czech, Slovak, Malay …). A script the table
  does not name (Lao, Khmer, Mongolian …) holding most letters is ``und``.

Everything else is English (``"en"``): a short text, a headline, a list of names and
numbers, an English article quoting a French sentence. The check never calls a text
non-English on thin evidence; a false alarm on an English article would cost the researcher
more trust than a missed five-word foreign note.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from presslens.lexicons_language import (
    FUNCTION_WORDS,
    LANGUAGE_NAMES,
    NAME_TAGS,
    SCRIPT_LANGUAGE,
    SCRIPT_LETTERS,
    SCRIPT_RANGES,
)

__all__ = [
    "ENGLISH",
    "LanguageGuess",
    "declared_tag",
    "flagged",
    "guess_language",
    "language_label",
    "language_name",
    "read_evidence",
]

ENGLISH = "en"

# The thresholds below were set by hand and checked on 31,205 English texts of
# ``../shared/data`` (PolNeAR, PTC, SemEval-2023, ECB+, TempEval-3, hyperpartisan articles and
# titles, NewsQuant, ClaimBuster and CheckThat! sentences, first lines; none flagged, see
# ``tests/test_language.py``) and on news paragraphs written in 17 other languages.

#: Only the first characters are read: 50,000 characters hold thousands of words, far more
#: than the decision needs, and keep the check near 20 ms on a 5 MB input.
MAX_CHARS = 50_000
#: Fewer letters than this (about eight words) never make a script decision.
MIN_LETTERS = 40
#: A script other than Latin decides when it holds at least this share of the letters. A
#: majority: an English article quoting an Arabic sentence stays English.
SCRIPT_SHARE = 0.5
#: Japanese mixes Han with Kana; Kana at this share of the letters makes Han-and-Kana text
#: Japanese rather than Chinese.
KANA_SHARE = 0.05
#: A foreign language needs at least this many of its function words …
MIN_FOREIGN_WORDS = 8
#: … of at least this many different words of its list (a Slovak text holds "je", "sa" and
#: "se", which French writes too, and little else of the French list) …
MIN_DISTINCT_WORDS = 6
#: … making at least this share of the lower-case words counted (French, Spanish, German,
#: Italian, Portuguese and Dutch news paragraphs: 0.37–0.54; English texts: 0.045 at most
#: for any foreign list) …
MIN_FOREIGN_SHARE = 0.15
#: … and this many times the English function words (English texts with 8 foreign words or
#: more: 0.09 times at most; the foreign paragraphs: 7 times at least).
FOREIGN_OVER_ENGLISH = 3.0
#: Latin-script prose matching no list: at least this many lower-case words …
UNKNOWN_MIN_WORDS = 40
#: … of which fewer than this share are English function words (English prose of 40
#: lower-case words or more: 0.25 at least; Polish, Turkish, Slovak, Czech: 0.03 at most,
#: Polish "a" and "to" being English words too).
UNKNOWN_MAX_ENGLISH = 0.08
#: When fewer than this share of the words are written in lower case (a text in capitals, a
#: list of headlines in Title Case) all words are counted, case folded; "no list matches"
#: then decides nothing, since names alone match no list.
MIN_LOWER_SHARE = 0.2

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
#: Links and e-mail addresses (lower-case words of no language). Each match starts at a fixed
#: prefix or at the start of a run, so a long run without a space costs linear time.
_URL_RE = re.compile(r"(?:https?://|www\.)\S*|(?<![\w.+-])[\w.+-]+@[\w-]+\.\S*")
_ASCII_LETTERS_RE = re.compile(r"[A-Za-z]+")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
_TAG_RE = re.compile(r"([a-z]{2,3})(?:-[a-z0-9]{1,8})*")
#: Tags that declare nothing: undetermined, multiple, no linguistic content, uncoded.
_EMPTY_TAGS = frozenset({"und", "mul", "zxx", "mis"})


def _word_languages() -> dict[str, frozenset[str]]:
    """Each listed word with the languages whose list holds it; a word the English list shares
    with a foreign list is dropped from both (it cannot tell them apart)."""
    english = set(FUNCTION_WORDS[ENGLISH])
    shared = {w for lang, words in FUNCTION_WORDS.items() if lang != ENGLISH for w in words}
    shared &= english
    found: dict[str, set[str]] = {}
    for lang, words in FUNCTION_WORDS.items():
        for word in words:
            if word not in shared:
                found.setdefault(word, set()).add(lang)
    return {word: frozenset(langs) for word, langs in found.items()}


_WORD_LANGUAGES = _word_languages()
#: Elided articles and pronouns written against the next word ("l'", "qu'", "dell'").
_ELISIONS = frozenset(w for w in _WORD_LANGUAGES if w.endswith("'"))
_RANGE_STARTS = [start for start, _, _ in SCRIPT_RANGES]
_ORDER = {lang: i for i, lang in enumerate(FUNCTION_WORDS)}


@dataclass(frozen=True)
class LanguageGuess:
    """What the text reads as, and on what evidence.

    ``language`` is ``"en"`` unless the text reads confidently as another language. ``rule``
    says why: ``script`` (``share`` of the letters are in ``script``), ``function words``
    (``share`` of the lower-case words are that language's), ``no English words``,
    ``English words`` or ``too little text``. ``english_share`` is the share of the words that
    are English function words; ``counted`` how many words (for ``script``: letters) were
    looked at.
    """

    language: str
    rule: str
    share: float
    english_share: float
    counted: int
    script: str = ""

    @property
    def english(self) -> bool:
        return self.language == ENGLISH

    def evidence(self) -> dict[str, Any]:
        """The JSON form kept in ``meta.language_from``."""
        return {
            "language": self.language,
            "rule": self.rule,
            "share": round(self.share, 3),
            "english_share": round(self.english_share, 3),
            "counted": self.counted,
            **({"script": self.script} if self.script else {}),
        }

    @classmethod
    def from_evidence(cls, evidence: Mapping[str, Any]) -> LanguageGuess:
        """The guess :meth:`evidence` wrote (a stored article's ``meta.language_from``)."""
        return cls(
            language=str(evidence.get("language") or ENGLISH),
            rule=str(evidence.get("rule") or ""),
            share=float(evidence.get("share") or 0.0),
            english_share=float(evidence.get("english_share") or 0.0),
            counted=int(evidence.get("counted") or 0),
            script=str(evidence.get("script") or ""),
        )

    def describe(self) -> str:
        """One plain clause: "43 % of its words are French function words, 1 % English ones"."""
        if self.rule == "script":
            script = "a script the check does not name"
            if self.script != "other":
                script = f"{self.script or 'its'} script"
            return f"{_percent(self.share)} of its letters are in {script}"
        if self.rule == "function words":
            return (
                f"{_percent(self.share)} of its words are {language_name(self.language)} "
                f"function words, {_percent(self.english_share)} English ones"
            )
        if self.rule == "no English words":
            return (
                f"{_percent(self.english_share)} of its {self.counted} lower-case words are "
                "English function words, and no other language's list matches"
            )
        return f"{_percent(self.english_share)} of its words are English function words"


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def guess_language(text: str) -> LanguageGuess:
    """The language ``text`` reads as: ``"en"`` unless the evidence for another is strong."""
    sample = _URL_RE.sub(" ", text[:MAX_CHARS])
    by_script = _letters_by_script(sample)
    letters = sum(by_script.values())
    if letters >= MIN_LETTERS:
        found = _script_language(sample, by_script, letters)
        if found is not None:
            return found
    return _word_language(sample)


def language_name(tag: str) -> str:
    """The English name of a tag (``fr`` and ``fr-CA``: French); a tag not listed stays as is."""
    return LANGUAGE_NAMES.get(tag) or LANGUAGE_NAMES.get(tag.split("-")[0].lower()) or tag


def declared_tag(value: object) -> str | None:
    """The language tag an input declares (``lang="fr-FR"``, ``"language": "French"``), as its
    lower-case primary subtag (``"fr"``); None for a missing, empty or malformed value, or
    one that declares nothing (``und``, ``mul``)."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace("_", "-")
    if text in NAME_TAGS:
        return NAME_TAGS[text]
    m = _TAG_RE.fullmatch(text)
    if m is None or m.group(1) in _EMPTY_TAGS:
        return None
    return m.group(1)


def read_evidence(evidence: object) -> tuple[bool, LanguageGuess]:
    """From an article's ``meta.language_from``: whether the input declared the language, and
    what the text reads as (English when there is no evidence: an English text keeps none)."""
    if not isinstance(evidence, Mapping):
        return False, LanguageGuess(ENGLISH, "", 0.0, 0.0, 0)
    declared = evidence.get("rule") == "declared"
    detected = evidence.get("detected") if declared else evidence
    return declared, LanguageGuess.from_evidence(detected if isinstance(detected, Mapping) else {})


def flagged(language: str, evidence: object) -> bool:
    """Whether an article of ``language`` with this ``meta.language_from`` is flagged as not
    English: its language is another, or its text reads as another though declared English."""
    return language != ENGLISH or not read_evidence(evidence)[1].english


def language_label(language: str, evidence: object) -> str:
    """How displays show an article's language: "en", or "fr (French, not English: results
    unreliable)", or for a text declared English that reads otherwise "en (declared; the text
    reads as French: results unreliable)"."""
    if not flagged(language, evidence):
        return language
    if language == ENGLISH:
        guess = read_evidence(evidence)[1]
        return (
            f"en (declared; the text reads as {language_name(guess.language)}: results unreliable)"
        )
    return f"{language} ({language_name(language)}, not English: results unreliable)"


# -- script -----------------------------------------------------------------------------------
def _letters_by_script(sample: str) -> Counter[str]:
    """Letters per script; ASCII letters are counted in one pass, the rest one by one."""
    counts: Counter[str] = Counter()
    ascii_letters = sum(len(m) for m in _ASCII_LETTERS_RE.findall(sample))
    if ascii_letters:
        counts["Latin"] = ascii_letters
    for run in _NON_ASCII_RE.findall(sample):
        for char in run:
            if not char.isalpha():
                continue
            point = ord(char)
            i = bisect_right(_RANGE_STARTS, point) - 1
            if i >= 0 and point <= SCRIPT_RANGES[i][1]:
                counts[SCRIPT_RANGES[i][2]] += 1
            else:
                counts["other"] += 1
    return counts


def _script_language(sample: str, by_script: Counter[str], letters: int) -> LanguageGuess | None:
    kana, han = by_script.get("Kana", 0), by_script.get("Han", 0)
    if kana / letters >= KANA_SHARE and (kana + han) / letters >= SCRIPT_SHARE:
        return LanguageGuess("ja", "script", (kana + han) / letters, 0.0, letters, "Han and Kana")
    script, count = max(
        ((s, n) for s, n in by_script.items() if s != "Latin"),
        key=lambda item: item[1],
        default=("", 0),
    )
    if not script or count / letters < SCRIPT_SHARE:
        return None
    language = SCRIPT_LANGUAGE.get(script, "und")  # "other": a script the table does not name
    for tag, marks, share in SCRIPT_LETTERS.get(script, ()):
        if sum(sample.count(c) for c in marks) / count >= share:
            language = tag
            break
    return LanguageGuess(language, "script", count / letters, 0.0, letters, script)


# -- function words ---------------------------------------------------------------------------
def _word_language(sample: str) -> LanguageGuess:
    words = _WORD_RE.findall(sample)
    lower = [w for w in words if w.islower()]
    prose = bool(words) and len(lower) >= MIN_LOWER_SHARE * len(words)
    counted = lower if prose else [w.casefold() for w in words]
    parts = Counter(p for w in counted for p in _parts(w.replace("’", "'")))
    hits: Counter[str] = Counter()
    distinct: Counter[str] = Counter()
    for part, k in parts.items():
        for lang in _WORD_LANGUAGES.get(part, ()):
            hits[lang] += k
            distinct[lang] += 1
    n = len(counted)
    if not n:
        return LanguageGuess(ENGLISH, "too little text", 0.0, 0.0, 0)
    english = hits.pop(ENGLISH, 0)
    english_share = english / n
    foreign, found = max(  # a tie goes to the language listed first
        hits.items(), key=lambda item: (item[1], -_ORDER[item[0]]), default=("", 0)
    )
    if (
        found >= MIN_FOREIGN_WORDS
        and distinct[foreign] >= MIN_DISTINCT_WORDS
        and found / n >= MIN_FOREIGN_SHARE
        and found >= FOREIGN_OVER_ENGLISH * english
    ):
        return LanguageGuess(foreign, "function words", found / n, english_share, n)
    if prose and n >= UNKNOWN_MIN_WORDS and english_share < UNKNOWN_MAX_ENGLISH:
        return LanguageGuess("und-Latn", "no English words", found / n, english_share, n)
    rule = "English words" if english >= MIN_FOREIGN_WORDS else "too little text"
    return LanguageGuess(ENGLISH, rule, english_share, english_share, n)


def _parts(word: str) -> list[str]:
    """``"qu'il"`` -> ``["qu'", "il"]``; ``"dell'anno"`` -> ``["dell'", "anno"]``; an English
    contraction stays whole (``"don't"``). One split, so a hostile run of elisions is linear."""
    if "'" not in word:
        return [word]
    pieces = word.split("'")
    parts: list[str] = []
    for i, head in enumerate(pieces[:-1]):
        if head + "'" not in _ELISIONS:
            return [*parts, "'".join(pieces[i:])]
        parts.append(head + "'")
    parts.append(pieces[-1])
    return parts
