"""Read attribution relations from BRAT standoff (``.ann``) files, in raw character offsets.

What is read:

- ``T`` lines (``T3<TAB>Content 115 290;300 340<TAB>surface``) are text-bound spans. A
  discontinuous span (fragments joined by ``;``) keeps its fragments and is represented by its
  *covering* span, from the first fragment's start to the last fragment's end. Scorers use the
  covering span unless they ask for the fragments. A line that does not start with a BRAT id
  and follows a ``T`` line continues that line's surface (PolNeAR has surfaces with newlines);
  surfaces are never used for offsets.
- ``E`` lines (``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``) make one relation each
  when their trigger type is an attribution type (``Attribution``, ``Attribution-no-source``).
  Roles are read by name with trailing digits dropped, so ``Content2:T22`` is a second content
  piece: it joins the content's fragments (the content then covers both).
- ``R`` lines (``R1<TAB>Source Arg1:T3 Arg2:T1``) link spans pairwise; spans connected through
  ``R`` lines (and not already in an ``E`` relation) form one relation, whose source, cue and
  content are taken from the span types.
- ``#`` notes, ``A``/``M``/``N`` attribute and normalisation lines, and blank lines are skipped.

Anything else is an :class:`~presslens.errors.InputError` naming ``file:line``.

PolNeAR has several annotators for some articles (``<article>_<annotator>.ann``).
:func:`gold_files` keeps exactly one file per article: the first in sorted file-name order, so
the choice is deterministic and independent of the file system.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from presslens.errors import InputError

__all__ = [
    "ATTRIBUTION_TYPES",
    "ROLE_TYPES",
    "BratSpan",
    "GoldRelation",
    "annotator_files",
    "gold_files",
    "parse_ann",
    "read_ann",
]

#: Event (``E``) trigger types that denote an attribution relation.
ATTRIBUTION_TYPES = frozenset({"Attribution", "Attribution-no-source"})

#: Span types that fill a relation role, by role.
ROLE_TYPES = {"Source": "source", "Cue": "cue", "Content": "content"}

Offsets = tuple[int, int]

_ID = re.compile(r"^(?:[TERAMN]\d+|#\d*|\*)\t")
_T_BODY = re.compile(r"^(\S+) (\d+ \d+(?:;\d+ \d+)*)$")
_ROLE_ARG = re.compile(r"^([A-Za-z][\w-]*?)\d*:([TE]\d+)$")
_HINT = "Fix the line or remove the file; BRAT lines are ID<TAB>TYPE START END<TAB>TEXT."


@dataclass(frozen=True, slots=True)
class BratSpan:
    """A ``T`` line: its type and fragments in raw offsets, with the covering span."""

    id: str
    type: str
    fragments: tuple[Offsets, ...]
    line: int

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    @property
    def cover(self) -> Offsets:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """One gold attribution in raw offsets; each role is its covering span or ``None``.

    ``fragments`` maps a role to its fragments (several for a discontinuous span or a second
    content piece); ``where`` is the ``file:line`` of the relation's line.
    """

    source: Offsets | None
    cue: Offsets | None
    content: Offsets | None
    fragments: dict[str, tuple[Offsets, ...]] = field(default_factory=dict, compare=False)
    where: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, Offsets | None]:
        return {"source": self.source, "cue": self.cue, "content": self.content}


def gold_files(folder: Path) -> dict[str, Path]:
    """One ``.ann`` file per article stem: the first annotator's file in sorted name order."""
    chosen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.ann")):
        stem, sep, _annotator = path.stem.rpartition("_")
        chosen.setdefault(stem if sep else path.stem, path)
    return chosen


def annotator_files(folder: Path) -> dict[str, list[Path]]:
    """Every ``.ann`` file per article stem, in sorted name order (one per annotator).

    Used to measure agreement between annotators of the same article.
    """
    files: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.ann")):
        stem, sep, _annotator = path.stem.rpartition("_")
        files.setdefault(stem if sep else path.stem, []).append(path)
    return files


def read_ann(path: Path) -> list[GoldRelation]:
    """The attribution relations of one ``.ann`` file (see the module docs)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read BRAT file: {exc}", where=str(path), hint="Check the file."
        ) from None
    return parse_ann(text, where=str(path))


def parse_ann(text: str, *, where: str = "<string>") -> list[GoldRelation]:
    """Parse BRAT standoff text; errors name ``where:line``."""
    spans: dict[str, BratSpan] = {}
    events: list[tuple[int, str, list[tuple[str, str]]]] = []
    links: list[tuple[int, str, str]] = []
    previous_was_t = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if not _ID.match(line):
            if previous_was_t:
                continue  # the surface of the previous T line went on past a newline
            raise _error("not a BRAT annotation line", line, where, lineno)
        previous_was_t = False
        kind = line[0]
        fields = line.split("\t")
        if kind == "T":
            spans[fields[0]] = _span(fields, line, where, lineno)
            previous_was_t = True
        elif kind == "E":
            events.append((lineno, fields[0], _event_args(fields, line, where, lineno)))
        elif kind == "R":
            links.append(_link(fields, line, where, lineno))
    relations: list[GoldRelation] = []
    in_event: set[str] = set()
    for lineno, _eid, args in events:
        trigger_type = args[0][0]
        trigger = spans.get(args[0][1])
        if trigger is None:
            raise _error(f"trigger {args[0][1]} is not defined", "", where, lineno)
        if trigger.type not in ATTRIBUTION_TYPES and trigger_type not in ATTRIBUTION_TYPES:
            continue
        members: list[tuple[str, BratSpan]] = []
        for role, ref in args[1:]:
            span = spans.get(ref)
            if span is None:
                message = f"argument {role}:{ref} refers to an undefined span"
                raise _error(message, "", where, lineno)
            members.append((role, span))
            in_event.add(ref)
        relations.append(_relation(members, f"{where}:{lineno}"))
    relations.extend(_linked_relations(links, spans, in_event, where))
    return relations


# -- helpers ----------------------------------------------------------------------------------
def _error(message: str, line: str, where: str, lineno: int) -> InputError:
    shown = f": {line[:80]!r}" if line else ""
    return InputError(f"{message}{shown}", where=f"{where}:{lineno}", hint=_HINT)


def _span(fields: list[str], line: str, where: str, lineno: int) -> BratSpan:
    if len(fields) < 2:
        raise _error("T line has no 'TYPE START END'", line, where, lineno)
    m = _T_BODY.match(fields[1].strip())
    if m is None:
        raise _error("T line needs 'TYPE START END[;START END…]'", line, where, lineno)
    fragments: list[Offsets] = []
    for piece in m.group(2).split(";"):
        start, end = (int(v) for v in piece.split())
        if end < start:
            raise _error(f"span end {end} is before its start {start}", line, where, lineno)
        fragments.append((start, end))
    fragments.sort()
    return BratSpan(fields[0], m.group(1), tuple(fragments), lineno)


def _event_args(fields: list[str], line: str, where: str, lineno: int) -> list[tuple[str, str]]:
    if len(fields) < 2 or not fields[1].strip():
        raise _error("E line has no 'TYPE:ID' arguments", line, where, lineno)
    args: list[tuple[str, str]] = []
    for token in fields[1].split():
        m = _ROLE_ARG.match(token)
        if m is None:
            raise _error(f"E argument {token!r} is not ROLE:ID", line, where, lineno)
        args.append((m.group(1), m.group(2)))
    return args


def _link(fields: list[str], line: str, where: str, lineno: int) -> tuple[int, str, str]:
    parts = fields[1].split() if len(fields) >= 2 else []
    refs = [p.split(":", 1)[1] for p in parts[1:] if ":" in p]
    if len(parts) != 3 or len(refs) != 2:
        raise _error("R line needs 'TYPE Arg1:ID Arg2:ID'", line, where, lineno)
    return lineno, refs[0], refs[1]


def _relation(members: Iterable[tuple[str, BratSpan]], where: str) -> GoldRelation:
    """Group members by role (``Content2`` is content); each role keeps all its fragments."""
    parts: dict[str, list[Offsets]] = {}
    for role_name, span in members:
        role = ROLE_TYPES.get(role_name) or ROLE_TYPES.get(span.type)
        if role is not None:
            parts.setdefault(role, []).extend(span.fragments)
    fragments = {role: tuple(sorted(pieces)) for role, pieces in parts.items()}

    def cover(role: str) -> Offsets | None:
        pieces = fragments.get(role)
        return (pieces[0][0], max(e for _, e in pieces)) if pieces else None

    return GoldRelation(
        source=cover("source"),
        cue=cover("cue"),
        content=cover("content"),
        fragments=fragments,
        where=where,
    )


def _linked_relations(
    links: list[tuple[int, str, str]], spans: dict[str, BratSpan], skip: set[str], where: str
) -> list[GoldRelation]:
    """Connected groups of spans joined by ``R`` lines, each one relation."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_line: dict[str, int] = {}
    for lineno, a, b in links:
        for ref in (a, b):
            if ref not in spans:
                raise _error(f"R argument {ref} refers to an undefined span", "", where, lineno)
        if a in skip or b in skip:
            continue
        root_a, root_b = find(a), find(b)
        parent[root_a] = root_b
        first_line.setdefault(a, lineno)
        first_line.setdefault(b, lineno)
    groups: dict[str, list[str]] = {}
    for ref in parent:
        groups.setdefault(find(ref), []).append(ref)
    relations = []
    for refs in sorted(groups.values(), key=lambda r: min(first_line[x] for x in r)):
        members = [(spans[r].type, spans[r]) for r in sorted(refs, key=lambda r: spans[r].line)]
        if any(ROLE_TYPES.get(t) for t, _ in members):
            line = min(first_line[x] for x in refs)
            relations.append(_relation(members, f"{where}:{line}"))
    return relations
