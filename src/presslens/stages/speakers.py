"""Speaker resolution without a coreference model: which entity cluster a source stands for.

In order, the first that applies:

* ``named``: the source's head word lies in an entity mention (or its apposition does:
  "the director, Jane Roe", also through a second apposition); for "data from X" / "a poll by
  X" the rule looks through to X; a person named after an affiliation and a role ("Colts
  interim coach Jane Roe", "Acme Corp. president and chief executive John Doe") is the speaker
  whichever word the parse made the head, never the affiliation; nor is the dateline's place
  ("Kessford – The health minister, Jane Roe, said": Jane Roe);
* ``pronoun``: he/she/his/her → the most salient person before the source: a PERSON who was a
  grammatical subject (or owned a main clause's subject), the speaker of an attribution, or
  a "he"/"she" subject already resolved (pronouns are chained in text order), within the
  last ``window`` sentences,
  the most recent first (then any PERSON mention in that window), skipping people the article
  gives the other gender (:mod:`presslens.stages.speaker_gender`) and people the pronoun's
  own clause names ("He said Obama hopes …" is not Obama; when such a "he" finds nobody,
  the next "he" is not given those people either; a person the article says speaks for
  another, "Lohan's lawyer Mark Heller", and whose gender it does not show, gives way to
  the person spoken for when that person's gender is the pronoun's); they/it → an organisation,
  group or place that was a subject there; I/we inside a quote → the quote's speaker;
* ``title``: a role noun ("the Emir of …", "the minister") → the most recent entity the article
  gave that role: "X, the minister", "the minister, X", "X, who was the minister", "Minister X";
  "X's lawyer" (attorney, rep, spokesman…) → the one person the article says speaks for X
  ("Lohan's lawyer Mark Heller"), whichever representative noun each uses;
* ``description``: a singular definite organisation noun ("the company", "the US software
  giant", "the ministry") → the one organisation named in the last ``window`` sentences; a
  noun that names a kind of organisation ("ministry", "party") counts only organisations
  whose name holds that word ("the Ministry of Health"); none or two → the next rules apply;
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
    ORG_DESCRIPTION_NOUNS,
    ORG_KIND_NOUNS,
    PERSON_PRONOUNS,
    REPRESENTATIVE_NOUNS,
    ROLE_SYNONYMS,
    SOURCE_CARRIERS,
)
from presslens.model import Article
from presslens.stages.speaker_gender import cluster_genders, pronoun_gender
from presslens.text_case import in_title_case_line

__all__ = ["SpeakerIndex"]

#: Sentences back (the source's own included) in which a pronoun looks for its person.
#: Swept 1–8 on ECB+ subject pronouns (``eval speakers``, before pronoun chaining): 1 is the
#: most precise (0.87) but resolves only half; 3 is the best of 2–8 (precision 0.83,
#: coverage 0.88); 4 and more resolve 3 % more at lower precision.
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


def _owns_main_subject(tok: Any) -> bool:
    """``tok`` owns the subject of a main clause ("Orozco's sentence was appealed, and he
    …", "Mr. Trump's performance confirms where he stands"): as salient as a subject. Not
    in reported speech ("Miller said Trump's policy would …. He could not explain" is
    Miller)."""
    if tok.dep_ != "poss" or tok.head.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


@dataclass
class SpeakerIndex:
    """Per-article lookups built once: token → mention, salient subjects, roles."""

    doc: Any
    mentions: list[_Mention] = field(default_factory=list)
    by_token: dict[int, _Mention] = field(default_factory=dict)
    roles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # lemma → (tok, id)
    # (tok, id, label) of resolved speakers and chained pronouns, in token order
    speakers: list[tuple[int, str, str]] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)  # cluster id → male / female
    #: (pronoun token, clause's first token, last token, gender) of every "he"/"she" subject
    pronoun_clauses: list[tuple[int, int, int, str]] = field(default_factory=list)
    #: "he"/"she" subjects left unresolved → the people their own clause named
    unresolved_pronouns: dict[int, frozenset[str]] = field(default_factory=dict)
    window: int = SPEAKER_WINDOW
    datelines: list[tuple[int, int]] = field(default_factory=list)  # token ranges, end excl.
    #: person → the people the article says they speak for ("Lohan's lawyer Mark Heller")
    represents: dict[str, list[str]] = field(default_factory=dict)
    #: the genders the article's own words give (before pronouns are chained)
    shown_genders: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, art: Article, doc: Any, *, window: int = SPEAKER_WINDOW) -> SpeakerIndex:
        index = cls(doc=doc, window=window)
        for dateline in art.layer("datelines"):
            chars = doc.char_span(dateline.start, dateline.end, alignment_mode="expand")
            if chars is not None:
                index.datelines.append((chars.start, chars.end))
        labels = {c.id: c.label for c in art.clusters}
        for span in art.layer("entities"):
            cid = span.attrs.get("entity")
            chars = doc.char_span(span.start, span.end, alignment_mode="expand")
            if cid is None or chars is None or len(chars) == 0:
                continue
            label = labels.get(cid, span.label)
            subject = (
                any(t.dep_ in ("nsubj", "nsubjpass") for t in chars)
                or chars.root.dep_ in ("nsubj", "nsubjpass")
                # for people only: "Morocco's approach led to … others, where they post …"
                # is not Morocco's doing
                or (label == "PERSON" and _owns_main_subject(chars.root))
            )
            m = _Mention(chars.start, chars.end, cid, label, subject)
            index.mentions.append(m)
            for i in range(chars.start, chars.end):
                index.by_token[i] = m
        index.mentions.sort(key=lambda m: m.start)
        index._collect_roles()
        facts = [(m.start, m.end, m.cluster, m.label, m.subject) for m in index.mentions]
        index.genders = cluster_genders(doc, facts, index.roles)
        index.shown_genders = dict(index.genders)
        index._collect_represented()
        index._chain_pronouns()
        return index

    def _chain_pronouns(self) -> None:
        """Resolve every "he"/"she" subject in text order, so that a later pronoun can follow
        the chain ("Reid checked in. Ketsoyan said … . He did not say what she …"): each
        resolved pronoun becomes a salient mention of its person and, when the article gave
        that person no gender, gives the one the text itself uses for them. Measured on ECB+
        subject pronouns (``eval speakers``, README)."""
        for tok in self.doc:
            low = tok.lower_
            if low not in ("he", "she") or tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            gender = pronoun_gender(low)
            if gender is not None:
                verb = tok.head
                self.pronoun_clauses.append((tok.i, verb.left_edge.i, verb.right_edge.i, gender))
            own = self._own_clause(tok)
            found = self._salient(tok.i, ("PERSON",), gender=gender, exclude=own)
            if found is None:
                self.unresolved_pronouns[tok.i] = own
                continue
            self.note_speaker(tok.i, found, "PERSON")
            if gender is not None:
                self.genders.setdefault(found, gender)

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

    def _collect_represented(self) -> None:
        """Who speaks for whom: a representative's role noun whose owner is a mention
        ("Lohan's lawyer Mark Heller") or a role the article gave someone ("the actress's rep
        Jack Ketsoyan": the actress)."""
        for lemma in REPRESENTATIVE_NOUNS & self.roles.keys():
            for i, speaker in self.roles[lemma]:
                for owner in self.doc[i].children:
                    if owner.dep_ != "poss":
                        continue
                    mention = self.by_token.get(owner.i)
                    if mention is not None:
                        client = mention.cluster if mention.label == "PERSON" else None
                    else:
                        client = self._role(owner) if owner.pos_ == "NOUN" else None
                    if client is not None and client != speaker:
                        self.represents.setdefault(speaker, []).append(client)

    def _add_role(self, tok: Any, m: _Mention) -> None:
        self.roles.setdefault(tok.lemma_.lower(), []).append((tok.i, m.cluster))

    # -- resolution -------------------------------------------------------------------------
    def note_speaker(self, token: int, cluster: str, label: str) -> None:
        """Record a resolved speaker (or chained pronoun): later pronouns may refer to it.
        Kept in token order, which :meth:`_salient` relies on."""
        bisect.insort(self.speakers, (token, cluster, label))

    def resolve(
        self, head: int | None, *, quote_speaker: str | None = None, opens: int | None = None
    ) -> tuple[str | None, str]:
        """(cluster id or None, resolution) for a source whose head is token ``head``.
        ``opens``: the first token of a quotation that comes before its source ("“… three
        sentences …,” she said"): a pronoun's window of sentences is counted back from there,
        so the quotation's own sentences do not use it up, and nobody the quotation names is
        its speaker."""
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
            found = self._salient(
                head,
                ("PERSON",),
                gender=pronoun_gender(low),
                opens=opens,
                exclude=self._own_clause(tok),
            )
            return (found, "pronoun") if found else (None, "unresolved")
        if low in GROUP_PRONOUNS:
            found = self._salient(head, GROUP_LABELS, subjects_only=True, opens=opens)
            return (found, "pronoun") if found else (None, "unresolved")
        if tok.pos_ in ("NOUN", "PROPN"):
            representative = self._representative(tok)
            if representative is not None:
                return representative, "title"
            described = self._described(tok)
            if described is not None:
                return described, "description"
            role = self._role(tok)
            if role is not None:
                return role, "title"
            if tok.tag_ in ("NNS", "NNPS") or tok.lemma_.lower() in GROUP_NOUNS:
                return None, "group"
        return None, "unresolved"

    def _named(self, tok: Any) -> str | None:
        own = self.by_token.get(tok.i)
        if own is not None and own.label == "GPE" and self._in_dateline(own.start):
            # "Kessford – The health minister, X, said": the parse made the dateline's place
            # the head of the subject; the person in apposition speaks, never the place
            own = None
        # English noun phrases end in their head: in "Acme adviser Jane Roe" or "Colts coach
        # John Doe" the person named last speaks, whether NER tagged the first name as an
        # organisation or (wrongly) as a person
        person = self._person_after_role(tok)
        if person is not None:
            return person
        if own is not None:
            return own.cluster
        for child in tok.children:
            if child.dep_ != "appos":
                continue
            if child.i in self.by_token:
                return self.by_token[child.i].cluster
            for grandchild in child.children:  # "Colts, the interim coach, Jane Roe"
                if grandchild.dep_ == "appos" and grandchild.i in self.by_token:
                    return self.by_token[grandchild.i].cluster
        if tok.lemma_.lower() in SOURCE_CARRIERS or tok.lower_ in SOURCE_CARRIERS:
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj" and pobj.i in self.by_token:
                            return self.by_token[pobj.i].cluster
        return None

    def _in_dateline(self, i: int) -> bool:
        return any(start <= i < end for start, end in self.datelines)

    def _person_after_role(self, tok: Any) -> str | None:
        """The person at the end of "affiliation + role + name" ("Acme Corp. deputy director
        Jane Roe", "Colts interim coach John Doe"), read left to right from the head through
        organisation names, adjectives, role nouns and "and", up to the head's last word: the
        role noun is required, anything else (a comma, a preposition, a verb) stops it."""
        doc = self.doc
        own = self.by_token.get(tok.i)
        i = own.end if own is not None else tok.i + 1
        role = own is None and tok.pos_ == "NOUN"
        last = tok.right_edge.i
        while i <= last:
            mention = self.by_token.get(i)
            if mention is not None:
                if mention.label == "PERSON":
                    return mention.cluster if role else None
                i = mention.end
                continue
            word = doc[i]
            if word.pos_ in ("NOUN", "PROPN"):
                role = True
            elif word.pos_ == "CCONJ" and own is not None and own.label == "PERSON":
                return None  # "Secretary Jane Roe and Commerce Secretary John Doe": two people
            elif word.pos_ not in ("ADJ", "CCONJ"):
                return None
            i += 1
        return None

    def _representative(self, tok: Any) -> str | None:
        """The one person the article says speaks for the owner of "X's lawyer" ("Lohan's
        attorney" after "Lohan's lawyer Mark Heller": Heller, whichever representative noun
        each uses), or None."""
        if tok.lemma_.lower() not in REPRESENTATIVE_NOUNS or tok.i in self.by_token:
            return None
        for owner in tok.children:
            mention = self.by_token.get(owner.i) if owner.dep_ == "poss" else None
            if mention is None:
                continue
            found = {
                speaker
                for speaker, clients in self.represents.items()
                if mention.cluster in clients
            }
            if len(found) == 1:
                return found.pop()
        return None

    def _described(self, tok: Any) -> str | None:
        """The organisation a singular definite description stands for ("the company", "the
        ministry"; see the module docs), or None."""
        lemma = tok.lemma_.lower()
        if tok.i in self.by_token or tok.tag_ != "NN":
            return None
        if lemma not in ORG_DESCRIPTION_NOUNS and lemma not in ORG_KIND_NOUNS:
            return None
        dets = [c.lower_ for c in tok.children if c.dep_ in ("det", "poss")]
        if dets not in (["the"], ["this"]):
            return None  # "a company", "her site", "Acme's board": not the one named before
        start = self._window_start(tok.i)
        before = [m for m in self.mentions if start <= m.start and m.end <= tok.i]
        if lemma in ORG_KIND_NOUNS:
            # the name must hold the noun and any name modifying it: "the Bush administration"
            # is not the National Oceanic and Atmospheric Administration
            needed = {lemma} | {
                c.lower_
                for c in tok.children
                if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"
            }
            before = [m for m in before if needed <= {w.lower_ for w in self.doc[m.start : m.end]}]
        found = {m.cluster for m in before if m.label == "ORG"}
        # two organisations in reach ("Apple and Google met. The company said"): no guess
        return found.pop() if len(found) == 1 else None

    def _salient(
        self,
        head: int,
        labels: tuple[str, ...] | frozenset[str],
        *,
        subjects_only: bool = False,
        gender: str | None = None,
        opens: int | None = None,
        exclude: frozenset[str] = frozenset(),
    ) -> str | None:
        """The most salient entity of ``labels`` before ``head`` (see the module docs); with
        ``gender``, people the article gives the other gender are passed over; the window
        counts back from ``opens`` when it comes first (see :meth:`resolve`), and people named
        inside the statement (from ``opens`` on) are not its speaker."""
        sent_starts = self._window_start(head if opens is None else min(head, opens))
        if gender is not None:
            exclude = exclude | self._inherited(head, gender, sent_starts)
        best: tuple[int, str] | None = None
        pos = bisect.bisect_left([m.start for m in self.mentions], head)
        fallback: str | None = None
        for m in reversed(self.mentions[:pos]):
            if m.start < sent_starts:
                break
            if opens is not None and m.start >= opens:
                continue  # named inside the statement: "“Melanie thought …,” she said"
            if m.label not in labels or not self._agrees(m.cluster, gender) or m.cluster in exclude:
                continue
            if gender is not None and self._in_pronoun_clause(m.start, gender, sent_starts):
                continue
            if m.subject:
                best = (m.start, m.cluster)
                break
            if fallback is None and not subjects_only:
                fallback = m.cluster
        for tok, cluster, label in reversed(self.speakers):
            if tok >= head or tok < sent_starts or label not in labels:
                continue
            if not self._agrees(cluster, gender) or cluster in exclude:
                continue
            if best is None or tok > best[0]:
                best = (tok, cluster)
            break
        found = best[1] if best is not None else fallback
        if gender is not None and found is not None:
            return self._client(found, gender)
        return found

    def _client(self, found: str, gender: str) -> str:
        """``found``, or, when the article shows nothing of ``found``'s gender and says
        ``found`` speaks for a person it shows to be of ``gender``, that person: "Lohan's
        lawyer Mark Heller said she was …" is about Lohan."""
        if found in self.shown_genders:
            return found
        clients = [c for c in self.represents.get(found, ()) if self.genders.get(c) == gender]
        return clients[-1] if clients else found

    def _own_clause(self, pronoun: Any) -> frozenset[str]:
        """The people a subject pronoun's own clause names after it ("he said Reid was
        ill", "He did not say what Reid was treated for"): never that pronoun's person."""
        verb = pronoun.head
        return frozenset(
            m.cluster
            for m in self.mentions
            if pronoun.i < m.start <= verb.right_edge.i and m.label == "PERSON"
        )

    def _inherited(self, head: int, gender: str, since: int) -> frozenset[str]:
        """When the last "he"/"she" of ``gender`` before ``head`` found nobody, the people its
        own clause named: a pronoun goes on with that same unknown person ("He did not say
        what Reid was treated for. “…,” he said" is not Reid's either)."""
        last = max(
            (p for p, _, _, g in self._pronouns_between(since, head) if g == gender), default=None
        )
        return self.unresolved_pronouns.get(last, frozenset()) if last is not None else frozenset()

    def _pronouns_between(self, since: int, until: int) -> list[tuple[int, int, int, str]]:
        """The "he"/"she" subjects at tokens ``since`` to ``until`` (excluded), in order
        (``pronoun_clauses`` is in token order: a window's worth, not the article's)."""
        lo = bisect.bisect_left(self.pronoun_clauses, (since,))
        hi = bisect.bisect_left(self.pronoun_clauses, (until,))
        return self.pronoun_clauses[lo:hi]

    def _in_pronoun_clause(self, i: int, gender: str, since: int) -> bool:
        """Token ``i`` lies in the clause of an earlier "he"/"she" subject of ``gender``
        ("He did not say what Reid was treated for"): a name in a pronoun's own clause is
        never that pronoun's person, and a later pronoun of the same gender goes on with that
        person, not with the name ("“…,” he said" is not Reid's)."""
        return any(
            lo <= i <= hi and g == gender for _, lo, hi, g in self._pronouns_between(since, i)
        )

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
        """The entity the article last gave this role before ``tok`` (else first after it),
        under any of the role's names ("lawyer" finds "Attorney Mark Jay Heller")."""
        lemma = tok.lemma_.lower()
        given = sorted(
            (i, c)
            for word in ROLE_SYNONYMS.get(lemma, frozenset({lemma}))
            for i, c in self.roles.get(word, [])
        )
        found = [(i, c) for i, c in given if i < tok.i] or given
        return found[-1][1] if found else None
