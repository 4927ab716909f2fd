"""Draw and merge the gold pairs behind ``presslens eval figures`` and ``eval quotations``
(not run by tests).

How ``src/presslens/data/figure_pairs_ecbplus.jsonl`` was made:

    python tools/figure_pairs.py draw --data ../shared/data/ecbplus --out /tmp/fig
        # analyses ECB+, draws pairs per stratum (seed 0), writes /tmp/fig/draw.jsonl (the
        # pairs and their strata) and /tmp/fig/tasks.jsonl (what annotators read: the two
        # sentences with the numbers marked, each document's first line; never the system's
        # decision). tasks.jsonl holds ECB+ text: keep it out of the repository.
    # each annotator writes labels.jsonl lines {"id": N, "label": "same"|"different"}
    python tools/figure_pairs.py merge /tmp/fig/draw.jsonl A.jsonl B.jsonl --out GOLD
        # keeps the pairs both annotators labelled alike; prints agreement and Cohen's kappa

The guidelines the annotators followed are ``GUIDELINES`` below. ``draw --what quotations``
draws quotation pairs instead (``QUOTE_GUIDELINES``; labels then also carry "speaker"), for
``src/presslens/data/quotation_pairs_ecbplus.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

from presslens.eval import quotations
from presslens.eval.figures import analyse_ecbplus, draw_pairs
from presslens.model import Article
from presslens.settings import Settings

#: Pairs drawn per stratum.
PER_STRATUM = {"key": 120, "clause": 80, "ungrouped_close": 70, "ungrouped_far": 50}
QUOTE_PER_STRATUM = {
    "grouped_differ": 60,
    "grouped_agree": 80,
    "ungrouped_similar": 80,
    "ungrouped_other": 40,
}

QUOTE_GUIDELINES = """\
Each task shows two quotations, each marked ⟦like this⟧ inside the lines of its news document
that hold it (with the line before and after, and the document's first line), from two
documents about the same real-world event. Give two labels.

label      "same" when both documents quote one utterance: the same words someone said or
           wrote once, even if one document quotes more or less of it, or a few words
           differ (a trimmed, reordered or slightly reworded quotation is "same"); "different"
           otherwise (two different statements, even by the same person on the same topic;
           a shared phrase or slogan inside two different statements).
speaker    only when label is "same": "same" when both documents give the quotation to the
           same person or organisation (a spokesperson and the organisation he or she speaks
           for count as one), "different" when they give it to different ones, "unclear" when
           a document's shown text does not say who said it (or says only "he", "she",
           "officials" without a name). Judge from the text shown, not from what you know.

Write {"id": N, "label": "same"|"different", "speaker": "same"|"different"|"unclear"} (leave
out "speaker" when label is "different"); add "unsure": true when unsure (then label
"different").
"""

GUIDELINES = """\
Each task shows two numbers, each marked ⟦like this⟧ inside its sentence, from two news
documents about the same real-world event (with each document's first line for context).
Label the pair:

same       the two numbers report the same quantity: the same thing counted or measured
           (people killed, people injured, the magnitude of the quake, the price of the
           deal, the length of the sentence…), about the same event and entity, with the
           same scope, so that if their values differ, the two reports disagree or one
           updates the other (a death toll of 12 in one report and 14 in a later one is
           "same"). The values may be equal or different.
different  anything else: different things counted or measured; the same kind of thing
           about a different event, place, person or period; a part against the whole
           ("8 of the dead were children" against "12 dead"); a number that is part of a
           name, a date, an age, a rank, a score or a time of day; a number in a quotation
           about something else.

Judge only from the two sentences and the first lines shown; when unsure, say "different"
and add "unsure": true.
"""


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, 0)
    hi_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i != -1]
    hi = min(hi_candidates) + 1 if hi_candidates else len(text)
    return lo, hi


def _shown(text: str, start: int, end: int) -> str:
    lo, hi = _sentence(text, start, end)
    return (text[lo:start] + "⟦" + text[start:end] + "⟧" + text[end:hi]).strip()


def _context(text: str, start: int, end: int) -> str:
    """The lines holding ``start:end`` with one non-empty line either side, the span marked."""
    import re

    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    inside = [i for i, (s, e) in enumerate(lines) if s < end and start < e]
    if not inside:
        return text[start:end]
    lo = lines[max(0, inside[0] - 1)][0]
    hi = lines[min(len(lines) - 1, inside[-1] + 1)][1]
    return (text[lo:start] + "⟦" + text[start:end] + "⟧" + text[end:hi]).strip()[:1500]


def draw(data: Path, out: Path, seed: int, cached: Path | None, what: str = "figures") -> None:
    if cached is not None and cached.is_file():
        lines = cached.read_text(encoding="utf-8").splitlines()
        articles = [Article.from_json(line) for line in lines if line.strip()]
    else:
        articles, skipped = analyse_ecbplus(data, Settings())
        if skipped:
            print(f"{len(skipped)} documents skipped", file=sys.stderr)
        if cached is not None:
            cached.write_text("".join(a.to_json() + "\n" for a in articles), encoding="utf-8")
    if what == "quotations":
        drawn = quotations.draw_pairs(articles, per_stratum=QUOTE_PER_STRATUM, seed=seed)
    else:
        drawn = draw_pairs(articles, per_stratum=PER_STRATUM, seed=seed)
    texts = {a.id: a.text for a in articles}
    # tasks in a shuffled order that hides the strata
    order = list(range(len(drawn)))
    random.Random(seed + 1).shuffle(order)
    out.mkdir(parents=True, exist_ok=True)
    with (
        (out / "draw.jsonl").open("w", encoding="utf-8") as keys,
        (out / "tasks.jsonl").open("w", encoding="utf-8") as tasks,
    ):
        for task_id, i in enumerate(order, 1):
            row = drawn[i] | {"id": task_id}
            if what == "figures":
                for side in ("a", "b"):
                    doc, start, end = row[side]
                    row[side + "_text"] = texts[doc][start:end]
            keys.write(json.dumps(row) + "\n")
            shown: dict[str, Any] = {"id": task_id}
            for side in ("a", "b"):
                doc, start, end = row[side]
                text = texts[doc]
                shown[side] = {
                    "first_line": text.split("\n", 1)[0][:300],
                    "sentence": _shown(text, start, end)
                    if what == "figures"
                    else _context(text, start, end),
                }
            tasks.write(json.dumps(shown, ensure_ascii=False) + "\n")
    guidelines = QUOTE_GUIDELINES if what == "quotations" else GUIDELINES
    (out / "GUIDELINES.txt").write_text(guidelines, encoding="utf-8")
    print(f"{len(drawn)} pairs drawn; tasks in {out / 'tasks.jsonl'}")


def _labels(path: Path) -> dict[int, tuple[str, str | None]]:
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[int(row["id"])] = (row["label"], row.get("speaker"))
    return labels


def _kappa(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """Observed agreement and Cohen's kappa of two annotators' labels."""
    n = len(pairs)
    if not n:
        return 0.0, 0.0
    observed = sum(x == y for x, y in pairs) / n
    values = {v for p in pairs for v in p}
    expected = sum(
        (sum(x == v for x, _ in pairs) / n) * (sum(y == v for _, y in pairs) / n) for v in values
    )
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def merge(draw_path: Path, first: Path, second: Path, out: Path) -> None:
    drawn = [json.loads(line) for line in draw_path.read_text(encoding="utf-8").splitlines()]
    a, b = _labels(first), _labels(second)
    both = [r for r in drawn if r["id"] in a and r["id"] in b]
    observed, kappa = _kappa([(a[r["id"]][0], b[r["id"]][0]) for r in both])
    agree = [r for r in both if a[r["id"]][0] == b[r["id"]][0]]
    # speakers (quotation pairs): both annotators' label, or "disputed"
    spoken = [r for r in agree if a[r["id"]][0] == "same" and a[r["id"]][1] is not None]
    with out.open("w", encoding="utf-8") as f:
        for r in sorted(agree, key=lambda r: (r["story"], r["a"], r["b"])):
            gold = {k: r[k] for k in ("story", "stratum", "stratum_size", "weight", "a", "b")}
            if "a_text" in r:  # numbers: the figure as written, to check offsets by eye
                gold |= {"a_text": r["a_text"], "b_text": r["b_text"]}
            gold["label"] = a[r["id"]][0]
            if r in spoken:
                sa, sb = a[r["id"]][1], b[r["id"]][1]
                gold["speaker"] = sa if sa == sb else "disputed"
            f.write(json.dumps(gold) + "\n")
    print(
        f"{len(both)} pairs labelled by both; agreement {observed:.3f}, Cohen's kappa "
        f"{kappa:.3f}; {len(agree)} kept in {out}"
    )
    if spoken:
        s_obs, s_kappa = _kappa([(a[r["id"]][1] or "", b[r["id"]][1] or "") for r in spoken])
        print(f"speakers of {len(spoken)} same pairs: agreement {s_obs:.3f}, kappa {s_kappa:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--data", type=Path, required=True)
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--seed", type=int, default=0)
    d.add_argument("--articles", type=Path, help="analysed articles (JSON lines), made once")
    d.add_argument("--what", choices=["figures", "quotations"], default="figures")
    m = sub.add_parser("merge")
    m.add_argument("draw", type=Path)
    m.add_argument("first", type=Path)
    m.add_argument("second", type=Path)
    m.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "draw":
        draw(args.data, args.out, args.seed, args.articles, args.what)
    else:
        merge(args.draw, args.first, args.second, args.out)


if __name__ == "__main__":
    main()
