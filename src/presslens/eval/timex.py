"""Score the timex stage on TempEval-3 TimeML (``.tml``, e.g. TBAQ-cleaned).

Each document's ``<TEXT>`` is read with its tags removed (XML entities decoded), which gives
the text and the gold TIMEX3 offsets; the document creation time (the TIMEX3 with
``functionInDocument="CREATION_TIME"``) is the article date that relative expressions are
anchored on. The spaCy and timex stages run on that text.

Metrics, as in TempEval-3 (micro-averaged over all documents):

- *strict*: a predicted span matches a gold span with identical offsets;
- *relaxed*: spans sharing at least one character match, one-to-one, greedy by overlap;
- P = matched / predicted, R = matched / gold, F1 = 2PR / (P + R);
- *type* and *value accuracy*: share of relaxed matches whose ``type`` / ``value`` equals gold;
- *type* and *value F1*: F1 with tp = relaxed matches with the right type / value.

This is the official definition: TempEval-3's ``evaluate_entities.py`` reports the value F1 as
value accuracy (exact string equality over relaxed matches) times relaxed F1, which equals
2·tp / (predicted + gold) computed here; like it, the creation time (outside ``<TEXT>``) is
not scored. Its relaxed matching aligns entities one-to-one by overlap, as done here.

``split`` scores a fixed part of the documents: ``dev`` is every document whose name's CRC-32
is divisible by 4 (65 of TBAQ's 256), ``train`` the rest. The timex rules since v2 were
adjusted looking only at errors on ``train``, so ``dev`` is the less optimistic figure.
"""

from __future__ import annotations

import html
import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from presslens.errors import InputError
from presslens.model import Article, Published
from presslens.settings import Settings

__all__ = [
    "SPLITS",
    "GoldDoc",
    "GoldTimex",
    "eval_timex",
    "in_split",
    "read_tml",
    "score_timexes",
    "tml_files",
]

#: Document splits of :func:`eval_timex`.
SPLITS = ("all", "train", "dev")

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>|[^<]+")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


@dataclass
class GoldDoc:
    name: str
    text: str
    dct: date | None
    timexes: list[GoldTimex] = field(default_factory=list)


def tml_files(data: Path) -> list[Path]:
    """Every ``.tml`` file under ``data`` (sorted), excluding the TempEval ``testpipeline``."""
    if data.is_file():
        return [data]
    files = sorted(p for p in data.rglob("*.tml") if "testpipeline" not in p.parts)
    if not files:
        raise InputError(
            "no .tml file found",
            where=str(data),
            hint="Pass a TempEval-3 folder such as ../shared/data/tempeval3/TBAQ-cleaned.",
        )
    return files


def in_split(name: str, split: str) -> bool:
    """Is the document called ``name`` (file stem) in ``split`` ("all", "train" or "dev")?"""
    if split == "all":
        return True
    dev = zlib.crc32(name.encode("utf-8")) % 4 == 0
    return dev if split == "dev" else not dev


def read_tml(path: Path) -> GoldDoc:
    """Text of ``<TEXT>`` (tags removed) with its TIMEX3 spans, and the creation date."""
    raw = path.read_text(encoding="utf-8")
    dct: date | None = None
    m = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    if m:
        value = dict(_ATTR.findall(m.group(0))).get("value", "")
        if re.match(r"\d{4}-\d\d-\d\d", value):
            dct = date.fromisoformat(value[:10])
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.DOTALL)
    if body is None:
        raise InputError("no <TEXT> element", where=str(path), hint="Is this a TimeML file?")
    parts: list[str] = []
    n = 0
    timexes: list[GoldTimex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    for tok in _TAG.finditer(body.group(1)):
        if tok.group(2) is None:
            piece = html.unescape(tok.group(0))
            parts.append(piece)
            n += len(piece)
        elif tok.group(2) == "TIMEX3":
            if tok.group(1):
                if open_timex is not None:
                    s, attrs = open_timex
                    timexes.append(GoldTimex(s, n, attrs.get("type", ""), attrs.get("value", "")))
                open_timex = None
            else:
                open_timex = (n, dict(_ATTR.findall(tok.group(3))))
    return GoldDoc(path.stem, "".join(parts), dct, timexes)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp}


def score_timexes(
    gold: Sequence[Sequence[tuple[int, int, str, str]]],
    pred: Sequence[Sequence[tuple[int, int, str, str]]],
) -> dict[str, Any]:
    """TempEval-3 style scores over documents; items are ``(start, end, type, value)``."""
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in pred)
    strict = relaxed = type_ok = value_ok = 0
    errors: Counter[str] = Counter()
    for g_doc, p_doc in zip(gold, pred, strict=True):
        g_set = {(g[0], g[1]) for g in g_doc}
        strict += sum((p[0], p[1]) in g_set for p in set((p[0], p[1]) for p in p_doc))
        pairs = sorted(
            (
                (-_overlap((g[0], g[1]), (p[0], p[1])), gi, pi)
                for gi, g in enumerate(g_doc)
                for pi, p in enumerate(p_doc)
                if _overlap((g[0], g[1]), (p[0], p[1])) > 0
            )
        )
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            relaxed += 1
            type_ok += g_doc[gi][2] == p_doc[pi][2]
            if g_doc[gi][3] == p_doc[pi][3]:
                value_ok += 1
            else:
                errors["value"] += 1
    return {
        "gold": n_gold,
        "predicted": n_pred,
        "strict": _prf(strict, n_pred, n_gold),
        "relaxed": _prf(relaxed, n_pred, n_gold),
        "type": {
            "accuracy": type_ok / relaxed if relaxed else 0.0,
            **_prf(type_ok, n_pred, n_gold),
        },
        "value": {
            "accuracy": value_ok / relaxed if relaxed else 0.0,
            **_prf(value_ok, n_pred, n_gold),
        },
    }


def eval_timex(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    details: bool = False,
    split: str = "all",
) -> dict[str, Any]:
    """Run the spaCy and timex stages on every TimeML document (of ``split``) and score them."""
    from presslens.stages.spacy_stage import make_spacy_stage
    from presslens.stages.timexes import make_timexes_stage

    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    files = [p for p in tml_files(data) if in_split(p.stem, split)][:limit]
    spacy_run = make_spacy_stage(settings)
    timex_run = make_timexes_stage(settings)
    docs = [read_tml(p) for p in files]
    gold: list[list[tuple[int, int, str, str]]] = []
    pred: list[list[tuple[int, int, str, str]]] = []
    mistakes: list[dict[str, Any]] = []
    batch = max(1, settings.batch_size)
    for i in range(0, len(docs), batch):
        chunk = docs[i : i + batch]
        arts = [
            Article(
                text=d.text,
                source=d.name,
                published=Published(date=d.dct, source="dct") if d.dct else None,
            )
            for d in chunk
        ]
        timex_run(spacy_run(arts))
        for d, art in zip(chunk, arts, strict=True):
            art._doc = None
            g = [(t.start, t.end, t.type, t.value) for t in d.timexes]
            p = [(s.start, s.end, s.attrs["type"], s.attrs["value"]) for s in art.layer("timexes")]
            gold.append(g)
            pred.append(p)
            if details:
                mistakes.extend(_mistakes(d, g, p))
        if on_progress:
            on_progress(min(i + batch, len(docs)), len(docs))
    report = score_timexes(gold, pred)
    report["documents"] = len(docs)
    report["data"] = str(data)
    report["split"] = split
    if details:
        report["mistakes"] = mistakes
    return report


def _mistakes(
    d: GoldDoc, gold: list[tuple[int, int, str, str]], pred: list[tuple[int, int, str, str]]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for g in gold:
        hit = [p for p in pred if _overlap((g[0], g[1]), (p[0], p[1]))]
        if not hit or hit[0][:2] != g[:2] or hit[0][3] != g[3]:
            out.append(
                {
                    "doc": d.name,
                    "dct": str(d.dct),
                    "gold": [d.text[g[0] : g[1]], g[2], g[3]],
                    "pred": [[d.text[p[0] : p[1]], p[2], p[3]] for p in hit],
                }
            )
    for p in pred:
        if not any(_overlap((g[0], g[1]), (p[0], p[1])) for g in gold):
            out.append({"doc": d.name, "gold": None, "pred": [[d.text[p[0] : p[1]], p[2], p[3]]]})
    return out
