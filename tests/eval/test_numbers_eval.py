"""The quantity and timex scorers on hand-made gold, their commands, and small real runs."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.cli_numbers import register
from presslens.errors import InputError
from presslens.eval.quantities import (
    GoldQuantity,
    PredQuantity,
    load_newsquant,
    parse_gold_value,
    score_quantities,
)
from presslens.eval.timex import read_tml, score_timexes

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
NEWSQUANT = SHARED_DATA / "newsquant" / "newsquant-dev.json"
TBAQ = SHARED_DATA / "tempeval3" / "TBAQ-cleaned"

TML = """<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07"
 functionInDocument="CREATION_TIME">1998-08-07</TIMEX3></DCT>
<TEXT>
Bombs exploded <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3> &amp; killed
dozens, <TIMEX3 tid="t2" type="DATE" value="1997">last year</TIMEX3> too.
</TEXT>
</TimeML>
"""


def _cli() -> click.Group:
    @click.group()
    def main() -> None:
        """Test shell."""

    @main.group("eval")
    def eval_group() -> None:
        """Scorers."""

    register(main, eval_group)
    return main


def test_gold_values_and_ranges_parse_like_cqe() -> None:
    assert parse_gold_value("2000") == 2000.0
    assert parse_gold_value("212577-138285") == (212577.0, 138285.0)
    assert parse_gold_value("-5") == -5.0


def test_quantity_scores_by_hand() -> None:
    gold = [
        [GoldQuantity(2009.0, "cell", ("cells",)), GoldQuantity((5.0, 6.0), "percentage")],
        [GoldQuantity(7.0, "year")],
    ]
    pred = [
        [PredQuantity(2009.0, "cell", ("terrorism", "cells")), PredQuantity((6.0, 5.0), "-")],
        [PredQuantity(7.0, "year"), PredQuantity(40.0, "-")],
    ]
    r = score_quantities(gold, pred)
    assert (r["value"]["tp"], r["value_unit"]["tp"], r["value_concept"]["tp"]) == (3, 2, 1)
    assert r["value"]["precision"] == pytest.approx(3 / 4)
    assert r["value"]["recall"] == 1.0
    assert r["value_unit"]["f1"] == pytest.approx(2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3))


def test_a_prediction_is_used_once() -> None:
    r = score_quantities(
        [[GoldQuantity(1.0, "-"), GoldQuantity(1.0, "-")]], [[PredQuantity(1.0, "-")]]
    )
    assert r["value"]["tp"] == 1


def test_newsquant_loader_rejects_other_json(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"text": "no list"}))
    with pytest.raises(InputError, match="JSON list"):
        load_newsquant(bad)


def test_tml_reader_decodes_entities_and_keeps_offsets(tmp_path: Path) -> None:
    path = tmp_path / "doc.tml"
    path.write_text(TML)
    doc = read_tml(path)
    assert str(doc.dct) == "1998-08-07"
    assert [doc.text[t.start : t.end] for t in doc.timexes] == ["Friday", "last year"]
    assert "&" in doc.text and "&amp;" not in doc.text


def test_timex_scores_by_hand() -> None:
    gold = [[(0, 6, "DATE", "1998-08-07"), (10, 19, "DATE", "1997")]]
    pred = [[(0, 6, "DATE", "1998-08-07"), (5, 19, "DATE", "1998"), (30, 33, "SET", "P1D")]]
    r = score_timexes(gold, pred)
    assert (r["strict"]["tp"], r["relaxed"]["tp"], r["value"]["tp"], r["type"]["tp"]) == (
        1,
        2,
        1,
        2,
    )
    assert r["relaxed"]["precision"] == pytest.approx(2 / 3)
    assert r["value"]["accuracy"] == 0.5


def test_eval_timex_command_on_a_small_file(tmp_path: Path) -> None:
    (tmp_path / "doc.tml").write_text(TML)
    result = CliRunner().invoke(_cli(), ["eval", "timex", "--data", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["gold"] == 2
    assert report["relaxed"]["recall"] == 1.0
    assert report["value"]["tp"] == 2


def test_commands_have_examples() -> None:
    main = _cli()
    for args in (["eval", "timex", "--help"], ["eval", "quantities", "--help"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and "Example:" in result.output


def test_newsquant_small_run() -> None:
    if not NEWSQUANT.is_file():
        pytest.skip(f"NewsQuant data not found at {NEWSQUANT} (../shared is absent)")
    result = CliRunner().invoke(
        _cli(), ["eval", "quantities", "--data", str(NEWSQUANT), "--limit", "12", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sentences"] == 12
    assert report["value"]["f1"] > 0.5


def test_tempeval_small_run() -> None:
    if not TBAQ.is_dir():
        pytest.skip(f"TempEval-3 data not found at {TBAQ} (../shared is absent)")
    result = CliRunner().invoke(
        _cli(), ["eval", "timex", "--data", str(TBAQ), "--limit", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == 3
    assert report["relaxed"]["f1"] > 0.6


def test_timex_splits_partition_the_documents() -> None:
    from presslens.eval.timex import in_split

    names = [f"doc{i}" for i in range(200)]
    dev = {n for n in names if in_split(n, "dev")}
    train = {n for n in names if in_split(n, "train")}
    assert dev and train and not dev & train and dev | train == set(names)
    assert all(in_split(n, "all") for n in names)
    assert 0.15 < len(dev) / len(names) < 0.35


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 6), st.sampled_from("ab")), max_size=8),
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 6), st.sampled_from("ab")), max_size=8),
)
def test_value_f1_is_value_accuracy_times_relaxed_f1_as_in_tempeval3(
    gold_raw: list[tuple[int, int, str]], pred_raw: list[tuple[int, int, str]]
) -> None:
    """TempEval-3's scorer reports value F1 as value accuracy x relaxed F1; ours must agree."""
    gold = [[(s, s + n, "DATE", v) for s, n, v in gold_raw]]
    pred = [[(s, s + n, "DATE", v) for s, n, v in pred_raw]]
    r = score_timexes(gold, pred)
    assert r["value"]["f1"] == pytest.approx(r["value"]["accuracy"] * r["relaxed"]["f1"])
    assert r["value"]["tp"] <= r["relaxed"]["tp"] <= min(len(gold[0]), len(pred[0]))
