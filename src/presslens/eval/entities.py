"""Score entities and name resolution on ECB+: are people, organisations and places found,
labelled, and their name variants joined, in one article and across the corpus?

ECB+ (CROMER XML) annotates the participants and places of each document's events and links
every mention of one participant into a chain; a cross-document chain points to an instance
shared by every document that mentions it ("Tara Reid" in eighteen documents). Only the
mentions that *name* someone are scored, as those are what the entities stage finds:

- a mention is a **name** when its last word is a name word: capitalised, neither a pronoun,
  a determiner nor a title ("Attorney", "President"), and written capitalised by the document
  somewhere case tells a name (not first in its sentence, not after an opening quotation mark
  or a colon, not in a Title Case line such as a headline); "Tara Reid", "Reid", "Attorney
  Mark Jay Heller" and "Celebrity website TMZ" are names, "the actress", "Lohan's lawyer" and
  a sentence-initial "Man" are not;
- **detection**: a gold name is found when an entity span covers its last word (the stage's
  spans leave titles and determiners out), and its label agrees when the entity's label fits
  the ECB+ tag (a person PERSON; an organisation ORG or NORP; a place GPE or LOC; a facility
  FAC, ORG or LOC); reported per kind and for all, with the names missed to read;
- **within documents**: over the gold names found, whether two are in one entity cluster of
  the article exactly when ECB+ puts them in one chain: pairwise precision, recall and F1 over
  pairs in the same document, and B³; ``variant_pairs`` counts the pairs one chain writes
  differently ("Tara Reid" / "Reid", "Mohamed" / "Mohammad") and how many were joined;
- **across documents**: the article clusters are resolved into corpus entities as
  ``presslens corpus`` does (over every document at once, as over a corpus), and pairs of gold
  names in different documents are scored against the shared instances; B³ over all mentions.

A gold name that is not found is left out of the clustering scores (detection reports it).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presslens.corpus.digest import digest
from presslens.corpus.resolve import Resolution, resolve_entities
from presslens.errors import InputError
from presslens.eval.speakers import PRONOUNS, EcbDocument, _documents, read_ecb_document
from presslens.eval.stories import b_cubed
from presslens.lexicons_entities import TITLES
from presslens.model import Article
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
from presslens.settings import Settings
from presslens.text_case import is_title_case

__all__ = [
    "GOLD_KINDS",
    "GoldName",
    "eval_entities",
    "gold_names_of",
    "score_entities",
]

#: Stages the score needs.
STAGES = ["spacy", "entities"]
#: ECB+ tags scored, and the kind of entity each stands for.
GOLD_KINDS: dict[str, str] = {
    "HUMAN_PART_PER": "person",
    "HUMAN_PART_ORG": "organisation",
    "HUMAN_PART_GPE": "place",
    "LOC_GEO": "place",
    "LOC_FAC": "facility",
}
#: Entity labels that agree with each kind.
AGREEING_LABELS: dict[str, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    "organisation": frozenset({"ORG", "NORP"}),
    "place": frozenset({"GPE", "LOC"}),
    "facility": frozenset({"FAC", "ORG", "LOC"}),
}
#: Capitalised words that never make a mention a name.
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "mr", "mrs", "ms"})
#: Prepositions that, inside a mention, put its name out of its head.
MENTION_PREPOSITIONS = frozenset(
    {"in", "at", "on", "near", "from", "to", "of", "for", "with", "by", "outside", "inside"}
)
#: Examples kept per list in the report.
MAX_EXAMPLES = 12

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
#: Characters after which a capital tells nothing (a sentence or a quotation opens there).
_OPENERS = frozenset("“\"‘'(:[—–-")


@dataclass(frozen=True)
class GoldName:
    """One gold mention that names someone: its raw offsets, its head (last) word's raw
    offsets, its kind, its chain within the document and across documents."""

    start: int
    end: int
    head_start: int
    head_end: int
    text: str
    key: str  # the name words, casefolded: "tara reid", "mark jay heller"
    kind: str
    chain: str | None  # None: not annotated for coreference
    instance: str | None


def _bare(word: str) -> str:
    return _POSSESSIVE.sub("", word).rstrip(".")


def _informative_capitals(text: str) -> set[str]:
    """Words ``text`` writes capitalised where case tells a name (see the module docs)."""
    caps: set[str] = set()
    for line in text.split("\n"):
        if is_title_case(line):
            continue
        for i, m in enumerate(_WORD.finditer(line)):
            j = m.start() - 1
            while j >= 0 and line[j].isspace():
                j -= 1
            if i == 0 or j < 0 or line[j] in _OPENERS or line[j] in ".!?":
                continue
            if m.group()[0].isupper():
                caps.add(_bare(m.group()))
    return caps


def _is_name_word(word: str, caps: set[str] | None) -> bool:
    """A capitalised word that is no pronoun, determiner or title and, unless ``caps`` is
    None, that the document writes capitalised where case tells a name."""
    bare = _bare(word)
    low = re.split(r"['’]", bare)[0].casefold()  # "I'm" is "I"
    return (
        bare[:1].isupper()
        and low not in PRONOUNS
        and low not in DETERMINERS
        and low not in TITLES
        and (caps is None or bare in caps)
    )


def _name_after_preposition(words: Sequence[re.Match[str]]) -> bool:
    """Whether a preposition inside the mention comes before its last word ("a mountain in
    New Zealand", "the northern part of Egypt"): the name is not the head. A leading one ("in
    New Zealand") and "of" inside a name ("Central Election Commission of Turkmenistan") are
    not."""
    for before, word, after in zip(words, words[1:], words[2:], strict=False):
        low = word.group()
        if low not in MENTION_PREPOSITIONS:
            continue
        if low == "of" and before.group()[:1].isupper() and after.group()[:1].isupper():
            continue
        return True
    return False


def gold_names_of(doc: EcbDocument) -> list[GoldName]:
    """The mentions of ``doc`` that name a person, organisation or place (module docs)."""
    caps = _informative_capitals(doc.text)
    out = []
    for m in doc.mentions:
        kind = GOLD_KINDS.get(m.tag)
        # "to Baytown, Texas", "Jack Ketsoyan, Tara Reid's representative": the first part
        # is the head
        words = list(_WORD.finditer(m.text.split(",", 1)[0]))
        if kind is None or not words or _name_after_preposition(words):
            continue
        last = words[-1]
        if last.group() != _bare(last.group()) and last.group().endswith(("'s", "’s", "'", "’")):
            continue  # "Lohan's …" cut short: the name is not the head
        if not _is_name_word(last.group(), caps):
            continue
        # the head settled that the mention is a name: every capitalised word of it counts
        # ("Tara" opening the article is part of "Tara Reid")
        names = [w.group() for w in words if _is_name_word(w.group(), None)]
        # one participant may be the target of several chains in a document (one per event
        # it takes part in); their shared instance says they are one. A mention in no chain
        # was not annotated for coreference (ECB+ links only the sentences it lists)
        link = m.instance or m.chain
        chain = f"{doc.name}:{link}" if link else None
        out.append(
            GoldName(
                start=m.start,
                end=m.end,
                head_start=m.start + last.start(),
                head_end=m.start + last.start() + len(_bare(last.group())),
                text=m.text,
                key=" ".join(_bare(w).casefold() for w in names),
                kind=kind,
                chain=chain,
                instance=m.instance,
            )
        )
    return out


@dataclass
class _Found:
    """A gold name an entity span covers: where, and what the stage made of it."""

    gold: GoldName
    chain: str
    instance: str
    document: str
    cluster: str  # "<document>:<cluster id>"
    cluster_name: str
    entity: str  # corpus entity id, or the cluster when resolution has none
    entity_name: str


def _pairs(counts: Counter[Any]) -> int:
    return sum(k * (k - 1) // 2 for k in counts.values())


def _prf(tp: int, npred: int, ngold: int) -> dict[str, Any]:
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "pairs_predicted": npred,
        "pairs_gold": ngold,
        "pairs_right": tp,
    }


def _same_group_pairs(
    pred: Sequence[str], gold: Sequence[str], group: Sequence[str]
) -> tuple[int, int, int]:
    """(right, predicted, gold) pair counts among items of one group."""
    return (
        _pairs(Counter(zip(group, pred, gold, strict=True))),
        _pairs(Counter(zip(group, pred, strict=True))),
        _pairs(Counter(zip(group, gold, strict=True))),
    )


def _variant_pairs(
    pred: Sequence[str], gold: Sequence[str], keys: Sequence[str], group: Sequence[str] | None
) -> dict[str, Any]:
    """Pairs one gold chain writes differently, and how many ``pred`` joined: all pairs, or
    with ``group`` only pairs in different groups."""

    def count(*cols: Sequence[str]) -> int:
        total = _pairs(Counter(zip(*cols, strict=True)))
        if group is None:
            return total
        return total - _pairs(Counter(zip(group, *cols, strict=True)))

    variants = count(gold) - count(gold, keys)
    joined = count(gold, pred) - count(gold, pred, keys)
    return {
        "gold": variants,
        "joined": joined,
        "recall": round(joined / variants, 4) if variants else 1.0,
    }


def _detection(golds: list[tuple[GoldName, str | None]]) -> dict[str, Any]:
    """Per kind: gold names, found, recall, labels agreeing among those found."""
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for gold, label in golds:
        for kind in (gold.kind, "all"):
            row = rows[kind]
            row["gold"] += 1
            if label is not None:
                row["found"] += 1
                row["label_agrees"] += label in AGREEING_LABELS[gold.kind]
    out = {}
    for kind in [*sorted(k for k in rows if k != "all"), "all"]:
        row = rows[kind]
        out[kind] = {
            "gold": row["gold"],
            "found": row["found"],
            "recall": round(row["found"] / row["gold"], 4) if row["gold"] else 0.0,
            "label_agrees": row["label_agrees"],
            "label_accuracy": round(row["label_agrees"] / row["found"], 4) if row["found"] else 0.0,
        }
    return out


def _match(art: Article, gold: GoldName) -> tuple[str, str, str] | None:
    """(cluster id, cluster name, label) of the entity span covering ``gold``'s head word."""
    start, end = art.offsets.span_to_norm(gold.head_start, gold.head_end)
    if end <= start:
        return None
    clusters = {c.id: c for c in art.clusters}
    for span in art.layer("entities"):
        if span.start <= start and end <= span.end:
            cid = span.attrs.get("entity")
            cluster = clusters.get(cid) if isinstance(cid, str) else None
            if cluster is None:
                return f"@{span.start}", span.text, span.label
            return cluster.id, cluster.name, cluster.label
    return None


def score_entities(
    items: Iterable[tuple[Article, EcbDocument]],
    *,
    resolution: Resolution | None = None,
    max_examples: int = MAX_EXAMPLES,
) -> dict[str, Any]:
    """Score analysed articles against their ECB+ documents (see the module docs). Pure: no
    I/O. ``resolution`` (from :func:`~presslens.corpus.resolve.resolve_entities` over the
    articles' digests) gives the across-documents scores; without it they are left out."""
    golds: list[tuple[GoldName, str | None]] = []
    found: list[_Found] = []
    missed: list[dict[str, str]] = []
    entity_names = {
        str(e["id"]): str(e["name"]) for e in (resolution.entities if resolution else [])
    }
    for art, doc in items:
        for gold in gold_names_of(doc):
            hit = _match(art, gold)
            golds.append((gold, hit[2] if hit else None))
            if hit is None:
                if len(missed) < max_examples:
                    missed.append({"document": doc.name, "kind": gold.kind, "name": gold.text})
                continue
            cid, name, _ = hit
            if gold.chain is None:
                continue
            entity = resolution.entity_of(art.id, cid) if resolution is not None else None
            cluster = f"{doc.name}:{cid}"
            instance = gold.instance or gold.chain
            found.append(
                _Found(
                    gold=gold,
                    chain=gold.chain,
                    instance=instance,
                    document=doc.name,
                    cluster=cluster,
                    cluster_name=name,
                    entity=entity or cluster,
                    entity_name=entity_names.get(entity, name) if entity else name,
                )
            )
    report: dict[str, Any] = {"detection": _detection(golds), "missed": missed}
    docs = [f.document for f in found]
    clusters = [f.cluster for f in found]
    chains = [f.chain for f in found]
    keys = [f.gold.key for f in found]
    right, npred, ngold = _same_group_pairs(clusters, chains, docs)
    report["within_document"] = {
        "mentions": len(found),
        "pairwise": _prf(right, npred, ngold),
        "b3": b_cubed(clusters, chains) if found else None,
        "variant_pairs": _variant_pairs(clusters, chains, keys, None),
        "split": _split_examples(found, by_gold=lambda f: f.chain, pred=lambda f: f.cluster)[
            :max_examples
        ],
        "joined_wrongly": _merge_examples(
            found,
            by_pred=lambda f: f.cluster,
            gold=lambda f: f.chain,
            name=lambda f: f.cluster_name,
        )[:max_examples],
    }
    if resolution is not None:
        entities = [f.entity for f in found]
        instances = [f.instance for f in found]
        all_right = _pairs(Counter(zip(entities, instances, strict=True)))
        all_pred = _pairs(Counter(entities))
        all_gold = _pairs(Counter(instances))
        same_right, same_pred, same_gold = _same_group_pairs(entities, instances, docs)
        report["across_documents"] = {
            "mentions": len(found),
            "documents": len(set(docs)),
            "pairwise": _prf(all_right - same_right, all_pred - same_pred, all_gold - same_gold),
            "b3": b_cubed(entities, instances) if found else None,
            "variant_pairs": _variant_pairs(entities, instances, keys, docs),
            "split": _split_examples(found, by_gold=lambda f: f.instance, pred=lambda f: f.entity)[
                :max_examples
            ],
            "joined_wrongly": _merge_examples(
                found,
                by_pred=lambda f: f.entity,
                gold=lambda f: f.instance,
                name=lambda f: f.entity_name,
            )[:max_examples],
        }
    return report


def _split_examples(
    found: Sequence[_Found], *, by_gold: Callable[[_Found], str], pred: Callable[[_Found], str]
) -> list[dict[str, Any]]:
    """Gold chains the stage left in several clusters, most mentions first: the names each
    cluster holds."""
    chains: dict[str, list[_Found]] = defaultdict(list)
    for f in found:
        chains[by_gold(f)].append(f)
    rows: list[dict[str, Any]] = []
    for chain, members in chains.items():
        parts: dict[str, Counter[str]] = defaultdict(Counter)
        for f in members:
            parts[pred(f)][f.gold.text] += 1
        if len(parts) > 1:
            rows.append(
                {
                    "gold": chain,
                    "mentions": len(members),
                    "parts": [dict(c.most_common()) for c in parts.values()],
                }
            )
    rows.sort(key=lambda r: (-r["mentions"], r["gold"]))
    return rows


def _merge_examples(
    found: Sequence[_Found],
    *,
    by_pred: Callable[[_Found], str],
    gold: Callable[[_Found], str],
    name: Callable[[_Found], str],
) -> list[dict[str, Any]]:
    """Clusters (or entities) holding names of several gold chains: the names of each."""
    groups: dict[str, list[_Found]] = defaultdict(list)
    for f in found:
        groups[by_pred(f)].append(f)
    rows: list[dict[str, Any]] = []
    for key, members in groups.items():
        parts: dict[str, Counter[str]] = defaultdict(Counter)
        for f in members:
            parts[gold(f)][f.gold.text] += 1
        if len(parts) > 1:
            rows.append(
                {
                    "name": name(members[0]),
                    "id": key,
                    "mentions": len(members),
                    "gold": [dict(c.most_common()) for c in parts.values()],
                }
            )
    rows.sort(key=lambda r: (-r["mentions"], r["id"]))
    return rows


def eval_entities(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run the entities stage on ECB+ documents, resolve them into corpus entities, and score
    both (module docs)."""
    paths = _documents(Path(data))[:limit]
    if not paths:
        raise InputError("no ECB+ documents found", where=str(data), hint="Check --data.")
    config = config if config is not None else default_config()
    config["pipeline"]["stages"] = STAGES
    pipeline = Pipeline.from_config(config, settings)
    pairs: list[tuple[Article, EcbDocument]] = []
    skipped: list[dict[str, Any]] = []
    size = max(1, settings.batch_size)
    tags = tuple(GOLD_KINDS)
    for n in range(0, len(paths), size):
        batch = []
        for path in paths[n : n + size]:
            doc = read_ecb_document(path, tags)
            try:
                raw = text_document(doc.text, source=str(path), key=doc.name, meta={})
                art = normalise(raw, settings)
            except InputError as exc:
                skipped.append(exc.to_dict())
                continue
            batch.append((art, doc))
        done, failed = pipeline.run([a for a, _ in batch])
        skipped.extend(f.error.to_dict() for f in failed)
        by_id = {a.id: a for a in done}
        pairs.extend((by_id[a.id], d) for a, d in batch if a.id in by_id)
        if on_progress:
            on_progress(min(n + size, len(paths)), len(paths))
    resolution = resolve_entities(digest(a, with_signature=False) for a, _ in pairs)
    report = score_entities(pairs, resolution=resolution)
    report.update(documents=len(pairs), skipped=skipped, data=str(data))
    return report
