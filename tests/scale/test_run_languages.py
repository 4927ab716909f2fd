"""Scale-out runs report articles not in English (``P128``) as ``presslens analyze`` does:
analysed and committed, listed in ``warnings.jsonl`` and counted in the summary, never among
the failures; a resumed or overlapping run lists each article once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.scale import connect, run_scale
from presslens.scale.output import ERRORS_FILE, WARNINGS_FILE, OutputDir
from samples import FRENCH

pytestmark = pytest.mark.slow

ARABIC = (
    "أعلنت الحكومة يوم الثلاثاء عن برنامج لبناء عشرة سدود جديدة بحلول عام 2030، وفق بيان "
    "صادر عن وزارة التجهيز والماء. وقال الوزير أمام البرلمان إن الجفاف يهدد المحاصيل الزراعية."
)


def _mixed(path: Path, write_jsonl: Callable[..., Path]) -> Path:
    """Four English records, then a French and an Arabic one (lines 5 and 6)."""
    write_jsonl(path, 4)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": FRENCH, "url": "https://news.example/fr"}) + "\n")
        fh.write(json.dumps({"text": ARABIC, "url": "https://news.example/ar"}) + "\n")
    return path


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_articles_not_in_english_are_committed_and_listed_in_warnings_jsonl(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = _mixed(tmp_path / "news.jsonl", write_jsonl)
    out = tmp_path / "out"
    result = run_scale([str(src)], out, config=cheap_config, shard_size=4)
    assert (result.articles, result.errors) == (6, [])  # analysed and kept, no failure
    languages = dict(
        connect(out).execute("SELECT id, language FROM articles WHERE language <> 'en'").fetchall()
    )
    assert sorted(languages.values()) == ["ar", "fr"]
    assert [(w["code"], w["source"]) for w in result.warnings] == [
        ("P128", f"{src}:5"),
        ("P128", f"{src}:6"),
    ]
    assert {w["article"] for w in result.warnings} == set(languages)
    assert "French (fr)" in result.warnings[0]["message"]
    assert "Arabic (ar)" in result.warnings[1]["message"]
    assert _lines(out / WARNINGS_FILE) == result.warnings
    assert (out / ERRORS_FILE).read_text(encoding="utf-8") == ""
    # A rerun commits nothing and still lists them: they are the folder's articles.
    again = run_scale([str(src)], out, config=cheap_config, shard_size=4)
    assert (again.committed, again.warnings) == (0, result.warnings)
    assert _lines(out / WARNINGS_FILE) == result.warnings


def test_an_article_held_by_two_shards_is_warned_once(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    src = _mixed(tmp_path / "news.jsonl", write_jsonl)
    copy = tmp_path / "copy.jsonl"  # the same records (same URLs): the same articles
    copy.write_bytes(src.read_bytes())
    out = tmp_path / "out"
    result = run_scale([str(src), str(copy)], out, config=cheap_config, shard_size=6)
    assert (result.articles, result.duplicates) == (6, 6)
    # One warning per article, naming the copy that was committed (the other was dropped).
    committed = connect(out).execute("SELECT id, source FROM articles WHERE language <> 'en'")
    assert sorted((w["article"], w["source"]) for w in result.warnings) == sorted(
        committed.fetchall()
    )
    assert len(result.warnings) == 2


def test_a_later_run_over_a_grown_input_keeps_the_earlier_shards_warnings(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    """The grown file is a new shard; the old shard's marker is no longer in the plan, but its
    articles stay in the folder (the new shard skips them), so their warnings stay listed."""
    src = _mixed(tmp_path / "news.jsonl", write_jsonl)
    out = tmp_path / "out"
    first = run_scale([str(src)], out, config=cheap_config, shard_size=50)
    with src.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "Report 99. Mayor Anna Lind spoke.", "url": "u:99"}) + "\n")
    second = run_scale([str(src)], out, config=cheap_config, shard_size=50)
    assert (second.new_articles, second.articles) == (1, 7)
    assert second.warnings == first.warnings and len(first.warnings) == 2


def test_markers_written_before_they_held_warnings_give_them_from_the_rows(
    tmp_path: Path, write_jsonl: Callable[..., Path], cheap_config: dict[str, Any]
) -> None:
    """A folder committed by the previous build of this version (same fingerprint, kept by a
    resumed run) has markers without ``warnings``; its articles are still reported."""
    src = _mixed(tmp_path / "news.jsonl", write_jsonl)
    out = tmp_path / "out"
    first = run_scale([str(src)], out, config=cheap_config, shard_size=4)
    for path in (out / "_done").glob("shard-*.json"):
        marker = json.loads(path.read_text(encoding="utf-8"))
        del marker["warnings"]
        path.write_text(json.dumps(marker), encoding="utf-8")
    assert all("warnings" not in m for m in OutputDir(out).markers())
    again = run_scale([str(src)], out, config=cheap_config, shard_size=4)
    assert again.committed == 0 and again.warnings == first.warnings


def test_run_command_counts_them_in_its_summary_and_exits_zero(
    tmp_path: Path, write_jsonl: Callable[..., Path]
) -> None:
    _mixed(tmp_path / "news.jsonl", write_jsonl)
    (tmp_path / "run.toml").write_text(
        '[run]\ninputs = ["news.jsonl"]\noutput = "out"\nshard_size = 10\n'
        'stages = ["spacy", "entities"]\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    shown = runner.invoke(main, ["run", str(tmp_path / "run.toml")])
    assert shown.exit_code == 0, shown.output
    assert "2 not in English" in shown.stdout and "warnings.jsonl" in shown.stdout
    assert shown.stderr.count("warning [P128]") == 2 and "news.jsonl:5" in shown.stderr
    as_json = runner.invoke(main, ["run", str(tmp_path / "run.toml"), "--json"])
    assert as_json.exit_code == 0
    summary = json.loads(as_json.stdout)
    assert [w["code"] for w in summary["warnings"]] == ["P128", "P128"]
    assert summary["errors"] == []
