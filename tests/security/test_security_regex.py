"""Regular-expression safety: every pattern in presslens, against adversarial text, under a
CPU-time bound (the probe runs in a subprocess; see regex_probe.py for what it tries)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from presslens.readers.headers import parse_headers, split_authors
from presslens.readers.markers import disclaimer_kind, find_dateline

PROBE = Path(__file__).with_name("regex_probe.py")


def test_no_pattern_backtracks_catastrophically() -> None:
    proc = subprocess.run(
        [sys.executable, str(PROBE)], capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert report["broken"] == []
    assert report["patterns"] > 100  # the collector really found the package's patterns
    slow = [
        f"{s['where']} ({s['how']} on {s['input']}): {s['pattern'][:120]}" for s in report["slow"]
    ]
    assert slow == [], "patterns over the CPU budget:\n" + "\n".join(slow)


class _Hung(Exception):
    pass


@contextmanager
def cpu_bound(seconds: float) -> Iterator[None]:
    """Fail instead of hanging when the body needs more than ``seconds`` of CPU."""

    def stop(signum: int, frame: object) -> None:
        raise _Hung(f"over {seconds} s of CPU: quadratic or worse")

    old = signal.signal(signal.SIGVTALRM, stop)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, old)


LONG = 1_000_000


def test_reader_patterns_on_megabyte_lines_as_they_are_used() -> None:
    """The readers' patterns as the readers call them, on 1 MB hostile lines (a quadratic one
    needs about 10^12 steps here: it would never finish)."""
    with cpu_bound(20):
        assert split_authors("a" + " " * LONG + "b") == ["a" + " " * LONG + "b"]
        assert split_authors("A, B and C") == ["A", "B", "C"]
        assert parse_headers("author " + " " * LONG + "x\n\nBody.")[0].field == "author"
        parse_headers("A" * LONG + "!")
        assert find_dateline("Rabat" + " Rabat" * (LONG // 6) + ".") is None
        assert find_dateline("A" * LONG) is None
        assert disclaimer_kind(" " * LONG + "x") is None
        assert disclaimer_kind("“" * LONG) is None
