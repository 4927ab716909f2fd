"""A nickname quoted inside a name ("Vincent 'The Chin' Gigante", 'Joaquin "El Chapo"
Guzman') is left out of the words that identify the person, so the name with it and without
it are one person (in an article: one cluster; across the corpus: one entity)."""

from __future__ import annotations

import re

__all__ = ["without_nickname"]

#: A quoted run between two words of a name; a nickname has a capitalised word ("the Chin";
#: "Rock 'n' Roll" keeps its "n").
_NICKNAME = re.compile(
    r"(?<=[^\W\d_])[ \t]+[\"“‘'][ \t]?(?P<inner>[^\W\d_][^\"”’'\n]{0,30}?)[ \t]?[\"”’'][ \t]+"
    r"(?=[^\W\d_])"
)
_QUOTES = frozenset("'\"‘“")


def without_nickname(name: str) -> str:
    """``name`` without a quoted nickname between two of its words (unchanged otherwise)."""
    if _QUOTES.isdisjoint(name):
        return name
    return _NICKNAME.sub(
        lambda m: " " if any(w[:1].isupper() for w in m.group("inner").split()) else m.group(),
        name,
    )
