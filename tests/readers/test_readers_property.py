"""Property: for any text, spans match the text and verbatim pieces map to the same raw chars."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.errors import InputError
from presslens.readers import RawDocument, normalise
from presslens.readers.boilerplate import widget_reason
from presslens.settings import Settings

SETTINGS = Settings()

# Letters, whitespace of every kind, newlines, typographic quotes and dashes, a combining
# accent (composes with e/a/o), a precomposed letter and a singleton NFC rewrite (Å sign).
ALPHABET = st.sampled_from(
    [
        *"abeoAEOR xyz.,:;!?",
        *(" ", "  ", "\t", "\u00a0", "\u2003", "\n", "\r\n", "\r", "\n\n\n"),
        *("“", "”", "‘", "’", "–", "—", "-", "\u0301", "é", "\u212b", "Rabat – ", "Share"),
    ]
)
TEXTS = st.lists(ALPHABET, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_normalise_keeps_spans_and_offsets_true(raw: str) -> None:
    doc = RawDocument(source="<test>", key="k", raw=raw, format="text")
    try:
        art = normalise(doc, SETTINGS)
    except InputError as exc:
        # only when every line is blank or a share widget
        assert exc.code == "P117"
        lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert all(not line.strip() or widget_reason(line) for line in lines)
        return
    art.check()
    text = art.text
    assert text == text.strip() and "\n\n\n" not in text and "  " not in text
    assert "\r" not in text and "\t" not in text
    assert unicodedata.is_normalized("NFC", text)
    paragraphs = art.layers["paragraphs"]
    assert "\n\n".join(p.text for p in paragraphs) == text
    for span in paragraphs:
        assert text[span.start : span.end] == span.text and span.text.strip() == span.text
    covered = 0
    for ns, ne, rs, re_ in art.offset_map:
        assert 0 <= rs <= re_ <= len(raw) and ns >= covered
        covered = ne
        if ne - ns != re_ - rs:
            continue
        for i in range(ne - ns):
            t, r = text[ns + i], raw[rs + i]
            # copied verbatim, or rewritten in place: whitespace -> space/newline, NFC singleton
            assert t == r or (t.isspace() and r.isspace()) or unicodedata.normalize("NFC", r) == t
            if not t.isspace():
                assert art.offsets.to_raw(ns + i) == rs + i
    assert covered == len(text)
