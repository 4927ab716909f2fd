"""The gender an article gives its people, so "he said" is never given to a woman it named.

Evidence, all from the article itself (nothing is guessed from a first name):

* an honorific before the name ("Mr. Obama", "Ms. Reid");
* a gendered role the article gives the person ("the actress", "his wife, X"), as collected by
  :class:`presslens.stages.speakers.SpeakerIndex`;
* a possessive or reflexive pronoun in a clause whose lone subject is that person ("Reid
  checked herself in", "Obama raised his hand"; not "Obama said his plan would work").

A person with evidence both ways, or none, has no gender and agrees with every pronoun.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from presslens.lexicons_gender import HONORIFICS, PRONOUN_GENDER, ROLE_NOUNS

__all__ = ["cluster_genders", "pronoun_gender"]

#: Pronouns that count as evidence (with possessive "her"): inside their own clause they
#: point back to its subject far more often than "he"/"she" do, which often start a new
#: referent ("X told Y that she …").
EVIDENCE_PRONOUNS = frozenset({"his", "himself", "herself"})
#: Weight of an honorific or a role against one pronoun.
EXPLICIT_WEIGHT = 3


def pronoun_gender(word: str) -> str | None:
    """``"male"``/``"female"`` for a gendered third-person pronoun, else None."""
    return PRONOUN_GENDER.get(word.lower())


def cluster_genders(
    doc: Any,
    mentions: Sequence[tuple[int, int, str, str, bool]],
    roles: Mapping[str, Iterable[tuple[int, str]]],
) -> dict[str, str]:
    """Cluster id → gender for the PERSON clusters with one-sided evidence.

    ``mentions``: (first token, end token, cluster id, label, is subject), in text order;
    ``roles``: role lemma → (token, cluster id), as the speaker index collects them.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    people = [m for m in mentions if m[3] == "PERSON"]
    for start, end, cluster, _, _ in people:
        for i in (start - 1, start):
            if 0 <= i < end:
                gender = HONORIFICS.get(doc[i].lower_.rstrip("."))
                if gender:
                    votes[cluster][gender] += EXPLICIT_WEIGHT
    person_ids = {m[2] for m in people}
    owner = {i: m[2] for m in people for i in range(m[0], m[1])}
    for lemma, found in roles.items():
        gender = ROLE_NOUNS.get(lemma)
        if gender:
            for _, cluster in found:
                if cluster in person_ids:
                    votes[cluster][gender] += EXPLICIT_WEIGHT
    for tok in doc:
        low = tok.lower_
        if low in EVIDENCE_PRONOUNS or (low == "her" and tok.tag_ == "PRP$"):
            subject = _clause_subject(tok, owner)
            if subject is not None:
                votes[subject][PRONOUN_GENDER[low]] += 1
    genders = {}
    for cluster, c in votes.items():
        if len(c) == 1:
            (genders[cluster],) = c
    return genders


def _clause_subject(pronoun: Any, owner: Mapping[int, str]) -> str | None:
    """The person who is the lone subject of the pronoun's own clause ("Reid checked
    herself in", "Obama raised his hand"), else None: a pronoun in another clause ("… said
    his plan would work"), or after coordinated subjects, is no evidence."""
    verb = pronoun.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if len(subjects) != 1 or any(c.dep_ == "conj" for c in subjects[0].children):
        return None
    return owner.get(subjects[0].i)
