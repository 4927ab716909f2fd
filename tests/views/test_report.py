"""The HTML report: complete, self-contained, escaped, and faithful to the article text."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from typing import Any

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.model import Article, Cluster, Published, Removed
from presslens.views import render_article_text, render_report, report_summary, safe_href

GENERATED = "2026-03-20 09:00 UTC"


def make_article(text: str, paragraphs: bool = True, **fields: Any) -> Article:
    """An article whose paragraphs layer splits ``text`` on blank lines."""
    article = Article(text=text, **fields).ensure_id()
    if paragraphs:
        for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
            article.add("paragraphs", article.span(m.start(), m.end(), "paragraph"))
    return article


def at(article: Article, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(needle, start + 1)
    return start, start + len(needle)


def add(article: Article, layer: str, needle: str, label: str, **attrs: Any) -> int:
    start, end = at(article, needle)
    return article.add(layer, article.span(start, end, label, **attrs))


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def text_of(doc: lxml.html.HtmlElement, number: int = 1) -> str:
    """The article text as shown: tags stripped, entities unescaped."""
    (div,) = doc.xpath(f'//div[@class="text"][@data-article="{number}"]')
    return str(div.text_content())


def marks(doc: lxml.html.HtmlElement, layer: str) -> list[lxml.html.HtmlElement]:
    return list(doc.xpath(f'//mark[@data-layer="{layer}"]'))


@pytest.fixture
def ferry() -> Article:
    text = (
        "Ferry inquiry disputed\n\n"
        "PORT ELIN – Mara Okonkwo, who chairs the inquiry, said 14 people died.\n\n"
        "“We will publish everything,” she said, citing the Coastal Safety Board (CSB).\n\n"
        "The views expressed in this article are the author's own."
    )
    article = make_article(
        text,
        title="Ferry inquiry disputed",
        outlet="Harbour Gazette",
        url="https://harbour.example/ferry",
        source="demo/corpus/ferry.txt",
        published=Published(date=date(2026, 3, 14), source="header", raw="date 2026-03-14"),
        authors=["Ilse Brandt"],
        meta={
            "dateline": {"place": "PORT ELIN"},
            "genre": {
                "label": "reporting",
                "evidence": [
                    {
                        "feature": "dateline",
                        "value": True,
                        "weight": 0.8,
                        "spans": [["datelines", 0]],
                        "note": "news datelines are a reporting convention",
                    }
                ],
            },
        },
        removed=[Removed(kind="boilerplate", text="Share this article", raw_start=5, raw_end=23)],
    )
    article.layers["paragraphs"][0].label = "title"
    add(article, "datelines", "PORT ELIN", "dateline", place="PORT ELIN")
    add(article, "entities", "PORT ELIN", "GPE", entity="c1")
    add(article, "entities", "Mara Okonkwo", "PERSON", entity="c0")
    add(article, "entities", "Coastal Safety Board", "ORG", entity="c2")
    add(article, "quantities", "14 people", "quantity", value=14, unit="people")
    add(article, "disclaimers", "The views expressed in this article are the author's own.", "d")
    article.clusters = [
        Cluster(id="c0", label="PERSON", name="Mara Okonkwo", mentions=[1], variants={"x": 1}),
        Cluster(id="c1", label="GPE", name="Port Elin", mentions=[0], variants={"PORT ELIN": 1}),
        Cluster(id="c2", label="ORG", name="Coastal Safety Board", mentions=[2], variants={}),
    ]
    article.check()
    return article


# -- completeness -----------------------------------------------------------------------------
def test_report_is_one_document_without_external_resources(ferry: Article) -> None:
    html = render_report([ferry], generated_at=GENERATED)
    doc = parse(html)
    assert html.startswith("<!doctype html>")
    assert not doc.xpath("//link | //iframe | //img | //script[@src] | //*[@srcset]")
    assert len(doc.xpath("//script")) == 1
    assert "http-equiv" in html and "default-src 'none'" in html


def test_csp_allows_exactly_our_inline_script(ferry: Article) -> None:
    doc = parse(render_report([ferry], generated_at=GENERATED))
    (script,) = doc.xpath("//script")
    digest = base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()
    (csp,) = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert f"script-src 'sha256-{digest}'" in csp


def test_header_summarises_corpus_and_failed_inputs(ferry: Article) -> None:
    other = make_article("Council approves budget.", outlet="Valley Post")
    errors = [{"code": "P101", "type": "InputError", "where": "a.bin", "message": "m", "hint": ""}]
    doc = parse(render_report([ferry, other], errors=errors, generated_at=GENERATED))
    numbers = dict(
        zip(
            doc.xpath("//dl[@class='summary']//dt/text()"),
            doc.xpath("//dl[@class='summary']//dd/text()"),
            strict=True,
        )
    )
    assert numbers == {"Articles": "2", "Outlets": "2", "Genres": "2", "Failed inputs": "1"}
    assert GENERATED in doc.text_content()


def test_table_of_contents_has_one_row_per_article(ferry: Article) -> None:
    untitled = make_article("One two three four five six seven eight nine ten eleven twelve.")
    doc = parse(render_report([ferry, untitled], generated_at=GENERATED))
    rows = doc.xpath("//table[@class='toc']/tbody/tr")
    assert len(rows) == 2
    assert [c.text_content() for c in rows[0].xpath("td")] == [
        "1",
        "Ferry inquiry disputed",
        "Harbour Gazette",
        "2026-03-14",
        "reporting",
    ]
    assert (
        rows[1].xpath("td")[1].text_content() == "One two three four five six seven eight nine ten…"
    )
    assert rows[0].xpath(".//a/@href") == ["#a1"]
    assert doc.xpath("//article[@id='a1']")


def test_article_metadata_clusters_evidence_and_removed_text(ferry: Article) -> None:
    doc = parse(render_report([ferry], generated_at=GENERATED))
    (article,) = doc.xpath("//article[@id='a1']")
    meta = article.xpath(".//dl[@class='meta']")[0].text_content()
    for expected in (ferry.id, "Harbour Gazette", "2026-03-14", "header", "Ilse Brandt"):
        assert expected in meta
    assert "PORT ELIN" in meta and "demo/corpus/ferry.txt" in meta
    assert article.xpath(".//a[@href='https://harbour.example/ferry']")
    clusters = article.xpath(".//details[@class='clusters']")[0].text_content()
    assert "Port Elin" in clusters and "PORT ELIN ×1" in clusters
    evidence = article.xpath(".//details[@class='evidence']")[0]
    assert "news datelines are a reporting convention" in evidence.text_content()
    assert evidence.xpath(".//a/@href") == ["#a1-datelines-0"]
    assert doc.xpath("//mark[@id='a1-datelines-0']")
    removed = article.xpath(".//details[@class='removed']")[0].text_content()
    assert "Removed by normalisation" in removed
    assert "Share this article" in removed and "5–23" in removed


def test_genre_evidence_with_offsets_scores_and_direction() -> None:
    article = make_article("Why? I think so.")
    article.meta["genre"] = {
        "label": "opinion",
        "scores": {"reporting": 0.5, "opinion": 3.25},
        "evidence": [
            {
                "feature": "first_person",
                "value": 1,
                "weight": 1.0,
                "towards": "opinion",
                "contribution": 1.0,
                "spans": [[5, 6], [0, 4]],
                "note": "first person",
            },
            {"feature": "question", "spans": [0, 4]},  # one pair on its own
        ],
    }
    doc = parse(render_report([article], generated_at=GENERATED))
    rows = doc.xpath("//details[@class='evidence']//tbody/tr")
    cells = [td.text_content() for td in rows[0].xpath("td")]
    assert cells == ["first_person", "opinion", "1", "+1.00", "+1.00", "“I”“Why?”", "first person"]
    assert rows[1].xpath("td")[5].text_content() == "“Why?”"
    assert (
        "scores: reporting 0.50 · opinion 3.25"
        in doc.xpath("//dl[@class='meta']")[0].text_content()
    )


def test_errors_are_listed_with_code_where_message_and_hint() -> None:
    error = {
        "code": "P104",
        "type": "InputError",
        "where": "feeds/x.xml:212",
        "message": "<item> has no <link>",
        "hint": "pass --id-from title",
    }
    doc = parse(render_report([], errors=[error], generated_at=GENERATED))
    (row,) = doc.xpath("//table[@class='errors']/tbody/tr")
    shown = row.text_content()
    for value in error.values():
        assert value in shown


def test_bidi_overrides_in_file_names_are_shown_not_obeyed() -> None:
    """A right-to-left override in a file name made "note_\u202eexe.txt" display as
    "note_txt.exe" in the Source line and the failed-inputs table."""
    art = make_article("The ferry ran.", source="bidi/note_\u202eexe.txt")
    error = {"code": "P105", "type": "InputError", "where": "bidi/failed_\u202eexe.txt",
             "message": "empty", "hint": "fill it"}  # fmt: skip
    html = render_report([art], errors=[error], generated_at=GENERATED)
    assert "\u202e" not in html
    assert html.count("⟨U+202E⟩exe.txt") == 2


def test_empty_corpus_renders() -> None:
    doc = parse(render_report([], generated_at=GENERATED))
    assert "No articles." in doc.text_content()
    assert "No failed inputs." in doc.text_content()


# -- highlighting -----------------------------------------------------------------------------
def test_text_round_trips_through_the_markup(ferry: Article) -> None:
    doc = parse(render_report([ferry], generated_at=GENERATED))
    assert text_of(doc) == ferry.text


def test_title_paragraph_renders_as_heading(ferry: Article) -> None:
    doc = parse(render_report([ferry], generated_at=GENERATED))
    (heading,) = doc.xpath("//div[@class='text']/h3")
    assert heading.text_content() == "Ferry inquiry disputed"
    assert len(doc.xpath("//div[@class='text']/p")) == 3


def test_entity_highlight_is_coloured_by_label_and_titled_with_cluster_name(
    ferry: Article,
) -> None:
    doc = parse(render_report([ferry], generated_at=GENERATED))
    (person,) = doc.xpath("//mark[@data-layer='entities'][@data-label='PERSON']")
    assert {"hl", "l-entities", "t-PERSON"} <= set(person.get("class").split())
    assert person.get("title").startswith("Mara Okonkwo (PERSON)")
    assert person.get("data-index") == "1"
    assert "mark.hl.l-entities.t-PERSON" in doc.xpath("//style")[0].text


def test_overlapping_spans_from_two_layers_nest_without_duplicating_text(
    ferry: Article,
) -> None:
    doc = parse(render_report([ferry], generated_at=GENERATED))
    # "PORT ELIN" is both a dateline and a GPE entity: one text node, two marks around it.
    (inner,) = doc.xpath("//mark[@data-layer='entities']/mark[@data-layer='datelines']")
    assert inner.text == "PORT ELIN"
    assert "d1" in inner.get("class").split()
    assert text_of(doc).count("PORT ELIN") == 1


def test_crossing_spans_split_only_the_later_one() -> None:
    article = make_article("Officials said 14 people died in the harbour.")
    add(article, "quantities", "14 people died", "quantity")
    add(article, "attributions", "said 14 people", "direct")
    doc = parse(render_report([article], generated_at=GENERATED))
    assert text_of(doc) == article.text
    assert [m.text_content() for m in marks(doc, "attributions")] == ["said 14 people"]
    assert [m.text_content() for m in marks(doc, "quantities")] == ["14 people", " died"]
    first, second = marks(doc, "quantities")
    assert "more" in first.get("class") and "cont" in second.get("class")
    assert first.get("id") == "a1-quantities-0" and second.get("id") is None


def test_nested_span_stays_one_element_inside_the_outer_one() -> None:
    article = make_article("The Coastal Safety Board said so.")
    add(article, "attributions", "The Coastal Safety Board said so.", "direct")
    add(article, "entities", "Coastal Safety Board", "ORG")
    doc = parse(render_report([article], generated_at=GENERATED))
    (outer,) = marks(doc, "attributions")
    (inner,) = outer.xpath("mark[@data-layer='entities']")
    assert outer.text_content() == article.text and inner.text == "Coastal Safety Board"


def test_spans_at_and_across_paragraph_boundaries() -> None:
    article = make_article("First paragraph.\n\nSecond paragraph.")
    add(article, "claims", "First paragraph.", "claim")  # exactly one whole paragraph
    start, _ = at(article, "paragraph.")
    _, end = at(article, "Second")
    article.add("techniques", article.span(start, end, "loaded"))  # crosses the blank line
    doc = parse(render_report([article], generated_at=GENERATED))
    assert text_of(doc) == article.text
    paragraphs = doc.xpath("//div[@class='text']/p")
    assert [p.text_content() for p in paragraphs] == ["First paragraph.", "Second paragraph."]
    assert [m.text_content() for m in marks(doc, "claims")] == ["First paragraph."]
    pieces = marks(doc, "techniques")
    assert [m.text_content() for m in pieces] == ["paragraph.", "Second"]
    assert {m.get("data-index") for m in pieces} == {"0"}


def test_empty_layers_and_empty_spans_render_nothing_but_keep_a_toggle() -> None:
    article = make_article("Nothing to see here.")
    article.layers["quantities"] = []
    article.add("timexes", article.span(3, 3, "DATE"))
    doc = parse(render_report([article], generated_at=GENERATED))
    assert text_of(doc) == article.text
    assert not doc.xpath("//mark")
    assert doc.xpath("//input[@data-toggle-layer='quantities']")


def test_article_without_paragraphs_renders_as_one_paragraph() -> None:
    article = make_article("Line one.\nLine two.\n\nLine three.", paragraphs=False)
    add(article, "entities", "Line two", "ORG")
    doc = parse(render_report([article], generated_at=GENERATED))
    (paragraph,) = doc.xpath("//div[@class='text']/p")
    assert paragraph.text_content() == article.text


def test_overlapping_paragraphs_and_uncovered_text_are_shown_once() -> None:
    article = Article(text="Alpha beta. Gamma delta. Tail")
    article.add("paragraphs", article.span(0, 11, "paragraph"))
    article.add("paragraphs", article.span(6, 24, "paragraph"))  # overlaps the first
    doc = parse(render_report([article], generated_at=GENERATED))
    assert text_of(doc) == article.text
    assert doc.xpath("//div[@class='text']/p[contains(@class, 'gap')]")[0].text_content() == (
        " Tail"
    )


def test_a_toggle_checkbox_for_each_highlight_layer(ferry: Article) -> None:
    ferry.add("sentences", ferry.span(0, 10, "sentence"))
    html = render_report([ferry], generated_at=GENERATED)
    doc = parse(html)
    toggles = doc.xpath("//input[@type='checkbox']/@data-toggle-layer")
    assert toggles == ["entities", "datelines", "disclaimers", "quantities"]
    assert all(doc.xpath("//input[@type='checkbox']/@checked"))  # highlighted without JS
    for layer in toggles:
        assert f"body.hide-{layer} mark.hl.l-{layer}" in html


def test_layer_names_are_sanitised_in_class_names() -> None:
    article = make_article("Some text here.")
    add(article, 'bad"><script>alert(1)</script>', "Some", "x")
    add(article, "bad_script_alert_1_script", "text", "x")  # would collide once sanitised
    doc = parse(render_report([article], generated_at=GENERATED))
    toggles = doc.xpath("//input[@type='checkbox']/@data-toggle-layer")
    assert len(set(toggles)) == 2
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", t) for t in toggles)


@given(
    text=st.text(alphabet=st.sampled_from("ab <>&\"'\n–é"), max_size=60),
    cuts=st.lists(
        st.tuples(st.sampled_from(["entities", "quantities", "paragraphs"]), st.integers(0, 60)),
        max_size=12,
    ),
)
@settings(max_examples=150, deadline=None)
def test_any_layout_of_spans_keeps_the_text_exact(text: str, cuts: list[tuple[str, int]]) -> None:
    text = text.replace("\r", "")
    article = Article(text=text)
    for i, (layer, offset) in enumerate(cuts):
        start = min(offset, len(text))
        end = min(start + (i * 7) % 13, len(text))
        article.add(layer, article.span(start, end, "X"))
    body = render_article_text(article)
    html = f"<!doctype html><div class='text' data-article='1'>{body}</div>"
    assert text_of(parse(html)) == text


@given(
    words=st.lists(st.sampled_from(["ab", "c", "déf", "\n\n", "g h"]), min_size=1, max_size=40),
    cuts=st.lists(
        st.tuples(st.sampled_from(["entities", "quantities", "claims"]), st.integers(0, 120)),
        max_size=25,
    ),
)
@settings(max_examples=150, deadline=None)
def test_every_span_is_marked_exactly_across_paragraphs(
    words: list[str], cuts: list[tuple[str, int]]
) -> None:
    """Each block gets the highlights that reach it by one sweep (a scan of every highlight
    per paragraph made long articles quadratic); a span inside one paragraph is marked as
    exactly its text, and one across paragraphs loses only the blank lines between them."""
    text = "ab " + " ".join(words) + " c"  # a text of blank lines alone has no paragraph
    article = make_article(text)
    for i, (layer, offset) in enumerate(cuts):
        start = min(offset, len(text))
        end = min(start + 1 + (i * 11) % 37, len(text))
        if end > start:
            article.add(layer, article.span(start, end, "X"))
    html = f"<!doctype html><div class='text' data-article='1'>{render_article_text(article)}</div>"
    doc = parse(html)
    for layer in ("entities", "quantities", "claims"):
        for i, span in enumerate(article.layer(layer)):
            shown = "".join(
                str(m.text_content())
                for m in doc.xpath(f'//mark[@data-layer="{layer}"][@data-index="{i}"]')
            )
            assert shown == span.text.replace("\n", "")  # blank lines are not marked


# -- escaping ---------------------------------------------------------------------------------
HOSTILE = '<script>alert(1)</script> and "><img src=x onerror=alert(1)> end'


@pytest.fixture
def hostile() -> Article:
    text = f"Headline <b>bold</b>\n\nBody {HOSTILE}\n\nMore & more."
    article = make_article(
        text,
        title="<script>alert('title')</script>",
        outlet='<img src=x onerror=alert("outlet")>',
        url="javascript:alert(1)",
        source='"><svg onload=alert(1)>',
        authors=["<b onmouseover=alert(1)>author</b>"],
        meta={
            "dateline": {"place": "<i>PLACE</i>"},
            "genre": {
                "label": "<script>alert('genre')</script>",
                "evidence": [
                    {"feature": "<u>f</u>", "value": "<img src=x>", "note": "</td><script>"}
                ],
            },
            "extra": "<iframe src=x></iframe>",
        },
        removed=[Removed(kind="<k>", text="<script>alert(2)</script>", raw_start=0, raw_end=1)],
    )
    add(article, "entities", "<script>", "<PERSON onclick=x>", entity='"><script>')
    add(article, "quantities", '"><img', "q", note="<script>alert(3)</script>")
    article.clusters = [
        Cluster(
            id='"><script>',
            label="<L>",
            name="<script>alert('cluster')</script>",
            mentions=[0],
            variants={"<img src=x onerror=alert(1)>": 1},
        )
    ]
    return article


def test_hostile_article_is_escaped_everywhere(hostile: Article) -> None:
    errors = [
        {
            "code": "<P1>",
            "type": "<script>alert('type')</script>",
            "where": '"><img src=x onerror=alert(1)>',
            "message": "<script>alert('message')</script>",
            "hint": "<a href='javascript:alert(1)'>fix</a>",
        }
    ]
    html = render_report(
        [hostile], title="<script>alert('report')</script>", errors=errors, generated_at="<now>"
    )
    assert "<script>alert" not in html
    assert "<img" not in html and "<svg" not in html and "<iframe" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    doc = parse(html)
    assert len(doc.xpath("//script")) == 1
    assert not doc.xpath("//img | //svg | //iframe | //b | //i | //u")
    assert not [name for el in doc.iter() for name in el.attrib if name.lower().startswith("on")]
    assert not [href for href in doc.xpath("//@href") if not href.startswith(("#", "http"))]
    assert text_of(doc) == hostile.text
    assert "javascript:alert(1)" in doc.xpath("//dl[@class='meta']")[0].text_content()


def test_hostile_attrs_stay_inside_their_attribute(hostile: Article) -> None:
    doc = parse(render_report([hostile], generated_at=GENERATED))
    (quantity,) = marks(doc, "quantities")
    assert quantity.get("title") == "quantities: q · note=<script>alert(3)</script>"
    (entity,) = marks(doc, "entities")
    assert entity.get("title").startswith("<script>alert('cluster')</script>")
    assert entity.get("data-label") == "<PERSON onclick=x>"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("https:relative", None),
        ("//example.org/x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_href_allows_only_absolute_http_urls(url: str | None, expected: str | None) -> None:
    assert safe_href(url) == expected


# -- summary ----------------------------------------------------------------------------------
def test_report_summary_counts_outlets_genres_and_layers(ferry: Article) -> None:
    second = make_article(
        "Another.", outlet="Harbour Gazette", meta={"genre": {"label": "opinion"}}
    )
    third = make_article("No outlet.")
    summary = report_summary([ferry, second, third])
    assert summary["articles"] == 3
    assert summary["outlets"] == {"Harbour Gazette": 2, "(unknown outlet)": 1}
    assert summary["genres"] == {"(no genre)": 1, "opinion": 1, "reporting": 1}
    assert summary["layers"]["entities"] == 3 and summary["layers"]["paragraphs"] == 6
    assert summary["first_date"] == summary["last_date"] == "2026-03-14"


def test_techniques_are_highlighted_listed_and_explained_with_text_escaped() -> None:
    article = make_article(
        'Title\n\nThe <b>evil</b> regime "lies" again.\n\nPrices rose 4% in 2020, officials said.'
    )
    add(
        article,
        "techniques",
        "<b>evil</b> regime",
        "Name_Calling-Labeling",
        confidence=0.71,
        explanation="Attaches a <label> to a person or group.",
    )
    add(article, "claims", "Prices rose 4% in 2020, officials said.", "claim", score=0.83)
    html = render_report([article], generated_at=GENERATED)
    assert "<b>evil</b>" not in html
    doc = parse(html)
    assert text_of(doc) == article.text
    (mark,) = marks(doc, "techniques")
    assert mark.get("title") == (
        "Name Calling-Labeling (confidence 0.71): Attaches a <label> to a person or group."
    )
    (section,) = doc.xpath("//details[@class='techniques']")
    summary = section.xpath("./summary")[0].text_content()
    assert "Persuasion techniques (1;" in summary and "per 1,000 words" in summary
    row = section.xpath(".//tbody/tr")[0]
    cells = [td.text_content() for td in row.xpath("./td")]
    assert cells == [
        "Name Calling-Labeling",
        "<b>evil</b> regime",
        "0.71",
        "Attaches a <label> to a person or group.",
    ]
    assert row.xpath(".//a/@href") == ["#a1-techniques-0"]
    assert doc.xpath("//*[@id='a1-techniques-0']")
    (claims,) = doc.xpath("//details[@class='claims']")
    assert "0.83" in claims.text_content()


def test_article_without_techniques_layer_has_no_techniques_section(ferry: Article) -> None:
    doc = parse(render_report([ferry], generated_at=GENERATED))
    assert not doc.xpath("//details[@class='techniques']")


def test_removed_control_characters_are_shown_as_code_points() -> None:
    article = make_article(
        "Fees were unchanged.",
        removed=[Removed(kind="control", text="\u202e\x00\ufeff", raw_start=5, raw_end=8)],
    )
    html = render_report([article], generated_at=GENERATED)
    assert "\u202e" not in html and "\x00" not in html and "\ufeff" not in html
    assert "⟨U+202E⟩⟨U+0000⟩⟨U+FEFF⟩" in html


def test_numbers_are_listed_with_what_they_count_when_and_on_whose_word() -> None:
    article = make_article(
        "Title\n\nThe <i>bureau</i> dismantled 310 cells since 2015, the bureau said. About 40 "
        "boats were seized."
    )
    add(article, "entities", "<i>bureau</i>", "ORG", entity="c0")
    since = add(article, "timexes", "2015", "DATE", value="2015")
    said = add(article, "attributions", "310 cells since 2015", "indirect", source=0)
    add(article, "sources", "the bureau", "source")
    article.layers["attributions"][said].attrs["speaker"] = "c0"
    counted = article.text.index("cells")
    add(article, "quantities", "310", "count", value=310, time=since, time_prep="since",
        counted=[counted, counted + 5], source={"attribution": said})  # fmt: skip
    add(article, "quantities", "About 40", "count", value=40, approx="about")
    article.clusters = [
        Cluster(id="c0", label="ORG", name="<i>bureau</i>", mentions=[0], variants={})
    ]
    article.check()
    html = render_report([article], generated_at=GENERATED)
    assert "<i>bureau</i>" not in html
    doc = parse(html)
    (section,) = doc.xpath("//details[@class='numbers']")
    rows = [[td.text_content() for td in tr.xpath("./td")] for tr in section.xpath(".//tbody/tr")]
    assert rows == [
        ["310", "cells", "since 2015", "<i>bureau</i>"],
        ["About 40", "count", "—", "not attributed"],
    ]
    for href in section.xpath(".//a/@href"):
        assert doc.xpath(f"//*[@id='{href[1:]}']")
