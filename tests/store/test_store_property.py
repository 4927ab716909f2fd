"""Property: whatever the text and spans, an article comes back from the store unchanged and
its indexed spans keep text[start:end] == surface (both backends)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presslens.model import Article
from presslens.store import Store

# NUL cannot be stored in PostgreSQL text (readers refuse it as binary input anyway).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=200,
)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    text = draw(TEXT)
    art = Article(text=text, source="prop.txt", outlet=draw(st.none() | TEXT))
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        layer = draw(st.sampled_from(["entities", "techniques", "quantities"]))
        art.add(layer, art.span(start, end, draw(TEXT), note=draw(TEXT), n=draw(st.integers())))
    return art.ensure_id()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(art=articles())
def test_store_round_trip_and_span_truth(store: Store, art: Article) -> None:
    assert store.upsert(art) in ("inserted", "updated", "unchanged")
    assert store.get(art.id) == art
    for layer in ("entities", "techniques", "quantities"):
        for row in store.span_rows(layer, article_ids=[art.id]):
            assert art.text[row["start"] : row["end"]] == row["surface"]
            assert row["attrs"] == art.layers[layer][row["idx"]].attrs
    assert store.upsert(art) == "unchanged"
