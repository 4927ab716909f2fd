"""The driver's compact id set behaves like a set of strings, across merges."""

from __future__ import annotations

import hashlib

import pytest

from presslens.model import Article
from presslens.scale import ids as ids_module
from presslens.scale.ids import IdSet


def test_id_set_matches_a_python_set_across_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids_module, "MERGE_AT", 7)  # merge often
    made = [Article.make_id(f"k{i}", "text") for i in range(100)]
    odd = ["custom-id", "ffffffffffffffff", "0000000000000000", "not hex at all!!"]
    seen = IdSet()
    seen.update(made[:50] + odd)
    seen.add(made[0])  # again
    assert len(seen) == 54
    assert all(i in seen for i in made[:50] + odd)
    assert not any(i in seen for i in made[50:])
    assert hashlib.sha256(b"x").hexdigest()[:16] not in seen and 42 not in seen
