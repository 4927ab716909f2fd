"""A faster, identical attribute ruler for the spaCy pipeline.

spaCy's ``attribute_ruler`` (tag map, morph rules and a few exceptions: 179 patterns in the
English small model) runs a general token Matcher over every token, which took about 20 ms of
a 600-word article's 140 ms in spaCy (measured in the sixth session) — more than any presslens
stage. Its patterns are simple: one or two tokens, each tested for equality, membership or a
regular expression on a string attribute or a flag. :func:`compile_ruler` turns them into NumPy
tests over the ``Doc``'s attribute arrays, and :class:`CompiledAttributeRuler` applies the
matches exactly as spaCy does (every pattern matched against the tokens as the tagger and parser
left them, then each pattern's attributes set in the order the patterns were added, later ones
winning, with spaCy's own ``set_token_attrs``). A ruler holding anything else (operators,
other predicates or attributes) is left as it is. ``tests/test_nlp_ruler.py`` checks that
both give the same tags, POS, morphology, lemmas and dependencies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["CompiledAttributeRuler", "compile_ruler", "use_compiled_ruler"]

#: Matcher keys over string attributes whose ``Doc.to_array`` values are string hashes.
_STRING_KEYS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER", "NORM": "NORM", "TAG": "TAG"}
_STRING_KEYS |= {"DEP": "DEP", "LEMMA": "LEMMA", "SHAPE": "SHAPE"}
#: Lexical flags (``to_array`` gives 0 or 1); anything else stays with spaCy's ruler.
_FLAG_KEYS = {"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT"}

Test = Callable[[dict[str, np.ndarray]], np.ndarray]
"""Token test: the Doc's attribute columns -> one boolean per token."""


class _Unsupported(Exception):
    """A pattern uses something this module does not compile."""


def _value_test(column: str, value: Any, vocab: Any, regex_cache: dict[Any, bool]) -> Test:
    strings = vocab.strings
    if column in _FLAG_KEYS:
        if not isinstance(value, bool):
            raise _Unsupported(f"{column}: {value!r}")
        return lambda cols: cols[column] == int(value)
    if isinstance(value, str):
        h = np.uint64(strings[value])
        return lambda cols: cols[column] == h
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if (
            op in ("IN", "NOT_IN")
            and isinstance(arg, list)
            and all(isinstance(a, str) for a in arg)
        ):
            hashes = np.array([strings[a] for a in arg], dtype=np.uint64)
            if op == "IN":
                return lambda cols: np.isin(cols[column], hashes)
            return lambda cols: ~np.isin(cols[column], hashes)
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)

            def test(cols: dict[str, np.ndarray]) -> np.ndarray:
                col = cols[column]
                out = np.zeros(len(col), dtype=bool)
                for i, h in enumerate(col.tolist()):
                    key = (arg, h)
                    hit = regex_cache.get(key)
                    if hit is None:
                        hit = regex_cache[key] = rx.search(strings[h]) is not None
                    out[i] = hit
                return out

            return test
    raise _Unsupported(f"{column}: {value!r}")


def _token_test(spec: dict[str, Any], vocab: Any, regex_cache: dict[Any, bool]) -> Test:
    tests = []
    for key, value in spec.items():
        if key in _STRING_KEYS:
            tests.append(_value_test(_STRING_KEYS[key], value, vocab, regex_cache))
        elif key in _FLAG_KEYS:
            tests.append(_value_test(key, value, vocab, regex_cache))
        else:
            raise _Unsupported(key)

    def test(cols: dict[str, np.ndarray]) -> np.ndarray:
        mask = tests[0](cols)
        for t in tests[1:]:
            mask = mask & t(cols)
        return mask

    if not tests:
        raise _Unsupported("empty token pattern")
    return test


Rules = list[tuple[int, int, list[list[Test]]]]
"""(attr id, token index, alternatives of token-test sequences), in the order spaCy applies."""


class CompiledAttributeRuler:
    """Stands in for spaCy's ``AttributeRuler``: same matches, same order, same effects.

    Made empty by the registered factory (spaCy builds components from factories), then
    :meth:`load` gives it the original ruler and its compiled rules."""

    def __init__(self) -> None:
        self.ruler: Any = None  # the original: its normalised attrs and its patterns
        self.rules: Rules = []
        self.columns: list[str] = []
        self._regex_cache: dict[Any, bool] = {}

    def load(self, ruler: Any, rules: Rules, regex_cache: dict[Any, bool]) -> None:
        self.ruler, self.rules, self._regex_cache = ruler, rules, regex_cache
        self.columns = sorted(
            {
                _STRING_KEYS.get(k, k)
                for p in ruler.patterns
                for seq in p["patterns"]
                for tok in seq
                for k in tok
            }
        )

    def __call__(self, doc: Any) -> Any:
        n = len(doc)
        if n == 0 or self.ruler is None:
            return doc
        if len(self._regex_cache) > 100_000:
            self._regex_cache.clear()
        array = doc.to_array(self.columns).reshape(n, len(self.columns)).astype(np.uint64)
        cols = {name: array[:, i] for i, name in enumerate(self.columns)}
        hits: list[tuple[int, int]] = []  # (attr id, token), in spaCy's application order
        for attr_id, index, alternatives in self.rules:
            starts: set[int] = set()
            for seq in alternatives:
                width = len(seq)
                if width > n:
                    continue
                mask = seq[0](cols)[: n - width + 1]
                for k in range(1, width):
                    mask = mask & seq[k](cols)[k : n - width + 1 + k]
                starts.update(np.flatnonzero(mask).tolist())
            for start in sorted(starts):
                width = len(alternatives[0])
                token = start + index if index >= 0 else start + width + index
                hits.append((attr_id, token))
        set_attrs = _set_token_attrs()
        attrs = self.ruler.attrs
        for attr_id, token in hits:
            set_attrs(doc[token], attrs[attr_id])
        return doc

    @property
    def patterns(self) -> list[dict[str, Any]]:
        return list(self.ruler.patterns) if self.ruler is not None else []


def _set_token_attrs() -> Callable[[Any, dict[Any, Any]], None]:
    from spacy.tokens._retokenize import set_token_attrs

    return set_token_attrs


def compile_ruler(ruler: Any, regex_cache: dict[Any, bool]) -> Rules | None:
    """The compiled rules of ``ruler``, or None when one of its patterns is beyond the simple
    forms above (then the original keeps running)."""
    vocab = ruler.vocab
    rules: Rules = []
    try:
        # ``ruler.patterns`` lists each added rule once, in the order added (= attr id order).
        for attr_id, entry in enumerate(ruler.patterns):
            alternatives = [
                [_token_test(tok, vocab, regex_cache) for tok in seq] for seq in entry["patterns"]
            ]
            widths = {len(seq) for seq in alternatives}
            index = int(ruler.indices[attr_id])
            if len(widths) != 1:
                raise _Unsupported("alternatives of different lengths")
            if not -min(widths) <= index < min(widths):
                raise _Unsupported(f"index {index} outside the pattern")  # spaCy raises E1001
            rules.append((attr_id, index, alternatives))
    except _Unsupported:
        return None
    return rules if len(rules) == len(ruler.attrs) else None


FACTORY = "presslens_compiled_attribute_ruler"


def _register_factory() -> None:
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=lambda nlp, name: CompiledAttributeRuler())


def use_compiled_ruler(nlp: Any) -> bool:
    """Swap ``nlp``'s attribute ruler for its compiled form when it compiles; True if swapped."""
    from spacy.pipeline import AttributeRuler

    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return False
    regex_cache: dict[Any, bool] = {}
    rules = compile_ruler(ruler, regex_cache)
    if rules is None:
        return False
    _register_factory()
    nlp.replace_pipe("attribute_ruler", FACTORY)
    nlp.get_pipe("attribute_ruler").load(ruler, rules, regex_cache)
    return True
