"""Map offsets in normalised text back to the raw input, so gold data on raw files can be scored.

Normalisation copies most characters unchanged and rewrites or drops a few (whitespace runs,
boilerplate lines, NFC compositions). An :class:`OffsetMap` stores only the pieces: each piece
says "normalised ``[ns, ne)`` came from raw ``[rs, re)``". Pieces copied verbatim have equal
lengths and map character by character; rewritten pieces map their ends to the raw piece's ends.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

Piece = tuple[int, int, int, int]  # (norm_start, norm_end, raw_start, raw_end)


class OffsetMap:
    """Piecewise map between normalised and raw character offsets."""

    __slots__ = ("_flipped", "_norm_starts", "_raw_starts", "pieces")

    def __init__(self, pieces: Iterable[Piece] = ()) -> None:
        self.pieces: list[Piece] = [tuple(p) for p in pieces]  # type: ignore[misc]
        self._norm_starts = [p[0] for p in self.pieces]
        # The same pieces seen from the raw side, ordered by raw start, for raw -> normalised.
        self._flipped: list[Piece] = sorted((p[2], p[3], p[0], p[1]) for p in self.pieces)
        self._raw_starts = [p[0] for p in self._flipped]

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls([(0, length, 0, length)])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OffsetMap) and self.pieces == other.pieces

    def __repr__(self) -> str:
        return f"OffsetMap({len(self.pieces)} pieces)"

    def to_raw(self, offset: int, *, end: bool = False) -> int:
        """Raw offset of a normalised offset; ``end=True`` for exclusive span ends."""
        return _lookup(self.pieces, self._norm_starts, offset, end)

    def to_norm(self, offset: int, *, end: bool = False) -> int:
        """Normalised offset of a raw offset (raw text that was dropped maps to its neighbour)."""
        return _lookup(self._flipped, self._raw_starts, offset, end)

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        return self.to_raw(start), self.to_raw(end, end=True)

    def span_to_norm(self, start: int, end: int) -> tuple[int, int]:
        return self.to_norm(start), self.to_norm(end, end=True)


def _lookup(pieces: list[Piece], starts: list[int], offset: int, end: bool) -> int:
    if not pieces:
        return offset
    # For an end offset, the piece that *ends* at offset is the right one.
    i = bisect_right(starts, offset - 1 if end and offset > 0 else offset) - 1
    i = max(i, 0)
    ns, ne, rs, re_ = pieces[i]
    if offset >= ne:
        # Past this piece (in a gap or after the last piece): clamp to its raw end.
        return re_
    if offset <= ns:
        return rs
    if ne - ns == re_ - rs:
        return rs + (offset - ns)
    return re_ if end else rs


class OffsetMapBuilder:
    """Builds normalised text and its map together, so they can never drift apart."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pieces: list[Piece] = []
        self._pos = 0

    @property
    def position(self) -> int:
        return self._pos

    def copy(self, raw: str, raw_start: int, raw_end: int) -> None:
        """Append raw[raw_start:raw_end] unchanged."""
        self._add(raw[raw_start:raw_end], raw_start, raw_end, verbatim=True)

    def replace(self, new: str, raw_start: int, raw_end: int) -> None:
        """Append ``new`` in place of raw[raw_start:raw_end] (may be empty on either side)."""
        self._add(new, raw_start, raw_end, verbatim=len(new) == raw_end - raw_start)

    def _add(self, s: str, rs: int, re_: int, *, verbatim: bool) -> None:
        if not s:
            return
        ns, ne = self._pos, self._pos + len(s)
        last = self._pieces[-1] if self._pieces else None
        if (
            verbatim
            and last is not None
            and last[1] == ns
            and last[3] == rs
            and last[1] - last[0] == last[3] - last[2]
        ):
            self._pieces[-1] = (last[0], ne, last[2], re_)
        else:
            self._pieces.append((ns, ne, rs, re_))
        self._parts.append(s)
        self._pos = ne

    def build(self) -> tuple[str, OffsetMap]:
        return "".join(self._parts), OffsetMap(self._pieces)
