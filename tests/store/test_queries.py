"""The query methods the web app and export use, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from presslens.errors import StoreError
from presslens.model import Article
from presslens.store import Store, open_store
from presslens.store.sqlite import SQLiteStore


@pytest.fixture
def corpus(store: Store, article: Callable[..., Article]) -> dict[str, Article]:
    """Three articles, two outlets, two speakers, techniques in two of them."""
    arts = {
        "koval": article(
            "Anna Koval said the ferry strike will end soon. The union called it a betrayal.",
            title="Ferry strike to end",
            published=date(2021, 3, 1),
            speakers=[("Anna Koval", "the ferry strike will end soon")],
            techniques=[("Loaded_Language", "betrayal")],
        ),
        "mor": article(
            "The ferry strike is a disgrace and a farce, Piet Mor wrote from the U.S. office.",
            outlet="Valley Times",
            title="A disgrace",
            published=date(2021, 4, 15),
            genre="opinion",
            speakers=[("Piet Mor", "The ferry strike is a disgrace and a farce")],
            techniques=[("Name_Calling", "disgrace"), ("Name_Calling", "farce")],
        ),
        "calm": article(
            "Weather was calm in Port Elin all week.",
            title=None,
            published=None,
            genre=None,
        ),
    }
    assert store.upsert_many(list(arts.values())) == ["inserted"] * 3
    return arts


def _ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


def test_list_articles_newest_first_with_undated_last(
    store: Store, corpus: dict[str, Article]
) -> None:
    rows, total = store.list_articles()
    assert total == 3
    assert _ids(rows) == [corpus["mor"].id, corpus["koval"].id, corpus["calm"].id]
    first = rows[0]
    assert first == {
        "id": corpus["mor"].id,
        "title": "A disgrace",
        "outlet": "Valley Times",
        "published": "2021-04-15",
        "genre": "opinion",
        "words": len(corpus["mor"].text.split()),
    }
    assert rows[2]["published"] is None and rows[2]["genre"] is None


def test_list_articles_filters_and_pages(store: Store, corpus: dict[str, Article]) -> None:
    rows, total = store.list_articles(outlet="Harbour Gazette")
    assert total == 2 and _ids(rows) == [corpus["koval"].id, corpus["calm"].id]
    rows, total = store.list_articles(date_from="2021-03-01", date_to=date(2021, 3, 31))
    assert total == 1 and _ids(rows) == [corpus["koval"].id]
    rows, total = store.list_articles(date_from="2021-03-02")
    assert _ids(rows) == [corpus["mor"].id]
    rows, total = store.list_articles(genre="opinion")
    assert _ids(rows) == [corpus["mor"].id]
    rows, total = store.list_articles(limit=1, offset=1)
    assert total == 3 and _ids(rows) == [corpus["koval"].id]
    assert store.list_articles(offset=5) == ([], 3)


@pytest.mark.parametrize(
    "kwargs",
    [{"date_from": "March 1"}, {"limit": 0}, {"offset": -1}, {"date_to": "2021-02-30"}],
)
def test_bad_page_or_date_is_a_store_error(store: Store, kwargs: dict) -> None:
    with pytest.raises(StoreError) as err:
        store.list_articles(**kwargs)
    assert err.value.code == "P302"


def test_search_page_needs_every_plain_word(store: Store, corpus: dict[str, Article]) -> None:
    rows, total = store.search_page("ferry strike")
    assert total == 2 and set(_ids(rows)) == {corpus["koval"].id, corpus["mor"].id}
    rows, total = store.search_page("ferry weather")
    assert (rows, total) == ([], 0)
    rows, total = store.search_page("STRIKE betrayal")
    assert _ids(rows) == [corpus["koval"].id]
    # Punctuation in plain words is not query syntax.
    rows, _ = store.search_page("U.S. office")
    assert _ids(rows) == [corpus["mor"].id]
    rows, _ = store.search_page("don't")
    assert rows == []


def test_search_snippet_marks_the_hits(store: Store, corpus: dict[str, Article]) -> None:
    rows, _ = store.search_page("betrayal")
    row = rows[0]
    assert row["title"] == "Ferry strike to end" and row["outlet"] == "Harbour Gazette"
    hits = [text for text, hit in row["snippet_parts"] if hit]
    assert [h.lower() for h in hits] == ["betrayal"]
    plain = "".join(text for text, _ in row["snippet_parts"])
    assert plain in corpus["koval"].text
    assert "[betrayal]" in row["snippet"]


def test_search_phrase_and_filters(store: Store, corpus: dict[str, Article]) -> None:
    rows, total = store.search_page('"strike will end"')
    assert total == 1 and _ids(rows) == [corpus["koval"].id]
    assert store.search_page("ferry", outlet="Valley Times")[1] == 1
    rows, _ = store.search_page("ferry", speaker="anna KOVAL")
    assert _ids(rows) == [corpus["koval"].id]
    rows, _ = store.search_page("ferry", technique="Name_Calling")
    assert _ids(rows) == [corpus["mor"].id]
    assert store.search_page("ferry", date_to="2021-03-31")[1] == 1
    assert store.search_page("ferry", speaker="Nobody")[1] == 0
    rows, total = store.search_page("ferry", limit=1, offset=1)
    assert total == 2 and len(rows) == 1


def test_search_without_words_lists_what_the_filters_keep(
    store: Store, corpus: dict[str, Article]
) -> None:
    rows, total = store.search_page("", technique="Loaded_Language")
    assert total == 1 and _ids(rows) == [corpus["koval"].id]
    assert rows[0]["snippet"] == corpus["koval"].text
    rows, total = store.search_page("  ")
    assert total == 3


def test_malformed_search_is_a_store_error_not_a_crash(
    store: Store, corpus: dict[str, Article]
) -> None:
    with pytest.raises(StoreError) as err:
        store.search_page("?! …")
    assert err.value.code == "P301"
    if isinstance(store, SQLiteStore):
        with pytest.raises(StoreError, match="bad search query") as err:
            store.search_page("ferry AND")
        assert err.value.code == "P301"
    else:  # PostgreSQL's web-search syntax reads any text ("and" is a word there)
        assert _ids(store.search_page("ferry AND")[0]) == [corpus["mor"].id]


def test_stats_overview(store: Store, corpus: dict[str, Article]) -> None:
    stats = store.stats()
    words = {k: len(a.text.split()) for k, a in corpus.items()}
    assert stats == {
        "articles": 3,
        "by_outlet": {"Harbour Gazette": 2, "Valley Times": 1},
        "by_month": {"": 1, "2021-03": 1, "2021-04": 1},
        "genres": {"": 1, "opinion": 1, "reporting": 1},
        "words_by_outlet": {
            "Harbour Gazette": words["koval"] + words["calm"],
            "Valley Times": words["mor"],
        },
        "techniques_by_outlet": {
            "Harbour Gazette": {"Loaded_Language": 1},
            "Valley Times": {"Name_Calling": 2},
        },
        "top_speakers": [["Anna Koval", 1], ["Piet Mor", 1]],
    }


def test_stats_of_an_empty_store(store: Store) -> None:
    assert store.stats()["articles"] == 0
    assert store.stats()["top_speakers"] == []


def test_span_rows_by_entity_name_label_and_article(
    store: Store, corpus: dict[str, Article]
) -> None:
    rows = store.span_rows("attributions", entity="piet mor")
    assert len(rows) == 1
    row = rows[0]
    art = corpus["mor"]
    assert row["article_id"] == art.id and row["entity_name"] == "Piet Mor"
    assert art.text[row["start"] : row["end"]] == row["surface"]
    assert row["attrs"]["speaker"] == "e1" and row["label"] == "indirect"
    techniques = store.span_rows("techniques")
    assert [(r["article_id"], r["label"]) for r in techniques] == [
        (corpus["koval"].id, "Loaded_Language"),
        (art.id, "Name_Calling"),
        (art.id, "Name_Calling"),
    ]
    assert len(store.span_rows("techniques", label="Name_Calling", limit=1)) == 1
    assert store.span_rows("techniques", article_ids=[corpus["koval"].id])[0]["surface"] == (
        "betrayal"
    )
    assert store.span_rows("techniques", article_ids=[]) == []
    mentions = store.span_rows("entities", entity="Anna Koval")
    assert [m["surface"] for m in mentions] == ["Anna Koval"]
    assert store.span_rows("sentences") == []  # kept in the document only


def test_rewriting_an_article_keeps_query_tables_in_step(
    store: Store, corpus: dict[str, Article]
) -> None:
    art = corpus["mor"]
    art.layers.pop("techniques")
    art.text = art.text  # same text, new analysis
    assert store.upsert(art) == "updated"
    assert store.stats()["techniques_by_outlet"] == {"Harbour Gazette": {"Loaded_Language": 1}}
    assert store.search_page("farce")[1] == 1
    assert store.count() == 3


def test_stats_see_writes_through_another_connection(
    store: Store, store_url: str, article: Callable[..., Article]
) -> None:
    assert store.stats()["articles"] == 0  # computed and cached
    other = open_store(store_url)
    other.upsert(article("Piet Mor said the ferry will run.", speakers=[("Piet Mor", "ferry")]))
    other.close()
    stats = store.stats()
    assert stats["articles"] == 1 and stats["top_speakers"] == [["Piet Mor", 1]]
    stats["articles"] = 99  # the caller's copy, not the cache
    assert store.stats()["articles"] == 1


def test_both_backends_read_plain_words_alike(
    store: Store, article: Callable[..., Article]
) -> None:
    """Hyphens, apostrophes and commas inside a plain word make a phrase on both backends:
    PostgreSQL's plainto_tsquery missed "port-authority" and let "ferry's" match any "s"."""
    arts = {
        "port": article("The Port-Authority of Merrow met on Tuesday about the ferry fares."),
        "lone": article("Tuesday's ferry left at noon; it's a short crossing to the island."),
        "pair": article("The ferry, radar and harbour lights were repaired by the port crew."),
    }
    store.upsert_many(list(arts.values()))
    found = {q: sorted(_ids(store.search_page(q)[0])) for q in (
        "port-authority", "Port-Authority merrow", "ferry's", "ferry,radar", "ferry radar"
    )}  # fmt: skip
    assert found["port-authority"] == [arts["port"].id]
    assert found["Port-Authority merrow"] == [arts["port"].id]
    assert found["ferry's"] == []  # "Tuesday's ferry" holds "s" and "ferry", not "ferry's"
    assert found["ferry,radar"] == [arts["pair"].id]
    assert found["ferry radar"] == [arts["pair"].id]


def test_a_title_only_hit_is_marked_in_the_title(
    store: Store, article: Callable[..., Article]
) -> None:
    art = article("Nothing in the body names the word searched for.", title="Zyxwv council row")
    store.upsert(art)
    (row,), _ = store.search_page("zyxwv")
    assert [t for t, hit in row["snippet_parts"] if hit] == ["Zyxwv"]


def test_an_id_prefix_ignores_case_on_both_backends(
    store: Store, article: Callable[..., Article]
) -> None:
    art = article("The ferry strike ended on Monday.")
    store.upsert(art)
    assert store.find_ids(art.id[:8].upper()) == [art.id]
