"""The shared real articles: the rules must work on them without knowing anything about them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from presslens.model import Article
from presslens.readers import RawDocument, read_articles, read_sources
from presslens.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "examples"

pytestmark = pytest.mark.skipif(
    not EXAMPLES.is_dir(), reason=f"shared example articles not found at {EXAMPLES}"
)


def example(prefix: str) -> tuple[Article, str]:
    (path,) = sorted(EXAMPLES.glob(f"{prefix}_*.txt"))
    (doc,) = read_sources([str(path)], Settings())
    assert isinstance(doc, RawDocument)
    (art,) = read_articles([str(path)], Settings())
    assert isinstance(art, Article)
    art.check()
    return art, doc.raw


def test_000_header_widget_and_dateline() -> None:
    art, raw = example("000")
    assert art.published is not None
    assert art.published.date == date(2021, 3, 1) and art.published.source == "header"
    assert "Spread the love" not in art.text
    (widget,) = [r for r in art.removed if r.kind == "boilerplate"]
    assert widget.text == "Spread the love"
    assert raw[widget.raw_start : widget.raw_end] == "Spread the love"
    assert art.meta["dateline"]["place"] == "Rabat"
    (dateline,) = art.layers["datelines"]
    assert dateline.attrs["place"] == "Rabat"
    assert art.title is None


def test_004_headline_and_disclaimer() -> None:
    art, raw = example("004")
    first_line = raw.splitlines()[0].strip()
    assert art.title == first_line
    assert art.layers["paragraphs"][0].label == "title"
    (disclaimer,) = art.layers["disclaimers"]
    assert disclaimer.attrs == {"kind": "opinion"}
    assert disclaimer.end == len(art.text)
    assert disclaimer.text.startswith("The views expressed in this article belong to the author")
    assert art.layers["datelines"] == []


def test_examples_offsets_recover_every_paragraph() -> None:
    for prefix in ("000", "004"):
        art, raw = example(prefix)
        for span in art.layers["paragraphs"]:
            rs, re_ = art.raw_span(span)
            assert " ".join(raw[rs:re_].split()) == span.text
