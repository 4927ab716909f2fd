"""The ``numbers`` table: each stored article's numbers as rows, filtered and paged in SQL
(SQLite and PostgreSQL), equal to what ``presslens numbers`` computes from the documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import presslens
from presslens.model import Article
from presslens.store import Store, open_store
from presslens.store.sqlite import SQLiteStore
from presslens.views.numbers import number_rows
from presslens.web import queries

TEXT = (
    "date 2024-05-02\n"
    "source Kessford Post\n\n"
    "Kessford – The authorities have dismantled 310 smuggling cells since 2015, according to "
    "data from the Coastal Crime Bureau (CCB).\n\n"
    "Police chief Marta Lenz said 42 officers had been injured in the raids last year.\n\n"
    "At least 14 dead as storm hits the coast.\n\n"
    "The city spent $2.5 million on new patrol boats.\n"
)

OTHER = (
    "date 2024-06-11\n"
    "source Coast Herald\n\n"
    "The Coastal Crime Bureau said 17 smuggling cells were broken up in May.\n\n"
    "Nine boats were seized.\n"
)


@pytest.fixture(scope="module")
def analysed() -> list[Article]:
    return [presslens.analyze(TEXT), presslens.analyze(OTHER)]


def _fresh(analysed: list[Article]) -> list[Article]:
    return [a.model_copy(deep=True) for a in analysed]


def _expected(articles: list[Article], **filters: Any) -> list[dict[str, Any]]:
    """What ``presslens numbers`` gives, newest article first, with the page's extra keys."""
    rows = []
    for art in sorted(articles, key=lambda a: a.published.date if a.published else 0, reverse=True):
        for r in number_rows([art], **filters):
            lo, hi = r["sentence"] or (r["start"], r["end"])
            published = art.published.date.isoformat() if art.published else None
            rows.append(r | {"sentence_text": art.text[lo:hi], "published": published})
    return rows


def test_stored_numbers_are_the_rows_numbers_computes(
    store: Store, analysed: list[Article]
) -> None:
    articles = _fresh(analysed)
    store.upsert_many(articles)
    rows, total = store.number_page(limit=100)
    expected = _expected(articles)
    assert total == len(expected) > 5
    assert rows == expected
    for r in rows:
        art = next(a for a in articles if a.id == r["article"])
        assert art.text[r["start"] : r["end"]] == r["text"]
        assert r["text"] in r["sentence_text"]


@pytest.mark.parametrize(
    ("filters", "page_filters"),
    [
        ({"counted": "smuggling cells"}, {"counted": "smuggling cells"}),
        ({"counted": "cell"}, {"counted": "cell"}),
        ({"counted": "dead"}, {"counted": "dead"}),
        ({"counted": "smug"}, {"counted": "smug"}),
        ({"cited": "CCB"}, {"cited": "CCB"}),
        ({"cited": "marta lens"}, {"cited": "marta lens"}),
        ({"cited": "nobody at all"}, {"cited": "nobody at all"}),
        ({"kinds": ["money"]}, {"kinds": ["money"]}),
    ],
)
def test_filters_match_the_numbers_command(
    store: Store, analysed: list[Article], filters: dict[str, Any], page_filters: dict[str, Any]
) -> None:
    articles = _fresh(analysed)
    store.upsert_many(articles)
    rows, total = store.number_page(**page_filters)
    assert rows == _expected(articles, **filters)
    assert total == len(rows)


def test_cited_matches_a_spelling_the_article_gives_and_every_outlet(
    store: Store, analysed: list[Article]
) -> None:
    store.upsert_many(_fresh(analysed))
    rows, _ = store.number_page(cited="Coastal Crime Bureau", counted="smuggling cells")
    assert sorted(r["text"] for r in rows) == ["17", "310"]
    # the acronym is a spelling only the first article gives
    (acronym,) = store.number_page(cited="CCB")[0]
    assert acronym["text"] == "310"


def test_sourced_outlet_dates_and_pages(store: Store, analysed: list[Article]) -> None:
    articles = _fresh(analysed)
    store.upsert_many(articles)
    every = _expected(articles)
    with_source, n_with = store.number_page(sourced=True, limit=100)
    without, n_without = store.number_page(sourced=False, limit=100)
    assert n_with + n_without == len(every) and n_with and n_without
    assert all(r["source"] is not None for r in with_source)
    assert all(r["source"] is None for r in without)
    herald, _ = store.number_page(outlet="Coast Herald", limit=100)
    assert herald and {r["outlet"] for r in herald} == {"Coast Herald"}
    june, _ = store.number_page(date_from="2024-06-01", limit=100)
    assert june == herald
    assert store.number_page(date_to="2024-05-31", limit=100)[0] == _expected(articles[:1])
    first, total = store.number_page(limit=2)
    second, _ = store.number_page(limit=2, offset=2)
    assert total == len(every) and first + second == every[:4]


def test_rewriting_an_article_replaces_its_numbers(
    store: Store, analysed: list[Article], raw_sql: Callable[[Store, str], list[tuple[Any, ...]]]
) -> None:
    articles = _fresh(analysed)
    store.upsert_many(articles)
    before = raw_sql(store, "SELECT COUNT(*) FROM numbers")[0][0]
    changed = presslens.analyze(OTHER.replace("Nine boats", "Eleven boats and 3 trucks"))
    changed.id = articles[1].id  # the same article, corrected (as a URL keeps its id)
    store.upsert(changed)
    rows, _ = store.number_page(outlet="Coast Herald", limit=100)
    assert [r["text"] for r in rows] == [r["text"] for r in _expected([changed])]
    assert "Nine" not in [r["text"] for r in rows] and "3" in [r["text"] for r in rows]
    after = raw_sql(store, "SELECT COUNT(*) FROM numbers")[0][0]
    assert after == before - len(number_rows([articles[1]])) + len(number_rows([changed]))


def test_a_store_written_before_the_table_is_filled_when_opened(
    store_url: str, analysed: list[Article], raw_sql: Callable[[Store, str], list[tuple[Any, ...]]]
) -> None:
    articles = _fresh(analysed)
    s = open_store(store_url)
    s.upsert_many(articles)
    names = (
        ("006_numbers", "007_backfill_numbers")
        if isinstance(s, SQLiteStore)
        else ("004_numbers", "005_backfill_numbers")
    )
    raw_sql(s, "DROP TABLE numbers")
    raw_sql(s, f"DELETE FROM migrations WHERE name IN ('{names[0]}', '{names[1]}')")
    s.close()
    reopened = open_store(store_url)
    try:
        assert set(names) <= set(reopened.migrations())  # type: ignore[attr-defined]
        assert reopened.number_page(limit=100)[0] == _expected(articles)
    finally:
        reopened.close()


def test_the_pages_fallback_walks_documents_to_the_same_rows(
    store: Store, analysed: list[Article]
) -> None:
    """A store without ``number_page`` gets the same page from its documents."""
    articles = _fresh(analysed)
    store.upsert_many(articles)

    class Plain:
        url = store.url

        def articles(self, *, outlet: str | None = None) -> Any:
            return store.articles(outlet=outlet)

    plain: Any = Plain()
    for filters in ({}, {"cited": "CCB"}, {"sourced": False}, {"kinds": ["count"]}):
        assert queries.number_page(plain, **filters, limit=100) == store.number_page(
            **filters, limit=100
        )
    assert queries.number_page(plain, limit=3, offset=3) == store.number_page(limit=3, offset=3)
