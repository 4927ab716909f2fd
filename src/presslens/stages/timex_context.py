"""Context for normalising a time expression: the tense of the clause that governs it.

Relative dates need a direction: "Friday" in "said Friday" is the last Friday, in "will meet
Friday" the next one; "Dec. 15" in a sentence about a deal "expected to close by Dec. 15" is
this December, in "was arrested on Dec. 15" last December. The tense comes from the verb the
expression hangs on in the dependency parse, reached only through adverbial attachments (a
date inside a noun phrase, "Thursday's closing price", "payable Dec. 7", takes no tense from a
verb far above it).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

__all__ = ["tense_finder"]

#: Auxiliaries that make a clause future.
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "’ll", "would"})
#: Auxiliaries of a perfect or past passive: the participle is in the past.
PAST_AUX = frozenset({"has", "have", "had", "'ve", "'d", "was", "were", "been"})
#: Dependencies climbed from a time expression to its verb: adverbial attachments only.
CLIMB_DEPS = frozenset(
    {"pobj", "prep", "npadvmod", "nummod", "compound", "appos", "tmod", "advmod", "nmod",
     "quantmod", "pcomp", "dobj", "attr", "oprd", "conj", "cc", "det", "punct", "case"}
)  # fmt: skip
#: Verbs of planning and putting off: what they set a date for lies ahead ("has scheduled a
#: news conference Thursday", "planned to leave on Thursday", "postponed until Tuesday").
PLAN_LEMMAS = frozenset(
    {"plan", "schedule", "expect", "intend", "postpone", "delay", "adjourn", "set", "due"}
)
#: Most tokens climbed.
MAX_HOPS = 6
#: Adjectives that set a deadline ("is due Friday"): ahead unless the copula is past.
DEADLINE_ADJ = frozenset({"due"})
#: A reporting verb in the past right before a date: the date is when it was said, in the past
#: ("said on Tuesday it would close the plant", which the parser may hang on "close").
_REPORTED_BEFORE = re.compile(
    r"\b(?:said|told|announced|reported|stated|confirmed|warned|revealed|declared|disclosed"
    r"|added|noted|claimed|denied|admitted|acknowledged)\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)
#: Verbs of planning and expectation: an infinitive under them points forward
#: ("is scheduled to close Monday", "expects to finish by Dec. 15").
_FUTURE = re.compile(r"\b(?:will|shall)\b|'ll\b", re.IGNORECASE)


def tense_finder(text: str, doc: Any) -> Callable[[int], str]:
    """``tense_at(pos)``: "future", "past", "present" or "" for the clause governing offset ``pos``.

    With a Doc: the verb above the token (see the module docstring). Without one: a
    will/shall in the same sentence makes it future, else "".
    """
    if doc is None:

        def by_text(pos: int) -> str:
            if _REPORTED_BEFORE.search(text, max(0, pos - 30), pos):
                return "past"
            lo = text.rfind(". ", 0, pos) + 1
            hi = text.find(". ", pos)
            return "future" if _FUTURE.search(text, lo, len(text) if hi < 0 else hi) else ""

        return by_text
    starts: list[int] = doc.to_array("IDX").tolist()  # no Token objects

    def by_doc(pos: int) -> str:
        i = bisect.bisect_right(starts, pos) - 1
        if i < 0:
            return ""
        if _REPORTED_BEFORE.search(text, max(0, pos - 30), pos):
            return "past"
        verb = _governing_verb(doc[i])
        return "" if verb is None else verb_tense(verb)

    return by_doc


def _governing_verb(tok: Any) -> Any:
    t = tok
    for _ in range(MAX_HOPS):
        if t.pos_ in ("VERB", "AUX") or (t.pos_ == "ADJ" and t.lower_ in DEADLINE_ADJ):
            return t
        if t.head.i == t.i or t.dep_ not in CLIMB_DEPS:
            return None
        t = t.head
    return t if t.pos_ in ("VERB", "AUX") else None


def verb_tense(verb: Any, depth: int = 0) -> str:
    """ "future", "past", "present" or "" (unknown) of a verb token, from its tag and auxiliaries.

    An infinitive ("to close") takes the tense of the verb it complements, and points forward
    when that verb is not in the past ("is scheduled to close Monday").
    """
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.pos_ == "ADJ":  # "is due Friday": ahead, unless "was due"
        copula = verb.head if verb.dep_ in ("acomp", "attr", "oprd") else verb
        tags = [copula.tag_] + [c.tag_ for c in copula.children if c.dep_ in ("aux", "auxpass")]
        return "past" if "VBD" in tags and copula is not verb else "future"
    if verb.lemma_ in PLAN_LEMMAS and depth == 0:
        return "future"
    if verb.lower_ in FUTURE_AUX or any(a.lower_ in FUTURE_AUX for a in auxes):
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN":
        if any(a.lower_ in PAST_AUX for a in auxes):
            return "past"
        if auxes:  # "is expected", "be completed"
            return ""
        if verb.dep_ in ("conj", "xcomp", "ccomp") and verb.head.i != verb.i and depth < 2:
            return verb_tense(verb.head, depth + 1)
        return "" if verb.dep_ in ("amod", "acl") else "past"
    to = any(a.lower_ == "to" for a in auxes)
    if to and verb.head.i != verb.i and depth < 2:
        if verb.head.lemma_ in PLAN_LEMMAS:
            return "future"
        head = verb_tense(verb.head, depth + 1)
        return "" if head == "past" else "future"
    if verb.dep_ in ("conj",) and verb.head.i != verb.i and depth < 2:
        return verb_tense(verb.head, depth + 1)
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return ""
