"""Score story clustering on ECB+: documents clustered into sub-topics (B³ and pairwise F1).

ECB+ (CROMER XML, ``ECB+/<topic>/<topic>_<n>ecb.xml`` and ``…ecbplus.xml``) groups news
documents by topic; each topic holds two sub-topics, two real-world events of the same kind
(the ``ecb`` and the ``ecbplus`` documents). Gold stories are the sub-topics of topics 1–35
without 15 and 17 (the usual exclusions). Documents are rebuilt from their tokens, one sentence
per line; a first line that is a URL (ECB+ added them to its new documents only) goes to the
article's ``url`` and is not part of the text, so it cannot give the sub-topic away.

Our clustering (:mod:`presslens.corpus.stories`) runs over articles analysed with the spaCy,
entities and timexes stages; the baseline is TF-IDF cosine with average-link agglomerative
clustering, its threshold tuned on the ``train`` topics like ours. Both are reported on train,
dev and all topics.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from defusedxml import ElementTree

from presslens.corpus.digest import digest
from presslens.corpus.resolve import resolve_entities
from presslens.corpus.stories import StoryOptions, cluster_stories, tfidf_matrix
from presslens.errors import InputError
from presslens.model import Article
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
from presslens.settings import Settings

__all__ = [
    "EXCLUDED_TOPICS",
    "b_cubed",
    "baseline_agglomerative",
    "eval_stories",
    "pairwise",
    "read_ecbplus",
]

EXCLUDED_TOPICS = frozenset({15, 17})
MAX_TOPIC = 35
#: Stages run on ECB+ documents: what story clustering reads (entities, dates).
STAGES = ["spacy", "entities", "timexes"]
#: Distance thresholds tried for the baseline's average-link merging (tuned on train).
BASELINE_THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.05, 0.96, 0.05))

_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}'’”]|n't|'s|'re|'ve|'ll|'d|'m)")
_NO_SPACE_AFTER = re.compile(r"([(\[{“$]) ")


#: ECB+ splits numbers and compounds into tokens ("31 , 000", "6 : 40", "5 . 9", "a . m .",
#: "16 - year - old"); joined back, a reader sees "31,000", "6:40", "5.9", "a.m." and
#: "16-year-old" as a news page prints them, not a count "000" or a count "16" of years.
_SPLIT_THOUSANDS = re.compile(r"(?<![\d,.])(\d{1,3}(?:,\d{3})*), (\d{3})\b")
_SPLIT_DECIMAL = re.compile(r"(\d)\. (\d)")
_SPLIT_CLOCK = re.compile(r"\b(\d{1,2}): (\d{2})\b")
_SPLIT_MERIDIEM = re.compile(r"\b([ap])\. ?m\.", re.IGNORECASE)
_SPLIT_NUMBER_COMPOUND = re.compile(
    r"\b(\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|hundred) - (?=[a-z])",
    re.IGNORECASE,
)
_SPLIT_YEAR_OLD = re.compile(r"\b(years?|months?|weeks?|days?) - old\b")


def _detok(tokens: Iterable[str]) -> str:
    text = " ".join(t for t in tokens if t)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1", text)
    while (joined := _SPLIT_THOUSANDS.sub(r"\1,\2", text)) != text:
        text = joined
    text = _SPLIT_DECIMAL.sub(r"\1.\2", text)
    text = _SPLIT_CLOCK.sub(r"\1:\2", text)
    text = _SPLIT_MERIDIEM.sub(r"\1.m.", text)
    text = _SPLIT_NUMBER_COMPOUND.sub(r"\1-", text)
    text = _SPLIT_YEAR_OLD.sub(r"\1-old", text)
    return text.replace("`` ", "“").replace(" ''", "”").replace("``", "“").replace("''", "”")


def ecbplus_files(data: Path) -> list[tuple[int, Path]]:
    """(topic, path) of every document of topics 1–35 without 15 and 17, in topic order."""
    root = data / "ECB+"
    if not root.is_dir():
        raise InputError(
            "no ECB+/ folder of topic folders",
            where=str(data),
            hint="Pass --data the ECB+ release folder (e.g. ../shared/data/ecbplus).",
        )
    files: list[tuple[int, Path]] = []
    for folder in sorted(root.iterdir(), key=lambda p: (len(p.name), p.name)):
        if not folder.name.isdigit():
            continue
        topic = int(folder.name)
        if topic <= MAX_TOPIC and topic not in EXCLUDED_TOPICS:
            files.extend((topic, path) for path in sorted(folder.glob("*.xml")))
    return files


def read_ecbplus(data: Path) -> list[dict[str, Any]]:
    """Every document of topics 1–35 (without 15, 17): ``{name, topic, story, text, url}``."""
    docs = []
    for topic, path in ecbplus_files(data):
        sub = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        try:
            tree = ElementTree.parse(path)
        except ElementTree.ParseError as exc:
            raise InputError(
                f"not well-formed XML: {exc}", where=str(path), hint="Re-extract the release."
            ) from exc
        sentences: dict[int, list[str]] = defaultdict(list)
        for tok in tree.getroot().iter("token"):
            sentences[int(tok.get("sentence", 0))].append(tok.text or "")
        lines = [_detok(sentences[k]) for k in sorted(sentences)]
        url = None
        if lines and lines[0].startswith("http"):
            url = lines.pop(0).replace(" ", "")
        docs.append(
            {
                "name": path.stem,
                "topic": topic,
                "story": f"{topic}_{sub}",
                "text": "\n\n".join(lines),
                "url": url,
            }
        )
    return docs


def b_cubed(pred: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """B³ precision, recall and F1 of a clustering ``pred`` against ``gold`` (labels by item)."""
    n = len(gold)
    pc: Counter[str] = Counter(pred)
    gc: Counter[str] = Counter(gold)
    both: Counter[tuple[str, str]] = Counter(zip(pred, gold, strict=True))
    p = sum(both[(a, b)] / pc[a] for a, b in zip(pred, gold, strict=True)) / n
    r = sum(both[(a, b)] / gc[b] for a, b in zip(pred, gold, strict=True)) / n
    return _prf(p, r)


def pairwise(pred: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """Pairwise P/R/F1: item pairs put together in ``pred`` versus ``gold``."""

    def pairs(c: Counter[Any]) -> int:
        return sum(k * (k - 1) // 2 for k in c.values())

    tp = pairs(Counter(zip(pred, gold, strict=True)))
    npred, ngold = pairs(Counter(pred)), pairs(Counter(gold))
    return _prf(tp / npred if npred else 1.0, tp / ngold if ngold else 1.0)


def _prf(p: float, r: float) -> dict[str, float]:
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def baseline_agglomerative(digests: Sequence[dict[str, Any]], threshold: float) -> list[int]:
    """TF-IDF cosine, average-link agglomerative clustering, merging while the average
    distance between two clusters is below ``threshold``. Quadratic: for evaluation only."""
    matrix = tfidf_matrix([d["terms"] for d in digests])
    sim = matrix @ matrix.T
    n = len(digests)
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    # average similarity between clusters, kept as sums to merge in O(n) per step
    sums = sim.copy()
    np.fill_diagonal(sums, -np.inf)
    sizes = np.ones(n)
    active = np.ones(n, dtype=bool)
    while True:
        avg = sums / np.outer(sizes, sizes)
        avg[~active, :] = -np.inf
        avg[:, ~active] = -np.inf
        i, j = np.unravel_index(int(np.argmax(avg)), avg.shape)
        if avg[i, j] < 1 - threshold:
            break
        clusters[int(i)].extend(clusters.pop(int(j)))
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[i, i] = -np.inf
        sizes[i] += sizes[j]
        active[j] = False
    labels = [0] * n
    for k, members in enumerate(clusters.values()):
        for m in members:
            labels[m] = k
    return labels


def _analyse(
    docs: list[dict[str, Any]],
    settings: Settings,
    on_progress: Callable[[int, int], None] | None,
) -> list[Article]:
    config = default_config()
    config["pipeline"]["stages"] = STAGES
    pipeline = Pipeline.from_config(config, settings)
    out: list[Article] = []
    batch: list[Article] = []
    for i, doc in enumerate(docs, 1):
        raw = doc["text"]
        art = normalise(text_document(raw, source=doc["name"], key=doc["name"], meta={}), settings)
        art.url = doc["url"]
        art.id = doc["name"]
        batch.append(art)
        if len(batch) >= settings.batch_size or i == len(docs):
            done, _failed = pipeline.run(batch)
            out.extend(done)
            batch = []
        if on_progress:
            on_progress(i, len(docs))
    return out


def _digests(
    data: Path,
    docs: list[dict[str, Any]],
    settings: Settings,
    cache: Path | None,
    on_progress: Callable[[int, int], None] | None,
) -> list[dict[str, Any]]:
    if cache is not None and cache.is_file():
        cached = [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
        if [d["id"] for d in cached] == [d["name"] for d in docs]:
            return cached
    digests = [digest(a, with_signature=False) for a in _analyse(docs, settings, on_progress)]
    if cache is not None:
        cache.write_text("".join(json.dumps(d) + "\n" for d in digests), encoding="utf-8")
    return digests


def _split_topics(data: Path) -> dict[str, set[int]]:
    path = data / "standard_splits.json"
    if not path.is_file():
        return {}
    splits = json.loads(path.read_text(encoding="utf-8"))
    return {k: {int(t) for t in v} for k, v in splits.items() if k in ("train", "dev")}


def _score(pred: Sequence[Any], gold: Sequence[str]) -> dict[str, Any]:
    labels = [str(p) for p in pred]
    return {
        "b3": b_cubed(labels, gold),
        "pairwise": pairwise(labels, gold),
        "stories": len(set(labels)),
    }


def eval_stories(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    cache: Path | None = None,
    options: StoryOptions | None = None,
) -> dict[str, Any]:
    """Cluster the ECB+ documents of topics 1–35 into stories and score them against the
    sub-topics; the TF-IDF + agglomerative baseline is scored alongside. ``cache`` keeps the
    analysed documents' digests (JSON lines) so a second run skips the pipeline."""
    docs = read_ecbplus(data)[:limit]
    if not docs:
        raise InputError("no ECB+ documents found", where=str(data), hint="Check --data.")
    digests = _digests(data, docs, settings, cache, on_progress)
    gold = [d["story"] for d in docs]
    topics = [d["topic"] for d in docs]
    splits = _split_topics(data)
    subsets: dict[str, list[int]] = {"all": list(range(len(docs)))}
    for name, wanted in splits.items():
        subsets[name] = [i for i, t in enumerate(topics) if t in wanted]
    report: dict[str, Any] = {
        "documents": len(docs),
        "gold_stories": len(set(gold)),
        "data": str(data),
    }
    opts = options or StoryOptions()
    # our clustering runs over the whole set at once, as it would over a corpus; its options
    # were tuned on the train topics
    resolution = resolve_entities(digests)
    assignment = cluster_stories(digests, resolution, options=opts).assignment
    pred = [assignment[d["id"]] for d in digests]
    base_train = subsets.get("train", subsets["all"])
    best = max(
        BASELINE_THRESHOLDS,
        key=lambda t: b_cubed(
            [str(x) for x in baseline_agglomerative([digests[i] for i in base_train], t)],
            [gold[i] for i in base_train],
        )["f1"],
    )
    base = baseline_agglomerative(digests, best)
    for name, idx in subsets.items():
        if not idx:
            continue
        g = [gold[i] for i in idx]
        report[name] = {
            "documents": len(idx),
            "gold_stories": len(set(g)),
            "presslens": _score([pred[i] for i in idx], g),
            "baseline": _score([base[i] for i in idx], g),
        }
    report["baseline_threshold"] = best
    report["options"] = opts.as_dict()
    return report
