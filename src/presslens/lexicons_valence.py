"""Word valence from VADER's lexicon (the PyPI package ``vadersentiment``, MIT licence): how
strongly a word reads as positive or negative, rated by human judges. The span tagger uses it
as a word-class feature, so that loaded words it never saw in training ("vile", "heroic")
still look like the loaded words it did see.

Only the lexicon file is read; VADER's own code is not imported."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.strings import hash_string  # type: ignore[attr-defined]

from presslens.errors import ConfigError

#: The package and file holding the lexicon (one ``word<TAB>mean valence<TAB>…`` per line).
LEXICON_PACKAGE, LEXICON_FILE = "vaderSentiment", "vader_lexicon.txt"
#: Mean valences (VADER's scale runs from -4 to +4) at or above which a word counts as
#: moderately or strongly valenced.
MODERATE, STRONG = 1.5, 2.5


@lru_cache(maxsize=1)
def _table() -> tuple[np.ndarray, np.ndarray]:
    """spaCy hashes of the lexicon's alphabetic words (sorted) and their valence buckets."""
    try:
        raw = resources.files(LEXICON_PACKAGE).joinpath(LEXICON_FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError) as exc:
        raise ConfigError(
            f"the valence lexicon the span tagger needs cannot be read: {exc}",
            where=f"{LEXICON_PACKAGE}/{LEXICON_FILE}",
            hint="Reinstall presslens's dependencies (pip install vadersentiment==3.3.2).",
            code="P530",
        ) from exc
    table: dict[int, int] = {}
    for line in raw.splitlines():
        word, _, rest = line.partition("\t")
        if not word.isalpha() or not rest:
            continue  # emoticons and malformed lines
        try:
            value = float(rest.split("\t", 1)[0])
        except ValueError:
            continue  # a line without a numeric valence says nothing
        size = 3 if abs(value) >= STRONG else 2 if abs(value) >= MODERATE else 1
        table[hash_string(word.lower())] = size if value >= 0 else -size
    keys = np.array(sorted(table), dtype=np.uint64)
    return keys, np.array([table[int(k)] for k in keys], dtype=np.int64)


def valence_buckets(hashes: np.ndarray) -> np.ndarray:
    """Valence bucket of each spaCy string hash: 0 for a word not in the lexicon, else ±1
    (mild), ±2 (moderate) or ±3 (strong), the sign being the word's polarity."""
    keys, values = _table()
    if not len(hashes) or not len(keys):
        return np.zeros(len(hashes), dtype=np.int64)
    k = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
    return np.where(keys[k] == hashes, values[k], 0)
