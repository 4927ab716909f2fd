from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from presslens.offsets import OffsetMap, OffsetMapBuilder


def test_identity_map_returns_same_offsets() -> None:
    m = OffsetMap.identity(10)
    assert [m.to_raw(i) for i in range(11)] == list(range(11))


def test_collapsed_whitespace_maps_span_ends_to_raw_ends() -> None:
    raw = "a   b\n\n\nc"
    b = OffsetMapBuilder()
    b.copy(raw, 0, 1)
    b.replace(" ", 1, 4)
    b.copy(raw, 4, 5)
    b.replace("\n\n", 5, 8)
    b.copy(raw, 8, 9)
    text, m = b.build()
    assert text == "a b\n\nc"
    assert raw[slice(*m.span_to_raw(0, 3))] == "a   b"
    assert raw[slice(*m.span_to_raw(5, 6))] == "c"
    assert m.to_norm(8) == 5


def test_dropped_raw_text_is_skipped_in_both_directions() -> None:
    raw = "HEADER\nbody"
    b = OffsetMapBuilder()
    b.copy(raw, 7, 11)
    text, m = b.build()
    assert text == "body"
    assert m.span_to_raw(0, 4) == (7, 11)
    assert m.to_norm(7) == 0


@given(st.lists(st.tuples(st.text(max_size=6), st.booleans()), max_size=30))
def test_verbatim_pieces_map_character_by_character(parts: list[tuple[str, bool]]) -> None:
    raw = "".join(p for p, _ in parts)
    b = OffsetMapBuilder()
    pos = 0
    kept: list[tuple[int, int]] = []  # (norm offset, raw offset) of verbatim characters
    for piece, keep in parts:
        if keep:
            start = b.position
            b.copy(raw, pos, pos + len(piece))
            kept.extend((start + i, pos + i) for i in range(len(piece)))
        else:
            b.replace("_" if piece else "", pos, pos + len(piece))
        pos += len(piece)
    text, m = b.build()
    for n, r in kept:
        assert m.to_raw(n) == r
        assert text[n] == raw[r]
        assert raw[slice(*m.span_to_raw(n, n + 1))] == text[n]
