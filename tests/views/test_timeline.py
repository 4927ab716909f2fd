"""Timeline rows and ``presslens timeline``, with the acceptance check on a real article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import presslens
from presslens.cli import main
from presslens.views.timeline import timeline_rows
from samples import FRENCH

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples"
ACCEPTANCE = EXAMPLES / "000_2cd4546dabe00a1e.txt"

TEXT = (
    "Boris Lund joined a campaign against Anna Koval.\n\n"
    "The campaign grew.\n\n"
    "Anna Koval was arrested in 2010 and sentenced to seven years in prison.\n\n"
    "Koval moved to Lisbon in 2015.\n"
)


@pytest.fixture(scope="module")
def article() -> presslens.Article:
    return presslens.analyze("date 2021-03-01\n\n" + TEXT)


def test_rows_in_date_order_for_the_entity(article: presslens.Article) -> None:
    article.check()
    rows = timeline_rows([article], "anna KOVAL")
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert {"2010", "2015", "2021-03-01"} <= set(dates)
    whats = {r["what"] for r in rows if r["date"] == "2010"}
    assert {"arrested", "sentenced"} <= whats
    peg = [r for r in rows if r["date_source"] == "published"]
    assert peg and "Boris Lund" in peg[0]["who"]
    for r in rows:
        assert article.text[r["start"] : r["end"]] == r["text"]
    assert timeline_rows([article], "Nobody Here") == []


def test_cli_timeline(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("date 2021-03-01\n\n" + TEXT, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["timeline", "Anna Koval", str(path), "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert any(r["date"] == "2010" and r["what"] == "arrested" for r in rows)
    res = runner.invoke(main, ["timeline", "Anna Koval", str(path)])
    assert res.exit_code == 0 and "arrested" in res.output
    assert "Example" in runner.invoke(main, ["timeline", "--help"]).output


def test_acceptance_timeline_of_the_example_article() -> None:
    if not ACCEPTANCE.is_file():
        pytest.skip(f"example article not found at {ACCEPTANCE} (../shared is absent)")
    art = presslens.analyze(ACCEPTANCE)
    art.check()
    rows = timeline_rows([art], "Mohamed Hajib")
    y2010 = {r["what"] for r in rows if r["date"] == "2010"}
    assert "arrested" in y2010 and y2010 & {"sentenced", "convicted"}
    assert any(r["date"] == "2021-03-01" and r["date_source"] == "published" for r in rows)


def test_an_article_not_in_english_is_left_out_unless_asked(
    article: presslens.Article, tmp_path: Path
) -> None:
    french = presslens.analyze("date 2021-03-01\n\n" + TEXT)
    french.language = "fr"  # as the language check flags it (P128)
    assert timeline_rows([french], "Anna Koval") == []
    kept = timeline_rows([french], "Anna Koval", all_languages=True)
    assert [r["date"] for r in kept] == [r["date"] for r in timeline_rows([article], "Anna Koval")]
    # end to end: a French article the language check flags
    path = tmp_path / "fr.txt"
    path.write_text(f"title Barrages\n\n{FRENCH} Jean Dufort l'a confirmé en 2024.\n", "utf-8")
    res = CliRunner().invoke(main, ["timeline", "Dufort", str(path)])
    assert res.exit_code == 0, res.output
    assert "1 article(s) not in English left out (P128" in " ".join(res.output.split())
