"""Corpus entities: article-level clusters merged across articles, each merge with its reason.

Every cluster of every article digest (plus quoted terms) becomes a *node* keyed by its type
group and strict :func:`~presslens.corpus.names.name_key`; nodes then merge when

1. one names the other in its variants (an article wrote "Central Bureau of Judicial
   Investigation" and "BCIJ" in one cluster, so a later bare "BCIJ" is the same organisation);
2. every word is a spelling or transliteration variant of the other's (``Mohamed``/``Mohammad``,
   ``Taqiyya``/``Taqqiya``): blocked on the loose :func:`~presslens.corpus.names.translit` key;
3. people with the same surname whose first names differ only by spelling (difflib ratio) or by
   an initial ("J. Smith"/"John Smith") — the initial only when it fits one person alone; a
   middle initial ("Donald J. Trump") only when one person of that name has one;

   rules 2 and 3 (spellings) never merge two people when one article holds both as different
   clusters ("Daniel Marsh and his sister Daniela Marsh"): the article kept them apart;
4. a surname alone ("Karlan" in an article that never gives the full name) joins the only person
   with that surname, or, among several, the one whose articles share the most other entities
   with its own; never when that evidence is missing or tied. It is read article by article
   (one article's "Williams" is Esther Williams, another's Jamal Williams; the alias of rule 1
   too), and the lone surnames no rule placed stay one entity per surname (rule 4b);
5. an organisation named with an owner in the possessive ("Norrvale's Regional Health
   Directorate", "Britain's Ministry of Defence") is the organisation another article names
   without it, when the words after the possessive are two or more and are that name, and
   the owner is a place or organisation the corpus names (never a person);
6. a name NER tagged only as a facility is the place of the same name elsewhere;
7. an organisation named by one word ("Colts") is the only organisation of the corpus named
   by a place and that word ("Indianapolis Colts"); with two ("Post": the Washington Post, the
   New York Post) it joins neither.

Two people sharing a surname are never merged on the surname: rules 2–3 compare first names and
rule 4 needs the evidence named in the merge record. All candidate generation is by hash
blocking (no all-pairs), so time and memory grow with the number of clusters.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from presslens.corpus.names import acronym, is_acronym, name_words, translit, words_match

__all__ = ["GROUPS", "Resolution", "label_group", "resolve_entities"]

#: Entity labels that may name the same thing; labels outside these stand alone.
GROUPS: dict[str, str] = {
    "PERSON": "PERSON",
    "ORG": "ORG", "FAC": "ORG", "PRODUCT": "ORG", "WORK_OF_ART": "ORG", "EVENT": "ORG",
    "LAW": "ORG",
    "GPE": "PLACE", "LOC": "PLACE", "TERM": "ORG",
}  # fmt: skip
#: Articles looked at per candidate when weighing co-mention evidence (bounds the cost).
EVIDENCE_ARTICLES = 50
#: Share of an acronym's letters that must be initials of the name it stands for.
ACRONYM_MIN_SHARE = 0.75
#: A lone surname shorter than this is never joined to a full name ("Li", "Ben").
SURNAME_MIN_CHARS = 4
#: A surname block larger than this is compared only within first-letter sub-blocks.
MAX_BLOCK = 200


def label_group(label: str) -> str:
    return GROUPS.get(label, label)


@dataclass
class _Node:
    group: str
    key: str
    words: tuple[str, ...]
    labels: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    variants: Counter[str] = field(default_factory=Counter)
    members: list[tuple[str, str]] = field(default_factory=list)
    outlets: Counter[str] = field(default_factory=Counter)


@dataclass
class Resolution:
    """The result: corpus entities and the index from (article, cluster) to entity id."""

    entities: list[dict[str, Any]]
    index: dict[tuple[str, str], str]

    def entity_of(self, article: str, cluster: str | None) -> str | None:
        return self.index.get((article, cluster)) if cluster else None


class _UF:
    def __init__(self, n: int, articles: list[set[str]] | None = None) -> None:
        self.parent = list(range(n))
        self.merges: dict[int, list[dict[str, str]]] = defaultdict(list)
        #: root -> the articles its clusters come from
        self.articles: dict[int, set[str]] = dict(enumerate(articles or [set() for _ in range(n)]))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, record: dict[str, str]) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.articles[ra] = self.articles[ra] | self.articles.pop(rb, set())
        self.merges[ra].extend(self.merges.pop(rb, []))
        self.merges[ra].append(record)
        return True

    def kept_apart(self, a: int, b: int) -> bool:
        """Whether some article holds both as different clusters: that article's entities
        stage read them as two (coordinated, opposite genders), so a spelling is no reason
        to merge them."""
        return not self.articles[self.find(a)].isdisjoint(self.articles[self.find(b)])


#: The outlet of articles that name none, as the report shows it. It is never evidence: two
#: such articles need not come from one outlet.
UNKNOWN_OUTLET = "(unknown outlet)"


def _nodes(digests: Iterable[dict[str, Any]]) -> tuple[list[_Node], dict[str, list[int]]]:
    nodes: list[_Node] = []
    by_key: dict[tuple[str, str], int] = {}
    article_nodes: dict[str, list[int]] = {}
    for d in digests:
        aid, outlet = d["id"], d.get("outlet") or UNKNOWN_OUTLET
        seen: list[int] = []
        for cid, label, name, variants in d["clusters"]:
            group = label_group(label)
            words = tuple(name_words(name))
            if not words:
                continue
            key = (group, " ".join(words))
            if group == "PERSON" and len(words) == 1:
                # a lone surname is a node per article: "Williams" is Esther Williams in one
                # article and Jamal Williams in another, each on its own article's evidence
                key = (group, f"{key[1]}\x00{aid}")
            i = by_key.get(key)
            if i is None:
                i = by_key[key] = len(nodes)
                nodes.append(_Node(group, " ".join(words), words))
            node = nodes[i]
            node.labels[label] += 1
            node.names[name] += 1
            node.variants.update(variants)
            node.members.append((aid, cid))
            node.outlets[outlet] += 1
            seen.append(i)
        article_nodes[aid] = seen
    return nodes, article_nodes


def resolve_entities(digests: Iterable[dict[str, Any]]) -> Resolution:
    """Merge the clusters of ``digests`` into corpus entities (see the module docstring)."""
    nodes, article_nodes = _nodes(digests)
    uf = _UF(len(nodes), [{aid for aid, _ in n.members} for n in nodes])
    _join_aliases(nodes, uf)
    _join_loose(nodes, uf)
    persons = _join_first_names(nodes, uf)
    _join_middle_initials(nodes, uf)
    _join_surnames(nodes, uf, persons, article_nodes)
    _join_unresolved_surnames(nodes, uf)
    _join_possessive_owners(nodes, uf)
    _join_facility_places(nodes, uf)
    _join_organisation_last_words(nodes, uf)
    return _entities(nodes, uf)


def _join_facility_places(nodes: list[_Node], uf: _UF) -> None:
    """Rule 6: a name NER tagged only as a facility (grouped with organisations: "Heathrow
    Airport", "Quay Street") is the place of the same name another article tagged as one
    ("Port Merrow": a place in one outlet's dateline, a facility in another's lead)."""
    places = {n.key: i for i, n in enumerate(nodes) if n.group == "PLACE"}
    for i, n in enumerate(nodes):
        j = places.get(n.key)
        if j is not None and n.group == "ORG" and set(n.labels) == {"FAC"}:
            uf.union(j, i, _why(nodes[j], n, "the same name, a facility to NER here"))


def _join_organisation_last_words(nodes: list[_Node], uf: _UF) -> None:
    """Rule 7: an organisation named by one word ("Colts", "Saints") is the organisation of
    the corpus named by a place the corpus names and that word ("Indianapolis Colts", "New
    Orleans Saints"), when there is only one ("Post" with the Washington Post and the New York
    Post in the corpus joins neither); never an acronym, nor a word shorter than four letters.
    Without the place, one word joined "White House" ("House"), "Salvation Army" ("Army"),
    "Capitol Hill" ("Hill")."""
    places = {n.key for n in nodes if n.group == "PLACE"}
    longer: dict[str, set[int]] = defaultdict(set)
    for i, n in enumerate(nodes):
        if n.group != "ORG" or len(n.words) < 2 or n.labels.most_common(1)[0][0] != "ORG":
            continue
        if " ".join(n.words[:-1]) in places:  # a place and a word: a team, a city's body
            longer[n.words[-1]].add(i)
    for i, n in enumerate(nodes):
        if n.group != "ORG" or len(n.words) != 1 or len(n.words[0]) < SURNAME_MIN_CHARS:
            continue
        if n.labels.most_common(1)[0][0] != "ORG" or any(is_acronym(s) for s in n.names):
            continue
        if any(len(name.split()) > 1 for name in n.names):
            continue  # one word once titles are dropped ("Duke University"), not as written
        roots = {uf.find(j) for j in longer.get(n.words[0], ())} - {uf.find(i)}
        if len(roots) == 1:
            j = min(j for j in longer[n.words[0]] if uf.find(j) in roots)
            why = "the only organisation whose longer name ends in this word"
            uf.union(i, j, _why(n, nodes[j], why))


#: "Norrvale's Regional Health Directorate": an owner in the possessive, then the name.
_POSSESSIVE_OWNER = re.compile(r"^(?P<owner>[^'’]+)['’]s\s+(?P<name>\S+(?:\s+\S+)+)$")


def _join_possessive_owners(nodes: list[_Node], uf: _UF) -> None:
    """Rule 5: "X's Y Z" joins the organisation named "Y Z" (two words at least: "McDonald's
    Corporation" or "Macy's Inc" stay themselves) when X is a place or an organisation the
    corpus names ("Grayson's Democratic Senate primary" is a person's race, not the Senate)."""
    by_key = {n.key: i for i, n in enumerate(nodes) if n.group == "ORG"}
    owners = {n.key for n in nodes if n.group != "PERSON"} - {
        n.key for n in nodes if n.group == "PERSON"
    }
    for i, n in enumerate(nodes):
        if n.group != "ORG":
            continue
        for name in n.names:
            m = _POSSESSIVE_OWNER.match(name.strip())
            if m is None or " ".join(name_words(m.group("owner"))) not in owners:
                continue
            j = by_key.get(" ".join(name_words(m.group("name"))))
            if j is not None and j != i:
                reason = f"'{name}' names it with an owner in the possessive"
                uf.union(j, i, _why(nodes[j], n, reason))
                break


def _join_aliases(nodes: list[_Node], uf: _UF) -> None:
    """Rule 1: a node's strict key is another node's variant (acronyms, multi-word forms). An
    acronym claimed by two different names ("DNC": Convention and Committee; "TPP") joins
    neither."""
    by_key = {(n.group, n.key): i for i, n in enumerate(nodes)}
    acronym_claims: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for i, n in enumerate(nodes):
        for surface in n.variants:
            words = name_words(surface)
            if n.group == "PERSON" and len(words) < 2:
                continue  # a bare surname is not evidence (rule 4 handles it)
            if n.group != "PERSON" and len(words) < 2 and not is_acronym(surface):
                continue
            if is_acronym(surface) and not _acronym_fits(surface, n.key):
                continue  # "DNC" inside "DNC Rules Committee" is not that name's acronym
            j = by_key.get((n.group, " ".join(words)))
            if j is None or j == i:
                continue
            why = f"'{surface}' is written for it in one article"
            if is_acronym(surface):
                acronym_claims[j].append((i, why))
            else:
                uf.union(i, j, _why(n, nodes[j], why))
        if n.group == "ORG" and len(n.words) > 2 and (acro := acronym(n.key)):
            j = by_key.get(("ORG", acro))
            if j is not None and j != i and is_acronym(next(iter(nodes[j].names))):
                acronym_claims[j].append((i, f"acronym {acro.upper()} of the name"))
    for j, claims in acronym_claims.items():
        if len({uf.find(i) for i, _ in claims}) > 1:
            continue  # ambiguous acronym
        for i, why in claims:
            uf.union(i, j, _why(nodes[i], nodes[j], why))


def _acronym_fits(acro: str, key: str) -> bool:
    """Whether ``acro`` is (nearly) the initials of ``key``: letters may be reordered, as when
    an acronym comes from another language's word order ("BCIJ")."""
    letters = [c for c in acro.casefold() if c.isalpha()]
    if " ".join(letters) == key or "".join(letters) == key:
        return True
    initials = acronym(key)
    if not initials:
        return False
    pool = list(initials)
    found = 0
    for c in letters:
        if c in pool:
            pool.remove(c)
            found += 1
    return found / len(letters) >= ACRONYM_MIN_SHARE and len(initials) <= len(letters) + 1


def _loose_key(n: _Node) -> tuple[str, ...]:
    return tuple(translit(w) if len(w) >= 4 else w for w in n.words)


def _join_loose(nodes: list[_Node], uf: _UF) -> None:
    """Rule 2: every word a spelling/transliteration variant (loose key equal)."""
    blocks: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    for i, n in enumerate(nodes):
        if not _lone_surname(n):  # rules 4 and 4b join those
            blocks[(n.group, _loose_key(n))].append(i)
    for members in blocks.values():
        for j in members[1:]:
            a, b = nodes[members[0]], nodes[j]
            if a.group == "PERSON" and uf.kept_apart(members[0], j):
                continue  # a quoted term and a name in one article are no two people
            diff = [f"{x}~{y}" for x, y in zip(a.words, b.words, strict=True) if x != y]
            uf.union(members[0], j, _why(a, b, "spelling variants: " + ", ".join(diff)))


def _join_first_names(nodes: list[_Node], uf: _UF) -> dict[str, list[int]]:
    """Rule 3: same surname; first names spelling variants or one an initial of the other.
    Returns the multi-word PERSON nodes by loose surname for rule 4."""
    by_surname: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(nodes):
        if n.group == "PERSON" and len(n.words) > 1:
            by_surname[translit(n.words[-1])].append(i)
    for members in by_surname.values():
        blocks = [members]
        if len(members) > MAX_BLOCK:
            sub: dict[str, list[int]] = defaultdict(list)
            for i in members:
                sub[nodes[i].words[0][:1]].append(i)
            blocks = list(sub.values())
        for block in blocks:
            _compare_first_names(nodes, uf, block)
    return by_surname


def _compare_first_names(nodes: list[_Node], uf: _UF, block: list[int]) -> None:
    initials: list[int] = []
    full: list[int] = []
    for i in block:
        (initials if len(nodes[i].words[0]) == 1 else full).append(i)
    for pos, i in enumerate(full):
        a = nodes[i]
        for j in full[pos + 1 :]:
            b = nodes[j]
            if len(a.words) != len(b.words) or uf.find(i) == uf.find(j) or uf.kept_apart(i, j):
                continue
            if all(words_match(x, y) for x, y in zip(a.words, b.words, strict=True)):
                uf.union(i, j, _why(a, b, "same surname, first names spelt alike"))
    for i in initials:
        a = nodes[i]
        fits = {
            uf.find(j)
            for j in full
            if nodes[j].words[0][0] == a.words[0] and words_match(nodes[j].words[-1], a.words[-1])
        }
        if len(fits) != 1:
            continue  # no full name, or several people: an initial is not evidence enough
        j = next(j for j in full if uf.find(j) in fits)
        shared = (set(a.outlets) & set(nodes[j].outlets)) - {UNKNOWN_OUTLET}
        if shared:
            why = f"initial of the only matching full name, same outlet ({sorted(shared)[0]})"
            uf.union(i, j, _why(a, nodes[j], why))


def _join_middle_initials(nodes: list[_Node], uf: _UF) -> None:
    """Rule 3b: "Donald J. Trump" and "Donald Trump" are one person when exactly one person
    with that first and last name has middle initials ("George Bush" stays apart from both
    "George W. Bush" and "George H. W. Bush")."""
    plain: dict[tuple[str, str], list[int]] = defaultdict(list)
    middled: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, n in enumerate(nodes):
        if n.group != "PERSON" or len(n.words) < 2 or len(n.words[0]) < 2:
            continue
        key = (translit(n.words[0]), translit(n.words[-1]))
        if len(n.words) == 2:
            plain[key].append(i)
        elif all(len(w) == 1 for w in n.words[1:-1]):
            middled[key].append(i)
    for key, with_middle in middled.items():
        roots = {uf.find(j) for j in with_middle}
        if len(roots) != 1:
            continue
        j = with_middle[0]
        for i in plain.get(key, []):
            uf.union(i, j, _why(nodes[i], nodes[j], "same first and last name; one middle initial"))


def _join_surnames(
    nodes: list[_Node],
    uf: _UF,
    persons: dict[str, list[int]],
    article_nodes: dict[str, list[int]],
) -> None:
    """Rule 4: a lone surname joins the only person with that surname, or the one with the
    most co-mentioned entities when several share it."""
    as_first: Counter[str] = Counter()
    as_last: Counter[str] = Counter()
    for n in nodes:
        if n.group == "PERSON" and len(n.words) > 1:
            # weighted by articles, so one NER error ("Obama White House") does not outvote
            # forty articles naming Barack Obama
            as_first[n.words[0]] += len(n.members)
            as_last[n.words[-1]] += len(n.members)
    for i, n in enumerate(nodes):
        word = n.words[0]
        if n.group != "PERSON" or len(n.words) != 1 or len(word) < SURNAME_MIN_CHARS:
            continue
        if as_first[word] >= as_last[word]:
            continue  # "John" alone is more often a first name than a surname
        # the surname must be spelt the same: loose keys are for full names only
        same = [j for j in persons.get(translit(word), []) if nodes[j].words[-1] == word]
        roots = {uf.find(j) for j in same}
        if not roots:
            continue
        if len(roots) == 1:
            j = next(iter(roots))
            uf.union(i, j, _why(n, nodes[j], "the only person with this surname in the corpus"))
            continue
        context = _context(n.members, article_nodes, uf, exclude=roots)
        scores = []
        for root in roots:
            members = [m for j in same if uf.find(j) == root for m in nodes[j].members]
            shared = context & _context(members, article_nodes, uf, exclude=roots)
            scores.append((len(shared), root, shared))
        scores.sort(key=lambda t: -t[0])
        if scores[0][0] > 0 and scores[0][0] > scores[1][0]:
            _, root, shared = scores[0]
            names = sorted(nodes[k].key for k in shared)[:3]
            why = f"surname shared by several people; co-mentioned with {', '.join(names)}"
            uf.union(i, root, _why(n, nodes[root], why))


def _join_unresolved_surnames(nodes: list[_Node], uf: _UF) -> None:
    """Rule 4b: the lone surnames no rule gave a person ("Lyons said" in articles that never
    name a Lyons in full) stay one entity per surname, as they were before rule 4 read each
    article's on its own evidence."""
    sizes = Counter(uf.find(i) for i in range(len(nodes)))
    left: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(nodes):
        if _lone_surname(n) and sizes[uf.find(i)] == 1:
            left[n.key].append(i)
    for members in left.values():
        for j in members[1:]:
            uf.union(members[0], j, _why(nodes[members[0]], nodes[j], "the same lone surname"))


def _lone_surname(n: _Node) -> bool:
    return n.group == "PERSON" and len(n.words) == 1


def _context(
    members: list[tuple[str, str]], article_nodes: dict[str, list[int]], uf: _UF, exclude: set
) -> set[int]:
    out: set[int] = set()
    for aid in {a for a, _ in members[:EVIDENCE_ARTICLES]}:
        out.update(r for j in article_nodes.get(aid, []) if (r := uf.find(j)) not in exclude)
    return out


def _why(a: _Node, b: _Node, reason: str) -> dict[str, str]:
    return {"a": a.names.most_common(1)[0][0], "b": b.names.most_common(1)[0][0], "why": reason}


def _entities(nodes: list[_Node], uf: _UF) -> Resolution:
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        groups[uf.find(i)].append(i)
    entities: list[dict[str, Any]] = []
    index: dict[tuple[str, str], str] = {}
    for root, members in groups.items():
        labels: Counter[str] = Counter()
        names: Counter[str] = Counter()
        variants: Counter[str] = Counter()
        outlets: Counter[str] = Counter()
        pairs: list[tuple[str, str]] = []
        for i in members:
            n = nodes[i]
            labels.update(n.labels)
            names.update(n.names)
            variants.update(n.variants)
            outlets.update(n.outlets)
            pairs.extend(n.members)
        group = nodes[root].group
        # a full name keys its entity: lone surnames are a node per article, and one that
        # joined a person must not key it (two entities would share an id)
        named = [nodes[i].key for i in members if not _lone_surname(nodes[i])]
        key = min(named) if named else nodes[members[0]].key
        eid = "E" + hashlib.sha1(f"{group}\x00{key}".encode()).hexdigest()[:10]
        # the most used full name: multi-word names first, then names without an owner in
        # the possessive (rule 5), then frequency, then length
        name = max(
            names,
            key=lambda s: (
                len(s.split()) > 1,
                not _POSSESSIVE_OWNER.match(s.strip()),
                names[s],
                len(s),
                s,
            ),
        )
        articles = sorted({a for a, _ in pairs})
        for pair in pairs:
            index[pair] = eid
        entities.append(
            {
                "id": eid,
                "name": name,
                "label": labels.most_common(1)[0][0],
                "variants": dict(variants.most_common()),
                "articles": articles,
                "outlets": dict(outlets.most_common()),
                "mentions": sum(variants.values()),
                "merges": uf.merges.get(root, []),
                "members": [list(p) for p in pairs],
            }
        )
    entities.sort(key=lambda e: (-len(e["articles"]), -e["mentions"], e["name"]))
    return Resolution(entities=entities, index=index)
