"""Name keys that make spelling and transliteration variants comparable across articles.

Three levels, from strict to loose:

* :func:`fold` — case, accents, hyphens, apostrophes and spacing ignored
  (``"Al-Rashid"`` = ``"al rashid"``);
* :func:`name_key` — also drops leading titles and determiners and writes Arabic-style
  particles one way (``al``/``el``/``al-`` → ``al``), so ``"the Emir Hassan El-Rashid"`` and
  ``"Hassan Al Rashid"`` share a key;
* :func:`translit` — the loose key of one word: doubled letters collapsed, vowels reduced to two
  classes, common digraphs unified (``Mohamed``/``Mohammad``/``Muhammad`` → ``muhamad``,
  ``Taqiyya``/``Taqqiya`` → ``takaya``). Loose keys only *propose* a match (blocking); callers
  confirm it with :func:`words_match`, and never on a key alone for people (see resolve.py).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from presslens.lexicons_entities import ACRONYM_STOPWORDS, DETERMINERS, TITLES
from presslens.nicknames import without_nickname

__all__ = [
    "SPELLING_MIN_RATIO",
    "acronym",
    "fold",
    "is_acronym",
    "name_key",
    "name_words",
    "translit",
    "words_match",
]

#: Two words whose loose keys differ still match when difflib's ratio of their folded forms
#: reaches this ("Mohamed"/"Mohammed" 0.93, "Youssef"/"Yousef" 0.92, "Martin"/"Morton" 0.67).
#: Hand-set on transliterated names, not tuned on data.
SPELLING_MIN_RATIO = 0.85
#: Words shorter than this never match on the loose key alone ("Li"/"Le" are different names).
LOOSE_MIN_CHARS = 4

#: Particles written several ways in transliterated names; the value is the one spelling kept.
PARTICLES: dict[str, str] = {
    "al": "al", "el": "al", "ul": "al", "ad": "al", "ar": "al", "as": "al", "ash": "al",
    "at": "al", "az": "al", "bin": "bin", "ben": "bin", "ibn": "bin", "abu": "abu",
    "abou": "abu", "abd": "abd", "abdul": "abd", "abdel": "abd", "abdal": "abd",
}  # fmt: skip
#: Multi-letter spellings of one sound, unified before vowels are reduced (order matters).
_DIGRAPHS = (("ph", "f"), ("ck", "k"), ("q", "k"), ("dh", "d"), ("th", "t"), ("ou", "u"),
             ("oo", "u"), ("ee", "i"), ("dj", "j"), ("w", "u"))  # fmt: skip
_VOWEL_CLASS = str.maketrans({"e": "a", "i": "a", "o": "u"})
_NON_WORD = re.compile(r"[\W_]+")
_DOUBLES = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Casefolded, accent-free words, single spaces (``"Al-Rashīd"`` → ``"al rashid"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = plain.replace("'", "").replace("’", "")  # O'Neill = ONeill
    return _NON_WORD.sub(" ", plain).strip()


def name_words(name: str) -> list[str]:
    """The folded words of a name without leading titles/determiners, particles unified."""
    name = without_nickname(name)
    raw = fold(name.replace("'", "").replace("’", "")).split()
    cased = [w for w in _NON_WORD.split(name.replace("'", "").replace("’", "")) if w]
    words = raw
    # an upper-case one-letter word is an initial ("A. Koval"), never the article "a"
    while len(words) > 1 and (
        words[0] in TITLES
        or (words[0] in DETERMINERS and not (len(cased) == len(raw) and cased[0].isupper()))
    ):
        words = words[1:]
        cased = cased[1:]
    return [PARTICLES.get(w, w) for w in words]


def name_key(name: str) -> str:
    """Strict key: equal for the same name written with different case, accents, hyphens,
    spacing, titles or particle spellings."""
    return " ".join(name_words(name))


def translit(word: str) -> str:
    """Loose key of one folded word: digraphs unified, vowels in two classes, doubles collapsed."""
    w = "j" + word[1:] if word.startswith("y") and len(word) > 3 else word  # Yosef/Josef
    for a, b in _DIGRAPHS:
        w = w.replace(a, b)
    w = w.translate(_VOWEL_CLASS)
    w = _DOUBLES.sub(r"\1", w)
    if len(w) > 2 and w.endswith("h") and w[-2] in "au":  # Aisha/Aisa, Fatimah/Fatima
        w = w[:-1]
    return w


def words_match(a: str, b: str) -> bool:
    """Whether two folded words are spelling or transliteration variants of each other."""
    if a == b:
        return True
    if min(len(a), len(b)) < LOOSE_MIN_CHARS:
        return False
    if translit(a) == translit(b):
        return True
    return SequenceMatcher(None, a, b).ratio() >= SPELLING_MIN_RATIO


def is_acronym(surface: str) -> bool:
    """``"BCIJ"``, ``"U.N."``: two to eight capitals (dots allowed), no lower-case word."""
    letters = surface.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def acronym(name: str) -> str | None:
    """The initials of a multi-word name, function words skipped (``"Bank of England"`` → ``be``);
    None for a one-word name."""
    words = [w for w in fold(name).split() if w not in ACRONYM_STOPWORDS]
    if len(words) < 2:
        return None
    return "".join(w[0] for w in words)
