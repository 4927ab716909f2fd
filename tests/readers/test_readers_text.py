"""Plain-text reading and normalisation: headers, headline, boilerplate, dateline, disclaimers."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import RawDocument, normalise, read_articles, read_sources
from presslens.settings import Settings

SETTINGS = Settings()


def read_one(tmp_path: Path, content: str | bytes, name: str = "a.txt") -> Article:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    items = list(read_articles([str(path)], SETTINGS))
    assert len(items) == 1, items
    assert isinstance(items[0], Article), items[0]
    items[0].check()
    return items[0]


def raw_of(path: Path) -> str:
    (doc,) = read_sources([str(path)], SETTINGS)
    assert isinstance(doc, RawDocument)
    return doc.raw


BODY = "The council met on Tuesday and approved the plan.\n\nIt will take effect next year.\n"


# -- headers ------------------------------------------------------------------------------
def test_date_header_sets_published_and_rest_of_line_stays_in_body(tmp_path: Path) -> None:
    art = read_one(tmp_path, " date 2021-03-01 Spread the love\n\n" + BODY)
    assert art.published is not None
    assert art.published.date == date(2021, 3, 1)
    assert art.published.source == "header"
    assert "date 2021" not in art.text
    kinds = [(r.kind, r.text) for r in art.removed]
    assert ("header", "date 2021-03-01") in kinds
    assert ("boilerplate", "Spread the love") in kinds


def test_date_header_remainder_that_is_not_boilerplate_is_kept(tmp_path: Path) -> None:
    art = read_one(tmp_path, "date 2021-03-01 Breaking developments overnight\n\n" + BODY)
    assert art.text.startswith("Breaking developments overnight")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date: March 1, 2021", date(2021, 3, 1)),
        ("DATE: 1 March 2021", date(2021, 3, 1)),
        ("  date: Monday, March 1, 2021 10:32 AM", date(2021, 3, 1)),
        ("published 2021-03-01T08:00:00Z", date(2021, 3, 1)),
    ],
)
def test_date_header_formats(tmp_path: Path, line: str, expected: date) -> None:
    art = read_one(tmp_path, line + "\n" + BODY)
    assert art.published is not None and art.published.date == expected
    assert art.text.startswith("The council met")


def test_all_header_fields(tmp_path: Path) -> None:
    head = (
        "Title: Council approves plan\nurl https://news.example/a\nsource Example News\n"
        "Author: Ann Lee and Bo Chan\n\n"
    )
    art = read_one(tmp_path, head + BODY)
    assert art.title == "Council approves plan"
    assert art.url == "https://news.example/a"
    assert art.outlet == "Example News"
    assert art.authors == ["Ann Lee", "Bo Chan"]
    assert [r.kind for r in art.removed] == ["header"] * 4
    assert art.text.startswith("The council met")
    assert art.id == Article.make_id("https://news.example/a", head + BODY)


def test_capitalised_field_word_without_colon_is_body(tmp_path: Path) -> None:
    art = read_one(tmp_path, "Title IX rules were changed by the department this week.\n")
    assert art.text.startswith("Title IX rules")
    assert art.removed == []


def test_header_raw_offsets_recover_the_header(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("  Date: 2020-05-04\n" + BODY, encoding="utf-8")
    art = read_one(tmp_path, path.read_text(encoding="utf-8"))
    raw = raw_of(path)
    (header,) = [r for r in art.removed if r.kind == "header"]
    assert raw[header.raw_start : header.raw_end] == header.text == "Date: 2020-05-04"


# -- headline -----------------------------------------------------------------------------
def test_short_first_line_before_blank_line_is_headline_kept_in_text(tmp_path: Path) -> None:
    art = read_one(tmp_path, "Council approves plan: what changes\n\n" + BODY)
    assert art.title == "Council approves plan: what changes"
    first = art.layers["paragraphs"][0]
    assert first.label == "title" and first.text == art.title
    assert art.meta["title_span"] == [first.start, first.end]
    assert all(p.label == "paragraph" for p in art.layers["paragraphs"][1:])


@pytest.mark.parametrize(
    "first",
    [
        "The council met and approved it.",  # ends like a sentence
        "Here is what we know:",  # lead-in
        "Council approves plan",  # no blank line after (see body below)
    ],
)
def test_not_a_headline(tmp_path: Path, first: str) -> None:
    sep = "\n" if first == "Council approves plan" else "\n\n"
    art = read_one(tmp_path, first + sep + BODY)
    assert art.title is None
    assert "title_span" not in art.meta
    assert {p.label for p in art.layers["paragraphs"]} == {"paragraph"}


def test_headline_longer_than_setting_is_not_title(tmp_path: Path) -> None:
    art = read_one(tmp_path, "Word " * 50 + "\n\n" + BODY)
    assert art.title is None


# -- boilerplate --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "widget",
    [
        "Spread the love",
        "Share this article",
        "SHARE ON FACEBOOK",
        "📢 Share this article!",
        "Tweet",
        "Click to share on Twitter (Opens in new window)",
        "Subscribe to our newsletter",
        "Read more: Council plans new budget",
        "Advertisement",
        "Follow us on Twitter and Instagram",
        "Related articles",
        "Facebook Twitter WhatsApp Email",
    ],
)
def test_widget_line_removed_and_recoverable_from_raw(tmp_path: Path, widget: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"The council met on Tuesday.\n{widget}\nIt approved the plan.\n", "utf-8")
    art = read_one(tmp_path, path.read_text(encoding="utf-8"))
    assert widget not in art.text
    assert art.text == "The council met on Tuesday.\n\nIt approved the plan."
    (rem,) = art.removed
    assert rem.kind == "boilerplate" and rem.reason
    assert raw_of(path)[rem.raw_start : rem.raw_end] == widget


@pytest.mark.parametrize(
    "line",
    [
        "Share prices rose by five percent on Monday.",
        "Read more about the plan in the council's report.",
        "Follow the money, the prosecutor said.",
    ],
)
def test_sentences_mentioning_widget_words_are_kept(tmp_path: Path, line: str) -> None:
    art = read_one(tmp_path, f"{line}\n")
    assert art.text == line
    assert art.removed == []


def test_repeated_lines_of_one_outlet_are_removed(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(
            f"source Daily Example\n\nStory number {i} is about the council.\n\n"
            "Daily Example: news you can trust\n\nThe views expressed are the author's own.\n",
            encoding="utf-8",
        )
    (tmp_path / "other.txt").write_text(
        "source Other Paper\n\nDaily Example: news you can trust\n", encoding="utf-8"
    )
    items = list(read_articles([str(tmp_path)], SETTINGS))
    arts = {a.source.rsplit("/", 1)[-1]: a for a in items if isinstance(a, Article)}
    assert len(arts) == 4
    for i in range(3):
        art = arts[f"{i}.txt"]
        assert "news you can trust" not in art.text
        rem = [r for r in art.removed if r.kind == "repeated-line"]
        assert [r.text for r in rem] == ["Daily Example: news you can trust"]
        assert "The views expressed are the author's own." in art.text  # disclaimers stay
    assert "news you can trust" in arts["other.txt"].text  # another outlet: kept


def test_stock_sentences_repeated_across_articles_are_kept(tmp_path: Path) -> None:
    """Found by probing: "The company did not respond to a request for comment." in three
    stories was removed from all three as boilerplate; a tagline still goes."""
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(
            f"source Daily Example\n\nStory {i}: the plant will close in May.\n\n"
            "The company did not respond to a request for comment.\n\n"
            "Daily Example: news you can trust\n",
            encoding="utf-8",
        )
    for art in read_articles([str(tmp_path)], SETTINGS):
        assert isinstance(art, Article)
        assert "did not respond to a request for comment." in art.text
        assert [r.text for r in art.removed if r.kind == "repeated-line"] == [
            "Daily Example: news you can trust"
        ]


def test_repeated_lines_need_the_minimum_number_of_articles(tmp_path: Path) -> None:
    for i in range(2):
        (tmp_path / f"{i}.txt").write_text(f"Story {i}.\n\nA shared tagline\n", "utf-8")
    arts = [a for a in read_articles([str(tmp_path)], SETTINGS) if isinstance(a, Article)]
    assert all("A shared tagline" in a.text for a in arts)


# -- dateline -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("para", "place"),
    [
        ("Rabat – An ongoing dispute continues.", "Rabat"),
        ("WASHINGTON (Reuters) - The Senate voted on Monday.", "WASHINGTON"),
        ("PARIS, March 3 — Protesters gathered again.", "PARIS"),
        ("NEW YORK — Stocks fell sharply.", "NEW YORK"),
        ("The Hague – Judges ruled on Friday.", "The Hague"),
        ("Kabul, Afghanistan -- “We are safe,” he said.", "Kabul, Afghanistan"),
    ],
)
def test_dateline_found(tmp_path: Path, para: str, place: str) -> None:
    art = read_one(tmp_path, para + "\n\nSecond paragraph here.\n")
    d = art.meta["dateline"]
    assert d["place"] == place
    assert art.text[d["start"] : d["end"]] == place
    (span,) = art.layers["datelines"]
    assert span.attrs == {"place": place}
    assert span.start == 0 and span.text.startswith(place)
    assert para.startswith(span.text) and span.text[-1] in "–—-"
    assert art.text.startswith(para)  # kept in the text


@pytest.mark.parametrize(
    "para",
    [
        "Meanwhile – the council approved the plan.",
        "However – and this matters – nothing changed.",
        "Officials – The council approved it.",
        "John Smith – a local farmer – said he was pleased.",
        "In Rabat – A new plan was announced.",
        "The council met on Tuesday – It approved the plan.",
        "Rabat is a city – It is the capital.",
    ],
)
def test_dateline_not_found_in_ordinary_sentences(tmp_path: Path, para: str) -> None:
    art = read_one(tmp_path, para + "\n")
    assert "dateline" not in art.meta
    assert art.layers["datelines"] == []


def test_dateline_after_title(tmp_path: Path) -> None:
    art = read_one(tmp_path, "Council approves plan\n\nLONDON – The council met.\n")
    assert art.title == "Council approves plan"
    assert art.meta["dateline"]["place"] == "LONDON"


def test_dateline_only_in_first_body_paragraph(tmp_path: Path) -> None:
    art = read_one(tmp_path, "The council met.\n\nLONDON – The council met again.\n")
    assert art.layers["datelines"] == []


# -- disclaimers --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("para", "kind"),
    [
        (
            "The views expressed in this article belong to the author and do not necessarily "
            "reflect the editorial policy of the paper",
            "opinion",
        ),
        ("The views expressed in this article are the author's own.", "opinion"),
        (
            "Disclaimer: The opinions expressed in this piece do not necessarily reflect the "
            "position of this outlet.",
            "opinion",
        ),
        ("Opinions expressed by Example contributors are their own.", "opinion"),
        ("This article is satire.", "satire"),
        ("Editor's note: This story is a work of satire.", "satire"),
    ],
)
def test_disclaimer_marked_and_kept(tmp_path: Path, para: str, kind: str) -> None:
    art = read_one(tmp_path, "The council met on Tuesday.\n\n" + para + "\n")
    (span,) = art.layers["disclaimers"]
    assert span.text == para and span.attrs == {"kind": kind}
    assert art.text.endswith(para)


def test_disclaimer_words_inside_reporting_are_not_a_disclaimer(tmp_path: Path) -> None:
    art = read_one(
        tmp_path,
        "The council met.\n\nShe said the views expressed in the report belong to the author.\n",
    )
    assert art.layers["disclaimers"] == []


# -- whitespace, unicode, newlines --------------------------------------------------------
def test_whitespace_collapsed_and_lines_stripped(tmp_path: Path) -> None:
    art = read_one(tmp_path, "  The   council\tmet.  \n\n\n\n\t It  approved\u00a0it. \n")
    assert art.text == "The council met.\n\nIt approved it."


def test_single_newlines_make_paragraphs(tmp_path: Path) -> None:
    art = read_one(tmp_path, "One line.\nTwo line.\nThree line.\n")
    assert art.text == "One line.\n\nTwo line.\n\nThree line."
    assert [p.text for p in art.layers["paragraphs"]] == ["One line.", "Two line.", "Three line."]


def test_crlf_and_cr_newlines(tmp_path: Path) -> None:
    art = read_one(tmp_path, b"One line.\r\n\r\nTwo line.\rThree line.\r\n")
    assert art.text == "One line.\n\nTwo line.\n\nThree line."


def test_nfc_composes_and_maps_back(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Cafe\u0301 de\u0301bat.\n", encoding="utf-8")
    art = read_one(tmp_path, path.read_text(encoding="utf-8"))
    assert art.text == "Café débat."
    raw = raw_of(path)
    start, end = art.offsets.span_to_raw(0, len(art.text))
    assert raw[start:end] == "Cafe\u0301 de\u0301bat."


def test_typographic_quotes_and_dashes_kept(tmp_path: Path) -> None:
    line = "“It’s over,” she said — and ‘no’ – was final…"
    art = read_one(tmp_path, line + "\n")
    assert art.text == line


def test_bom_is_stripped(tmp_path: Path) -> None:
    art = read_one(tmp_path, b"\xef\xbb\xbfThe council met.\n")
    assert art.text == "The council met."


def test_legacy_encoding_detected(tmp_path: Path) -> None:
    # Long enough for detection to be unambiguous (short samples fit cp1250 as well).
    text = (
        "“Le conseil s’est réuni à Genève”, a déclaré le maire. Les élus ont approuvé le "
        "projet de loi très débattu, après une longue séance publique à l’hôtel de ville."
    )
    path = tmp_path / "a.txt"
    path.write_bytes((text + "\n").encode("cp1252"))
    (art,) = read_articles([str(path)], SETTINGS)
    assert isinstance(art, Article)
    assert art.text == text
    assert art.meta["encoding"] == "cp1252"


def test_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Genève “quoted”.\n".encode("cp1252"))
    (art,) = read_articles([str(path)], Settings(encoding="cp1252"))
    assert isinstance(art, Article) and art.text == "Genève “quoted”."


def test_empty_after_normalisation_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2021-03-01\nShare this article\n", "utf-8")
    (err,) = read_articles([str(tmp_path / "a.txt")], SETTINGS)
    assert isinstance(err, InputError) and err.code == "P117"
    doc = RawDocument(source="x", key="x", raw="Advertisement", format="text")
    with pytest.raises(InputError, match="P117"):
        normalise(doc, SETTINGS)


# -- offsets ------------------------------------------------------------------------------
MESSY = (
    "date 2021-03-01 Spread the love\r\n\r\n"
    "Rabat –  An   ongoing “dispute”\tcontinues.  \r\n"
    "Share on Facebook\r\n"
    "Cafe\u0301s closed\u00a0early, officials said.\r\n\r\n\r\n"
    "The views expressed in this article belong to the author.\r\n"
)


def test_offsets_of_spans_and_removed_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(MESSY.encode("utf-8"))
    raw = raw_of(path)
    art = read_one(tmp_path, MESSY.encode("utf-8"))
    for rem in art.removed:
        assert raw[rem.raw_start : rem.raw_end] == rem.text
    assert {r.text for r in art.removed} == {
        "date 2021-03-01",
        "Spread the love",
        "Share on Facebook",
    }
    verbatim = 0
    for spans in art.layers.values():
        for span in spans:
            rs, re_ = art.raw_span(span)
            if _verbatim(art, span.start, span.end):
                verbatim += 1
                assert raw[rs:re_] == span.text
    assert verbatim >= 3  # the dateline, the disclaimer and its paragraph


def test_a_byte_order_mark_inside_the_text_is_removed_and_recorded(tmp_path: Path) -> None:
    """Two .txt files joined with cat, and a mark pasted mid-word: U+FEFF stayed in the text
    ("\ufeffThe ferry", "coun\ufeffcil"), so the word and the paragraph start were not the
    ones written."""
    first = "\ufeffHarbour vote\n\nThe council met on Tuesday.\n"
    second = "\ufeffThe ferry ran late, said the coun\ufeffcil.\n"
    path = tmp_path / "joined.txt"
    path.write_bytes((first + second).encode("utf-8"))
    raw = raw_of(path)
    assert raw == (first + second)[1:]  # the file's own mark is gone when it is decoded
    (art,) = read_articles([str(path)], SETTINGS)
    assert isinstance(art, Article)
    art.check()
    assert art.text == (
        "Harbour vote\n\nThe council met on Tuesday.\n\nThe ferry ran late, said the council."
    )
    controls = [r for r in art.removed if r.kind == "control"]
    assert [raw[r.raw_start : r.raw_end] for r in controls] == ["\ufeff", "\ufeff"]
    assert all("U+FEFF" in r.reason for r in controls) and art.meta["controls_removed"] == 2
    for span in art.layers["paragraphs"]:
        assert art.text[span.start : span.end] == span.text
    i = art.text.index("The ferry")
    assert art.offsets.to_raw(i) == raw.index("The ferry")
    j = art.text.index("council.")
    assert raw[art.offsets.to_raw(j) : art.offsets.to_raw(j + 8, end=True)] == "coun\ufeffcil."
    k = art.text.index("cil.")
    assert raw[art.offsets.to_raw(k)] == "c" and art.offsets.to_raw(k) == raw.index("cil.")


def test_a_byte_order_mark_in_a_record_title_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"title": "\ufeffHarbour vote", "text": "\ufeffThe council met."}\n', "utf-8")
    (art,) = read_articles([str(path)], SETTINGS)
    assert isinstance(art, Article)
    assert (art.title, art.text) == ("Harbour vote", "The council met.")


def test_random_offsets_map_to_the_same_character(tmp_path: Path) -> None:
    art = read_one(tmp_path, MESSY.encode("utf-8"))
    raw = MESSY.replace("\ufeff", "")
    rng = random.Random(7)
    for _ in range(300):
        i = rng.randrange(len(art.text))
        if _verbatim(art, i, i + 1):
            r = raw[art.offsets.to_raw(i)]
            # equal-length pieces map position by position; a tab or no-break space may
            # have become a plain space there, every other character is the raw one
            assert r == art.text[i] or (r.isspace() and art.text[i].isspace())


def _verbatim(art: Article, start: int, end: int) -> bool:
    """Whether [start, end) lies in one offset piece of equal length with equal characters."""
    for ns, ne, rs, re_ in art.offset_map:
        if ns <= start and end <= ne:
            return ne - ns == re_ - rs
    return False


def test_long_whitespace_and_symbol_runs_stay_fast() -> None:
    """Stripping and widget matching are linear (a regex version was quadratic here)."""
    import time

    raw = "x" + " " * 200_000 + "y\n" + "—" * 100_000 + "\n"
    started = time.perf_counter()
    art = normalise(RawDocument(source="s", key="k", raw=raw, format="text"), SETTINGS)
    assert time.perf_counter() - started < 2.0
    assert art.text.startswith("x y\n\n—")


@pytest.mark.parametrize(
    ("value", "authors"),
    [
        ("Martin Luther King, Jr.", ["Martin Luther King, Jr."]),
        ("John Smith, Sr., Ann Lee", ["John Smith, Sr.", "Ann Lee"]),
        ("Henry Ford II, Bo Chen", ["Henry Ford II", "Bo Chen"]),
        ("By Ann Lee, Bo Chen and Cy Diaz", ["Ann Lee", "Bo Chen", "Cy Diaz"]),
        ("Ann Lee, Jrinski Kowal", ["Ann Lee", "Jrinski Kowal"]),
    ],
)
def test_a_name_suffix_stays_with_its_name(value: str, authors: list[str]) -> None:
    """Found by probing: "Martin Luther King, Jr." was two authors."""
    from presslens.readers.headers import split_authors

    assert split_authors(value) == authors


@pytest.mark.parametrize(
    ("value", "authors"),
    [
        ("Smith, John; Doe, Jane", ["Smith, John", "Doe, Jane"]),
        ("de la Cruz, Ana María; Müller, Jörg", ["de la Cruz, Ana María", "Müller, Jörg"]),
        ("Ann Lee; Bo Chen", ["Ann Lee", "Bo Chen"]),
        ("Smith, John; Jane Doe", ["Smith", "John", "Jane Doe"]),  # not every item a pair
        ("Smith, John", ["Smith", "John"]),  # a lone pair: nothing tells it from two names
    ],
)
def test_semicolons_keep_last_first_pairs_whole(value: str, authors: list[str]) -> None:
    """Found by probing: library-style "Smith, John; Doe, Jane" was four authors."""
    from presslens.readers.headers import split_authors

    assert split_authors(value) == authors


# -- header blocks as publishers write them (found by probing) -----------------------------
@pytest.mark.parametrize(
    "date_line",
    [
        "date: Nov. 24, 2026 10:00 a.m. ET",
        "Date: 24 Nov 2026 10:00 CET",
        "date: 2026-11-24 10:00:00+00",
        "date: 2026-11-24 (updated 2026-11-25)",
        "date: 2026-11-24 | 10:00",
    ],
)
def test_a_colon_date_header_takes_its_whole_line(tmp_path: Path, date_line: str) -> None:
    """The header block went on after the date only when the date filled the line: a time
    zone left "ET" in the body and the outlet and author lines after it with it."""
    head = f"title: Budget passes\n{date_line}\noutlet: Daily Planet\nauthor: Jane Doe\n\n"
    art = read_one(tmp_path, head + BODY)
    assert art.published is not None and art.published.date == date(2026, 11, 24)
    assert art.outlet == "Daily Planet" and art.authors == ["Jane Doe"]
    assert art.text.startswith("The council met")
    assert [r.kind for r in art.removed] == ["header"] * 4


def test_an_empty_header_value_does_not_end_the_block(tmp_path: Path) -> None:
    head = "title: Budget passes\nauthor:\ndate: 2026-11-24\noutlet: Coast News\n\n"
    art = read_one(tmp_path, head + BODY)
    assert art.authors == [] and art.outlet == "Coast News"
    assert art.published is not None and art.published.date == date(2026, 11, 24)
    assert art.text.startswith("The council met")


def test_unknown_keys_inside_a_header_block_are_headers(tmp_path: Path) -> None:
    head = (
        "title: Budget passes\nupdated: Nov. 25, 2026\nlanguage: en\n"
        "Last modified: 2026-11-25\noutlet: Coast News\n\n"
    )
    art = read_one(tmp_path, head + BODY)
    assert art.outlet == "Coast News" and art.text.startswith("The council met")
    reasons = [r.reason for r in art.removed]
    assert "updated header" in reasons and "last modified header" in reasons
    # An unknown key before the known ones waits for them.
    art = read_one(tmp_path, "Updated: 2026-11-25\noutlet: Coast News\n\n" + BODY)
    assert art.outlet == "Coast News" and art.text.startswith("The council met")


@pytest.mark.parametrize(
    "first",
    [
        "Note: this story has been corrected.",
        "Update: The council met again on Friday.",
        "WASHINGTON: The senator said the bill would pass.",
    ],
)
def test_unknown_key_lines_alone_stay_in_the_body(tmp_path: Path, first: str) -> None:
    art = read_one(tmp_path, first + "\n\n" + BODY)
    assert art.text.startswith(first)
    assert not [r for r in art.removed if r.kind == "header"]


def test_a_prose_paragraph_after_the_headers_is_not_a_header(tmp_path: Path) -> None:
    """A first paragraph "Source: officials … said …" became the outlet, and "Link: see the
    report below" the URL and the article's id."""
    body = (
        "Source: officials close to the talks said the deal was near.\n\n"
        "Link: see the report below\n\n" + BODY
    )
    art = read_one(tmp_path, "title: Talks resume\n\n" + body)
    assert art.outlet is None and art.url is None
    assert art.text.startswith("Source: officials close")
    assert "Link: see the report below" in art.text


def test_an_unreadable_header_date_is_kept_as_unparsed(tmp_path: Path) -> None:
    art = read_one(tmp_path, "date: 24/11/2026\noutlet: Coast News\n\n" + BODY)
    assert art.published is None
    assert art.meta["date_unparsed"] == "24/11/2026"
    assert art.outlet == "Coast News"


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-24 10:00:00+00",  # PostgreSQL timestamptz text
        "Tue, 24 Nov 2026 10:00:00 EST",
        "24 Nov 2026 10:00 CET",
        "Nov. 24, 2026 10:00 a.m. PDT",
        "Tue 24 Nov 2026 10.30 GMT",  # British style: a full stop in the time
    ],
)
def test_record_dates_with_zone_names_parse(value: str) -> None:
    """These were only ``meta.date_unparsed`` in JSONL and CSV records."""
    from presslens.readers.dates import parse_date

    assert parse_date(value) == date(2026, 11, 24)
    assert parse_date(value + " et al") is None


def test_a_byline_paragraph_names_the_authors_and_uncovers_the_dateline(tmp_path: Path) -> None:
    """Found by probing: a byline stayed in the text (its names became people of the story)
    and hid the dateline after it, which is only looked for in the first body paragraph."""
    content = (
        "Council passes budget\n\nBy Jane Doe and Omar Haddad, Reuters\n\n"
        "RABAT, Nov 24 (Reuters) - The council met on Tuesday and approved the plan.\n\n"
        "It will take effect next year.\n"
    )
    art = read_one(tmp_path, content)
    assert art.authors == ["Jane Doe", "Omar Haddad", "Reuters"]
    assert art.title == "Council passes budget"
    assert art.meta["dateline"]["place"] == "RABAT"
    (byline,) = [r for r in art.removed if r.kind == "byline"]
    assert byline.text == "By Jane Doe and Omar Haddad, Reuters"
    assert "Jane Doe" not in art.text
    # Header authors win; the byline line still leaves the text.
    art = read_one(tmp_path, "author: Ann Lee\n\nBy Ann Lee\n\n" + BODY)
    assert art.authors == ["Ann Lee"] and art.text.startswith("The council met")


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday, the council had agreed to the plan",
        "By the numbers",
        "By train and bus, thousands came to the city",
        "by Walter Murray, reporter",
    ],
)
def test_lines_opening_with_by_that_are_not_bylines(tmp_path: Path, line: str) -> None:
    art = read_one(tmp_path, "Council passes budget\n\n" + line + "\n\n" + BODY)
    assert art.authors == [] and line in art.text


@pytest.mark.parametrize(
    "first", ["Updated: Nov 24, 2026", "date 24/11/2026", "Monday, March 1, 2021", "24.11.2026"]
)
def test_a_date_line_is_not_the_headline(tmp_path: Path, first: str) -> None:
    art = read_one(tmp_path, first + "\n\n" + BODY)
    assert art.title is None and art.text.startswith(first)


def test_a_bare_field_name_with_no_value_keeps_the_block(tmp_path: Path) -> None:
    """Found by probing: "source   " (an exporter's empty field, no colon) ended the header
    block, and the title line after it stayed in the text."""
    art = read_one(tmp_path, "date 2025-06-03\nsource   \ntitle Landslide in Quorvan\n\n" + BODY)
    assert art.title == "Landslide in Quorvan" and art.outlet is None
    assert art.text.startswith("The council met")
    # Alone, the word is the body's.
    art = read_one(tmp_path, "Source\n\n" + BODY)
    assert art.text.startswith("Source")


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("24 November 2026", date(2026, 11, 24)),
        ("Published: Nov. 24, 2026", date(2026, 11, 24)),
        ("Tuesday, November 24, 2026 10:30 GMT", date(2026, 11, 24)),
    ],
)
def test_a_date_line_under_the_headline_is_the_publication_date(
    tmp_path: Path, line: str, day: date
) -> None:
    """Found by probing: a page saved as text kept its date under the headline and byline,
    yet the article had no date ("September" stayed XXXX-09) and the dateline after the date
    line was never looked for ("LONDON" became an entity of the story)."""
    content = (
        "NHS waiting lists hit a record\n\nBy Sarah Collins, Health Correspondent\n\n"
        f"{line}\n\nLONDON — Waiting lists rose in September, figures showed on Thursday.\n\n"
        "The minister said the figures were disappointing.\n"
    )
    art = read_one(tmp_path, content)
    assert art.published is not None
    assert (art.published.date, art.published.source, art.published.raw) == (
        day,
        "date-line",
        line,
    )
    assert art.meta["dateline"]["place"] == "LONDON"
    assert line in art.text  # the line stays: its date is a timex of the text


@pytest.mark.parametrize(
    "content",
    [
        # a date from the header wins
        "date: 2026-11-20\n\nCouncil passes budget\n\n24 November 2026\n\n" + BODY,
        # an "Updated" date is not the publication date
        "Council passes budget\n\nUpdated: 24 November 2026\n\n" + BODY,
        # a timeline whose sections are dates: the first is no publication date
        "How the crisis unfolded\n\n3 March 2020\n\nThe first case was found.\n\n"
        "11 March 2020\n\nThe WHO declared a pandemic.\n",
    ],
)
def test_date_lines_that_are_not_the_publication_date(tmp_path: Path, content: str) -> None:
    art = read_one(tmp_path, content)
    assert art.published is None or art.published.source != "date-line"


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        (
            "Reporting by Alex Lawler in London and Florence Tan in Singapore; Editing by "
            "Jason Neely",
            ["Alex Lawler", "Florence Tan"],
        ),
        (
            "(Reporting by Jane Doe; Additional reporting by Omar Haddad in Rabat; Writing by "
            "Ann Lee; Editing by Mark Potter)",
            ["Jane Doe", "Omar Haddad", "Ann Lee"],
        ),
        ("Associated Press writer Jane Doe contributed to this report.", ["Jane Doe"]),
        (
            "Jane Doe in Washington and Omar Haddad contributed reporting.",
            ["Jane Doe", "Omar Haddad"],
        ),
        ("(Editing by Jason Neely)", []),
    ],
)
def test_a_closing_credit_line_names_the_authors_and_leaves_the_text(
    tmp_path: Path, line: str, authors: list[str]
) -> None:
    """Found by probing: a wire story's "Reporting by …; Editing by …" line stayed in the text,
    so its reporters and editor were people of the story."""
    content = "Council passes budget\n\n" + BODY + "\n\nIt will take effect next year.\n\n" + line
    art = read_one(tmp_path, content)
    assert art.authors == authors
    (credits,) = [r for r in art.removed if r.kind == "credits"]
    assert credits.text == line
    assert line not in art.text and art.text.rstrip().endswith("next year.")


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by the council shows a rise in crime.",
        "The minister contributed to this report.",
        "Residents in the area contributed to the fund.",
        "Editing by hand was slow, the archivist said.",
    ],
)
def test_closing_lines_that_are_not_credits_stay(tmp_path: Path, line: str) -> None:
    content = "Council passes budget\n\n" + BODY + "\n\nIt will take effect next year.\n\n" + line
    art = read_one(tmp_path, content)
    assert line in art.text and not [r for r in art.removed if r.kind == "credits"]
