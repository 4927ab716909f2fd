"""MPNet in torch, the same forward pass as :class:`presslens.encoder_mpnet.MPNetEncoder`.

Only `presslens train techniques-encoder --base mpnet` imports this (torch is a training-time
extra). Modules are nested so that parameter names are the safetensors names: a trained
layer's ``state_dict`` entries are the encoder's overrides as they stand. GELU is the tanh
form, as in the NumPy forward; a test checks both give the same states.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from presslens.encoder_mpnet import (
    HEADS,
    HIDDEN,
    LAYER_NORM_EPS,
    LAYERS,
    PADDING_IDX,
    read_model_files,
    relative_buckets,
)

__all__ = ["MPNet", "MPNetTagger", "load_mpnet"]

VOCAB = 30527
POSITIONS = 514
BUCKETS = 32


class _Attn(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.q = nn.Linear(HIDDEN, HIDDEN)
        self.k = nn.Linear(HIDDEN, HIDDEN)
        self.v = nn.Linear(HIDDEN, HIDDEN)
        self.o = nn.Linear(HIDDEN, HIDDEN)


class _Attention(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.attn = _Attn()
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)


class _Dense(nn.Module):
    def __init__(self, n_in: int, n_out: int, norm: bool) -> None:
        super().__init__()
        self.dense = nn.Linear(n_in, n_out)
        if norm:
            self.LayerNorm = nn.LayerNorm(n_out, eps=LAYER_NORM_EPS)


class _Layer(nn.Module):
    def __init__(self, dropout: float) -> None:
        super().__init__()
        self.attention = _Attention()
        self.intermediate = _Dense(HIDDEN, 4 * HIDDEN, norm=False)
        self.output = _Dense(4 * HIDDEN, HIDDEN, norm=True)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        batch, length, _ = x.shape
        head = HIDDEN // HEADS
        a = self.attention.attn

        def split(h: torch.Tensor) -> torch.Tensor:
            return h.view(batch, length, HEADS, head).transpose(1, 2)

        q, k, v = split(a.q(x)), split(a.k(x)), split(a.v(x))
        scores = q @ k.transpose(-1, -2) * (head**-0.5) + bias
        probs = self.drop(scores.softmax(dim=-1))
        ctx = (probs @ v).transpose(1, 2).reshape(batch, length, HIDDEN)
        x = self.attention.LayerNorm(self.drop(a.o(ctx)) + x)
        hidden = nn.functional.gelu(self.intermediate.dense(x), approximate="tanh")
        return self.output.LayerNorm(self.drop(self.output.dense(hidden)) + x)


class _Embeddings(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(VOCAB, HIDDEN)
        self.position_embeddings = nn.Embedding(POSITIONS, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)


class _Stack(nn.Module):
    def __init__(self, dropout: float) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer(dropout) for _ in range(LAYERS))
        self.relative_attention_bias = nn.Embedding(BUCKETS, HEADS)


class MPNet(nn.Module):
    """Embeddings plus twelve layers; :meth:`lower` and :meth:`upper` split the stack so the
    frozen lower part can be computed once."""

    def __init__(self, dropout: float = 0.0) -> None:
        super().__init__()
        self.embeddings = _Embeddings()
        self.encoder = _Stack(dropout)

    def attention_bias(self, mask: torch.Tensor) -> torch.Tensor:
        """Relative-position bias plus the padding mask, shape (batch, heads, len, len)."""
        length = mask.shape[1]
        buckets = torch.from_numpy(relative_buckets(length))
        position = self.encoder.relative_attention_bias(buckets).permute(2, 0, 1)[None]
        return position + torch.where(mask[:, None, None, :] > 0, 0.0, -1e9)

    def lower(self, ids: torch.Tensor, mask: torch.Tensor, frozen: int) -> torch.Tensor:
        e = self.embeddings
        positions = torch.cumsum(mask, dim=1) * mask + PADDING_IDX
        x = e.LayerNorm(e.word_embeddings(ids) + e.position_embeddings(positions))
        bias = self.attention_bias(mask)
        for layer in self.encoder.layer[:frozen]:
            x = layer(x, bias)
        return x

    def upper(self, x: torch.Tensor, mask: torch.Tensor, frozen: int) -> torch.Tensor:
        bias = self.attention_bias(mask)
        for layer in self.encoder.layer[frozen:]:
            x = layer(x, bias)
        return x

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.upper(self.lower(ids, mask, 0), mask, 0)

    def load_arrays(self, weights: dict[str, np.ndarray]) -> None:
        """Copy arrays named as in safetensors into the parameters."""
        own = dict(self.named_parameters())
        with torch.no_grad():
            for name, value in weights.items():
                if name in own:
                    own[name].copy_(torch.from_numpy(np.asarray(value, dtype=np.float32)))


class MPNetTagger(nn.Module):
    """MPNet plus a linear head: one logit per word piece (inside a technique span)."""

    def __init__(self, encoder: MPNet) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(HIDDEN, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> Any:
        return self.head(self.encoder(ids, mask)).squeeze(-1)


def load_mpnet(dropout: float = 0.0) -> MPNet:
    """MPNet with the weights the archive parts ship."""
    from safetensors.numpy import load

    model = MPNet(dropout)
    model.load_arrays(load(read_model_files()[0]))
    return model
