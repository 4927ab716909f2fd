"""spaCy makes a new ``Token`` object on every access, so ``tok.head is tok`` is never true,
not even at a sentence's root: parse walks must compare token indices. A walk that stopped
on ``is`` ran forever on a clause whose root is a noun (twenty-fourth session); this test
keeps the pattern out of the code and pins the fact it rests on."""

from __future__ import annotations

import re
from pathlib import Path

from presslens.model import Article
from presslens.registry import StageFn

SRC = Path(__file__).resolve().parents[1] / "src" / "presslens"
#: ``x.head is y``, ``x.head is not y``, ``y is x.head``: identity tests on a token's head.
_HEAD_IDENTITY = re.compile(r"\.head\s+is\b|\bis\s+(?:not\s+)?\w+\.head\b")


def test_spacy_tokens_are_new_objects_on_every_access(spacy_stage: StageFn) -> None:
    art = Article(text="The sign read clearly.", source="<test>")
    spacy_stage([art])
    doc = art._doc
    root = next(t for t in doc if t.dep_ == "ROOT")
    assert root.head is not root and root.head.i == root.i
    assert doc[0] is not doc[0] and doc[0] == doc[0]


def test_no_parse_walk_compares_heads_by_identity() -> None:
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _HEAD_IDENTITY.search(line)
    ]
    assert not found, "compare token indices (tok.head.i == tok.i):\n" + "\n".join(found)
