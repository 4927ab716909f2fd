"""Technique spans are cut where a reader expects a phrase to be cut (whole words, no dangling
preposition or conjunction, paired quotation marks), and each technique says whether the
words or the paragraph put it there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from presslens.cli import main
from presslens.model import Article
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.techniques import (
    _balanced_quotes,
    _models,
    _whole_words,
    extract_techniques,
    make_techniques_stage,
    span_edges,
    token_table,
)
from presslens.views.report import render_report
from presslens.views.technique_text import (
    PARAGRAPH_LEGEND,
    PARAGRAPH_MARK,
    certainty_text,
    certainty_words,
)

OPINION = (
    "This corrupt, treasonous regime keeps feeding us disgusting lies. "
    "These so-called experts are nothing but puppets of a criminal gang. "
    "Wake up, people! Our nation is being destroyed by shameless traitors.\n\n"
    "The ex-convict and his cronies spread their hateful propaganda through the state’s media."
)


def _tokens(text: str, spacy_stage: StageFn) -> tuple[Article, list[str]]:
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    return art, [tok.text for tok in art._doc]


def test_whole_words_never_cut_inside_a_hyphenated_or_possessive_word() -> None:
    text = "the experienced ex-convict and the state’s ‘bloody’ plots"
    cut = text.index("ex-") + 2  # "ex" | "-convict", as the tokenizer splits it
    assert text[slice(*_whole_words(text, text.index("the exp"), cut))] == (
        "the experienced ex-convict"
    )
    start = text.index("convict")
    assert text[slice(*_whole_words(text, start, start + 7))] == "ex-convict"
    state = text.index("state")
    assert text[slice(*_whole_words(text, state, state + 5))] == "state’s"
    # a closing quotation mark followed by a space joins nothing
    bloody = text.index("bloody")
    assert text[slice(*_whole_words(text, bloody, bloody + 6))] == "bloody"
    # spans that start or end on punctuation, and empty spans, stay as they are
    assert _whole_words(text, 0, 0) == (0, 0)
    mark = text.index("‘")
    assert _whole_words(text, mark, mark + 1) == (mark, mark + 1)
    dash = text.index("-")  # a hyphen inside a word is part of it
    assert text[slice(*_whole_words(text, dash, dash + 1))] == "ex-convict"
    # text without spaces (Chinese, a run-on URL) has no word edge within reach: unchanged
    run = "a" * 100
    assert _whole_words(run, 50, 55) == (50, 55)
    near = "b" * 10 + "-" + "c" * 100
    assert _whole_words(near, 3, 8) == (0, 8)  # the start's word edge is in reach, the end's not


def test_quotation_marks_are_paired() -> None:
    text = 'a campaign to “expose the lies” of him; he said “go” and "stay" now'
    start = text.index("campaign")
    assert text[slice(*_balanced_quotes(text, start, text.index("lies") + 4))] == (
        "campaign to “expose the lies”"
    )
    go = text.index("go”")
    assert text[slice(*_balanced_quotes(text, go - 1, go + 2))] == "“go”"  # takes its pair
    assert text[slice(*_balanced_quotes(text, go, go + 3))] == "“go”"  # from either side
    assert text[slice(*_balanced_quotes(text, go, go + 2))] == "go"  # nothing unpaired
    stay = text.index('stay"')
    assert text[slice(*_balanced_quotes(text, stay, stay + 5))] == '"stay"'  # straight: before
    assert _balanced_quotes(text, 0, 1) == (0, 1)


def test_span_edges_drop_dangling_function_words_but_never_a_content_word(
    spacy_stage: StageFn,
) -> None:
    text = "And they disguise their extremism through the internet."
    art, toks = _tokens(text, spacy_stage)
    t = token_table(art._doc, art.text)
    last = toks.index("through")  # the tagger's run spills one word past the phrase
    assert text[slice(*span_edges(t, 0, last, text))] == "they disguise their extremism"
    # the rules can be switched off one by one (how their effect was measured)
    none = span_edges(t, 0, last, text, frozenset())
    assert text[slice(*none)] == "And they disguise their extremism through"
    lead_only = span_edges(t, 0, last, text, frozenset({"leading"}))
    assert text[slice(*lead_only)] == "they disguise their extremism through"
    the = toks.index("the")
    assert text[slice(*span_edges(t, the - 2, the, text))] == "extremism"
    # a span of one content word keeps it, whatever the rules
    word = toks.index("extremism")
    assert text[slice(*span_edges(t, word, word, text))] == "extremism"


def test_stage_spans_are_whole_words_and_their_text(spacy_stage: StageFn) -> None:
    art = Article(text=OPINION, source="<test>")
    spacy_stage([art])
    make_techniques_stage(Settings())([art])
    art.check()
    spans = art.layer("techniques")
    assert spans
    for s in spans:
        assert s.text == art.text[s.start : s.end]
        assert not (s.start > 0 and art.text[s.start - 1].isalnum() and s.text[0].isalnum())
        assert not (s.end < len(art.text) and art.text[s.end].isalnum() and s.text[-1].isalnum())
        assert not s.text.endswith(("-", "’"))
        assert s.text.count("“") == s.text.count("”")


def test_basis_says_whether_the_words_or_the_paragraph_chose_the_technique(
    spacy_stage: StageFn,
) -> None:
    art = Article(text=OPINION, source="<test>")
    spacy_stage([art])
    span_model, label_model = _models()
    extract_techniques(art, span_model, label_model, paragraph_model=None)
    assert {s.attrs["basis"] for s in art.layer("techniques")} == {"span"}
    make_techniques_stage(Settings())([art])
    by_span: dict[tuple[int, int], list] = {}
    for s in art.layer("techniques"):
        by_span.setdefault((s.start, s.end), []).append(s)
    for group in by_span.values():
        first_choices = [s for s in group if s.attrs["basis"] == "span"]
        assert len(first_choices) <= 1, "one technique per span is the classifier's first choice"
        for s in group:
            if s.attrs["basis"] == "paragraph":
                # the words pointed elsewhere: the first choice outranks it
                assert s.attrs["runner_up"] != s.label
                if first_choices:
                    assert s.attrs["confidence"] <= first_choices[0].attrs["confidence"]
                    assert s.attrs["runner_up"] == first_choices[0].label


def test_certainty_text_marks_the_paragraph_classifier() -> None:
    assert certainty_text({"confidence": 0.261, "basis": "span"}) == "0.26"
    assert certainty_text({"confidence": 0.0, "basis": "paragraph", "paragraph_score": 0.42}) == (
        f"{PARAGRAPH_MARK} 0.42"
    )
    assert certainty_text({"confidence": 0.003, "basis": "paragraph"}) == "0.00"  # no score
    assert certainty_text({}) == "—"
    assert certainty_text({"confidence": True}) == "—"
    assert certainty_words({"confidence": 0.261}) == "confidence 0.26"
    assert certainty_words({"basis": "paragraph", "paragraph_score": 0.42}) == (
        "paragraph classifier 0.42"
    )
    assert certainty_words({}) == ""


def _article_with_two_techniques_on_one_span() -> Article:
    art = Article(text="They spread <b>lies</b> about us.", outlet="A", source="a.txt")
    art.ensure_id()
    common = {"explanation": "x", "quoted": False, "span_score": 0.5}
    art.add(
        "techniques",
        art.span(5, 23, "Loaded_Language", confidence=0.3, basis="span", **common),
    )
    art.add(
        "techniques",
        art.span(
            5,
            23,
            "Name_Calling-Labeling",
            confidence=0.0,
            basis="paragraph",
            paragraph_score=0.61,
            **common,
        ),
    )
    return art


def test_rhetoric_table_lists_a_span_once_and_explains_the_mark(tmp_path: Path) -> None:
    from presslens.cli_rhetoric import SAME_SPAN, _span_table, rhetoric_summary

    summary = rhetoric_summary([_article_with_two_techniques_on_one_span()])
    spans = summary["articles"][0]["spans"]
    assert [s["basis"] for s in spans] == ["span", "paragraph"]
    assert spans[1]["paragraph_score"] == 0.61
    console = Console(width=160, record=True)
    console.print(_span_table(spans))
    shown = " ".join(console.export_text().split())
    assert shown.count("spread <b>lies</b>") == 1 and SAME_SPAN in shown
    assert f"{PARAGRAPH_MARK} 0.61" in shown and "0.00" not in shown
    assert PARAGRAPH_LEGEND in shown
    console = Console(width=160, record=True)
    console.print(_span_table(spans[:1]))
    assert PARAGRAPH_MARK not in console.export_text()  # no legend without a marked row


def test_report_and_json_carry_the_basis(tmp_path: Path) -> None:
    art = _article_with_two_techniques_on_one_span()
    html = render_report([art], generated_at="fixed")
    assert f"{PARAGRAPH_MARK} 0.61" in html and PARAGRAPH_LEGEND.split(":")[1][:30] in html
    assert "(paragraph classifier 0.61)" in html  # the highlight's tooltip
    assert "<b>lies</b>" not in html  # article text stays escaped
    from presslens.store import open_store

    url = str(tmp_path / "p.db")
    store = open_store(url)
    store.upsert(art)
    store.close()
    result = CliRunner().invoke(main, ["rhetoric", "--store", url, "--json"])
    assert result.exit_code == 0, result.output
    spans = json.loads(result.stdout)["articles"][0]["spans"]
    assert [(s["basis"], s["paragraph_score"]) for s in spans] == [
        ("span", None),
        ("paragraph", 0.61),
    ]


@pytest.mark.slow
def test_examples_spans_end_on_whole_words(examples_dir: Path, spacy_stage: StageFn) -> None:
    for path in sorted(examples_dir.glob("*.txt")):
        art = Article(text=path.read_text(encoding="utf-8"), source=str(path))
        spacy_stage([art])
        make_techniques_stage(Settings())([art])
        for s in art.layer("techniques"):
            after = art.text[s.end : s.end + 2]
            assert not (after[:1] in "-’'" and after[1:2].isalnum()), (path.name, s.text, after)
