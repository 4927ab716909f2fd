"""Shared inputs for the scale tests: tiny generated corpora and a cheap pipeline, so runs take
seconds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from presslens.pipeline import default_config

#: A cheap pipeline for runs whose point is sharding, not analysis: parse and entities.
CHEAP_STAGES = ["spacy", "entities"]

JsonlWriter = Callable[..., Path]


def _write_jsonl(path: Path, n: int, *, start: int = 0) -> Path:
    """``n`` one-sentence articles, each different (so each has its own id); ids hash the
    URL, so the same records in another file are the same articles."""
    outlets = ["The Courier", "The Standard", "The Clarion"]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            record = {
                "text": f"Report {i}. Mayor Anna Lind said on Monday that {i} buses will run "
                f"in Port Elin.",
                "outlet": outlets[i % len(outlets)],
                "date": "2026-03-01",
                "url": f"https://news.example/{i}",
            }
            fh.write(json.dumps(record) + "\n")
    return path


@pytest.fixture
def write_jsonl() -> JsonlWriter:
    return _write_jsonl


@pytest.fixture
def cheap_config() -> dict[str, Any]:
    config = default_config()
    config["pipeline"]["stages"] = list(CHEAP_STAGES)
    return config
