"""A bounded run of the atheris fuzz harness (tools/fuzz.py) over every reader and the
normaliser; `make fuzz` runs the long one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUZZ = ROOT / "tools" / "fuzz.py"
TARGETS = ["text", "html", "jsonl", "json", "csv", "feed", "warc", "gzip", "normalise"]


def test_bounded_fuzz_run_finds_no_crash(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    proc = subprocess.run(
        [
            sys.executable,
            str(FUZZ),
            "--runs",
            "1000",
            "--max-time",
            "3",
            "--artifacts",
            str(tmp_path / "artifacts"),
        ],
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
        cwd=tmp_path,
    )
    table = {
        m.group(1): (int(m.group(2).replace(",", "")), int(m.group(3)))
        for m in re.finditer(r"^(\w+)\s+([\d,]+)\s+(\d+)\s+[\d.]+$", proc.stdout, re.MULTILINE)
    }
    assert proc.returncode == 0, proc.stdout + proc.stderr[-5000:]
    assert sorted(table) == sorted(TARGETS), proc.stdout
    for target, (inputs, crashes) in table.items():
        assert crashes == 0, target
        assert inputs > 0, f"{target}: the fuzzer ran no input"
    assert not list((tmp_path / "artifacts").glob("*crash*"))
