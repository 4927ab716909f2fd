"""A compact set of article ids for the driver: 8 bytes an id instead of a Python string.

Article ids are 16 hex digits (64 bits of a sha256), so each is kept as one ``uint64``: recent
ids in a small Python set, older ones in a sorted numpy array merged in batches. At 100M
articles that is about 0.8 GB where a set of strings would need about 8 GB. An id that is not
16 hex digits (a custom reader's) is hashed to 64 bits the same way.

The ids committed before a run are also written once, as that sorted array, to a ``.npy``
file in the output folder: workers map it read-only (:func:`load_known`), so each can skip an
already-committed article before analysing it without the driver sending ids to it, and the
pages are shared by all workers of a host.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

#: Recent ids kept in a Python set before they are merged into the sorted array.
MERGE_AT = 1 << 20


class IdSet:
    """Membership of article ids, compact (see the module doc)."""

    def __init__(self) -> None:
        self._sorted = np.empty(0, dtype=np.uint64)
        self._recent: set[int] = set()

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str):
            return False
        key = _key(article_id)
        if key in self._recent:
            return True
        i = int(np.searchsorted(self._sorted, np.uint64(key)))
        return i < len(self._sorted) and int(self._sorted[i]) == key

    def add(self, article_id: str) -> None:
        if article_id in self:
            return
        self._recent.add(_key(article_id))
        if len(self._recent) >= MERGE_AT:
            self._merge()

    def update(self, article_ids: Iterable[str]) -> None:
        for article_id in article_ids:
            self.add(article_id)

    def sorted_keys(self) -> npt.NDArray[np.uint64]:
        """Every id as a sorted ``uint64`` array (what :func:`save_known` writes)."""
        self._merge()
        return self._sorted

    def _merge(self) -> None:
        recent = np.fromiter(self._recent, dtype=np.uint64, count=len(self._recent))
        self._sorted = np.union1d(self._sorted, recent)
        self._recent.clear()


def _key(article_id: str) -> int:
    if len(article_id) == 16:
        try:
            return int(article_id, 16)
        except ValueError:
            pass
    return int.from_bytes(hashlib.sha256(article_id.encode()).digest()[:8], "big")


def save_known(ids: IdSet, path: Path) -> None:
    """Write ``ids`` as a sorted ``uint64`` ``.npy`` file, atomically (temp file + rename)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with tmp.open("wb") as fh:
        np.save(fh, ids.sorted_keys())
    os.replace(tmp, path)


_KNOWN: dict[tuple[str, int, int], npt.NDArray[np.uint64]] = {}  # per process


def load_known(path: str) -> npt.NDArray[np.uint64]:
    """The sorted ids in ``path``, mapped read-only and cached per process until it changes."""
    st = os.stat(path)
    key = (path, st.st_mtime_ns, st.st_size)
    arr = _KNOWN.get(key)
    if arr is None:
        _KNOWN.clear()  # one run's file at a time
        arr = np.load(path, mmap_mode="r")
        _KNOWN[key] = arr
    return arr


def known_mask(known: npt.NDArray[np.uint64], article_ids: Sequence[str]) -> list[bool]:
    """For each id, whether it is in the sorted array ``known``."""
    if not len(known) or not article_ids:
        return [False] * len(article_ids)
    keys = np.fromiter((_key(i) for i in article_ids), dtype=np.uint64, count=len(article_ids))
    at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
    return [bool(x) for x in known[at] == keys]
