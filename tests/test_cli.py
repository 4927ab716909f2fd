"""End to end through the `presslens` command, on the demo corpus and on bad inputs."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from presslens.cli import main

pytestmark = pytest.mark.slow


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def analyze_json(*args: str) -> tuple[int, dict[str, Any]]:
    code, stdout, _ = run("analyze", *args, "--json")
    return code, json.loads(stdout)


def db_rows(path: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    rows: list[tuple[object, ...]] = []
    for table in ("articles", "spans", "clusters", "articles_fts"):
        rows.extend(db.execute(f"SELECT * FROM {table} ORDER BY 1, 2"))  # table names are constants
    db.close()
    return rows


def test_demo_corpus_is_analysed_end_to_end(demo_dir: Path, tmp_path: Path) -> None:
    db, html, errors = tmp_path / "p.db", tmp_path / "r.html", tmp_path / "e.jsonl"
    jsonl = tmp_path / "a.jsonl"
    code, out = analyze_json(
        str(demo_dir),
        "--store",
        str(db),
        "--html",
        str(html),
        "--errors",
        str(errors),
        "--jsonl",
        str(jsonl),
    )
    assert code == 0, out["errors"]
    arts = out["articles"]
    assert 6 <= len(arts) <= 12
    assert len({a["outlet"] for a in arts if a["outlet"]}) >= 3
    assert {a["genre"] for a in arts} >= {"reporting", "opinion"}
    assert any(a["people"] for a in arts) and any(a["published"] for a in arts)
    report = html.read_text(encoding="utf-8")
    assert report.count('class="article"') + report.count("<article") >= len(arts)
    assert errors.read_text() == ""
    docs = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(docs) == len(arts)
    repeated = [
        d["outlet"] for d in docs if any(r["kind"] == "repeated-line" for r in d["meta"]["removed"])
    ]
    assert len(repeated) >= 3 and len(set(repeated)) == 1, "an outlet's tagline is removed"
    assert sum(any(r["kind"] == "boilerplate" for r in d["meta"]["removed"]) for d in docs) >= 3


def test_analysing_the_same_folder_twice_changes_nothing(demo_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    code, first = analyze_json(
        str(demo_dir), "--store", str(db), "--errors", str(tmp_path / "e.jsonl")
    )
    assert code == 0
    before = db_rows(db)
    code, second = analyze_json(
        str(demo_dir), "--store", str(db), "--errors", str(tmp_path / "e.jsonl")
    )
    assert code == 0
    assert second["counts"] == {"unchanged": len(first["articles"])}
    assert db_rows(db) == before
    # Forcing re-analysis recomputes everything and still finds nothing to change.
    code, third = analyze_json(
        str(demo_dir), "--store", str(db), "--force", "--errors", str(tmp_path / "e.jsonl")
    )
    assert third["counts"] == {"unchanged": len(first["articles"])}
    assert db_rows(db) == before


def test_bad_inputs_are_reported_and_the_rest_is_analysed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(
        "date 2026-01-05\nsource Test Wire\n\nA calm report\n\n"
        "Anna Koval said the bridge will reopen in May.\n"
    )
    (src / "empty.txt").write_text("")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (src / "broken-utf8.txt").write_bytes("Caf\u00e9 owners said ".encode() + b"\xff\xfe ok.")
    with (src / "huge.txt").open("wb") as fh:  # sparse: 50 MB without writing 50 MB
        fh.truncate(50 * 1024 * 1024)
    (src / "nobody.html").write_text("<html><head><title>x</title></head></html>")
    (src / "records.jsonl").write_text(
        json.dumps({"text": "Mayor Ilse Varga opened the new school on Monday."})
        + "\n"
        + '{"text": "broken\n'
        + json.dumps({"text": "The council approved the budget after a long debate."})
        + "\n"
    )
    with gzip.open(src / "zipped.txt.gz", "wt") as fh:
        fh.write("Officials in Kestrava said the port will stay closed.\n")
    missing = tmp_path / "does-not-exist.txt"
    errors = tmp_path / "e.jsonl"
    code, out = analyze_json(
        str(src), str(missing), "--store", str(tmp_path / "p.db"), "--errors", str(errors)
    )
    assert code == 1
    sources = {a["source"] for a in out["articles"]}
    assert any("good.txt" in s for s in sources)
    assert any("zipped.txt.gz" in s for s in sources)
    assert sum("records.jsonl" in s for s in sources) == 2
    recorded = [json.loads(line) for line in errors.read_text().splitlines()]
    assert recorded == out["errors"]
    where = " ".join(str(e["where"]) for e in recorded)
    for name in (
        "empty.txt",
        "binary.txt",
        "broken-utf8.txt",
        "huge.txt",
        "nobody.html",
        "records.jsonl:2",
        "does-not-exist.txt",
    ):
        assert name in where, f"{name} not reported: {where}"
    for e in recorded:
        assert e["hint"], e
        assert e["code"].startswith("P1"), e
    utf8 = next(e for e in recorded if "broken-utf8" in e["where"])
    assert "byte" in (utf8["where"] + utf8["message"])


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores for a worker pool")
def test_worker_pool_gives_the_same_analysis_as_one_process(demo_dir: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    code1, _ = analyze_json(
        str(demo_dir), "--no-store", "--jsonl", str(one), "--errors", str(tmp_path / "e1")
    )
    code2, _ = analyze_json(
        str(demo_dir),
        "--no-store",
        "--jsonl",
        str(two),
        "--workers",
        "2",
        "--set",
        "batch_size=2",
        "--errors",
        str(tmp_path / "e2"),
    )
    assert code1 == code2 == 0
    assert one.read_text() == two.read_text()


def test_show_finds_article_by_id_prefix(demo_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _, out = analyze_json(str(demo_dir), "--store", str(db), "--errors", str(tmp_path / "e"))
    aid = out["articles"][0]["id"]
    code, stdout, _ = run("show", aid[:8], "--store", str(db), "--json")
    assert code == 0
    shown = json.loads(stdout)
    assert shown["id"] == aid
    code, stdout, _ = run("show", aid, "--store", str(db))
    assert code == 0 and aid in stdout
    code, stdout, stderr = run("show", "zzzz", "--store", str(db))
    assert code == 3 and "no article" in stderr


def test_schema_command_prints_the_article_schema() -> None:
    code, stdout, _ = run("schema")
    assert code == 0
    schema = json.loads(stdout)
    assert schema["title"] == "Article" and "layers" in schema["properties"]


def test_unknown_setting_is_a_clear_error(tmp_path: Path) -> None:
    code, _, stderr = run("analyze", str(tmp_path), "--set", "nope=1", "--no-store")
    assert code == 3 and "unknown setting 'nope'" in stderr


def test_an_interrupted_run_resumes_and_a_new_pipeline_reanalyses(
    demo_dir: Path, tmp_path: Path
) -> None:
    import shutil

    src, db, errs = tmp_path / "in", tmp_path / "p.db", str(tmp_path / "e.jsonl")
    src.mkdir()
    files = sorted(p for p in demo_dir.iterdir() if p.suffix == ".txt")
    for f in files[:2]:  # the run that was "interrupted" after two files
        shutil.copy(f, src)
    code, first = analyze_json(str(src), "--store", str(db), "--errors", errs)
    assert code == 0 and first["counts"] == {"inserted": 2}
    for f in files[2:]:
        shutil.copy(f, src)
    code, second = analyze_json(str(src), "--store", str(db), "--errors", errs)
    counts = second["counts"]
    assert counts["inserted"] == len(files) - 2
    # The first two are kept, or updated where the bigger corpus changes their normalisation
    # (a tagline now repeated across an outlet's articles); never stored twice.
    assert counts.get("unchanged", 0) + counts.get("updated", 0) == 2
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == len(files)
    # A different pipeline config is a different fingerprint: everything is analysed again.
    code, third = analyze_json(
        str(src),
        "--store",
        str(db),
        "--errors",
        errs,
        "--set-stage",
        "genre.opinion_threshold=0.5",
    )
    assert third["counts"] == {"updated": len(files)}


def test_a_second_run_over_the_same_folder_does_not_read_its_own_outputs(tmp_path: Path) -> None:
    """Found by probing: `analyze .` wrote errors.jsonl, report.html and out.jsonl into the
    folder, and the next run read them back: the empty errors file failed (exit 1, P105) and
    the report became an article holding every text."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Council passes budget\n\nAnna Koval said the bridge will reopen.\n")
    (src / "b.txt").write_text("Port reopens\n\nThe port reopened on Monday, officials said.\n")
    args = [
        str(src),
        "--store",
        str(tmp_path / "p.db"),
        "--errors",
        str(src / "errors.jsonl"),
        "--html",
        str(src / "report.html"),
        "--jsonl",
        str(src / "out.jsonl"),
    ]
    for _ in range(2):
        code, out = analyze_json(*args)
        assert code == 0, out["errors"]
        assert sorted(Path(a["source"]).name for a in out["articles"]) == ["a.txt", "b.txt"]
    assert (src / "report.html").is_file() and (src / "errors.jsonl").is_file()
    # named on its own, an output file is still read
    code, out = analyze_json(str(src / "out.jsonl"), "--no-store")
    assert len(out["articles"]) == 2
