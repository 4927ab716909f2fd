"""Score the quantity stage on NewsQuant (``newsquant-dev.json``), as in the NewsQuant/CQE paper.

The file is a JSON list of ``{"text": sentence, "quantities": [{"value", "unit",
"normalized_unit", "change", "referred_concepts"}]}``. Gold values are numbers, or ranges
written ``"low-high"``. Each sentence is read, normalised and run through the default pipeline.

Matching, per sentence (micro-averaged over the file):

- a predicted quantity matches a gold one when their values agree (relative tolerance 1e-5, as
  CQE's scorer); ranges match ranges with both ends agreeing (in either order, since gold
  writes "from X to Y" as ``X-Y`` whichever is larger);
- matching is one-to-one; among predictions with the right value, one with the right unit is
  preferred;
- *value*: tp = matched pairs; *value+unit*: matched pairs whose normalised unit equals gold's
  ``normalized_unit`` (lowercased; no unit is ``-``). The predicted unit is ``unit``, else the
  lemma of the counted noun (NewsQuant's unit for counts: "300 residents" -> ``resident``),
  else ``-``;
- *value+concept*: matched pairs where a word of gold ``referred_concepts`` occurs in the
  counted noun phrase or the subject of the predicate (CQE's "partial" concept match);
- P = tp / predicted, R = tp / gold, F1 = 2PR / (P + R).

Vague quantities without a value ("dozens of") are not scored (NewsQuant does not annotate them).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presslens.errors import InputError
from presslens.model import Article
from presslens.settings import Settings

__all__ = [
    "GoldQuantity",
    "PredQuantity",
    "eval_quantities",
    "load_newsquant",
    "parse_gold_value",
    "predicted_quantities",
    "score_quantities",
]

Value = float | tuple[float, float]


@dataclass(frozen=True)
class GoldQuantity:
    value: Value
    unit: str
    concepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class PredQuantity:
    value: Value
    unit: str
    concepts: tuple[str, ...] = ()
    text: str = ""


def parse_gold_value(raw: str) -> Value:
    """``"2000"`` -> 2000.0; ``"212577-138285"`` -> (212577.0, 138285.0) (as CQE decodes it)."""
    s = raw.strip()
    if "-" in s[1:] and "e" not in s.lower():
        lo, _, hi = s[1:].partition("-") if s.startswith("-") else s.partition("-")
        if s.startswith("-"):
            lo = "-" + lo
        return float(lo), float(hi)
    return float(s)


def _concept_words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in re.split(r"[,\s]+", text) if w and w != "-")


def load_newsquant(path: Path) -> list[tuple[str, list[GoldQuantity]]]:
    """(sentence, gold quantities) for every item of a NewsQuant JSON file."""
    if path.is_dir():
        candidates = sorted(path.glob("*.json"))
        if not candidates:
            raise InputError("no .json file in the folder", where=str(path))
        path = candidates[0]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            f"cannot read NewsQuant JSON: {exc}",
            where=str(path),
            hint="Pass ../shared/data/newsquant/newsquant-dev.json.",
        ) from None
    if not isinstance(data, list):
        raise InputError("expected a JSON list of {text, quantities}", where=str(path))
    items = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or "text" not in item:
            raise InputError(f"item {i} has no 'text'", where=str(path))
        gold = [
            GoldQuantity(
                parse_gold_value(str(q["value"])),
                str(q.get("normalized_unit", "-")).lower(),
                _concept_words(str(q.get("referred_concepts", "-"))),
            )
            for q in item.get("quantities", [])
        ]
        items.append((str(item["text"]), gold))
    return items


def _values_match(a: Value, b: Value) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return (_close(a[0], b[0]) and _close(a[1], b[1])) or (
            _close(a[0], b[1]) and _close(a[1], b[0])
        )
    if isinstance(a, tuple) or isinstance(b, tuple):
        return False
    return _close(a, b)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-8)


def score_quantities(
    gold: Sequence[Sequence[GoldQuantity]], pred: Sequence[Sequence[PredQuantity]]
) -> dict[str, Any]:
    """P/R/F1 at value, value+unit and value+concept over sentences (see the module doc)."""
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in pred)
    tp_value = tp_unit = tp_concept = 0
    for g_sent, p_sent in zip(gold, pred, strict=True):
        free = list(range(len(p_sent)))
        for g in g_sent:
            cands = [i for i in free if _values_match(g.value, p_sent[i].value)]
            if not cands:
                continue
            with_unit = [i for i in cands if p_sent[i].unit == g.unit]
            chosen = (with_unit or cands)[0]
            free.remove(chosen)
            tp_value += 1
            tp_unit += bool(with_unit)
            if set(g.concepts) & set(p_sent[chosen].concepts):
                tp_concept += 1
    return {
        "gold": n_gold,
        "predicted": n_pred,
        "value": _prf(tp_value, n_pred, n_gold),
        "value_unit": _prf(tp_unit, n_pred, n_gold),
        "value_concept": _prf(tp_concept, n_pred, n_gold),
    }


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp}


def predicted_quantities(art: Article) -> list[PredQuantity]:
    """The article's ``quantities`` layer as scorer items (vague counts left out)."""
    out = []
    for s in art.layer("quantities"):
        a = s.attrs
        if a.get("value") is not None:
            value: Value = float(a["value"])
        elif a.get("low") is not None and a.get("high") is not None:
            value = (float(a["low"]), float(a["high"]))
        else:
            continue
        unit = a.get("unit") or a.get("counted_lemma") or "-"
        words: list[str] = []
        if a.get("counted"):
            words += art.text[a["counted"][0] : a["counted"][1]].split()
        if a.get("subject"):
            words += art.text[a["subject"][0] : a["subject"][1]].split()
        out.append(PredQuantity(value, str(unit).lower(), _concept_words(" ".join(words)), s.text))
    return out


def eval_quantities(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    details: bool = False,
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run the pipeline on every NewsQuant sentence and score its quantities."""
    from presslens.pipeline import Pipeline, default_config
    from presslens.readers import normalise, text_document

    items = load_newsquant(data)[:limit]
    pipeline = Pipeline.from_config(config or default_config(), settings)
    gold: list[list[GoldQuantity]] = []
    pred: list[list[PredQuantity]] = []
    skipped = 0
    batch = max(1, settings.batch_size)
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        arts = []
        for n, (text, _) in enumerate(chunk):
            arts.append(
                normalise(
                    text_document(text, source=f"newsquant:{i + n}", key=str(i + n), meta={}),
                    settings,
                )
            )
        done, _failed = pipeline.run(arts)
        by_source = {a.source: a for a in done}
        for n, (_, g) in enumerate(chunk):
            art = by_source.get(f"newsquant:{i + n}")
            gold.append(g)
            if art is None:
                skipped += 1
                pred.append([])
                continue
            pred.append(predicted_quantities(art))
            art._doc = None
        if on_progress:
            on_progress(min(i + batch, len(items)), len(items))
    report = score_quantities(gold, pred)
    report["sentences"] = len(items)
    report["skipped"] = skipped
    report["data"] = str(data)
    if details:
        report["items"] = [
            {
                "text": text,
                "gold": [[g.value, g.unit] for g in g_list],
                "pred": [[p.text, p.value, p.unit] for p in p_list],
            }
            for (text, _), g_list, p_list in zip(items, gold, pred, strict=True)
        ]
    return report
