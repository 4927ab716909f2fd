"""Hashed features and small linear models shared by the rhetoric stages (techniques, genre,
claims).

Features are strings hashed with CRC-32 into a fixed number of buckets, so no vocabulary has to
be shipped and the same string gives the same bucket in every process (Python's own ``hash`` is
salted per process). Token-window features are combined numerically from per-token hashes with
numpy, so a 600-word article costs a few thousand dictionary look-ups, not tens of thousands of
string formats.

Models are stored as a small zip of ``.npy`` arrays plus ``meta.json``, written with fixed
timestamps so the same weights give the same bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from presslens.errors import ConfigError

__all__ = [
    "LinearModel",
    "Rows",
    "feature_hash",
    "load_model",
    "mix",
    "save_model",
    "sigmoid",
    "softmax",
]

#: Multipliers of the integer mixing function (odd 64-bit constants from splitmix64).
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2_INT = 0xBF58476D1CE4E5B9
_MASK63 = np.uint64(2**63 - 1)
_FIXED_DATE = (2020, 1, 1, 0, 0, 0)


@lru_cache(maxsize=200_000)
def feature_hash(feature: str) -> int:
    """A stable 32-bit hash of a feature string (CRC-32; the same in every process)."""
    return zlib.crc32(feature.encode("utf-8", "surrogatepass"))


def mix(hashes: np.ndarray, salt: int) -> np.ndarray:
    """Combine per-token hashes with a salt (offset, template) into new 63-bit hashes (they
    fit an int64, so they can index arrays after a modulo)."""
    h = hashes.astype(np.uint64) * _M1 + np.uint64((salt * _M2_INT) % 2**64)
    return (h ^ (h >> np.uint64(29))) & _MASK63


@dataclass(frozen=True)
class Rows:
    """A sparse design matrix: feature ``ids[k]`` (bucket) has value ``vals[k]`` (1 when
    ``vals`` is None) in row ``rows[k]``."""

    ids: np.ndarray
    rows: np.ndarray
    n: int
    vals: np.ndarray | None = None

    @staticmethod
    def from_lists(lists: Sequence[np.ndarray | Sequence[int]]) -> Rows:
        """Rows from one sequence (or array) of feature ids per row."""
        arrays = [np.asarray(fs, dtype=np.uint64) & _MASK63 for fs in lists]
        ids = np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, np.int64)
        rows = np.repeat(np.arange(len(lists), dtype=np.int64), [len(a) for a in arrays])
        return Rows(ids, rows, len(lists))

    def with_values(self, vals: np.ndarray) -> Rows:
        return Rows(self.ids, self.rows, self.n, vals)

    def take(self, keep: np.ndarray) -> Rows:
        """The rows whose index is in the boolean mask ``keep`` (renumbered)."""
        new_index = np.cumsum(keep) - 1
        sel = keep[self.rows]
        vals = None if self.vals is None else self.vals[sel]
        return Rows(self.ids[sel], new_index[self.rows[sel]], int(keep.sum()), vals)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class LinearModel:
    """Weights ``w`` (buckets × classes, or buckets for a binary model), bias and metadata."""

    w: np.ndarray
    b: np.ndarray
    meta: dict[str, Any]

    @property
    def buckets(self) -> int:
        return int(self.w.shape[0])

    def scores(self, x: Rows) -> np.ndarray:
        """Raw scores: (n,) for a binary model, (n, classes) for a multi-class one."""
        ids = x.ids % self.buckets
        vals = 1.0 if x.vals is None else x.vals
        if self.w.ndim == 1:
            return np.bincount(x.rows, weights=self.w[ids] * vals, minlength=x.n) + self.b[0]
        out = np.empty((x.n, self.w.shape[1]))
        for c in range(self.w.shape[1]):
            out[:, c] = np.bincount(x.rows, weights=self.w[ids, c] * vals, minlength=x.n)
        return out + self.b

    def dense_scores(self, ids: np.ndarray) -> np.ndarray:
        """Binary scores for a fixed-width matrix of feature ids (rows × features)."""
        return self.w[ids % self.buckets].sum(axis=1) + self.b[0]


def save_model(path: Path, model: LinearModel) -> int:
    """Write the model (float16 weights) with fixed timestamps; return the file size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in (("w", model.w.astype(np.float16)), ("b", model.b.astype(np.float32))):
            arr_buf = io.BytesIO()
            np.save(arr_buf, arr, allow_pickle=False)
            zf.writestr(_entry(f"{name}.npy"), arr_buf.getvalue())
        meta = json.dumps(model.meta, sort_keys=True, ensure_ascii=False, indent=1)
        zf.writestr(_entry("meta.json"), meta)
    data = buf.getvalue()
    path.write_bytes(data)
    return len(data)


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip member with a fixed date (same bytes every time), deflated (weights are mostly
    zero: hashed buckets no training feature fell into)."""
    info = zipfile.ZipInfo(name, _FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def load_model(path: Path | Any) -> LinearModel:
    """Read a model written by :func:`save_model` (a path or an importlib resource)."""
    try:
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            w = np.load(io.BytesIO(zf.read("w.npy")), allow_pickle=False).astype(np.float32)
            b = np.load(io.BytesIO(zf.read("b.npy")), allow_pickle=False).astype(np.float64)
            meta = json.loads(zf.read("meta.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ConfigError(
            f"cannot read the model artifact: {exc}",
            where=str(path),
            hint="Reinstall presslens, or rebuild it with `presslens train …`.",
            code="P530",
        ) from None
    return LinearModel(w, b, meta)
