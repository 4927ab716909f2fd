"""A non-projective parse must not crash the verb rule (a real news sentence did: the whole
article lost its attributions, reported as P200)."""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from presslens.stages.attribution_rules import find_candidates

# "For all that she has seen, Regina Benjamin represents hope; those Americans who care."
# parsed as the model parsed the real sentence: the appositive "Americans" hangs on "that",
# so the object of "seen" starts before the verb and reaches past it.
WORDS = [
    "For", "all", "that", "she", "has", "seen", ",", "Regina", "Benjamin", "represents",
    "hope", ";", "those", "Americans", "who", "care", ".",
]  # fmt: skip
HEADS = [9, 0, 5, 5, 5, 1, 9, 8, 9, 9, 9, 9, 13, 2, 15, 13, 9]
DEPS = [
    "prep", "pobj", "dobj", "nsubj", "aux", "relcl", "punct", "compound", "nsubj", "ROOT",
    "dobj", "punct", "det", "appos", "nsubj", "relcl", "punct",
]  # fmt: skip
POS = [
    "ADP", "PRON", "PRON", "PRON", "AUX", "VERB", "PUNCT", "PROPN", "PROPN", "VERB", "NOUN",
    "PUNCT", "DET", "PROPN", "PRON", "VERB", "PUNCT",
]  # fmt: skip
LEMMAS = [
    "for", "all", "that", "she", "have", "see", ",", "Regina", "Benjamin", "represent", "hope",
    ";", "those", "Americans", "who", "care", ".",
]  # fmt: skip


def test_verb_whose_object_crosses_it_is_skipped_not_a_crash() -> None:
    doc = Doc(
        Vocab(),
        words=WORDS,
        spaces=[nxt not in {",", ";", "."} for nxt in WORDS[1:]] + [False],
        heads=HEADS,
        deps=DEPS,
        pos=POS,
        lemmas=LEMMAS,
        sent_starts=[True] + [False] * (len(WORDS) - 1),
    )
    seen = doc[5]
    assert seen.text == "seen" and seen.children  # the object "that" reaches past "seen"
    assert doc[2].right_edge.i > seen.i
    cands = find_candidates(doc, [], open_rules=True)  # raised ValueError before
    assert all(c.cue is None or doc.text[c.cue[0] : c.cue[1]] != "seen" for c in cands)
