"""Unlabelled news and the soft targets v4 gives it, to distil v4 into v1's linear tagger.

Why: v1's tagger sees five words around each token and learns from ~300 annotated articles;
it memorises words more than contexts (README "Measured"). ``presslens.techniques.v4``
(all-mpnet-base-v2 fine-tuned) finds spans better but is ~200 times slower. Its token
probabilities on unlabelled news of the same kind are extra training targets that cost the
default pipeline nothing at run time (``presslens train techniques --unlabelled``).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from presslens.errors import InputError
from presslens.readers import normalise, text_document
from presslens.settings import Settings

__all__ = ["SoftTargets", "load_unlabelled", "normalised_texts", "teacher_targets"]

Progress = Callable[[str, int, int], None]

#: Modules whose code the teacher's targets depend on (normalising, features, v4's forward).
_TARGET_CODE = (
    "presslens.readers.normalise",
    "presslens.lexicons_valence",
    "presslens.stages.linear",
    "presslens.stages.techniques",
    "presslens.stages.techniques_encoder",
    "presslens.encoder",
    "presslens.encoder_mpnet",
)


@dataclass(frozen=True)
class SoftTargets:
    """One unlabelled article: the tagger's features of its non-space tokens (valence columns
    included; a tagger without them drops them) and the teacher's probability that each is
    inside a technique span."""

    key: str
    feats: np.ndarray
    probs: np.ndarray


def load_unlabelled(path: Path) -> list[tuple[str, str]]:
    """``(id, text)`` of unlabelled articles: a SemEval-2019 Task 4 by-article XML file
    (``<articles><article id=… title=…><p>…</p>…``; title and paragraphs, links as text) or a
    folder of ``.txt`` files."""
    if path.is_dir():
        files = sorted(path.glob("*.txt"))
        if not files:
            raise _unusable(path, "no .txt articles in this folder")
        return [(f.stem, f.read_text(encoding="utf-8", errors="replace")) for f in files]
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        root = SafeET.parse(str(path), forbid_dtd=True).getroot()
    except (OSError, SafeET.ParseError, DefusedXmlException) as exc:
        raise _unusable(path, f"cannot read the unlabelled articles: {exc}") from exc
    out = []
    for k, art in enumerate(root.iter("article")):
        paragraphs = [" ".join("".join(p.itertext()).split()) for p in art.iter("p")]
        body = [p for p in paragraphs if p]
        if body:
            title = " ".join((art.get("title") or "").split())
            out.append((art.get("id") or str(k), "\n\n".join([title, *body]) + "\n"))
    if not out:
        raise _unusable(path, "no <article> with <p> paragraphs in this XML")
    return out


def normalised_texts(
    articles: list[tuple[str, str]], settings: Settings, source: str | None = None
) -> tuple[list[tuple[str, str]], list[str]]:
    """``(id, normalised text)`` of the articles the pipeline can read, and the ids of those
    it cannot (no usable text): an unlabelled article is skipped, never fatal."""
    texts, skipped = [], []
    for key, raw in articles:
        try:
            art = normalise(text_document(raw, source=source or key, key=key, meta={}), settings)
        except InputError:
            skipped.append(key)
            continue
        texts.append((key, art.text))
    return texts, skipped


def _unusable(path: Path, message: str) -> InputError:
    return InputError(
        message,
        where=str(path),
        hint="Pass the SemEval-2019 Task 4 articles XML (articles-training-byarticle-….xml) "
        "or a folder of plain-text .txt articles.",
        code="P531",
    )


def teacher_targets(
    articles: list[tuple[str, str]],
    settings: Settings,
    on_progress: Progress | None = None,
    cache: Path | None = None,
) -> list[SoftTargets]:
    """Normalise and parse the articles as the pipeline does; the v4 tagger's encoder (its
    own probability, not mixed with the linear tagger it teaches) labels every token.

    v4's pass costs ~2 s an article, so ``cache`` (an ``.npz`` file) keeps the targets: they
    are read back when the articles, the v4 artifact, the spaCy model and the code that
    normalises, featurises and runs v4 are the same as when it was written, and recomputed
    (and the file rewritten) otherwise."""
    digest = _digest(articles, settings) if cache is not None else ""
    if cache is not None and cache.is_file():
        found = _read_cache(cache, digest)
        if found is not None:
            return found
    out = _compute_targets(articles, settings, on_progress)
    if cache is not None:
        _write_cache(cache, digest, out)
    return out


def _digest(articles: list[tuple[str, str]], settings: Settings) -> str:
    """What the targets depend on: the texts, v4's artifact and the code that runs it, spaCy's
    model, the normaliser and the token features (the source files, so any edit recomputes)."""
    from presslens.stages.techniques_encoder import MPNET_MODEL

    h = hashlib.sha1(settings.spacy_model.encode())
    h.update(resources.files("presslens").joinpath(MPNET_MODEL).read_bytes())
    for name in _TARGET_CODE:
        h.update(Path(str(importlib.import_module(name).__file__)).read_bytes())
    for key, text in articles:
        h.update(f"{len(key)}:{key}{len(text)}:".encode())
        h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _read_cache(path: Path, digest: str) -> list[SoftTargets] | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["digest"]) != digest:
                return None
            keys, lens, feats, probs = z["keys"], z["lens"], z["feats"], z["probs"]
    except (OSError, ValueError, KeyError):
        return None  # unreadable or from another layout: recompute and overwrite
    out, k = [], 0
    for key, n in zip(keys, lens, strict=True):
        out.append(SoftTargets(str(key), feats[k : k + n], probs[k : k + n]))
        k += int(n)
    return out


def _write_cache(path: Path, digest: str, targets: list[SoftTargets]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(
        tmp,
        digest=np.array(digest),
        keys=np.array([t.key for t in targets], dtype=str),
        lens=np.array([len(t.probs) for t in targets], dtype=np.int64),
        feats=np.concatenate([t.feats for t in targets]) if targets else np.zeros((0, 0)),
        probs=np.concatenate([t.probs for t in targets]) if targets else np.zeros(0),
    )
    tmp.replace(path)


def _compute_targets(
    articles: list[tuple[str, str]], settings: Settings, on_progress: Progress | None
) -> list[SoftTargets]:
    from presslens.stages.techniques import _SPC, token_features, token_table
    from presslens.stages.techniques_encoder import MPNET_MODEL, _shipped, piece_to_token_probs
    from presslens.train.techniques import parse_texts

    teacher = _shipped(MPNET_MODEL)
    texts, _ = normalised_texts(articles, settings)
    docs = parse_texts([text for _, text in texts], settings, on_progress)
    out = []
    for k, ((key, text), doc) in enumerate(zip(texts, docs, strict=True), 1):
        t = token_table(doc, text)
        pieces = teacher.encoder.pieces(text)
        probs = piece_to_token_probs(t, pieces, teacher.piece_probs(pieces))
        keep = t.a[:, _SPC] == 0
        feats = token_features(t, valence=True).astype(np.int64)[keep]
        out.append(SoftTargets(key, feats, probs[keep].astype(np.float32)))
        if on_progress:
            on_progress("teacher (techniques.v4)", k, len(texts))
    return out
