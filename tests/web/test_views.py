"""The pieces the pages are drawn with: SVG charts, marked story text, the built-in corpus
index (used when the corpus stages have not been run) — each escaping what it is given."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from presslens.web import charts, corpus_data
from presslens.web.story_view import render_marked

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def _text_of(markup: str) -> str:
    """Markup with tags stripped and entities decoded (what a reader sees)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.mark.parametrize(
    "svg",
    [
        charts.bar_chart([(EVIL, 3), ("ok", 1)], title=EVIL, hrefs=["/x?a=1&b=2", None]),
        charts.month_chart({"2026-01": 2, "2026-03": 5}, title=EVIL),
        charts.heatmap([EVIL], [EVIL, "loaded language"], {EVIL: {EVIL: 2.0}}, title=EVIL),
        charts.timeline_chart([("2026-03-01", EVIL, "/a#b"), ("PAST_REF", "x", None)], title=EVIL),
    ],
)
def test_charts_escape_every_label(svg: Markup) -> None:
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg


def test_bar_chart_scales_bars_to_the_largest_value() -> None:
    svg = charts.bar_chart([("a", 10), ("b", 5)], title="t", width=420)
    widths = [int(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="(\d+)"', svg)]
    assert widths[0] == 2 * widths[1]


def test_timeline_places_dates_in_order_and_skips_undated() -> None:
    svg = charts.timeline_chart(
        [("2026-03-10", "late", None), ("2026-03-01", "early", None), ("PAST_REF", "x", None)],
        title="t",
    )
    xs = [int(x) for x in re.findall(r'<circle cx="(\d+)"', svg)]
    assert len(xs) == 2
    titles = re.findall(r"<title>([^<]*)</title>", svg)[1:]
    assert titles[0].startswith("2026-03-01")
    assert xs[0] < xs[1]


def test_render_marked_escapes_text_and_keeps_it_whole() -> None:
    text = f"A {EVIL} said 12 people, then 12 more & more."
    start = text.index("12")
    marks = [
        (start, start + 2, "number", 'other outlet: "15"'),
        (2, 2 + len(EVIL), "phrase", "p1"),
        (0, 1000, "phrase", "bad-range"),  # out of range: ignored
    ]
    out = render_marked(text, marks)
    assert "<script" not in out and "<img" not in out
    assert _text_of(out) == text
    assert '<mark class="disagree" title="other outlet: &#34;15&#34;">12</mark>' in out
    assert '<a class="shared" href="#p1"' in out


@pytest.fixture
def no_corpus_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the corpus stages are absent, so the built-in index answers."""
    monkeypatch.setattr(corpus_data, "corpus_module", lambda: None)


def test_builtin_index_finds_entities_and_a_multi_outlet_story(
    no_corpus_stages: None, make_client: Any, web_store: Path
) -> None:
    client = make_client()
    entities = client.get("/entities.json").json()["entities"]
    top = entities[0]
    assert top["articles"] >= 2 and top["id"] == corpus_data.entity_id(top["name"])
    profile = client.get(f"/entities/{top['id']}.json").json()["entity"]
    assert profile["articles_total"] == top["articles"]
    assert {"statements_by", "statements_about", "numbers", "timeline"} <= set(profile)
    stories = client.get("/stories.json").json()["stories"]
    assert stories and all(len(s["outlets"]) >= 2 for s in stories)
    story = client.get(f"/stories/{stories[0]['id']}.json").json()["story"]
    assert len(story["outlets"]) >= 2
    for phrase in story["shared_phrases"]:
        assert len({u["outlet"] for u in phrase["uses"]}) >= 2
    html = client.get(f"/stories/{stories[0]['id']}").text
    assert html.count('<section class="column">') >= 2
    # the first entity with statements of its own (a place, however frequent, has none)
    speaker = next(
        row["speaker"]
        for e in entities[:20]
        for row in client.get(f"/entities/{e['id']}.json").json()["entity"]["statements_by"]
    )
    hop = client.get("/entity", params={"name": speaker}, follow_redirects=False)
    assert hop.status_code == 303
    assert client.get(hop.headers["location"] + ".json").json()["entity"]["statements_by"]


def test_builtin_index_leaves_articles_not_in_english_out_of_entities(
    no_corpus_stages: None, make_client: Any, tmp_path: Path
) -> None:
    from presslens.model import Article, Cluster
    from presslens.store import open_store

    def article(text: str, outlet: str, names: dict[str, str], language: str) -> Article:
        art = Article(text=text, outlet=outlet, source=f"{outlet}.txt", language=language)
        for k, (name, label) in enumerate(names.items()):
            at = text.index(name)
            art.add("entities", art.span(at, at + len(name), label, entity=f"c{k}"))
            art.clusters.append(
                Cluster(id=f"c{k}", label=label, name=name, mentions=[k], variants={name: 1})
            )
        return art.ensure_id()

    path = tmp_path / "fr.db"
    store = open_store(str(path))
    store.upsert(article("The UN sent aid to Rabat.", "Wire", {"UN": "ORG", "Rabat": "GPE"}, "en"))
    # what English NER made of French: the article "un" an organisation, the city a person
    fr = "Rabat : un plan pour les barrages."
    store.upsert(article(fr, "Journal", {"Rabat": "PERSON", "un": "ORG"}, "fr"))
    store.close()
    client = make_client(store=path)
    entities = client.get("/entities.json").json()["entities"]
    assert {(e["name"], e["articles"]) for e in entities} == {("UN", 1), ("Rabat", 1)}


def test_entity_pages_page_through_articles(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_data, "ENTITY_PAGE_ARTICLES", 1)
    client = make_client()
    top = client.get("/entities.json").json()["entities"][0]
    first = client.get(f"/entities/{top['id']}.json").json()["entity"]
    assert first["pages"] == first["articles_total"] >= 2
    assert len(first["articles"]) == 1
    second = client.get(f"/entities/{top['id']}.json", params={"page": 2}).json()["entity"]
    assert second["articles"][0]["id"] != first["articles"][0]["id"]
    assert 'rel="next"' in client.get(f"/entities/{top['id']}").text


# -- the language of an article not in English (P128) -----------------------------------------
@pytest.fixture
def language_pages(language_store: tuple[Path, dict[str, str]]) -> Iterator[tuple[Any, dict]]:
    """A TestClient over the small store of read, unanalysed articles (no session store)."""
    from fastapi.testclient import TestClient  # conftest imported it with its warning muted

    from presslens.web import WebConfig, create_app

    path, ids = language_store
    with TestClient(create_app(WebConfig(store_url=str(path))), raise_server_exceptions=False) as c:
        yield c, ids


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("fr", "French (fr) — not English: results unreliable"),
        ("declared_en", "declared English (en), but the text reads as French (fr) — results "
         "unreliable"),
    ],
)  # fmt: skip
def test_article_page_names_a_language_that_is_not_english(
    language_pages: tuple[Any, dict[str, str]], name: str, note: str
) -> None:
    client, ids = language_pages
    page = client.get(f"/articles/{ids[name]}")
    assert page.status_code == 200
    (shown,) = re.findall(r'<p class="language-note" id="language">(.*?)</p>', page.text)
    assert _text_of(shown) == f"Language: {note}"
    twin = client.get(f"/articles/{ids[name]}.json").json()
    (warning,) = twin["warnings"]
    assert set(warning) == {"code", "type", "where", "message", "hint"}  # the envelope's
    assert warning["code"] == "P128" and "French (fr)" in warning["message"]


def test_article_page_of_an_english_article_has_no_language_note(
    language_pages: tuple[Any, dict[str, str]],
) -> None:
    client, ids = language_pages
    page = client.get(f"/articles/{ids['en']}").text
    assert "language-note" not in page and "not English" not in page
    assert "<dt>language</dt><dd>en</dd>" in page
    assert client.get(f"/articles/{ids['en']}.json").json()["warnings"] == []


def test_a_language_tag_holding_markup_is_shown_as_text(
    language_pages: tuple[Any, dict[str, str]],
) -> None:
    client, ids = language_pages
    tag = client.get(f"/articles/{ids['evil']}.json").json()["article"]["language"]
    assert "<script>" in tag and "<img" in tag  # as stored
    page = client.get(f"/articles/{ids['evil']}").text
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    (shown,) = re.findall(r'<p class="language-note" id="language">(.*?)</p>', page)
    assert _text_of(shown) == f"Language: {tag} — not English: results unreliable"
