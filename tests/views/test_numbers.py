"""``presslens numbers`` and the rows behind it: what a number counts, when, on whose word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import presslens
from presslens.cli import main
from presslens.views.numbers import number_rows

TEXT = (
    "date 2024-05-02\n\n"
    "Kessford – The authorities have dismantled 310 smuggling cells since 2015, according to "
    "data from the Coastal Crime Bureau (CCB).\n\n"
    "Police chief Marta Lenz said 42 officers had been injured in the raids last year.\n\n"
    "At least 14 dead as storm hits the coast.\n\n"
    "The city spent $2.5 million on new patrol boats.\n"
)


@pytest.fixture(scope="module")
def article() -> presslens.Article:
    return presslens.analyze(TEXT)


def test_a_number_says_what_it_counts_when_and_on_whose_word(article: presslens.Article) -> None:
    rows = number_rows([article])
    for r in rows:
        assert article.text[r["start"] : r["end"]] == r["text"]
        if r["counted_span"]:
            lo, hi = r["counted_span"]
            assert article.text[lo:hi] == r["counted"]
        if r["sentence"]:
            lo, hi = r["sentence"]
            assert lo <= r["start"] < r["end"] <= hi
    cells = next(r for r in rows if r["text"] == "310")
    assert cells["counted"] == "smuggling cells" and cells["value"] == 310
    assert cells["when"] == "since 2015"
    lo, hi = cells["when_span"]
    assert article.text[lo:hi] == "2015"
    assert cells["cited"] and "Coastal Crime Bureau" in cells["cited"]
    injured = next(r for r in rows if r["text"] == "42")
    assert injured["cited"] == "Marta Lenz" and injured["cited_entity"]
    # what a listing shows it counts: the phrase, and the class when the words say more
    assert (injured["counted"], injured["class"]) == ("officers", "injured")
    assert injured["counts"] == "officers (injured)" and cells["counts"] == "smuggling cells"
    money = next(r for r in rows if r["kind"] == "money")
    assert money["cited"] is None and money["value"] == 2_500_000


def test_filters_keep_only_the_numbers_asked_for(article: presslens.Article) -> None:
    assert [r["text"] for r in number_rows([article], counted="Smuggling  CELLS")] == ["310"]
    # the counted lemma matches too ("cell"), whole words only ("smug" does not)
    assert [r["text"] for r in number_rows([article], counted="cell")] == ["310"]
    # a count with no counted noun is found by its class, read from the words around it
    (dead,) = number_rows([article], counted="dead")
    assert (dead["text"], dead["counted"], dead["class"]) == ("At least 14", None, "dead")
    assert number_rows([article], counted="smug") == []
    assert [r["text"] for r in number_rows([article], cited="marta lenz")] == ["42"]
    # a spelling the article gives the source (its acronym) finds it too
    assert [r["text"] for r in number_rows([article], cited="CCB")] == ["310"]
    assert [r["kind"] for r in number_rows([article], kinds=["money"])] == ["money"]


def test_cli_lists_numbers_as_a_table_and_as_json(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["numbers", str(path), "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert {"310", "42"} <= {r["text"] for r in rows}
    res = runner.invoke(
        main, ["numbers", str(path), "--counted", "officers"], env={"COLUMNS": "200"}
    )
    assert res.exit_code == 0, res.output
    assert "Marta Lenz" in res.output and "1 number(s), 1 with a cited source" in res.output
    assert "310" not in res.output
    bad = runner.invoke(main, ["numbers", str(path), "--kind", "weight"])
    assert bad.exit_code == 2 and "weight" in bad.output


def test_a_pronoun_nobody_was_found_for_is_no_cited_source(tmp_path: Path) -> None:
    text = "The harbour was busy on Monday.\n\n“We counted 17 boats on the river,” he said.\n"
    (row,) = number_rows([presslens.analyze(text)])
    assert (row["text"], row["cited"], row["source"]) == ("17", None, "he")
    assert row["attribution"] is not None
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["numbers", str(path)], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "unresolved “he”" in res.output


def test_cli_reads_a_store_from_its_numbers_table(tmp_path: Path) -> None:
    """Without PATHs the command pages the store's numbers table: the same rows as analysing
    the files, and the --sourced/--unsourced and --outlet filters on both."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("source Kessford Post\n" + TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(
        "date 2024-06-11\nsource Coast Herald\n\nNine boats were seized, the CCB said. "
        "Twelve more sank.\n",
        encoding="utf-8",
    )
    store = tmp_path / "s.db"
    runner = CliRunner()
    done = runner.invoke(main, ["analyze", str(folder), "--store", str(store)])
    assert done.exit_code == 0, done.output

    def listing(*args: str) -> list[dict]:
        res = runner.invoke(main, ["numbers", *args, "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.output)

    def key(rows: list[dict]) -> list[tuple[str, int]]:
        return sorted((r["article"], r["start"]) for r in rows)

    stored = listing("--store", str(store))
    analysed = listing(str(folder))
    assert key(stored) == key(analysed) and len(stored) >= 6
    assert [r["published"] for r in stored] == sorted(
        (r["published"] for r in stored), reverse=True
    )  # newest article first
    for args in (["--unsourced"], ["--sourced"], ["--outlet", "Coast Herald"], ["--cited", "CCB"]):
        from_store = listing("--store", str(store), *args)
        assert from_store and key(from_store) == key(listing(str(folder), *args)), args
    assert all(r["source"] is None for r in listing("--store", str(store), "--unsourced"))
    assert {r["outlet"] for r in listing("--store", str(store), "--outlet", "Coast Herald")} == {
        "Coast Herald"
    }
    res = runner.invoke(main, ["numbers", "--store", str(store), "--unsourced"])
    assert res.exit_code == 0 and "with a cited source" in res.output
