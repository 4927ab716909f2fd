"""Evidence, from the article's own wording, about which name forms are people and which are
different people (used by :mod:`presslens.stages.entities`).

* Two spellings of one surname ("Daniel Marsh", "Daniela Marsh") are two people when the
  article coordinates them in one sentence ("X and Y", "X, Y and Z": one writer does not spell
  one person two ways in one breath) or gives them opposite genders (an honorific such as
  "Mr"/"Ms" right before a name, or a gendered role noun next to it: "his sister X",
  "X, a spokeswoman").
* A bare surname that NER tagged GPE or NORP ("Halloran said", "Strand") is a person's surname
  only when no mention of it stands where a place or nationality does: after "in", "to",
  "from"…, or before a common noun it modifies ("Jordan officials").

Everything is read from the text and, when the Doc has a parse, from the dependency arcs; a
Doc without a parse (hand-built in tests) falls back to the text alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from presslens.lexicons_attribution import SPEECH_VERBS
from presslens.lexicons_entities import PLACE_PREPOSITIONS
from presslens.lexicons_gender import HONORIFICS as GENDERED_HONORIFICS
from presslens.lexicons_gender import ROLE_NOUNS

__all__ = [
    "bare_subject",
    "coordinated",
    "gender_of",
    "honorific_before",
    "mention_gender",
    "person_position",
    "place_position",
]

#: Characters looked at before and after a mention for an honorific or role noun.
CONTEXT_CHARS = 40

_WORD_BEFORE = re.compile(r"(\w+)\.?\s+$")
_APPOSITIVE_ROLE = re.compile(r",\s+(?:(?:his|her|their|the|a|an)\s+)?(\w+)")
#: Only list punctuation and coordinators between two names ("X and Y", "X, Y or Z").
_LIST_GLUE = re.compile(r"(?:\s*(?:,|;|&|\band\b|\bor\b|\bnor\b)\s*)+")
_WORD_AFTER = re.compile(r"\s*(’s|'s|\w+)")
#: An upper-case place opening a line before "(AP)" or a dash: a dateline ("WASHINGTON (AP) —").
_DATELINE = re.compile(r"[A-Z][A-Z .'-]+(?:,\s*[A-Za-z. ]+)?\s*(?:\(|—|–|--)")


def mention_gender(text: str, start: int, end: int) -> str | None:
    """``male``/``female`` when a gendered honorific or role noun stands right before the name
    ("Mr X", "his sister X") or opens its appositive ("X, a spokeswoman"); else None."""
    before = _WORD_BEFORE.search(text, max(0, start - CONTEXT_CHARS), start)
    if before is not None:
        word = before.group(1).casefold()
        gender = GENDERED_HONORIFICS.get(word) or ROLE_NOUNS.get(word)
        if gender:
            return gender
    after = _APPOSITIVE_ROLE.match(text, end, min(len(text), end + CONTEXT_CHARS))
    if after is not None:
        return ROLE_NOUNS.get(after.group(1).casefold())
    return None


def honorific_before(text: str, start: int) -> bool:
    """A gendered honorific ("Mr", "Mrs", "Sir", "Baroness"…) stands right before ``start``."""
    before = _WORD_BEFORE.search(text, max(0, start - CONTEXT_CHARS), start)
    return before is not None and before.group(1).casefold() in GENDERED_HONORIFICS


def gender_of(genders: Iterable[str | None]) -> str | None:
    """The one gender the evidence shows, or None when there is none or it conflicts."""
    votes = Counter(g for g in genders if g)
    return next(iter(votes)) if len(votes) == 1 else None


def coordinated(
    text: str, doc: Any, a: tuple[int, int], b: tuple[int, int], others: list[tuple[int, int]]
) -> bool:
    """Whether two mentions (character ranges) are conjuncts of one list in one sentence.

    The text between them (other names taken out) is list glue only, or, when the Doc is
    parsed, their heads hang on one coordination (through appositive role nouns: "X, the mayor,
    and his sister Y")."""
    first, second = sorted((a, b))
    if first[1] > second[0]:
        return False
    between = text[first[1] : second[0]]
    for s, e in sorted(others, reverse=True):
        if first[1] <= s and e <= second[0]:
            between = between[: s - first[1]] + between[e - first[1] :]
    if between.strip() and _LIST_GLUE.fullmatch(between):
        return True
    if doc is None or not doc.has_annotation("DEP"):
        return False
    sa = doc.char_span(first[0], first[1], alignment_mode="expand")
    sb = doc.char_span(second[0], second[1], alignment_mode="expand")
    if sa is None or sb is None or sa.root.sent != sb.root.sent:
        return False
    top_a, conj_a = _conj_top(sa.root)
    top_b, conj_b = _conj_top(sb.root)
    return top_a.i == top_b.i and (conj_a or conj_b)


def _conj_top(tok: Any) -> tuple[Any, bool]:
    """The first conjunct of the coordination ``tok`` is in (through appositions to a common
    noun), and whether a ``conj`` arc was climbed."""
    climbed = False
    for _ in range(20):  # parse trees are shallow; bounded against odd cycles
        if tok.dep_ == "conj" and tok.head.i != tok.i:
            tok, climbed = tok.head, True
        elif tok.dep_ == "appos" and tok.head.pos_ == "NOUN":
            tok = tok.head
        else:
            break
    return tok, climbed


def place_position(text: str, doc: Any, start: int, end: int) -> bool:
    """Whether a bare name stands where a place or nationality does: after a place preposition
    ("in X", "from X"), or modifying a common noun ("X officials")."""
    before = _WORD_BEFORE.search(text, max(0, start - CONTEXT_CHARS), start)
    if before is not None and before.group(1).casefold() in PLACE_PREPOSITIONS:
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() and _DATELINE.match(text, start):
        return True
    root = _parsed_root(doc, start, end)
    return (
        root is not None and root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ == "NOUN"
    )


def person_position(text: str, doc: Any, start: int, end: int) -> bool:
    """Whether a bare name stands where a person does: before "said", after an honorific,
    as the subject of a speech verb."""
    if honorific_before(text, start):
        return True
    after = _WORD_AFTER.match(text, end)
    if after is not None and after.group(1).casefold() in {"said", "says", "told"}:
        return True
    root = _parsed_root(doc, start, end)
    return (
        root is not None
        and root.dep_ in ("nsubj", "nsubjpass")
        and root.head.lemma_.lower() in SPEECH_VERBS
    )


def bare_subject(doc: Any, start: int, end: int) -> bool:
    """Whether the mention is a verb's subject, a singular proper noun with no determiner
    ("Klitschko bombed Thompson"; not "Americans voted", "the American won")."""
    root = _parsed_root(doc, start, end)
    return (
        root is not None
        and root.dep_ in ("nsubj", "nsubjpass")
        and root.tag_ == "NNP"
        and root.head.pos_ in ("VERB", "AUX")
        and not any(c.dep_ in ("det", "poss") for c in root.children)
    )


def _parsed_root(doc: Any, start: int, end: int) -> Any | None:
    """The syntactic root of the mention at ``start:end``; None without a parse."""
    if doc is None or not doc.has_annotation("DEP"):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    return None if span is None else span.root
