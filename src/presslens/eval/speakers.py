"""Score speaker resolution on ECB+: is the entity a statement is given to the right one?

PolNeAR marks each statement's source span but not who a pronoun or a role refers to, so
``eval attribution`` can only say how many sources were resolved, not whether correctly.
ECB+ (CROMER XML) annotates people and organisations — pronouns ("she"), roles ("her rep")
and names — and links the mentions of one participant into a chain. That gives a check:

- run the pipeline's attribution stage on each ECB+ document (rebuilt from its tokens with
  character offsets kept per token);
- for each statement whose source span overlaps an annotated mention (when several do, the
  first that is not a possessive or compound modifier), the gold names are the mentions of
  its chain in that document holding a capitalised word that is not a pronoun ("Tara Reid",
  "Reid"; a mention in no chain is its own chain); chains without a name, and sources whose
  only annotated participant follows a preposition ("the commission of Turkmenistan": who
  spoke is not annotated), are counted but not scored;
- the statement is **right** when the name of the entity cluster it was resolved to shares a
  word with a gold name (case, accents and punctuation ignored), **wrong** when it was
  resolved elsewhere, **unresolved** when the stage left the speaker open.

Figures are reported by the stage's ``resolution`` (named, pronoun, title, description,
group) so the weak spot is visible: the share right among those resolved is the precision of
resolution; the share resolved among all scored is its coverage.

ECB+ documents hold few pronoun *sources*, so the pronoun rule is also scored on its own
(``pronouns`` in the report): every third-person pronoun ECB+ annotates as a participant
that is a grammatical subject, as pronoun sources are ("he", "she", "they", "it"), with a
named chain, is resolved exactly as the stage would resolve a source there (the same
:class:`~presslens.stages.speakers.SpeakerIndex`, with the statements before it as salient
speakers) and checked the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from presslens.errors import InputError
from presslens.model import Article
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
from presslens.settings import Settings
from presslens.stages.speakers import SPEAKER_WINDOW, SpeakerIndex

__all__ = [
    "EcbDocument",
    "Mention",
    "eval_speakers",
    "gold_names",
    "read_ecb_document",
    "score_pronouns",
    "score_speakers",
]

#: Stages the score needs: the attribution stage and what it requires.
STAGES = ["spacy", "entities", "attributions"]
#: Mention tags of participants that can be a statement's source.
PARTICIPANT_TAGS = ("HUMAN_PART", "NON_HUMAN_PART")
#: Words that never make a mention a name, even capitalised at a sentence start.
PRONOUNS = frozenset(
    {
        *("i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"),
        *("you", "your", "yours", "yourself", "he", "him", "his", "himself"),
        *("she", "her", "hers", "herself", "it", "its", "itself"),
        *("they", "them", "their", "theirs", "themselves", "who", "whom", "whose"),
        *("this", "that", "these", "those", "one"),
    }
)

_NO_SPACE_BEFORE = re.compile(r"^([,.;:!?%)\]}'’”]|n't|'s|'re|'ve|'ll|'d|'m)$")
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "“", "$", "``"})
_QUOTES = {"``": "“", "''": "”"}


@dataclass
class Mention:
    """One annotated mention: raw-text offsets, its text, its chain id, its tag
    (``HUMAN_PART_PER``, ``LOC_GEO``…) and, for a cross-document chain, the instance every
    document's mentions of that participant point to."""

    start: int
    end: int
    text: str
    chain: str | None
    tag: str = ""
    instance: str | None = None


@dataclass
class EcbDocument:
    """An ECB+ document rebuilt as text, one sentence per paragraph, with its mentions."""

    name: str
    text: str
    mentions: list[Mention] = field(default_factory=list)


def read_ecb_document(path: Path, tags: tuple[str, ...] = PARTICIPANT_TAGS) -> EcbDocument:
    """Rebuild one CROMER XML file: the text from its tokens (offsets kept; a first line that
    is a URL left out) and the mentions whose tag starts with one of ``tags`` (participants by
    default) with the chain (CROSS_DOC_COREF or INTRA_DOC_COREF target) each belongs to."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        raise InputError(
            f"not well-formed XML: {exc}", where=str(path), hint="Re-extract the ECB+ release."
        ) from exc
    pieces: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    pos = 0
    sentence: str | None = None
    previous = ""
    tokens = list(root.iter("token"))
    if tokens and (tokens[0].text or "").startswith("http"):
        # ECB+ put the source URL as a first "sentence" in its newer documents
        first = tokens[0].get("sentence")
        tokens = [t for t in tokens if t.get("sentence") != first]
    for tok in tokens:
        word = _QUOTES.get(tok.text or "", tok.text or "")
        if not word:
            continue
        sep = ""
        if sentence is not None and tok.get("sentence") != sentence:
            sep = "\n\n"
        elif pieces and not (
            _NO_SPACE_BEFORE.match(word)
            or previous in _NO_SPACE_AFTER
            or (word == "s" and previous in ("'", "’"))  # ECB+ splits "’s" as "’" "s"
        ):
            sep = " "
        sentence = tok.get("sentence")
        pieces.append(sep)
        pos += len(sep)
        offsets[str(tok.get("t_id"))] = (pos, pos + len(word))
        pieces.append(word)
        pos += len(word)
        previous = tok.text or ""
    text = "".join(pieces)
    markables = root.find("Markables")
    instance_of = {
        str(m.get("m_id")): str(m.get("instance_id"))
        for m in (markables if markables is not None else ())
        if m.get("instance_id")
    }
    chain_of: dict[str, tuple[str, str | None]] = {}
    relations = root.find("Relations")
    for rel in relations if relations is not None else ():
        if not rel.tag.endswith("DOC_COREF"):
            continue
        target = rel.find("target")
        target_id = target.get("m_id") if target is not None else None
        chain = f"{rel.tag}:{target_id if target_id is not None else rel.get('r_id')}"
        instance = instance_of.get(str(target_id)) if rel.tag == "CROSS_DOC_COREF" else None
        for src in rel.iter("source"):
            chain_of[str(src.get("m_id"))] = (chain, instance)
    mentions = []
    for m in markables if markables is not None else ():
        if not m.tag.startswith(tags):
            continue
        spans = [offsets[t] for a in m.iter("token_anchor") if (t := str(a.get("t_id"))) in offsets]
        if not spans:
            continue  # an instance (the chain's target), not a mention in the text
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        link = chain_of.get(str(m.get("m_id")))
        mentions.append(
            Mention(
                start,
                end,
                text[start:end],
                link[0] if link else None,
                m.tag,
                link[1] if link else None,
            )
        )
    return EcbDocument(path.stem, text, mentions)


def _documents(data: Path) -> list[Path]:
    """The documents story clustering reads (topics 1–35 without 15 and 17)."""
    from presslens.eval.stories import ecbplus_files

    return [path for _, path in ecbplus_files(data)]


def _words(text: str) -> set[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return set(re.findall(r"\w+", plain))


def gold_names(mentions: Iterable[Mention]) -> list[str]:
    """The mentions that name someone: a capitalised word that is neither a pronoun nor a
    title (a role such as "the rep", "her family" or "Prime Minister" does not)."""
    from presslens.lexicons_entities import TITLES

    names = []
    for m in mentions:
        words = re.findall(r"\w[\w'’.-]*", m.text)
        if any(
            w[0].isupper() and w.casefold() not in PRONOUNS and w.casefold() not in TITLES
            for w in words
        ):
            names.append(m.text)
    return names


def _right(speaker_name: str, names: Sequence[str]) -> bool:
    """A shared word, or one name is the other's acronym ("CHP", "California Highway
    Patrol")."""
    mine = _words(speaker_name) - PRONOUNS
    mine_acronym = _acronym(speaker_name)
    for name in names:
        theirs = _words(name) - PRONOUNS
        if mine & theirs or mine_acronym in theirs or _acronym(name) in mine:
            return True
    return False


def _acronym(name: str) -> str:
    """Initials of the capitalised words, casefolded ("" when fewer than two)."""
    initials = [w[0] for w in re.findall(r"\w+", name) if w[0].isupper()]
    return "".join(initials).casefold() if len(initials) > 1 else ""


@dataclass
class _Tally:
    by_resolution: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))

    def report(self, max_examples: int) -> dict[str, Any]:
        rows = {}
        total: Counter[str] = Counter()
        for res, c in sorted(self.by_resolution.items()):
            total.update(c)
            rows[res] = _shares(c)
        return {
            "by_resolution": rows,
            "all": _shares(total),
            "examples": {k: v[:max_examples] for k, v in sorted(self.examples.items())},
        }


def _shares(c: Counter[str]) -> dict[str, Any]:
    scored = c["right"] + c["wrong"] + c["unresolved"]
    resolved = c["right"] + c["wrong"]
    return {
        "scored": scored,
        "right": c["right"],
        "wrong": c["wrong"],
        "unresolved": c["unresolved"],
        "no_gold_name": c["no_gold_name"],
        "head_not_annotated": c["head_not_annotated"],
        "precision": c["right"] / resolved if resolved else 0.0,
        "coverage": resolved / scored if scored else 0.0,
        "accuracy": c["right"] / scored if scored else 0.0,
    }


def _modifier(text: str, end: int, source_end: int) -> bool:
    """Whether the mention ending at ``end`` modifies words after it inside the source (a
    possessive, "Lohan's attorney", or a compound, "Lohan lawyer Mark Heller", also a title in
    quotation marks, "“American Pie” actress Tara Reid"); a comma, "and" or "or" after it, or
    the source's end, make it the head."""
    rest = text[end:source_end]
    if not rest.strip():
        return False
    if re.match(r"\s?['’]\s?s?\b", rest):
        return True
    return re.match(r"[”\"]?\s+(?!and\b|or\b)\w", rest) is not None


def _complement(text: str, source_start: int, start: int) -> bool:
    """Whether the mention starting at ``start`` follows a preposition inside the source
    ("the Central Elections Commission of Turkmenistan"): not the one who spoke."""
    before = text[source_start:start]
    return re.search(r"\b(of|from|at|for|in|by|with)\s+(the\s+)?$", before) is not None


def score_speakers(
    items: Iterable[tuple[Article, EcbDocument]], *, max_examples: int = 10
) -> dict[str, Any]:
    """Score analysed articles against their ECB+ documents (see the module docs).

    Pure: no I/O. ``examples`` keeps up to ``max_examples`` wrong resolutions per resolution
    type, to read.
    """
    tally = _Tally()
    for art, doc in items:
        names = {c.id: c.name for c in art.clusters}
        chains: dict[str, list[Mention]] = defaultdict(list)
        for m in doc.mentions:
            if m.chain is not None:
                chains[m.chain].append(m)
        normalised = []
        for m in doc.mentions:
            ns, ne = art.offsets.span_to_norm(m.start, m.end)
            if ne > ns:
                normalised.append((ns, ne, m))
        sources = art.layer("sources")
        for span in art.layer("attributions"):
            index = span.attrs.get("source")
            if not isinstance(index, int) or not 0 <= index < len(sources):
                continue
            src = sources[index]
            # the source's first annotated participant that is not a modifier: "Paul Lee,
            # president, ABC" is Paul Lee, "Lohan lawyer Mark Heller" and "Lohan's attorney,
            # Shawn Holley" are the lawyers, "Zadan and Meron" is (at least) Zadan
            over = [
                (_modifier(art.text, ne, src.end), ns, -ne, m)
                for ns, ne, m in normalised
                if ns < src.end and src.start < ne
            ]
            if not over:
                continue
            resolution = str(span.attrs.get("resolution") or "unresolved")
            count = tally.by_resolution[resolution]
            heads = [t for t in over if not _complement(art.text, src.start, t[1])]
            if not heads:
                # only "… of Turkmenistan" is annotated, not the commission that spoke
                count["head_not_annotated"] += 1
                continue
            mention = min(heads, key=lambda t: t[:3])[3]
            speaker = span.attrs.get("speaker")
            # a mention in no chain is a participant mentioned once: its own chain
            gold = gold_names(chains[mention.chain] if mention.chain else [mention])
            if not gold:
                count["no_gold_name"] += 1
                continue
            name = names.get(speaker) if isinstance(speaker, str) else None
            if name is None:
                count["unresolved"] += 1
            elif _right(name, gold):
                count["right"] += 1
            else:
                count["wrong"] += 1
                tally.examples[resolution].append(
                    {"document": doc.name, "source": src.text, "speaker": name, "gold": gold[0]}
                )
    return tally.report(max_examples)


#: Pronouns scored by :func:`score_pronouns`: those the stage resolves by salience.
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it"})


def score_pronouns(
    items: Iterable[tuple[Article, EcbDocument]],
    *,
    window: int = SPEAKER_WINDOW,
    max_examples: int = 10,
) -> dict[str, Any]:
    """Resolve every annotated subject pronoun as the stage would (module docs); each article
    must still carry its spaCy ``Doc`` (``Pipeline.run(..., keep_docs=True)``). Pure."""
    tally = _Tally()
    for art, doc in items:
        parse = art._doc
        if parse is None:
            raise ValueError(f"article {art.id} has no spaCy Doc: run with keep_docs=True")
        names = {c.id: c.name for c in art.clusters}
        labels = {c.id: c.label for c in art.clusters}
        index = SpeakerIndex.build(art, parse, window=window)
        sources = art.layer("sources")
        for span in art.layer("attributions"):
            src_index, speaker = span.attrs.get("source"), span.attrs.get("speaker")
            if not isinstance(src_index, int) or not isinstance(speaker, str):
                continue
            src = sources[src_index]
            chars = parse.char_span(src.start, src.end, alignment_mode="expand")
            if chars is not None and len(chars):
                index.note_speaker(chars.root.i, speaker, labels.get(speaker, ""))
        chains: dict[str, list[Mention]] = defaultdict(list)
        for m in doc.mentions:
            if m.chain is not None:
                chains[m.chain].append(m)
        for m in doc.mentions:
            word = m.text.casefold()
            if word not in SUBJECT_PRONOUNS or m.chain is None:
                continue
            ns, ne = art.offsets.span_to_norm(m.start, m.end)
            chars = parse.char_span(ns, ne, alignment_mode="expand")
            if chars is None or len(chars) != 1 or chars[0].dep_ not in ("nsubj", "nsubjpass"):
                continue
            count = tally.by_resolution[word]
            gold = gold_names(chains[m.chain])
            if not gold:
                count["no_gold_name"] += 1
                continue
            cluster, _ = index.resolve(chars[0].i)
            if cluster is None:
                count["unresolved"] += 1
            elif _right(names.get(cluster, ""), gold):
                count["right"] += 1
            else:
                count["wrong"] += 1
                tally.examples[word].append(
                    {"document": doc.name, "pronoun": m.text, "speaker": names.get(cluster, ""),
                     "gold": gold[0]}
                )  # fmt: skip
    return tally.report(max_examples)


def eval_speakers(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run the attribution stage on ECB+ documents and score its speakers (module docs)."""
    paths = _documents(Path(data))[:limit]
    if not paths:
        raise InputError("no ECB+ documents found", where=str(data), hint="Check --data.")
    config = config if config is not None else default_config()
    config["pipeline"]["stages"] = STAGES
    pipeline = Pipeline.from_config(config, settings)
    window = int(
        config.get("stages", {}).get("attributions", {}).get("speaker_window", SPEAKER_WINDOW)
    )
    pairs: list[tuple[Article, EcbDocument]] = []
    pronouns: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    size = max(1, settings.batch_size)
    for n in range(0, len(paths), size):
        batch = []
        for path in paths[n : n + size]:
            doc = read_ecb_document(path)
            try:
                raw = text_document(doc.text, source=str(path), key=doc.name, meta={})
                art = normalise(raw, settings)
            except InputError as exc:
                skipped.append(exc.to_dict())
                continue
            batch.append((art, doc))
        done, failed = pipeline.run([a for a, _ in batch], keep_docs=True)
        skipped.extend(f.error.to_dict() for f in failed)
        by_id = {a.id: a for a in done}
        kept = [(by_id[a.id], d) for a, d in batch if a.id in by_id]
        pronouns.append(score_pronouns(kept, window=window))
        for art, _ in kept:
            art._doc = None
        pairs.extend(kept)
        if on_progress:
            on_progress(min(n + size, len(paths)), len(paths))
    report = score_speakers(pairs)
    report.update(
        pronouns=_merge(pronouns),
        documents=len(pairs),
        statements=sum(len(a.layer("attributions")) for a, _ in pairs),
        skipped=skipped,
        data=str(data),
    )
    return report


def _merge(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One report from per-batch ``score_pronouns`` reports."""
    tally = _Tally()
    for r in reports:
        for word, row in r["by_resolution"].items():
            for key in ("right", "wrong", "unresolved", "no_gold_name"):
                tally.by_resolution[word][key] += row[key]
        for word, examples in r["examples"].items():
            tally.examples[word].extend(examples)
    return tally.report(10)
