"""Command lines that once ended in a traceback, created a stray store, read "nan" two ways,
or looked like partial failures when interrupted; each was found by probing the CLI."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from presslens.cli import main

pytestmark = pytest.mark.slow

EXAMPLE = (
    "Rivermouth – The Rivermouth Water Board said on Monday that 1,200 homes were without "
    "water after a pipe burst. “Crews are working through the night,” board director Ilse "
    "Varnholt said.\n"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("cli-hostile")
    (base / "a.txt").write_text(EXAMPLE, encoding="utf-8")
    db = base / "s.db"
    code, _, stderr = run(
        "analyze", str(base / "a.txt"), "--store", str(db), "--errors", str(base / "e.jsonl")
    )
    assert code == 0, stderr
    return db


@pytest.mark.parametrize("option", ["--html", "--jsonl", "--errors"])
def test_an_output_in_a_missing_folder_is_refused_before_any_work(
    tmp_path: Path, option: str
) -> None:
    src = tmp_path / "a.txt"
    src.write_text(EXAMPLE, encoding="utf-8")
    db = tmp_path / "s.db"
    code, stdout, _ = run(
        "analyze", str(src), "--store", str(db), option, str(tmp_path / "nodir" / "out"), "--json"
    )
    assert code == 3
    error = json.loads(stdout)["error"]
    assert (
        error["code"] == "P400"
        and "does not exist" in error["message"]
        and option in error["message"]
    )
    assert not db.exists()  # nothing analysed, nothing stored


def test_report_and_compare_refuse_a_missing_folder(store: Path, tmp_path: Path) -> None:
    code, _, stderr = run(
        "report", "--store", str(store), "--html", str(tmp_path / "no" / "r.html")
    )
    assert code == 3 and "P400" in stderr and "does not exist" in stderr
    code, _, stderr = run(
        "compare", "S0", "--store", str(store), "--html", str(tmp_path / "no" / "c.html")
    )
    assert code == 3 and "does not exist" in stderr


@pytest.mark.parametrize("command", [["show", "abcd"], ["quotes"], ["stories"], ["voices"]])
def test_reading_a_store_that_does_not_exist_does_not_create_one(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "typo" / "store.db"
    code, _, stderr = run(*command, "--store", str(path))
    assert code == 3 and "P300" in stderr and "no store at" in stderr
    assert not path.parent.exists()


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to run a command as a user who may not write the store",
)
def test_a_store_the_user_may_not_write_is_read(store: Path, tmp_path: Path) -> None:
    """A shared archive: the file and its folder read-only for this user. Opening it used to
    fail at the first pragma ("attempt to write a readonly database")."""
    shared = tmp_path / "shared"
    shared.mkdir()
    copy = shared / "ro.db"
    db = sqlite3.connect(store)
    db.execute("VACUUM INTO ?", (str(copy),))
    db.close()
    copy.chmod(0o444)
    shared.chmod(0o555)
    for parent in [tmp_path, *tmp_path.parents]:
        parent.chmod(parent.stat().st_mode | 0o005)
    nobody = pwd.getpwnam("nobody")
    exe = Path(sys.executable).parent / "presslens"
    result = subprocess.run(
        [
            "setpriv",
            f"--reuid={nobody.pw_uid}",
            f"--regid={nobody.pw_gid}",
            "--clear-groups",
            str(exe),
            "quotes",
            "--store",
            str(copy),
            "--json",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert any("Crews are working" in r["text"] for r in rows)
    assert sorted(p.name for p in shared.iterdir()) == ["ro.db"]  # no WAL files were made


def test_nan_is_no_confidence_bar(store: Path) -> None:
    for command in ("quotes", "rhetoric"):
        code, _, stderr = run(command, "--store", str(store), "--min-confidence", "nan")
        assert code == 2 and "nan is not a finite number" in stderr


def test_counts_and_names_that_mean_nothing_are_refused(store: Path) -> None:
    code, _, stderr = run("voices", "--store", str(store), "--top", "-1")
    assert code == 2 and "--top" in stderr
    for entity in ("", "%", "*"):
        code, _, stderr = run("timeline", entity, "--store", str(store))
        assert code == 2 and "ENTITY" in stderr
    code, stdout, _ = run("timeline", "Ilse Varnholt", "--store", str(store), "--json")
    assert code == 0 and isinstance(json.loads(stdout), list)


def test_show_names_a_layer_the_article_lacks(store: Path) -> None:
    aid = sqlite3.connect(store).execute("SELECT id FROM articles").fetchone()[0]
    code, stdout, _ = run("show", aid, "--store", str(store), "--layer", "nosuch", "--json")
    assert code == 3
    error = json.loads(stdout)["error"]
    assert "nosuch" in error["message"] and "entities" in error["hint"]
    code, stdout, _ = run("show", aid, "--store", str(store), "--layer", "entities", "--json")
    assert code == 0 and list(json.loads(stdout)["layers"]) == ["entities"]


def test_ctrl_c_exits_130_and_keeps_what_was_stored(tmp_path: Path) -> None:
    """click's "Aborted!" exits 1, the status of "some inputs failed"."""
    src = tmp_path / "in"
    src.mkdir()
    # enough articles that a loaded machine is still analysing when the first batch is seen
    total = 1200
    for i in range(total):
        (src / f"a{i:04d}.txt").write_text(f"Story {i}\n\n" + EXAMPLE * 8, encoding="utf-8")
    db = tmp_path / "s.db"
    exe = Path(sys.executable).parent / "presslens"
    proc = subprocess.Popen(
        [str(exe), "analyze", str(src), "--store", str(db), "--errors", str(tmp_path / "e")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # as in a terminal: a suite started in the background by a non-interactive shell
        # ignores SIGINT, and a child inheriting that gets no KeyboardInterrupt (measured: the
        # run then ignored the signal and exited 0)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 240
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.5)
        if db.exists():
            try:
                stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                continue
            if stored:
                break
    assert proc.poll() is None and stored, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    kept = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert 0 < kept < total
