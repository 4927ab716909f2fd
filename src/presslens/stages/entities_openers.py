"""Names glued to the common word that opens their sentence ("Stubborn Germany: …").

Every word that opens a sentence, a line or a quotation is capitalised, so NER often reads
an opening adjective, preposition or gerund as the first word of the name after it:
"Stubborn Germany", "Without California", "Bashing Trump". Such a mention is cut to the name
only when the article itself backs the cut:

* the mention opens a sentence, line or quotation (its capital says nothing);
* the rest of it is a name NER found on its own elsewhere in the article ("Germany");
* the text never writes the opening word, nor the whole mention, with a capital that no
  opener explains ("Great Britain" in mid-sentence keeps "Great Britain" whole);
* the opening word is a common word by the spaCy model's own word lists (the lemmatizer's
  ``lemma_index``): a function word or the ``-ing`` form of a verb; for mentions that are
  not persons also an adjective or adverb that is neither noun nor verb. First names that
  are also words ("Will", "Bill", "Rose", "Hope", "Frank") are nouns or verbs there, and a
  person's name never loses an adjective ("Sandy", "Rusty"), so those stay.

The rules were checked by a count and a hand audit over 1,568 articles (README, "Names glued
to an opening word").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from presslens.lexicons_entities import CAPITAL_OPENERS, WORD_EDGE_PUNCT

__all__ = ["WordLists", "opening_cut", "opens_at", "word_lists"]

#: The opening word: a capital and lower-case letters, then the space and any quotation mark
#: or bracket before the name.
_OPENING_WORD = re.compile(rf"([A-Z][a-z]+)\s+[{re.escape(WORD_EDGE_PUNCT)}]*(?=\w)")


def opens_at(text: str, at: int) -> bool:
    """Whether a capital at ``at`` opens a line, a sentence, a quotation or a list item."""
    i = at - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] == "." or text[i] in CAPITAL_OPENERS


@dataclass(frozen=True)
class WordLists:
    """English words by part of speech (lower case), from a spaCy model's lemmatizer."""

    adjectives: frozenset[str]
    adverbs: frozenset[str]
    nouns: frozenset[str]
    verbs: frozenset[str]

    @classmethod
    def of(cls, lemma_index: Mapping[str, Iterable[str]]) -> WordLists:
        def words(pos: str) -> frozenset[str]:
            return frozenset(lemma_index[pos]) if pos in lemma_index else frozenset()

        return cls(words("adj"), words("adv"), words("noun"), words("verb"))

    def _gerund(self, low: str) -> bool:
        if not low.endswith("ing") or len(low) < 6:
            return False
        stem = low[:-3]
        forms = {stem, stem + "e"}
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.add(stem[:-1])  # "stopping" -> "stop"
        return any(f in self.verbs for f in forms)

    def common_opener(self, word: str, person: bool) -> bool:
        """Whether ``word`` is a common word a name would not start with (see module)."""
        low = word.lower()
        if low in self.nouns or low in self.verbs:
            return self._gerund(low)
        if low in STOP_WORDS or self._gerund(low):
            return True
        return not person and (low in self.adjectives or low in self.adverbs)


@lru_cache(maxsize=4)
def word_lists(model: str) -> WordLists | None:
    """The word lists of the installed spaCy model ``model``, or None when it has none."""
    from presslens.nlp import load_nlp

    nlp = load_nlp(model)
    if "lemmatizer" not in nlp.pipe_names:
        return None
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return None
    return WordLists.of(lookups.get_table("lemma_index"))


def _capital_inside(text: str, phrase: str) -> bool:
    """Whether ``text`` writes ``phrase`` as a whole word where no opener explains its capital."""
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
    return any(not opens_at(text, hit.start()) for hit in pattern.finditer(text))


def opening_cut(
    text: str,
    start: int,
    end: int,
    person: bool,
    known_alone: Callable[[str], bool],
    words: WordLists,
) -> int | None:
    """Where the name starts when the mention ``text[start:end]`` begins with a common
    opening word that the article shows is no part of the name, else None (see module).

    ``known_alone(surface)`` says whether NER found ``surface`` as a mention of its own."""
    if not opens_at(text, start):
        return None
    hit = _OPENING_WORD.match(text, start, end)
    if hit is None:
        return None
    cut = hit.end()
    if not known_alone(text[cut:end]) or not words.common_opener(hit.group(1), person):
        return None
    if _capital_inside(text, hit.group(1)) or _capital_inside(text, text[start:end]):
        return None
    return cut
