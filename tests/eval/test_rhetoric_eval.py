"""Scorers of the rhetoric stages: SemEval-2020 SI/TC, SemEval-2023 paragraphs, claims."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.errors import InputError
from presslens.eval.claims import average_precision, load_sentences
from presslens.eval.techniques import (
    labelled_span_scores,
    line_ranges,
    load_ptc,
    load_semeval_paragraphs,
    merge_spans,
    paragraph_micro_f1,
    si_scores,
    tc_micro_f1,
)


def test_merge_spans_joins_overlapping_and_touching() -> None:
    assert merge_spans([(5, 9), (0, 3), (2, 4), (9, 12), (20, 21)]) == [(0, 4), (5, 12), (20, 21)]


def test_si_scores_give_partial_overlap_credit_by_hand() -> None:
    # gold [0, 10) and [20, 30); predicted [5, 15) overlaps the first by 5 characters
    r = si_scores({"a": [(5, 15)]}, {"a": [(0, 10), (20, 30)]})
    assert r["precision"] == pytest.approx(5 / 10)  # 5 of the predicted 10 characters
    assert r["recall"] == pytest.approx((5 / 10) / 2)  # half of one of the two gold spans
    assert r["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert si_scores({"a": [(0, 10)]}, {"a": [(0, 10)]})["f1"] == 1.0
    assert si_scores({}, {"a": [(0, 10)]})["f1"] == 0.0


def test_si_scores_merge_overlapping_predictions_first() -> None:
    # two overlapping predictions count as one span [0, 10)
    r = si_scores({"a": [(0, 6), (4, 10)]}, {"a": [(0, 10)]})
    assert r["predicted"] == 1
    assert r["f1"] == 1.0


def test_labelled_span_scores_credit_only_the_same_technique_by_hand() -> None:
    gold = {"a": [(0, 10, "Doubt"), (0, 10, "Loaded_Language"), (20, 30, "Slogans")]}
    # [5, 15) is Doubt: half of it overlaps the Doubt gold span; the Loaded_Language gold
    # span over the same words gives it nothing; [20, 30) has the wrong technique
    pred = {"a": [(5, 15, "Doubt"), (20, 30, "Doubt")]}
    r = labelled_span_scores(pred, gold)
    assert r["precision"] == pytest.approx((5 / 10) / 2)
    assert r["recall"] == pytest.approx((5 / 10) / 3)
    assert (r["gold"], r["predicted"]) == (3, 2)
    # si_scores, technique-blind and merged, credits both predictions
    assert si_scores({"a": [(5, 15), (20, 30)]}, {"a": [(0, 10), (20, 30)]})["precision"] == 0.75
    assert labelled_span_scores({}, gold)["f1"] == 0.0


def test_tc_micro_f1_counts_multi_label_spans() -> None:
    gold = [["Doubt"], ["Loaded_Language", "Repetition"], ["Slogans"]]
    pred = [["Doubt"], ["Repetition", "Doubt"], ["Loaded_Language"]]
    r = tc_micro_f1(gold, pred)
    assert r["f1"] == pytest.approx(2 / 4)
    assert r["per_class"]["Doubt"]["predicted"] == 2


def test_paragraph_micro_f1_by_hand() -> None:
    gold = {("1", 1): {"Doubt"}, ("1", 3): set(), ("1", 5): {"Slogans", "Repetition"}}
    pred = {("1", 1): {"Doubt", "Slogans"}, ("1", 3): {"Doubt"}, ("1", 5): {"Slogans"}}
    r = paragraph_micro_f1(gold, pred)
    assert r["precision"] == pytest.approx(2 / 4)
    assert r["recall"] == pytest.approx(2 / 3)


def test_line_ranges_number_lines_like_the_task() -> None:
    raw = "Title\n\nFirst paragraph.\nSecond"
    ranges = line_ranges(raw)
    assert raw[slice(*ranges[0])] == "Title"
    assert raw[slice(*ranges[2])] == "First paragraph."
    assert raw[slice(*ranges[3])] == "Second"


def _ptc(root: Path) -> Path:
    arts = root / "train-articles"
    arts.mkdir(parents=True)
    (arts / "article1.txt").write_text("Title\n\nThe evil regime lies again and again.\n")
    (root / "train-task1-SI.labels").write_text("1\t11\t22\n")
    (root / "train-task2-TC.labels").write_text("1\tLoaded_Language\t11\t15\n")
    return root


def test_load_ptc_reads_both_label_files_and_rejects_bad_lines(tmp_path: Path) -> None:
    data = _ptc(tmp_path / "ptc")
    gold = load_ptc(data)
    assert gold["si"] == {"1": [(11, 22)]}
    assert gold["tc"] == {"1": [(11, 15, "Loaded_Language")]}
    (data / "train-task1-SI.labels").write_text("1\tx\t22\n")
    with pytest.raises(InputError, match=r"P531.*character offset"):
        load_ptc(data)
    with pytest.raises(InputError, match="P531"):
        load_ptc(tmp_path)


def test_load_semeval_paragraphs(tmp_path: Path) -> None:
    arts = tmp_path / "train-articles-subtask-3"
    arts.mkdir()
    (arts / "article7.txt").write_text("Title\n\nBody.\n")
    (tmp_path / "train-labels-subtask-3.txt").write_text("7\t1\t\n7\t3\tDoubt,Slogans\n")
    gold = load_semeval_paragraphs(tmp_path)
    assert gold["paragraphs"] == {("7", 1): set(), ("7", 3): {"Doubt", "Slogans"}}
    (tmp_path / "train-labels-subtask-3.txt").write_text("7 1\n")
    with pytest.raises(InputError, match="P531"):
        load_semeval_paragraphs(tmp_path)


def test_load_sentences_reads_claimbuster_json_and_checkthat_csv(tmp_path: Path) -> None:
    cb = tmp_path / "cb.json"
    cb.write_text(json.dumps([{"sentence_id": 3, "label": 1, "text": "Taxes rose 4%."}]))
    assert load_sentences(cb) == [("3", "Taxes rose 4%.", 1)]
    ct = tmp_path / "ct.csv"
    ct.write_text('line_number,speaker,text,label,file_name\n1,A,"Hi, all.",0,d.tsv\n')
    assert load_sentences(ct) == [("d.tsv:1", "Hi, all.", 0)]
    cb.write_text("{not json")
    with pytest.raises(InputError, match="P532"):
        load_sentences(cb)


def test_average_precision_by_hand() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.1])
    gold = np.array([1, 0, 1, 0])
    assert average_precision(scores, gold) == pytest.approx((1 + 2 / 3) / 2)


def test_eval_techniques_command_on_a_tiny_ptc_folder(tmp_path: Path) -> None:
    data = _ptc(tmp_path / "ptc")
    result = CliRunner().invoke(
        main, ["eval", "techniques", "--data", str(data), "--split", "all", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "ptc"
    assert report["articles"] == 1
    assert report["si"]["gold"] == 1
    assert report["tc"]["gold"] == 1 and report["tc"]["predicted"] == 1
    assert 0.0 <= report["si"]["f1"] <= 1.0
    assert report["labelled"]["gold"] == 1
    assert "by_confidence" not in report
    for part in ("si", "labelled", "tc"):  # one article: every resample is that article
        ci = report[part]["f1_interval"]
        assert ci["units"] == 1 and ci["low"] == pytest.approx(report[part]["f1"]) == ci["high"]
    table = CliRunner().invoke(main, ["eval", "techniques", "--data", str(data), "--split", "all"])
    assert table.exit_code == 0 and "95 % interval" in table.output


def test_eval_techniques_confidence_bars_filter_one_analysis(tmp_path: Path) -> None:
    data = _ptc(tmp_path / "ptc")
    args = ["eval", "techniques", "--data", str(data), "--split", "all"]
    result = CliRunner().invoke(main, [*args, "--confidence-bars", "1,0", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    low, high = report["by_confidence"]
    assert (low["min_confidence"], high["min_confidence"]) == (0.0, 1.0)
    assert low["si"] == report["si"] and low["labelled"] == report["labelled"]
    assert high["spans"] <= low["spans"] and high["si"]["predicted"] <= low["si"]["predicted"]
    table = CliRunner().invoke(main, [*args, "--confidence-bars", "0"])
    assert table.exit_code == 0 and "By confidence" in table.output
    bad = CliRunner().invoke(main, [*args, "--confidence-bars", "0.5,x"])
    assert bad.exit_code == 2 and "'x' is not a number from 0 to 1" in bad.output


def test_eval_claims_command_scores_sentences(tmp_path: Path) -> None:
    cb = tmp_path / "cb.json"
    rows = [
        {"sentence_id": 1, "label": 1, "text": "Unemployment rose to 9.5 percent in 2010."},
        {"sentence_id": 2, "label": 0, "text": "Thank you very much, it is great to be here."},
    ]
    cb.write_text(json.dumps(rows))
    result = CliRunner().invoke(main, ["eval", "claims", "--data", str(cb), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sentences"] == 2 and report["checkworthy"] == 1
    assert report["average_precision"] == 1.0  # the statistic outranks the greeting


def test_rhetoric_summary_counts_per_article_and_outlet() -> None:
    from presslens.cli_rhetoric import rhetoric_summary
    from presslens.model import Article

    a = Article(text="one two three four five six seven eight nine ten", outlet="A").ensure_id()
    a.add("techniques", a.span(0, 3, "Loaded_Language", confidence=0.5, quoted=False))
    a.add("techniques", a.span(4, 7, "Doubt", confidence=0.4, quoted=True))
    b = Article(text="alpha beta gamma delta epsilon", outlet="A", source="b").ensure_id()
    summary = rhetoric_summary([a, b])
    first = summary["articles"][0]
    assert first["techniques"] == 2 and first["words"] == 10
    assert first["per_1000_words"] == 200.0
    assert first["outside_quotes_per_1000_words"] == 100.0
    (outlet,) = summary["outlets"]
    assert outlet["articles"] == 2 and outlet["words"] == 15
    assert outlet["per_1000_words"] == pytest.approx(1000 * 2 / 15, abs=0.01)
    assert outlet["by_technique_per_1000_words"]["Doubt"] == pytest.approx(66.67, abs=0.01)
    confident = rhetoric_summary([a, b], min_confidence=0.45)
    assert [s["technique"] for s in confident["articles"][0]["spans"]] == ["Loaded_Language"]
    assert confident["articles"][0]["per_1000_words"] == 100.0
    assert confident["outlets"][0]["techniques"] == 1


def test_rhetoric_command_min_confidence_reaches_the_summary(tmp_path: Path) -> None:
    from presslens.model import Article
    from presslens.store import open_store

    art = Article(text="one two three four five six", outlet="A", source="a.txt").ensure_id()
    art.add("techniques", art.span(0, 3, "Loaded_Language", confidence=0.5, quoted=False))
    art.add("techniques", art.span(4, 7, "Doubt", confidence=0.2, quoted=False))
    url = str(tmp_path / "p.db")
    store = open_store(url)
    store.upsert(art)
    store.close()
    args = ["rhetoric", "--store", url, "--json"]
    every = json.loads(CliRunner().invoke(main, args).stdout)
    confident = json.loads(CliRunner().invoke(main, [*args, "--min-confidence", "0.3"]).stdout)
    assert every["articles"][0]["techniques"] == 2
    assert [s["technique"] for s in confident["articles"][0]["spans"]] == ["Loaded_Language"]
    bad = CliRunner().invoke(main, [*args, "--min-confidence", "2"])
    assert bad.exit_code == 2 and "--min-confidence" in bad.output


#: (techniques, of which quoted) in each of five articles of one outlet.
PER_ARTICLE = [(1, 0), (4, 2), (0, 0), (6, 1), (3, 1)]


def test_outlet_rates_carry_a_bootstrap_interval_over_their_articles() -> None:
    """Two outlets' rates differ only where their intervals part: each rate comes with the
    95 % interval of its articles resampled whole (none below five articles: two to four only
    span their own rates)."""
    from presslens.cli_rhetoric import _print_summary, rhetoric_summary
    from presslens.model import Article

    arts = []
    for k, (n, quoted) in enumerate(PER_ARTICLE):
        a = Article(text=" ".join(["word"] * 100), outlet="A", source=f"a{k}").ensure_id()
        for i in range(n):
            a.add("techniques", a.span(5 * i, 5 * i + 4, "Loaded_Language", quoted=i < quoted))
        arts.append(a)
    alone = Article(text="one two three four", outlet="B", source="b").ensure_id()
    summary = rhetoric_summary([*arts, alone])
    a_row, b_row = summary["outlets"]
    assert b_row["per_1000_words_interval"] is None  # one article: no spread to measure
    four = rhetoric_summary(arts[:4])["outlets"][0]
    assert four["per_1000_words_interval"] is None  # four articles: only their own range
    interval = a_row["per_1000_words_interval"]
    rates = [10.0 * n for n, _ in PER_ARTICLE]  # per article
    assert interval["units"] == 5 and interval["resamples"] == 1000
    # a resampled rate is a words-weighted mean of article rates: never outside their range
    assert min(rates) <= interval["low"] <= a_row["per_1000_words"] <= interval["high"]
    assert interval["high"] <= max(rates) and interval["low"] < interval["high"]
    own = a_row["outside_quotes_per_1000_words_interval"]
    # outside quotes: 1, 2, 0, 5 and 2 per article, never more than all of them
    assert own["low"] <= interval["low"] and own["high"] <= min(50.0, interval["high"])
    assert rhetoric_summary([*arts, alone])["outlets"][0]["per_1000_words_interval"] == interval

    from presslens.cli_common import out

    with out.capture() as captured:
        _print_summary(summary)
    shown = captured.get()
    assert f"({interval['low']:.1f}–{interval['high']:.1f})" in shown
    assert "95 % interval" in " ".join(shown.split())
