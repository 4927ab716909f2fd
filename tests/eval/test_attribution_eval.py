"""BRAT reading and attribution scoring: hand-made spans, hand-made BRAT files, PolNeAR dev."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from presslens import cli_attribution
from presslens.cli_attribution import register
from presslens.errors import ConfigError, InputError
from presslens.eval.attribution import (
    Counts,
    consensus_annotation,
    eval_agreement,
    eval_attribution,
    load_polnear,
    majority_edges_spans,
    majority_spans,
    map_gold,
    match_overlap,
    pipeline_assigns_attributions,
    score_agreement,
    score_articles,
    score_by_confidence,
    score_consensus,
    score_spans,
    trim,
)
from presslens.eval.brat import GoldRelation, annotator_files, gold_files, parse_ann, read_ann
from presslens.model import Article, Cluster
from presslens.pipeline import default_config
from presslens.settings import Settings

POLNEAR_DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polnear" / "dev"

PAIR = (
    "T1\tSource 0 10\tAnna Koval\n"
    "T2\tCue 11 15\tsaid\n"
    "T3\tContent 16 40\tthat the bridge will open\n"
    "T4\tAttribution 11 15\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
)


# -- BRAT -------------------------------------------------------------------------------------
def test_brat_event_line_makes_one_relation_in_raw_offsets() -> None:
    (rel,) = parse_ann(PAIR)
    assert rel.as_dict() == {"source": (0, 10), "cue": (11, 15), "content": (16, 40)}
    assert rel.where == "<string>:5"


def test_brat_relation_without_source_has_none() -> None:
    text = "T1\tCue 0 4\tsaid\nT2\tContent 5 9\tyes\nT3\tAttribution-no-source 0 4\tsaid\n"
    text += "E1\tAttribution-no-source:T3 Cue:T1 Content:T2\n"
    (rel,) = parse_ann(text)
    assert rel.source is None
    assert (rel.cue, rel.content) == ((0, 4), (5, 9))


def test_brat_discontinuous_span_is_covered_and_keeps_fragments() -> None:
    text = PAIR.replace("Content 16 40", "Content 25 40;10 20")
    (rel,) = parse_ann(text)
    assert rel.content == (10, 40)
    assert rel.fragments["content"] == ((10, 20), (25, 40))


def test_brat_second_content_piece_joins_the_content() -> None:
    text = PAIR.replace(
        "E1\tAttribution:T4 Content:T3", "E1\tAttribution:T4 Content:T3 Content2:T5"
    )
    text += "T5\tContent 50 60\tmore words\n"
    (rel,) = parse_ann(text)
    assert rel.content == (16, 60)
    assert rel.fragments["content"] == ((16, 40), (50, 60))


def test_brat_surface_continued_on_next_line_and_notes_are_skipped() -> None:
    text = PAIR.replace("that the bridge will open\n", "that the bridge\n\nwill open\n")
    text += "#1\tAnnotatorNotes T3\tcheck this\nA1\tNegated T3\n"
    assert len(parse_ann(text)) == 1


def test_brat_non_attribution_events_and_loose_spans_are_ignored() -> None:
    text = PAIR + "T9\tDiscard 50 60\tRead more\nT10\tOther 0 3\tx\nE2\tOther:T10 Content:T3\n"
    assert len(parse_ann(text)) == 1


def test_brat_r_lines_link_spans_into_one_relation() -> None:
    text = "T1\tSource 0 10\tAnna Koval\nT2\tCue 11 15\tsaid\nT3\tContent 16 40\tx\n"
    text += "R1\tSource Arg1:T2 Arg2:T1\nR2\tContent Arg1:T2 Arg2:T3\n"
    (rel,) = parse_ann(text)
    assert rel.as_dict() == {"source": (0, 10), "cue": (11, 15), "content": (16, 40)}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("T5\tSource ten 20\tx", "TYPE START END"),
        ("T5\tSource 30 20\tx", "before its start"),
        ("E2\tAttribution:T4 Content:T99", "undefined span"),
        ("E2\tAttribution:T4 Content", "not ROLE:ID"),
        ("R1\tSource Arg1:T1", "Arg1:ID Arg2:ID"),
    ],
)
def test_brat_malformed_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "a_x.ann"
    path.write_text(PAIR + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        read_ann(path)
    assert info.value.where == f"{path}:6"
    assert info.value.hint


def test_brat_stray_text_not_after_a_t_line_is_an_error() -> None:
    with pytest.raises(InputError, match="not a BRAT annotation line") as info:
        parse_ann("E1\tAttribution:T1\nhello there\n", where="x.ann")
    assert info.value.where == "x.ann:2"


def test_gold_files_take_the_first_annotator_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b_zz.ann", "a_ef2d.ann", "a_4b22.ann", "b_aa.ann"):
        (tmp_path / name).write_text("")
    assert {k: v.name for k, v in gold_files(tmp_path).items()} == {
        "a": "a_4b22.ann",
        "b": "b_aa.ann",
    }


# -- pure scoring -----------------------------------------------------------------------------
def test_trim_drops_quotes_punctuation_and_space_at_the_edges() -> None:
    text = " “We will win,” Anna"
    assert text[slice(*trim(text, 0, 15))] == "We will win"
    assert trim(" : ", 0, 3) == (1, 2)  # only punctuation: keep it, drop the spaces
    start, end = trim(" \n ", 0, 3)
    assert end <= start


def test_exact_needs_equal_offsets_overlap_needs_one_shared_character() -> None:
    assert score_spans([(0, 10)], [(0, 9)], mode="exact") == Counts(tp=0, fp=1, fn=1)
    assert score_spans([(0, 10)], [(0, 9)], mode="overlap") == Counts(tp=1, fp=0, fn=0)
    assert score_spans([(0, 10)], [(10, 20)], mode="overlap") == Counts(tp=0, fp=1, fn=1)
    assert score_spans([(0, 10)], [(0, 10)], mode="exact") == Counts(tp=1)


def test_overlap_is_one_to_one() -> None:
    # One long prediction over two gold quotes: one hit, one miss.
    assert score_spans([(0, 10), (12, 20)], [(0, 20)], mode="overlap") == Counts(1, 0, 1)
    # Two predictions inside one gold span: one hit, one false alarm.
    assert score_spans([(0, 10)], [(0, 5), (5, 10)], mode="overlap") == Counts(1, 1, 0)


def test_overlap_greedy_prefers_the_pair_sharing_most() -> None:
    assert match_overlap([(0, 10), (8, 30)], [(5, 25)]) == [(1, 0)]
    assert match_overlap([(0, 10), (8, 30)], [(5, 25), (0, 6)]) == [(0, 1), (1, 0)]


def test_empty_sets_and_duplicates() -> None:
    empty = score_spans([], [], mode="overlap")
    assert empty == Counts() and (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)
    assert score_spans([(0, 4)], [], mode="exact") == Counts(0, 0, 1)
    assert score_spans([], [(0, 4)], mode="overlap") == Counts(0, 1, 0)
    assert score_spans([(0, 4), (0, 4)], [(0, 4), (0, 4)], mode="exact") == Counts(1, 0, 0)
    with pytest.raises(ValueError, match="unknown match mode"):
        score_spans([], [], mode="fuzzy")


def test_counts_precision_recall_f1() -> None:
    c = Counts(tp=2, fp=2, fn=0) + Counts(tp=1, fp=0, fn=3)
    assert c == Counts(3, 2, 3)
    assert (c.precision, c.recall) == (0.6, 0.5)
    assert c.f1 == pytest.approx(2 * 0.6 * 0.5 / 1.1)
    assert c.as_dict()["tp"] == 3


TEXT = "“We will win,” Anna Koval said. He added that taxes would fall, officials said."


def _at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _predicted_article() -> Article:
    art = Article(text=TEXT, source="t.txt").ensure_id()
    art.clusters.append(
        Cluster(id="e1", label="PERSON", name="Anna Koval", mentions=[], variants={})
    )
    src = art.add("sources", art.span(*_at(TEXT, "Anna Koval"), "source", entity="e1"))
    cue = art.add("cues", art.span(*_at(TEXT, "said"), "cue"))
    he = art.add("sources", art.span(*_at(TEXT, "He"), "source"))
    added = art.add("cues", art.span(*_at(TEXT, "added"), "cue"))
    attrs = {"rule": "test", "resolution": "named"}
    art.add(
        "attributions",
        art.span(0, 14, "direct", kind="direct", cue=cue, source=src, speaker="e1", **attrs),
    )
    art.add(
        "attributions",
        art.span(
            *_at(TEXT, "that taxes would fall"),
            "indirect",
            kind="indirect",
            cue=added,
            source=he,
            speaker=None,
            rule="test",
            resolution="unresolved",
        ),
    )
    return art


def test_score_articles_spans_relations_and_speakers() -> None:
    art = _predicted_article()
    gold = [
        GoldRelation(  # the quote, annotated without its closing comma and quote mark
            source=_at(TEXT, "Anna Koval"), cue=_at(TEXT, "said"), content=(0, 12)
        ),
        GoldRelation(  # same content, but the gold source is "officials": no relation match
            source=_at(TEXT, "officials"),
            cue=(TEXT.rindex("said"), TEXT.rindex("said") + 4),
            content=_at(TEXT, "taxes would fall"),
        ),
    ]
    r = score_articles([(art, map_gold(art, gold))])
    content = r["spans"]["content"]
    assert content["strict"]["tp"] == 0  # (0, 14) vs (0, 12)
    assert content["exact"]["tp"] == 1  # both trim to "We will win"
    assert content["overlap"]["tp"] == 2
    assert r["spans"]["source"]["exact"] == {
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }
    assert r["relations"]["tp"] == 1 and r["relations"]["fn"] == 1
    assert r["speakers"]["with_source"] == 2
    assert r["speakers"]["resolved_share"] == 0.5
    assert r["speakers"]["name_overlaps_gold"] == r["speakers"]["matched_gold_source"] == 1
    assert r["speakers"]["resolution"] == {"named": 1, "unresolved": 1}
    assert r["articles"] == 1 and r["gold_relations"] == 2 and r["predicted_attributions"] == 2


def test_confidence_bar_scores_only_the_statements_that_reach_it() -> None:
    art = _predicted_article()
    quote, reported = art.layer("attributions")
    quote.attrs["confidence"] = 0.9
    reported.attrs["confidence"] = 0.5
    gold = map_gold(
        art,
        [
            GoldRelation(source=_at(TEXT, "Anna Koval"), cue=_at(TEXT, "said"), content=(0, 12)),
            GoldRelation(
                source=_at(TEXT, "He"),
                cue=_at(TEXT, "added"),
                content=_at(TEXT, "taxes would fall"),
            ),
        ],
    )
    items = [(art, gold)]
    everything = score_articles(items)
    rows = score_by_confidence(items, [0.95, 0.6, 0.0, 0.6])
    assert [r["min_confidence"] for r in rows] == [0.0, 0.6, 0.95]  # sorted, once each
    assert [r["statements"] for r in rows] == [2, 1, 0]
    assert rows[0]["source_exact"] == everything["spans"]["source"]["exact"]
    # the bar drops the reported statement: its correct source and cue become misses
    assert rows[1]["source_exact"]["tp"] == 1 and rows[1]["source_exact"]["fn"] == 1
    assert rows[1]["cue_exact"]["fp"] == 0 and rows[1]["cue_exact"]["fn"] == 1
    assert rows[2]["relations"]["tp"] == 0 and rows[2]["relations"]["fn"] == 2
    # a statement without a confidence (analysed before it was recorded) fails any bar
    del quote.attrs["confidence"]
    assert score_articles(items, min_confidence=0.0)["predicted_attributions"] == 1


def test_relation_without_source_matches_only_a_prediction_without_source() -> None:
    art = Article(text=TEXT, source="t.txt").ensure_id()
    art.add("attributions", art.span(0, 14, "direct", kind="direct", source=None, cue=None))
    gold_none = [GoldRelation(source=None, cue=None, content=(0, 14))]
    gold_src = [GoldRelation(source=_at(TEXT, "Anna Koval"), cue=None, content=(0, 14))]
    assert score_articles([(art, gold_none)])["relations"]["tp"] == 1
    assert score_articles([(art, gold_src)])["relations"]["tp"] == 0


def test_no_articles_scores_zero_without_dividing_by_zero() -> None:
    r = score_articles([])
    assert r["relations"]["f1"] == 0.0 and r["speakers"]["resolved_share"] == 0.0


def test_map_gold_follows_the_offset_map_and_counts_removed_text_as_lost() -> None:
    # Raw input had a 12-character header line that normalisation removed.
    art = Article(text=TEXT, source="t.txt", offset_map=[(0, len(TEXT), 12, 12 + len(TEXT))])
    raw = parse_ann(
        "T1\tContent 12 24;5 8\tx\nT2\tAttribution 0 1\tx\nE1\tAttribution:T2 Content:T1\n"
    )
    (rel,) = map_gold(art, raw)
    assert rel.fragments["content"] == ((0, 0), (0, 12))
    assert rel.content == (0, 12)
    r = score_articles([(art, [GoldRelation(source=(0, 0), cue=None, content=(0, 12))])])
    assert r["gold_lost"] == 1


# -- the evaluation run -----------------------------------------------------------------------
RAW = 'source Harbour Gazette\n\nPort Elin voted on Sunday.\n\n"We will win," Anna Koval said.\n'


def _brat_dataset(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "koval.txt").write_text(RAW, encoding="utf-8")
    content, source, cue = _at(RAW, '"We will win,"'), _at(RAW, "Anna Koval"), _at(RAW, "said")
    ann = (
        f'T1\tContent {content[0]} {content[1]}\t"We will win,"\n'
        f"T2\tSource {source[0]} {source[1]}\tAnna Koval\n"
        f"T3\tCue {cue[0]} {cue[1]}\tsaid\n"
        f"T4\tAttribution {cue[0]} {cue[1]}\tsaid\n"
        "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n"
    )
    (root / "attributions" / "koval_a1.ann").write_text(ann, encoding="utf-8")
    # A second annotator who saw nothing: ignored, the first file in sorted order is used.
    (root / "attributions" / "koval_b2.ann").write_text("", encoding="utf-8")
    (root / "attributions" / "orphan_a1.ann").write_text(ann, encoding="utf-8")
    return root


def test_load_polnear_pairs_texts_with_one_annotation_and_rejects_other_folders(
    tmp_path: Path,
) -> None:
    data = _brat_dataset(tmp_path / "dev")
    assert [(stem, ann.name) for stem, _, ann in load_polnear(data)] == [("koval", "koval_a1.ann")]
    with pytest.raises(InputError, match="no text/ and attributions/") as info:
        load_polnear(tmp_path)
    assert "dev" in (info.value.hint or "")


def test_eval_refuses_a_pipeline_without_attributions(tmp_path: Path) -> None:
    data = _brat_dataset(tmp_path / "dev")
    config = {
        "pipeline": {"stages": ["spacy"]},
        "stages": {"spacy": {"impl": "presslens.spacy.v1"}},
    }
    with pytest.raises(ConfigError, match="assigns 'attributions'"):
        eval_attribution(data, Settings(), config=config)


def _attribution_config() -> dict[str, Any]:
    """The default pipeline, with the attribution stage appended if it is not wired in yet."""
    pytest.importorskip(
        "presslens.stages.attributions", reason="the attribution stage is not written yet"
    )
    config = default_config()
    if not pipeline_assigns_attributions(config):
        config["pipeline"]["stages"].append("attributions")
        config["stages"]["attributions"] = {"impl": "presslens.attributions.v1"}
    return config


@pytest.mark.slow
def test_eval_attribution_scores_a_direct_quote_on_a_tiny_dataset(tmp_path: Path) -> None:
    config = _attribution_config()
    data = _brat_dataset(tmp_path / "dev")
    seen: list[tuple[int, int]] = []
    report = eval_attribution(
        data, Settings(), config=config, on_progress=lambda d, t: seen.append((d, t))
    )
    assert report["articles"] == 1 and report["gold_relations"] == 1
    assert report["gold_lost"] == 0  # the header line was removed; the offsets follow
    for role in ("source", "cue", "content"):
        assert report["spans"][role]["overlap"]["recall"] == 1.0, role
        assert report["spans"][role]["exact"]["recall"] == 1.0, role
    assert report["relations"]["recall"] == 1.0
    assert report["gold_files"] == ["koval_a1.ann"]
    assert seen[-1] == (1, 1)
    json.dumps(report)  # JSON-able


def _cli() -> click.Group:
    @click.group()
    def main() -> None:
        """Test group."""

    @main.group("eval")
    def eval_group() -> None:
        """Test eval group."""

    register(main, eval_group)
    return main


def test_eval_attribution_command_reports_bad_data_with_exit_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["eval", "attribution", "--data", str(tmp_path)])
    assert result.exit_code == 3
    assert "[P100]" in result.stderr and "no text/ and attributions/" in result.stderr
    result = CliRunner().invoke(_cli(), ["eval", "attribution", "--data", str(tmp_path), "--json"])
    assert result.exit_code == 3 and json.loads(result.stdout)["error"]["code"] == "P100"


@pytest.mark.parametrize(("flag", "expected"), [([], None), (["--scorer", "rules"], "rules")])
def test_eval_attribution_scorer_option_sets_the_stage_option(
    tmp_path: Path, monkeypatch: Any, flag: list[str], expected: str | None
) -> None:
    import presslens.eval.attribution as module

    seen: list[dict[str, Any]] = []

    def fake(data: Path, settings: Settings, **kwargs: Any) -> dict[str, Any]:
        seen.append(kwargs["config"])
        return {"articles": 0}

    monkeypatch.setattr(module, "eval_attribution", fake)
    data = _brat_dataset(tmp_path / "dev")
    result = CliRunner().invoke(
        _cli(), ["eval", "attribution", "--data", str(data), *flag, "--json"]
    )
    assert result.exit_code == 0, result.output
    assert seen[0]["stages"]["attributions"].get("scorer") == expected


def test_eval_attribution_confidence_bars_reach_the_report(tmp_path: Path) -> None:
    data = _brat_dataset(tmp_path / "dev")
    result = CliRunner().invoke(
        _cli(), ["eval", "attribution", "--data", str(data), "--confidence-bars", "0,1"]
    )
    assert result.exit_code == 0, result.output
    assert "By confidence" in result.output
    report = eval_attribution(
        data, Settings(), config=_attribution_config(), confidence_bars=(0.0, 1.0)
    )
    low, high = report["by_confidence"]
    assert low["statements"] == report["predicted_attributions"] >= 1
    assert high["statements"] <= low["statements"]


@pytest.mark.parametrize("bars", ["0.5,high", "1.5", "0.5,,0.7"])
def test_eval_attribution_bad_confidence_bar_is_a_usage_error(tmp_path: Path, bars: str) -> None:
    data = _brat_dataset(tmp_path / "dev")
    result = CliRunner().invoke(
        _cli(), ["eval", "attribution", "--data", str(data), "--confidence-bars", bars]
    )
    assert result.exit_code == 2
    assert "--confidence-bars" in result.output and "0.5,0.7,0.9" in result.output


def test_eval_attribution_help_has_an_example() -> None:
    result = CliRunner().invoke(_cli(), ["eval", "attribution", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


# -- PolNeAR dev ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def polnear_dev() -> Path:
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"PolNeAR dev set not found at {POLNEAR_DEV} (../shared is absent)")
    return POLNEAR_DEV


def test_polnear_dev_gold_reads_completely(polnear_dev: Path) -> None:
    files = gold_files(polnear_dev / "attributions")
    relations = [r for path in files.values() for r in read_ann(path)]
    assert len(files) == 84
    assert len(relations) == 2193  # the dev attribution count in ../shared/data/README.md
    assert sum(r.source is None for r in relations) > 0
    assert sum(len(r.fragments.get("content", ())) > 1 for r in relations) > 0


@pytest.mark.slow
def test_polnear_dev_command_on_five_articles(polnear_dev: Path, monkeypatch: Any) -> None:
    _attribution_config()
    if not pipeline_assigns_attributions(default_config()):
        pytest.skip("the default pipeline (default.toml) does not run the attribution stage yet")
    result = CliRunner().invoke(
        _cli(), ["eval", "attribution", "--data", str(polnear_dev), "--limit", "5", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 5 and not report["skipped"]
    first_five = sorted(gold_files(polnear_dev / "attributions").items())[:5]
    assert report["gold_relations"] == sum(len(read_ann(path)) for _, path in first_five)
    assert report["spans"]["content"]["overlap"]["tp"] > 0
    monkeypatch.setattr(cli_attribution.out, "width", 200)  # so rich does not wrap the header
    table = CliRunner().invoke(
        _cli(), ["eval", "attribution", "--data", str(polnear_dev), "--limit", "2"]
    )
    assert table.exit_code == 0 and "overlap F1" in table.stdout and "relations" in table.stdout


# -- agreement between annotators -------------------------------------------------------------
AGREE_TEXT = "Anna Koval said the bridge will open. Ben Ray said it will not.\n"


def _ann(*relations: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]) -> str:
    """BRAT lines for (source, cue, content) raw offset triples."""
    lines, t = [], 0
    for n, (source, cue, content) in enumerate(relations, 1):
        ids = []
        for kind, (s, e) in (("Source", source), ("Cue", cue), ("Content", content)):
            t += 1
            lines.append(f"T{t}\t{kind} {s} {e}\t{AGREE_TEXT[s:e]}")
            ids.append(f"T{t}")
        t += 1
        lines.append(f"T{t}\tAttribution {cue[0]} {cue[1]}\tx")
        lines.append(f"E{n}\tAttribution:T{t} Source:{ids[0]} Cue:{ids[1]} Content:{ids[2]}")
    return "\n".join(lines) + "\n"


def _agreement_dataset(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for stem in ("two", "solo"):
        (root / "text" / f"{stem}.txt").write_text(AGREE_TEXT, encoding="utf-8")
    anna = ((0, 10), (11, 15), (16, 36))  # Anna Koval · said · the bridge will open
    ben = ((38, 45), (46, 50), (51, 62))  # Ben Ray · said · it will not
    wider_ben = ((38, 45), (46, 50), (46, 62))  # content starts at "said": overlaps only
    (root / "attributions" / "two_a1.ann").write_text(_ann(anna, ben), encoding="utf-8")
    (root / "attributions" / "two_b2.ann").write_text(_ann(anna, wider_ben), encoding="utf-8")
    (root / "attributions" / "two_c3.ann").write_text(_ann(anna), encoding="utf-8")
    (root / "attributions" / "solo_a1.ann").write_text(_ann(anna), encoding="utf-8")
    return root


def test_annotator_files_group_every_annotator_of_an_article(tmp_path: Path) -> None:
    data = _agreement_dataset(tmp_path)
    files = annotator_files(data / "attributions")
    assert {k: [p.name for p in v] for k, v in files.items()} == {
        "solo": ["solo_a1.ann"],
        "two": ["two_a1.ann", "two_b2.ann", "two_c3.ann"],
    }


def test_agreement_scores_every_pair_of_annotators_with_the_same_metrics(tmp_path: Path) -> None:
    data = _agreement_dataset(tmp_path)
    seen: list[tuple[int, int]] = []
    report = eval_agreement(data, Settings(), on_progress=lambda d, t: seen.append((d, t)))
    # Only "two" has several annotators: pairs a1-b2, a1-c3, b2-c3.
    assert (report["articles"], report["pairs"]) == (1, 3)
    assert report["annotators"] == {"two": ["two_a1.ann", "two_b2.ann", "two_c3.ann"]}
    assert seen[-1] == (1, 1)
    content = report["spans"]["content"]
    # The first of a pair is gold. a1-b2: Anna's content equal, Ben's only overlaps;
    # a1-c3 and b2-c3: one shared, one the second annotator missed.
    assert (content["exact"]["tp"], content["exact"]["fp"], content["exact"]["fn"]) == (3, 1, 3)
    overlap = content["overlap"]
    assert (overlap["tp"], overlap["fp"], overlap["fn"]) == (4, 0, 2)
    assert content["mean_f1"]["exact"] == pytest.approx((0.5 + 2 / 3 + 2 / 3) / 3)
    cue = report["spans"]["cue"]
    assert (cue["exact"]["tp"], cue["exact"]["fp"], cue["exact"]["fn"]) == (4, 0, 2)
    assert report["relations"]["tp"] == 4
    json.dumps(report)


def test_agreement_without_several_annotators_scores_nothing(tmp_path: Path) -> None:
    data = _agreement_dataset(tmp_path)
    for path in (data / "attributions").glob("two_*.ann"):
        path.unlink()
    report = score_agreement([("text", [[]])])
    assert (report["articles"], report["pairs"]) == (0, 0)
    assert eval_agreement(data, Settings())["pairs"] == 0


def test_eval_attribution_agreement_option_prints_the_pooled_table(tmp_path: Path) -> None:
    data = _agreement_dataset(tmp_path)
    result = CliRunner().invoke(_cli(), ["eval", "attribution", "--data", str(data), "--agreement"])
    assert result.exit_code == 0, result.output
    assert "Agreement between annotators" in result.output
    assert "1 articles with several annotators, 3 annotator pairs" in result.output
    assert "the system against each annotator of the same articles (3 annotator files)" in (
        " ".join(result.output.split())
    )
    result = CliRunner().invoke(
        _cli(), ["eval", "attribution", "--data", str(data), "--agreement", "--json"]
    )
    report = json.loads(result.stdout)
    assert report["spans"]["cue"]["exact"]["tp"] == 4
    system = report["system"]  # scored against a1, b2 and c3 in turn: 5 gold relations
    assert system["annotator_files"] == 3 and system["gold_relations"] == 5


# -- leave-one-out consensus ------------------------------------------------------------------
CONSENSUS_TEXT = "Anna said yes. Ben said no. Cy said maybe."
#                 0    5    10   15   20   25   30   35   40


def _rel(source: tuple[int, int] | None, content: tuple[int, int]) -> GoldRelation:
    return GoldRelation(source=source, cue=None, content=content)


ANNA = _rel((0, 4), (10, 13))  # Anna · yes
BEN = _rel((15, 18), (24, 26))  # Ben · no
CY = _rel((28, 30), (36, 41))  # Cy · maybe


def test_majority_spans_need_more_than_half_and_ties_are_not_kept() -> None:
    marks = [[(0, 5), (10, 20)], [(0, 5), (10, 21)], [(0, 5)], [(10, 20)]]
    assert majority_spans(marks) == [(0, 5)]  # (10, 20): 2 of 4 is a tie
    # A majority marks the second statement, with different edges: the commonest edges win.
    assert majority_edges_spans(marks) == [(0, 5), (10, 20)]
    nested = [[(0, 20), (5, 10)], [(0, 20), (5, 10)], [(0, 20)]]
    assert majority_spans(nested) == [(0, 20), (5, 10)]  # nested spans are voted on alone


def test_consensus_relation_takes_the_most_frequent_source() -> None:
    no_source = _rel(None, (10, 13))
    spans, relations = consensus_annotation(CONSENSUS_TEXT, [[ANNA], [ANNA], [no_source]])
    assert spans.content == [(10, 13)] and spans.source == [(0, 4)]
    assert relations.content == [(10, 13)] and relations.source == [(0, 4)]
    _, relations = consensus_annotation(CONSENSUS_TEXT, [[ANNA], [no_source], [no_source]])
    assert relations.source == [None]


def test_consensus_of_the_others_beats_pairwise_agreement_when_errors_differ() -> None:
    # Four annotators, each missing a different statement (the fourth adds none): any two
    # disagree, but the majority of any three is the full, shared annotation.
    annotators = [[BEN, CY], [ANNA, CY], [ANNA, BEN], [ANNA, BEN, CY]]
    items = [(CONSENSUS_TEXT, annotators)]
    consensus = score_consensus(items)
    assert (consensus["articles"], consensus["held_out"]) == (1, 4)
    content = consensus["majority"]["spans"]["content"]["exact"]
    # Held out 1-3: gold has two, the consensus three (one fp each); held out 4: all three.
    assert (content["tp"], content["fp"], content["fn"]) == (9, 3, 0)
    assert consensus["majority"]["relations"]["tp"] == 9
    pairwise = score_agreement(items)["spans"]["content"]["exact"]["f1"]
    assert content["f1"] == pytest.approx(0.857, abs=1e-3)
    assert content["f1"] > pairwise


def test_consensus_differs_from_a_single_annotator_and_skips_two_annotator_articles() -> None:
    odd = [_rel((0, 4), (5, 13))]  # the odd one out: "said yes" as the content, Ben missed
    annotators = [[ANNA, BEN], [ANNA, BEN], odd]
    consensus = score_consensus([(CONSENSUS_TEXT, annotators)])
    exact = consensus["majority"]["spans"]["content"]["exact"]
    # Held out 1 or 2: the others (2 and odd, 1 and odd) agree on nothing exactly; held out
    # odd: consensus Anna + Ben against its one wider content.
    assert (exact["tp"], exact["fp"], exact["fn"]) == (0, 2, 5)
    overlap = consensus["majority_edges"]["spans"]["content"]["overlap"]
    # With edges, held out 1 or 2: Anna's statement is marked by both others (one exact
    # vote each, earlier start wins: the odd "said yes"), which overlaps the gold "yes".
    assert overlap["tp"] == 3
    assert score_consensus([(CONSENSUS_TEXT, annotators[:2])])["held_out"] == 0


def test_eval_agreement_reports_the_consensus(tmp_path: Path) -> None:
    data = _agreement_dataset(tmp_path)
    report = eval_agreement(data, Settings())
    consensus = report["consensus"]
    assert (consensus["articles"], consensus["held_out"]) == (1, 3)
    content = consensus["majority"]["spans"]["content"]["exact"]
    # Anna's content is in every pair of others; Ben's (a1) and the wider Ben (b2) never.
    assert (content["tp"], content["fp"], content["fn"]) == (3, 0, 2)
    edges = consensus["majority_edges"]["spans"]["content"]["exact"]
    # Held out c3: a1's Ben and b2's wider Ben overlap, so +edges adds one (a false positive).
    assert (edges["tp"], edges["fp"], edges["fn"]) == (3, 1, 2)
    result = CliRunner().invoke(_cli(), ["eval", "attribution", "--data", str(data), "--agreement"])
    assert result.exit_code == 0, result.output
    assert "3 held-out annotator files in 1 articles" in " ".join(result.output.split())
