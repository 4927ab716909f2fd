"""Speaker resolution without a coreference model: which entity cluster a source stands for.

In order, the first that applies:

* ``named``: the source's head word lies in an entity mention (or its apposition does:
  "the director, Jane Roe"); for "data from X" / "a poll by X" the rule looks through to X;
* ``pronoun``: he/she/his/her → the most salient person before the source: a PERSON who was a
  grammatical subject, or the speaker of an attribution, within the last ``window`` sentences,
  the most recent first (then any PERSON mention in that window), skipping people the article
  gives the other gender (:mod:`presslens.stages.speaker_gender`); they/it → an organisation,
  group or place that was a subject there; I/we inside a quote → the quote's speaker;
* ``title``: a role noun ("the Emir of …", "the minister") → the most recent entity the article
  gave that role: "X, the minister", "the minister, X", "X, who was the minister", "Minister X";
* ``group``: a plural or collective common noun ("Moroccan public institutions") → no cluster;
* ``unresolved`` otherwise. Nothing is guessed.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from presslens.lexicons_attribution import (
    FIRST_PRONOUNS,
    GROUP_NOUNS,
    GROUP_PRONOUNS,
    PERSON_PRONOUNS,
    SOURCE_CARRIERS,
)
from presslens.model import Article
from presslens.stages.speaker_gender import cluster_genders, pronoun_gender
from presslens.text_case import in_title_case_line

__all__ = ["SpeakerIndex"]

#: Sentences back (the source's own included) in which a pronoun looks for its person.
#: Hand-set, not swept: PolNeAR does not annotate which entity a pronoun source stands for,
#: so there is no scorer for it yet; 3 covers "X said … . He added …" paragraphs.
SPEAKER_WINDOW = 3
#: Entity labels a group pronoun ("they", "it") may stand for.
GROUP_LABELS = frozenset({"ORG", "NORP", "GPE"})


@dataclass
class _Mention:
    start: int  # token index
    end: int  # token index, exclusive
    cluster: str
    label: str
    subject: bool


@dataclass
class SpeakerIndex:
    """Per-article lookups built once: token → mention, salient subjects, roles."""

    doc: Any
    mentions: list[_Mention] = field(default_factory=list)
    by_token: dict[int, _Mention] = field(default_factory=dict)
    roles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # lemma → (tok, id)
    speakers: list[tuple[int, str, str]] = field(default_factory=list)  # (tok, id, label)
    genders: dict[str, str] = field(default_factory=dict)  # cluster id → male / female
    window: int = SPEAKER_WINDOW

    @classmethod
    def build(cls, art: Article, doc: Any, *, window: int = SPEAKER_WINDOW) -> SpeakerIndex:
        index = cls(doc=doc, window=window)
        labels = {c.id: c.label for c in art.clusters}
        for span in art.layer("entities"):
            cid = span.attrs.get("entity")
            chars = doc.char_span(span.start, span.end, alignment_mode="expand")
            if cid is None or chars is None or len(chars) == 0:
                continue
            subject = any(t.dep_ in ("nsubj", "nsubjpass") for t in chars) or (
                chars.root.dep_ in ("nsubj", "nsubjpass")
            )
            m = _Mention(chars.start, chars.end, cid, labels.get(cid, span.label), subject)
            index.mentions.append(m)
            for i in range(chars.start, chars.end):
                index.by_token[i] = m
        index.mentions.sort(key=lambda m: m.start)
        index._collect_roles()
        facts = [(m.start, m.end, m.cluster, m.label, m.subject) for m in index.mentions]
        index.genders = cluster_genders(doc, facts, index.roles)
        return index

    # -- roles ------------------------------------------------------------------------------
    def _collect_roles(self) -> None:
        """Role nouns the article gives its entities (appositions, "who was", titles); not
        from Title Case headlines, where NER takes verbs into names ("Prime Minister Calls
        Bank Workers" would make "Calls Bank Workers" the minister)."""
        text = self.doc.text
        for m in self.mentions:
            if m.label not in ("PERSON", "ORG"):
                continue
            if in_title_case_line(text, self.doc[m.start].idx):
                continue
            head = self.doc[m.start : m.end].root
            nodes = [head, *(c for c in head.children if c.dep_ == "appos")]
            for node in nodes:
                if node is not head and node.i not in self.by_token:
                    self._add_role(node, m)
                for child in node.children:
                    if child.dep_ != "relcl":
                        continue
                    for g in child.children:
                        if g.dep_ == "attr" and g.i not in self.by_token:
                            self._add_role(g, m)
            if head.dep_ == "appos" and head.head.i not in self.by_token:
                self._add_role(head.head, m)
            if m.start > 0:
                before = self.doc[m.start - 1]
                if before.pos_ in ("NOUN", "PROPN") and before.i not in self.by_token:
                    self._add_role(before, m)

    def _add_role(self, tok: Any, m: _Mention) -> None:
        self.roles.setdefault(tok.lemma_.lower(), []).append((tok.i, m.cluster))

    # -- resolution -------------------------------------------------------------------------
    def note_speaker(self, token: int, cluster: str, label: str) -> None:
        """Record a resolved speaker: later pronouns may refer to it."""
        self.speakers.append((token, cluster, label))

    def resolve(
        self, head: int | None, *, quote_speaker: str | None = None
    ) -> tuple[str | None, str]:
        """(cluster id or None, resolution) for a source whose head is token ``head``."""
        if head is None:
            return None, "unresolved"
        tok = self.doc[head]
        named = self._named(tok)
        if named is not None:
            return named, "named"
        low = tok.lower_
        if low in FIRST_PRONOUNS:
            return (quote_speaker, "pronoun") if quote_speaker else (None, "unresolved")
        if low in PERSON_PRONOUNS:
            found = self._salient(head, ("PERSON",), gender=pronoun_gender(low))
            return (found, "pronoun") if found else (None, "unresolved")
        if low in GROUP_PRONOUNS:
            found = self._salient(head, GROUP_LABELS, subjects_only=True)
            return (found, "pronoun") if found else (None, "unresolved")
        if tok.pos_ in ("NOUN", "PROPN"):
            role = self._role(tok)
            if role is not None:
                return role, "title"
            if tok.tag_ in ("NNS", "NNPS") or tok.lemma_.lower() in GROUP_NOUNS:
                return None, "group"
        return None, "unresolved"

    def _named(self, tok: Any) -> str | None:
        if tok.i in self.by_token:
            return self.by_token[tok.i].cluster
        for child in tok.children:
            if child.dep_ == "appos" and child.i in self.by_token:
                return self.by_token[child.i].cluster
        if tok.lemma_.lower() in SOURCE_CARRIERS or tok.lower_ in SOURCE_CARRIERS:
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj" and pobj.i in self.by_token:
                            return self.by_token[pobj.i].cluster
        return None

    def _salient(
        self,
        head: int,
        labels: tuple[str, ...] | frozenset[str],
        *,
        subjects_only: bool = False,
        gender: str | None = None,
    ) -> str | None:
        """The most salient entity of ``labels`` before ``head`` (see the module docs); with
        ``gender``, people the article gives the other gender are passed over."""
        sent_starts = self._window_start(head)
        best: tuple[int, str] | None = None
        pos = bisect.bisect_left([m.start for m in self.mentions], head)
        fallback: str | None = None
        for m in reversed(self.mentions[:pos]):
            if m.start < sent_starts:
                break
            if m.label not in labels or not self._agrees(m.cluster, gender):
                continue
            if m.subject:
                best = (m.start, m.cluster)
                break
            if fallback is None and not subjects_only:
                fallback = m.cluster
        for tok, cluster, label in reversed(self.speakers):
            if tok >= head or tok < sent_starts or label not in labels:
                continue
            if not self._agrees(cluster, gender):
                continue
            if best is None or tok > best[0]:
                best = (tok, cluster)
            break
        if best is not None:
            return best[1]
        return fallback

    def _agrees(self, cluster: str, gender: str | None) -> bool:
        return gender is None or self.genders.get(cluster, gender) == gender

    def _window_start(self, head: int) -> int:
        sent = self.doc[head].sent
        start = sent.start
        for _ in range(self.window - 1):
            if start == 0:
                break
            start = self.doc[start - 1].sent.start
        return start

    def _role(self, tok: Any) -> str | None:
        found = [(i, c) for i, c in self.roles.get(tok.lemma_.lower(), []) if i < tok.i]
        if not found:
            found = self.roles.get(tok.lemma_.lower(), [])
        return found[-1][1] if found else None
