"""Statement rows (speaker → statement), the ``quotes`` command and the report's Statements."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import lxml.html
import pytest
from click.testing import CliRunner

from presslens import cli_attribution
from presslens.cli_attribution import register
from presslens.model import Article, Cluster
from presslens.store import open_store
from presslens.views import render_report
from presslens.views.quotes import UNRESOLVED, fold, quote_rows, speaker_matches

TEXT = (
    "“We will win,” Anna Koval said. "
    "Hassan Al-Khaṭāb argued that the port must stay open. "
    "It will rain, someone claimed."
)
HOSTILE = '"<script>alert(1)</script> [bold red]boom[/]," said <b>Mallory</b>. Then the wind rose.'


def _at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _attribute(
    art: Article,
    content: str,
    *,
    kind: str,
    cue: str | None,
    source: str | None,
    speaker: str | None,
    resolution: str,
    confidence: float | None = None,
) -> None:
    cue_i = art.add("cues", art.span(*_at(art.text, cue), "cue")) if cue else None
    source_i = art.add("sources", art.span(*_at(art.text, source), "source")) if source else None
    art.add(
        "attributions",
        art.span(
            *_at(art.text, content),
            kind,
            kind=kind,
            cue=cue_i,
            source=source_i,
            speaker=speaker,
            resolution=resolution,
            rule="test",
            **({} if confidence is None else {"confidence": confidence}),
        ),
    )


def _cluster(cid: str, name: str) -> Cluster:
    return Cluster(id=cid, label="PERSON", name=name, mentions=[], variants={name: 1})


@pytest.fixture
def article() -> Article:
    art = Article(text=TEXT, source="t.txt", outlet="Harbour Gazette", title="Port").ensure_id()
    art.clusters += [_cluster("e1", "Anna Koval"), _cluster("e2", "Hassan Al-Khaṭāb")]
    # Added out of text order: rows come back in text order.
    _attribute(
        art,
        "that the port must stay open",
        kind="indirect",
        cue="argued",
        source="Hassan Al-Khaṭāb",
        speaker="e2",
        resolution="named",
        confidence=0.62,
    )
    _attribute(
        art,
        "“We will win,”",
        kind="direct",
        cue="said",
        source="Anna Koval",
        speaker="e1",
        resolution="named",
        confidence=0.97,
    )
    _attribute(
        art,
        "It will rain",
        kind="indirect",
        cue="claimed",
        source="someone",
        speaker=None,
        resolution="unresolved",
        confidence=0.41,
    )
    return art


def test_rows_name_the_speaker_cluster_in_text_order(article: Article) -> None:
    rows = quote_rows([article])
    assert [r["speaker"] for r in rows] == ["Anna Koval", "Hassan Al-Khaṭāb", "someone"]
    first = rows[0]
    assert first["text"] == "“We will win,”"
    assert article.text[first["start"] : first["end"]] == first["text"]
    assert (first["kind"], first["cue"], first["speaker_id"]) == ("direct", "said", "e1")
    assert first["index"] == 1 and first["article"] == article.id
    assert first["outlet"] == "Harbour Gazette"
    assert article.text[slice(*first["cue_span"])] == "said"
    assert article.text[slice(*first["source_span"])] == "Anna Koval"
    json.dumps(rows)


def test_unresolved_speaker_falls_back_to_source_then_unresolved(article: Article) -> None:
    rows = quote_rows([article])
    assert (rows[2]["speaker"], rows[2]["speaker_id"], rows[2]["resolution"]) == (
        "someone",
        None,
        "unresolved",
    )
    bare = Article(text="It will rain.", source="b.txt").ensure_id()
    bare.add("attributions", bare.span(0, 12, "epistemic", kind="epistemic"))
    (row,) = quote_rows([bare])
    assert row["speaker"] == UNRESOLVED
    assert (row["cue"], row["source"], row["cue_span"]) == (None, None, None)


def test_min_confidence_keeps_the_statements_that_reach_it(article: Article) -> None:
    rows = quote_rows([article])
    assert [r["confidence"] for r in rows] == [0.97, 0.62, 0.41]
    kept = quote_rows([article], min_confidence=0.62)
    assert [r["speaker"] for r in kept] == ["Anna Koval", "Hassan Al-Khaṭāb"]
    assert quote_rows([article], min_confidence=0.98) == []
    bare = Article(text="It will rain.", source="b.txt").ensure_id()
    bare.add("attributions", bare.span(0, 12, "epistemic", kind="epistemic"))
    assert quote_rows([bare])[0]["confidence"] is None  # analysed before it was recorded
    assert quote_rows([bare], min_confidence=0.0) == []


def test_dangling_references_are_treated_as_absent() -> None:
    art = Article(text="Yes, she said.", source="c.txt").ensure_id()
    art.add("attributions", art.span(0, 3, "direct", kind="direct", cue=7, source=3, speaker="e9"))
    (row,) = quote_rows([art])
    assert (row["speaker"], row["cue"]) == (UNRESOLVED, None)


@pytest.mark.parametrize(
    ("query", "speakers"),
    [
        ("koval", ["Anna Koval"]),
        ("ANNA", ["Anna Koval"]),
        ("al khatab", ["Hassan Al-Khaṭāb"]),  # accents and hyphen ignored
        ("khattab hassan", ["Hassan Al-Khaṭāb"]),  # word order and one doubled letter
        ("someone", ["someone"]),  # matches the source text of an unresolved statement
        ("nobody", []),
        ("", ["Anna Koval", "Hassan Al-Khaṭāb", "someone"]),
    ],
)
def test_speaker_filter_is_case_accent_and_spelling_insensitive(
    article: Article, query: str, speakers: list[str]
) -> None:
    assert [r["speaker"] for r in quote_rows([article], speaker=query)] == speakers


def test_fold_and_speaker_matches() -> None:
    assert fold("  Al-Khaṭāb,  Hassan ") == "al khatab hassan"
    assert speaker_matches("muller", "Thomas Müller")
    assert not speaker_matches("trump", "Donald Tramp")
    assert not speaker_matches("koval", None, "")


def test_articles_without_attributions_give_no_rows() -> None:
    assert quote_rows([Article(text="Nothing said.", source="d.txt").ensure_id()]) == []


# -- the command ------------------------------------------------------------------------------
def _cli() -> click.Group:
    @click.group()
    def main() -> None:
        """Test group."""

    @main.group("eval")
    def eval_group() -> None:
        """Test eval group."""

    register(main, eval_group)
    return main


def _hostile_article() -> Article:
    art = Article(text=HOSTILE, source="h.txt", outlet="[red]Outlet[/]").ensure_id()
    art.clusters.append(_cluster("e1", "<b>Mallory</b>"))
    _attribute(
        art,
        '"<script>alert(1)</script> [bold red]boom[/],"',
        kind="direct",
        cue="said",
        source="<b>Mallory</b>",
        speaker="e1",
        resolution="named",
    )
    return art


@pytest.fixture
def store_url(tmp_path: Path, article: Article) -> str:
    url = str(tmp_path / "p.db")
    store = open_store(url)
    store.upsert(article)
    store.upsert(_hostile_article())
    store.close()
    return url


def test_quotes_json_lists_every_statement_from_the_store(store_url: str) -> None:
    result = CliRunner().invoke(_cli(), ["quotes", "--store", store_url, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 4
    assert {r["speaker"] for r in rows} >= {"Anna Koval", "<b>Mallory</b>", "someone"}


def test_quotes_speaker_filter_on_the_command_line(store_url: str) -> None:
    args = ["quotes", "--store", store_url, "--speaker", "Al Khatab", "--json"]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["text"] == "that the port must stay open"


def test_quotes_min_confidence_on_the_command_line(store_url: str) -> None:
    args = ["quotes", "--store", store_url, "--min-confidence", "0.6", "--json"]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(r["confidence"] for r in rows) == [0.62, 0.97]
    bad = CliRunner().invoke(_cli(), ["quotes", "--store", store_url, "--min-confidence", "1.5"])
    assert bad.exit_code == 2 and "--min-confidence" in bad.output


def test_quotes_table_prints_article_text_literally(store_url: str, monkeypatch: Any) -> None:
    monkeypatch.setattr(cli_attribution.out, "width", 400)  # so rich does not wrap the cells
    result = CliRunner().invoke(_cli(), ["quotes", "--store", store_url])
    assert result.exit_code == 0, result.output
    assert "[bold red]boom[/]" in result.stdout  # never read as rich markup
    assert "4 statements by 4 speakers in 2 articles." in result.stdout


def test_quotes_bad_store_exits_3_with_the_message(tmp_path: Path) -> None:
    (tmp_path / "not-a-db").mkdir()
    result = CliRunner().invoke(_cli(), ["quotes", "--store", str(tmp_path / "not-a-db")])
    assert result.exit_code == 3
    assert "[P3" in result.stderr


def test_quotes_warns_when_no_article_has_attributions(tmp_path: Path) -> None:
    url = str(tmp_path / "p.db")
    store = open_store(url)
    store.upsert(Article(text="Nothing said here.", source="n.txt").ensure_id())
    store.close()
    result = CliRunner().invoke(_cli(), ["quotes", "--store", url, "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "no article has an attributions layer" in result.stderr


def test_quotes_help_has_examples() -> None:
    result = CliRunner().invoke(_cli(), ["quotes", "--help"])
    assert result.exit_code == 0 and "Examples:" in result.output


@pytest.mark.slow
def test_quotes_analyses_paths_without_storing(tmp_path: Path, monkeypatch: Any) -> None:
    pytest.importorskip(
        "presslens.stages.attributions", reason="the attribution stage is not written yet"
    )
    from presslens.eval.attribution import pipeline_assigns_attributions
    from presslens.pipeline import default_config

    if not pipeline_assigns_attributions(default_config()):
        pytest.skip("the default pipeline (default.toml) does not run the attribution stage yet")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "koval.txt"
    path.write_text('Koval wins\n\n"We will win," Anna Koval said.\n', encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["quotes", str(path), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert any(r["speaker"] == "Anna Koval" and "We will win" in r["text"] for r in rows)
    assert all(0.0 <= r["confidence"] <= 1.0 for r in rows)
    assert not (tmp_path / "presslens.db").exists()


# -- the report -------------------------------------------------------------------------------
def test_report_lists_statements_escaped(article: Article) -> None:
    html = render_report([article, _hostile_article()], generated_at="fixed")
    assert "<script>alert" not in html and "<b>Mallory" not in html
    doc = lxml.html.document_fromstring(html)
    sections = doc.xpath('//details[@class="statements"]')
    assert len(sections) == 2
    first_rows = sections[0].xpath(".//tbody/tr")
    assert [r.xpath("./td")[0].text_content().strip() for r in first_rows] == [
        "Anna Koval →",
        "Hassan Al-Khaṭāb →",
        "someone →",
    ]
    (link,) = first_rows[0].xpath(".//a")
    assert link.get("href") == "#a1-attributions-1"
    assert doc.xpath('//*[@id="a1-attributions-1"]')  # the highlight it points to exists
    hostile = sections[1].xpath(".//tbody/tr/td")
    assert hostile[0].text_content().strip() == "<b>Mallory</b> →"
    assert "<script>alert(1)</script>" in hostile[1].text_content()
    assert (hostile[2].text_content(), hostile[3].text_content()) == ("direct", "said")
    assert hostile[4].text_content() == "—"  # no confidence recorded
    confidences = [r.xpath('./td[@class="confidence"]')[0].text_content() for r in first_rows]
    assert confidences == ["0.97", "0.62", "0.41"]


def test_report_has_no_statements_section_without_the_layer() -> None:
    art = Article(text="Nothing said here.", source="n.txt").ensure_id()
    assert 'class="statements"' not in render_report([art], generated_at="fixed")
