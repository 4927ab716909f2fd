from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.errors import SpanError
from presslens.model import Article, Cluster, Published, Removed, Span, json_schema

json_scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    text = draw(st.text(min_size=0, max_size=200))
    art = Article(
        text=text,
        title=draw(st.none() | st.text(max_size=20)),
        outlet=draw(st.none() | st.text(max_size=10)),
        source=draw(st.text(max_size=10)),
        published=draw(
            st.none()
            | st.builds(
                Published,
                date=st.dates(date(1900, 1, 1), date(2100, 1, 1)),
                source=st.sampled_from(["header", "html-meta"]),
                raw=st.text(max_size=10),
            )
        ),
        meta=draw(st.dictionaries(st.text(max_size=6), json_values, max_size=3)),
        removed=draw(
            st.lists(
                st.builds(
                    Removed,
                    kind=st.just("boilerplate"),
                    text=st.text(max_size=10),
                    raw_start=st.integers(0, 99),
                    raw_end=st.integers(0, 99),
                ),
                max_size=2,
            )
        ),
    )
    for layer in draw(st.lists(st.sampled_from(["entities", "sentences", "x"]), max_size=3)):
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(text)))
            end = draw(st.integers(start, len(text)))
            keys = st.text(max_size=5).filter(lambda k: k not in {"start", "end", "label"})
            attrs = draw(st.dictionaries(keys, json_values, max_size=3))  # not span()'s names
            art.add(layer, art.span(start, end, draw(st.text(max_size=6)), **attrs))
    if art.layer("entities"):
        art.clusters.append(
            Cluster(id="e1", label="PERSON", name="x", mentions=[0], variants={"x": 1})
        )
    return art.ensure_id()


@settings(max_examples=200)
@given(articles())
def test_every_span_matches_its_surface_and_json_round_trip_is_lossless(art: Article) -> None:
    for spans in art.layers.values():
        for s in spans:
            assert art.text[s.start : s.end] == s.text
    again = Article.from_json(art.to_json())
    assert again == art
    assert again.to_json() == art.to_json()
    assert again.content_hash() == art.content_hash()


def test_span_outside_text_is_refused() -> None:
    art = Article(text="short")
    with pytest.raises(SpanError, match="outside the text"):
        art.span(2, 10, "X")


def test_loading_json_with_a_lying_surface_fails() -> None:
    art = Article(text="Anna said hello")
    art.add("entities", art.span(0, 4, "PERSON"))
    data = art.to_dict()
    data["layers"]["entities"][0]["text"] = "Anne"
    with pytest.raises(SpanError, match="does not match"):
        Article.from_dict(data)


def test_id_is_a_content_hash_of_key_and_text() -> None:
    a = Article(text="same text", source="a.txt").ensure_id()
    b = Article(text="same text", source="a.txt").ensure_id()
    c = Article(text="other text", source="a.txt").ensure_id()
    assert a.id == b.id != c.id
    assert len(a.id) == 16


def test_schema_describes_layers_and_span_invariant() -> None:
    schema = json_schema()
    assert "layers" in schema["properties"]
    assert "Span" in schema["$defs"]
    assert "text[s.start:s.end] == s.text" in schema["description"]
    json.dumps(schema)


def test_span_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError):
        Span.model_validate({"start": 0, "end": 1, "label": "X", "text": "a", "bogus": 1})
